using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Reports;

/// <summary>The home page's dashboard: a rep's own deals, a manager's team, an admin's organization; overdue deals listed.</summary>
public sealed class DashboardTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CellDto(int Count, decimal Total);

    private sealed record MonthDto(string Period, CellDto Won, CellDto Pipeline, decimal Weighted, decimal? Target, decimal? Coverage);

    private sealed record TotalDto(int Count, decimal Total, decimal Weighted);

    private sealed record PipelineDto(TotalDto Total);

    private sealed record OverdueDto(Guid Id, string Title, DateOnly ExpectedCloseDate, decimal Total);

    private sealed record DashboardDto(string Scope, string? TeamName, PipelineDto Pipeline, MonthDto Month, int OverdueCount, List<OverdueDto> Overdue);

    [Fact]
    public async Task Each_role_sees_its_own_scope_and_the_deals_past_their_close_date()
    {
        var org = await factory.CreateOrganizationAsync("Gösterge A.Ş.");
        var team = (await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Ege" }, Ct)).Content.ReadFromJsonAsync<IdOnly>(Ct))!.Id;
        var manager = await org.AddUserAsync(UserRole.Manager, "Mert Müdür", team);
        var rep = await org.AddUserAsync(UserRole.Rep, "Rana Rep", team);
        var outsider = await org.AddUserAsync(UserRole.Rep, "Oya Dışarıda");
        var account = await factory.AccountAsync(org, "Pano Ltd.");
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var monthStart = new DateOnly(today.Year, today.Month, 1); // the overdue deals close before this month

        await factory.OpportunityAsync(org, account, "Rana bu ay", 10_000m, ownerId: rep.Id, closeOn: today);
        await factory.OpportunityAsync(org, account, "Rana gecikmiş", 4_000m, ownerId: rep.Id, closeOn: monthStart.AddDays(-20));
        await factory.OpportunityAsync(org, account, "Oya gelecek yıl", 50_000m, ownerId: outsider.Id, closeOn: today.AddYears(1));
        await factory.OpportunityAsync(org, account, "Oya gecikmiş", 9_000m, ownerId: outsider.Id, closeOn: monthStart.AddDays(-3));

        await (await manager.Client.PutAsJsonAsync("/api/v1/targets", new { userId = rep.Id, year = today.Year, months = new[] { new { month = today.Month, amount = 40_000m } } }, Ct))
            .EnsureSuccessAsync();

        var mine = (await rep.Client.GetFromJsonAsync<DashboardDto>("/api/v1/reports/dashboard", Ct))!;
        Assert.Equal((40_000m, 0.25m), (mine.Month.Target, mine.Month.Coverage)); // this month's target; 10 000 open against 40 000 left
        Assert.Equal(("Mine", 2, 14_000m), (mine.Scope, mine.Pipeline.Total.Count, mine.Pipeline.Total.Total));
        Assert.Equal((1, 10_000m), (mine.Month.Pipeline.Count, mine.Month.Pipeline.Total));
        Assert.Equal((1, "Rana gecikmiş"), (mine.OverdueCount, mine.Overdue.Single().Title));

        var teams = (await manager.Client.GetFromJsonAsync<DashboardDto>("/api/v1/reports/dashboard", Ct))!;
        Assert.Equal(("Team", "Ege", 2, 14_000m), (teams.Scope, teams.TeamName, teams.Pipeline.Total.Count, teams.Pipeline.Total.Total));

        var all = (await org.Admin.Client.GetFromJsonAsync<DashboardDto>("/api/v1/reports/dashboard", Ct))!;
        Assert.Equal(("Organization", 4, 73_000m), (all.Scope, all.Pipeline.Total.Count, all.Pipeline.Total.Total));
        Assert.Equal(["Rana gecikmiş", "Oya gecikmiş"], all.Overdue.Select(d => d.Title)); // oldest close date first
        Assert.Equal(2, all.OverdueCount);
    }

    private sealed record IdOnly(Guid Id);
}
