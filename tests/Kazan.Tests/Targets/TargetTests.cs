using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Targets;

/// <summary>Sales targets through the API: a year set in one call, read, changed, cleared; who may do what; what is refused.</summary>
public sealed class TargetTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record TargetDto(Guid Id, Guid? UserId, Guid? TeamId, string Name, DateOnly Month, decimal Amount, int Version);

    private sealed record AuditPage(List<AuditDto> Items);

    private sealed record AuditDto(string Action, Guid? UserId, string Changes);

    private sealed record IdOnly(Guid Id);

    [Fact]
    public async Task A_manager_sets_a_users_year_changes_one_month_and_clears_another()
    {
        var org = await factory.CreateOrganizationAsync("Hedef Makina A.Ş.");
        var manager = await org.AddUserAsync(UserRole.Manager, "Müdür Ayşe");
        var rep = await org.AddUserAsync(UserRole.Rep, "Satışçı Ömer");

        var set = await manager.Client.PutAsJsonAsync("/api/v1/targets", new
        {
            userId = rep.Id,
            year = 2026,
            months = new object[] { new { month = 1, amount = 100_000m }, new { month = 2, amount = 120_000.50m }, new { month = 3, amount = 0m } },
        }, Ct);
        await set.EnsureSuccessAsync();
        var saved = (await set.Content.ReadFromJsonAsync<List<TargetDto>>(Ct))!;
        Assert.Equal([(new DateOnly(2026, 1, 1), 100_000m), (new DateOnly(2026, 2, 1), 120_000.50m), (new DateOnly(2026, 3, 1), 0m)],
            saved.Select(t => (t.Month, t.Amount)));
        Assert.All(saved, t => Assert.Equal(("Satışçı Ömer", (Guid?)rep.Id, (Guid?)null), (t.Name, t.UserId, t.TeamId)));

        // February changes, January is cleared with null, March is left as it was (not listed).
        await (await manager.Client.PutAsJsonAsync("/api/v1/targets", new
        {
            userId = rep.Id,
            year = 2026,
            months = new object[] { new { month = 1, amount = (decimal?)null }, new { month = 2, amount = 130_000m } },
        }, Ct)).EnsureSuccessAsync();
        var year = (await rep.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!;
        Assert.Equal([(new DateOnly(2026, 2, 1), 130_000m), (new DateOnly(2026, 3, 1), 0m)], year.Select(t => (t.Month, t.Amount)));
        Assert.Empty((await rep.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2025", Ct))!);

        // A DELETE clears one month.
        var march = year.Single(t => t.Month.Month == 3);
        Assert.Equal(204, (int)(await manager.Client.DeleteAsync($"/api/v1/targets/{march.Id}", Ct)).StatusCode);
        await (await manager.Client.DeleteAsync($"/api/v1/targets/{march.Id}", Ct)).ProblemAsync(404);

        // The trail: who set February, from what to what.
        var february = year.Single(t => t.Month.Month == 2);
        var audit = (await org.Admin.Client.GetFromJsonAsync<AuditPage>($"/api/v1/audit?entityType=SalesTarget&entityId={february.Id}", Ct))!;
        Assert.Equal(["Update", "Insert"], audit.Items.Select(a => a.Action));
        Assert.All(audit.Items, a => Assert.Equal(manager.Id, a.UserId));
        var amount = JsonDocument.Parse(audit.Items[0].Changes).RootElement.GetProperty("Amount");
        Assert.Equal((120_000.50m, 130_000m), (amount[0].GetDecimal(), amount[1].GetDecimal()));
        var cleared = (await org.Admin.Client.GetFromJsonAsync<AuditPage>($"/api/v1/audit?entityType=SalesTarget&entityId={march.Id}", Ct))!;
        Assert.Equal(["Delete", "Insert"], cleared.Items.Select(a => a.Action));
    }

    [Fact]
    public async Task A_team_target_is_one_per_month_and_a_rep_reads_only_their_own_and_their_teams()
    {
        var org = await factory.CreateOrganizationAsync("Ekip Hedefi Ltd.");
        var team = (await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Ege" }, Ct)).Content.ReadFromJsonAsync<IdOnly>(Ct))!.Id;
        var other = (await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Marmara" }, Ct)).Content.ReadFromJsonAsync<IdOnly>(Ct))!.Id;
        var rep = await org.AddUserAsync(UserRole.Rep, "Ege Satış", team);
        var colleague = await org.AddUserAsync(UserRole.Rep, "Marmara Satış", other);
        async Task Set(Guid? userId, Guid? teamId, decimal amount) => await (await org.Admin.Client.PutAsJsonAsync("/api/v1/targets",
            new { userId, teamId, year = 2026, months = new[] { new { month = 6, amount } } }, Ct)).EnsureSuccessAsync();
        await Set(null, team, 500_000m);
        await Set(null, other, 400_000m);
        await Set(rep.Id, null, 200_000m);
        await Set(colleague.Id, null, 150_000m);

        // Setting the team's June again replaces it: still one target for the team and month.
        await (await org.Admin.Client.PutAsJsonAsync("/api/v1/targets", new { teamId = team, year = 2026, months = new[] { new { month = 6, amount = 550_000m } } }, Ct))
            .EnsureSuccessAsync();

        var all = (await org.Admin.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!;
        Assert.Equal(4, all.Count);
        Assert.Equal(550_000m, all.Single(x => x.TeamId == team).Amount);
        Assert.Equal(550_000m, Assert.Single((await org.Admin.Client.GetFromJsonAsync<List<TargetDto>>($"/api/v1/targets?year=2026&teamId={team}", Ct))!).Amount);

        // A rep who sees only their own deals sees their own target and their team's, not a colleague's or another team's.
        var mine = (await rep.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!;
        Assert.Equal([("Ege", 550_000m), ("Ege Satış", 200_000m)], mine.Select(x => (x.Name, x.Amount)).OrderBy(x => x.Name, StringComparer.Ordinal));

        // When reps may see all, they read the whole board.
        await org.SetRepsSeeAllAsync(true);
        Assert.Equal(4, (await rep.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!.Count);
    }

    [Fact]
    public async Task Bad_input_is_a_400_with_codes_a_rep_cannot_set_and_another_organizations_ids_are_not_found()
    {
        var org = await factory.CreateOrganizationAsync("Doğrulama Hedef A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var team = (await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Karadeniz" }, Ct)).Content.ReadFromJsonAsync<IdOnly>(Ct))!.Id;

        async Task<JsonElement> Refused(object body, string field, string code)
        {
            var problem = await (await org.Admin.Client.PutAsJsonAsync("/api/v1/targets", body, Ct)).ProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field} missing in {problem}");
            Assert.Equal(code, problem.GetProperty("codes").GetProperty(field).GetString());
            return problem;
        }

        var june = new[] { new { month = 6, amount = (decimal?)1000m } };
        await Refused(new { year = 2026, months = june }, "userId", "target.for");
        await Refused(new { userId = rep.Id, teamId = team, year = 2026, months = june }, "userId", "target.for");
        await Refused(new { userId = Guid.NewGuid(), year = 2026, months = june }, "userId", "target.user-unknown");
        await Refused(new { teamId = Guid.NewGuid(), year = 2026, months = june }, "teamId", "target.team-unknown");
        await Refused(new { teamId = team, year = 1999, months = june }, "year", "target.year");
        await Refused(new { teamId = team, year = 2026, months = Array.Empty<object>() }, "months", "target.months");
        await Refused(new { teamId = team, year = 2026, months = new[] { new { month = 13, amount = (decimal?)1m } } }, "months[0].month", "target.month");
        await Refused(new { teamId = team, year = 2026, months = new[] { new { month = 2, amount = (decimal?)1m }, new { month = 2, amount = (decimal?)2m } } }, "months[1].month", "target.month-repeated");
        await Refused(new { teamId = team, year = 2026, months = new[] { new { month = 2, amount = (decimal?)-1m } } }, "months[0].amount", "target.amount");
        await Refused(new { teamId = team, year = 2026, months = new[] { new { month = 2, amount = (decimal?)10.505m } } }, "months[0].amount", "target.amount");
        await (await org.Admin.Client.GetAsync("/api/v1/targets?year=1900", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/targets?year=abc", Ct)).ProblemAsync(400);
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!); // nothing half-saved

        // A rep reads but cannot set or clear.
        await (await rep.Client.PutAsJsonAsync("/api/v1/targets", new { userId = rep.Id, year = 2026, months = june }, Ct)).ProblemAsync(403);
        await (await org.Admin.Client.PutAsJsonAsync("/api/v1/targets", new { userId = rep.Id, year = 2026, months = june }, Ct)).EnsureSuccessAsync();
        var target = Assert.Single((await rep.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!);
        await (await rep.Client.DeleteAsync($"/api/v1/targets/{target.Id}", Ct)).ProblemAsync(403);

        // Another organization: the target is not found, the user and team are unknown to it, and it reads nothing.
        var intruder = await factory.CreateOrganizationAsync("Başka Hedef A.Ş.");
        await (await intruder.Admin.Client.DeleteAsync($"/api/v1/targets/{target.Id}", Ct)).ProblemAsync(404);
        var unknownUser = await (await intruder.Admin.Client.PutAsJsonAsync("/api/v1/targets", new { userId = rep.Id, year = 2026, months = june }, Ct)).ProblemAsync(400);
        Assert.Equal("target.user-unknown", unknownUser.GetProperty("codes").GetProperty("userId").GetString());
        var unknownTeam = await (await intruder.Admin.Client.PutAsJsonAsync("/api/v1/targets", new { teamId = team, year = 2026, months = june }, Ct)).ProblemAsync(400);
        Assert.Equal("target.team-unknown", unknownTeam.GetProperty("codes").GetProperty("teamId").GetString());
        Assert.Empty((await intruder.Admin.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!);
        Assert.Equal(1000m, Assert.Single((await org.Admin.Client.GetFromJsonAsync<List<TargetDto>>("/api/v1/targets?year=2026", Ct))!).Amount);
    }
}
