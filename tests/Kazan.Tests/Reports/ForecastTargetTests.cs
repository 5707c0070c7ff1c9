using System.Globalization;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Reports;

/// <summary>The forecast against targets: which target applies, attainment, coverage, and deals that slipped out of a period.</summary>
public sealed class ForecastTargetTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CellDto(int Count, decimal Total, decimal Weighted);

    private sealed record RowDto(string Period, CellDto Won, decimal Open, decimal? Target, decimal? Attainment, decimal? Coverage, CellDto Slipped);

    private sealed record ReportDto(List<RowDto> Rows, RowDto Total);

    private sealed record SlippedDto(Guid Id, string Title, Guid OwnerId, decimal Total, DateOnly WasExpected, DateOnly ExpectedCloseDate);

    private sealed record IdOnly(Guid Id);

    [Fact]
    public async Task Attainment_and_coverage_use_the_owners_the_teams_or_everyones_target()
    {
        var org = await factory.CreateOrganizationAsync("Kota Takip A.Ş.");
        var team = (await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Anadolu" }, Ct)).Content.ReadFromJsonAsync<IdOnly>(Ct))!.Id;
        var ali = await org.AddUserAsync(UserRole.Rep, "Ali Kota", team);
        var banu = await org.AddUserAsync(UserRole.Rep, "Banu Kota", team);
        var account = await factory.AccountAsync(org, "Hedef Müşteri Ltd.");
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1);

        // This month: Ali won 40 000 and has 30 000 open (and 10 000 omitted); Banu won 50 000 and has 20 000 open.
        var aliWon = await factory.OpportunityAsync(org, account, "Ali kazandı", 40_000m, ownerId: ali.Id, closeOn: today);
        await factory.OpportunityAsync(org, account, "Ali açık", 30_000m, ownerId: ali.Id, closeOn: today);
        var omitted = await factory.OpportunityAsync(org, account, "Ali tahmin dışı", 10_000m, ownerId: ali.Id, closeOn: today);
        var banuWon = await factory.OpportunityAsync(org, account, "Banu kazandı", 50_000m, ownerId: banu.Id, closeOn: today);
        await factory.OpportunityAsync(org, account, "Banu açık", 20_000m, ownerId: banu.Id, closeOn: today);
        foreach (var won in new[] { aliWon, banuWon })
        {
            await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/opportunities/{won}", "won", new { })).EnsureSuccessAsync();
        }

        await (await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/opportunities/{omitted}/forecast-category", new { forecastCategory = "Omitted" },
            (await org.Admin.Client.GetAsync($"/api/v1/opportunities/{omitted}", Ct)).Headers.ETag!.ToString())).EnsureSuccessAsync();

        // Targets this month: Ali 100 000, Banu 50 000 (already met); none next month.
        await SetAsync(org, new { userId = ali.Id, year = month.Year, months = new[] { new { month = month.Month, amount = 100_000m } } });
        await SetAsync(org, new { userId = banu.Id, year = month.Year, months = new[] { new { month = month.Month, amount = 50_000m } } });

        var from = $"from={Iso(month)}&count=2";
        var aliRow = (await ReportAsync(org, $"{from}&ownerId={ali.Id}")).Rows[0];
        Assert.Equal((100_000m, 40_000m, 30_000m), (aliRow.Target, aliRow.Won.Total, aliRow.Open));
        Assert.Equal((0.4m, 0.5m), (aliRow.Attainment, aliRow.Coverage)); // 40 000 ÷ 100 000; 30 000 ÷ (100 000 − 40 000)

        var banuRow = (await ReportAsync(org, $"{from}&ownerId={banu.Id}")).Rows[0];
        Assert.Equal((50_000m, 1m, (decimal?)null), (banuRow.Target, banuRow.Attainment, banuRow.Coverage)); // met: nothing left to cover

        // No filter: the sum of every user's target.
        var all = await ReportAsync(org, from);
        Assert.Equal((150_000m, 90_000m, 50_000m), (all.Rows[0].Target, all.Rows[0].Won.Total, all.Rows[0].Open));
        Assert.Equal((0.6m, 0.8333m), (all.Rows[0].Attainment, all.Rows[0].Coverage)); // 90 ÷ 150; 50 ÷ 60
        Assert.Equal(((decimal?)null, (decimal?)null, (decimal?)null), (all.Rows[1].Target, all.Rows[1].Attainment, all.Rows[1].Coverage));
        Assert.Equal(150_000m, all.Total.Target);

        // The team: its members' targets until it has its own, then its own.
        var byMembers = (await ReportAsync(org, $"{from}&teamId={team}")).Rows[0];
        Assert.Equal((150_000m, 0.6m), (byMembers.Target, byMembers.Attainment));
        await SetAsync(org, new { teamId = team, year = month.Year, months = new[] { new { month = month.Month, amount = 120_000m } } });
        var byTeam = (await ReportAsync(org, $"{from}&teamId={team}")).Rows[0];
        Assert.Equal((120_000m, 0.75m, 1.6667m), (byTeam.Target, byTeam.Attainment, byTeam.Coverage)); // 90 ÷ 120; 50 ÷ 30
        Assert.Equal(150_000m, (await ReportAsync(org, from)).Rows[0].Target); // everyone's is still the users' sum

        // The file carries the new columns: target, attainment %, coverage ×, slipped count and total.
        var csv = await org.Admin.Client.GetStringAsync($"/api/v1/reports/forecast?{from}&ownerId={ali.Id}&format=csv", Ct);
        Assert.Contains($"{Ym(month)},40000.00,0.00,0.00,30000.00,10000.00,40000.00,40000.00,43000.00,100000.00,40.00,0.50,0,0.00", csv, StringComparison.Ordinal);
        Assert.Contains($"{Ym(month.AddMonths(1))},0.00,0.00,0.00,0.00,0.00,0.00,0.00,0.00,,,,0,0.00", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deal_moved_to_next_month_is_slipped_in_this_month_and_counted_in_the_next()
    {
        var org = await factory.CreateOrganizationAsync("Kayan Fırsat A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Cem Kayan");
        var account = await factory.AccountAsync(org, "Erteleyen Ltd.");
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1);
        var later = month.AddMonths(1).AddDays(9);

        // Created this month, expected this month; then moved to the 10th of next month.
        var slipping = await factory.OpportunityAsync(org, account, "Ertelenen proje", 25_000m, ownerId: rep.Id, closeOn: today);
        var moved = await factory.OpportunityAsync(org, account, "Ay içinde kayan", 7_000m, ownerId: rep.Id, closeOn: today);
        var beforeMove = DateTimeOffset.UtcNow;
        await Task.Delay(20, Ct);
        await ChangeCloseDateAsync(org, slipping, "Ertelenen proje", 25_000m, later);
        await ChangeCloseDateAsync(org, moved, "Ay içinde kayan", 7_000m, month.AddMonths(1).AddDays(-1)); // still this month: not slipped

        var from = $"from={Iso(month)}&count=2";
        var report = await ReportAsync(org, from);
        Assert.Equal((1, 25_000m), (report.Rows[0].Slipped.Count, report.Rows[0].Slipped.Total));
        Assert.Equal(7_000m, report.Rows[0].Open); // the slipped deal no longer counts here…
        Assert.Equal((25_000m, 0), (report.Rows[1].Open, report.Rows[1].Slipped.Count)); // …but in the month it is expected now
        Assert.Equal(1, report.Total.Slipped.Count);

        var deals = (await org.Admin.Client.GetFromJsonAsync<List<SlippedDto>>($"/api/v1/reports/forecast/slipped?from={Iso(month)}", Ct))!;
        var deal = Assert.Single(deals);
        Assert.Equal((slipping, "Ertelenen proje", rep.Id, 25_000m, today, later), (deal.Id, deal.Title, deal.OwnerId, deal.Total, deal.WasExpected, deal.ExpectedCloseDate));
        // By quarter it slipped only if next month starts a new quarter.
        var quarterSlipped = (await org.Admin.Client.GetFromJsonAsync<List<SlippedDto>>($"/api/v1/reports/forecast/slipped?period=quarter&from={Iso(month)}", Ct))!;
        Assert.Equal(later.Month % 3 == 1 ? 1 : 0, quarterSlipped.Count);
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<List<SlippedDto>>($"/api/v1/reports/forecast/slipped?from={Iso(month.AddMonths(1))}", Ct))!);

        // The rep's own filter finds it; another owner's does not.
        Assert.Equal(1, (await ReportAsync(org, $"{from}&ownerId={rep.Id}")).Rows[0].Slipped.Count);
        Assert.Equal(0, (await ReportAsync(org, $"{from}&ownerId={org.Admin.Id}")).Rows[0].Slipped.Count);

        // As of before the move nothing had slipped yet.
        var past = await ReportAsync(org, $"{from}&asOf={Uri.EscapeDataString(beforeMove.ToString("O", CultureInfo.InvariantCulture))}");
        Assert.Equal((0, 32_000m), (past.Rows[0].Slipped.Count, past.Rows[0].Open));

        await (await org.Admin.Client.GetAsync("/api/v1/reports/forecast/slipped?period=week", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/reports/forecast/slipped?from=yesterday", Ct)).ProblemAsync(400);
    }

    private static async Task ChangeCloseDateAsync(TestOrganization org, Guid id, string title, decimal amount, DateOnly closeOn)
    {
        var current = await org.Admin.Client.GetAsync($"/api/v1/opportunities/{id}", Ct);
        await (await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/opportunities/{id}",
            new { title, expectedAmount = amount, expectedCloseDate = Iso(closeOn) }, current.Headers.ETag!.ToString())).EnsureSuccessAsync();
    }

    private static async Task SetAsync(TestOrganization org, object body) =>
        await (await org.Admin.Client.PutAsJsonAsync("/api/v1/targets", body, Ct)).EnsureSuccessAsync();

    private static async Task<ReportDto> ReportAsync(TestOrganization org, string query) =>
        (await org.Admin.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/forecast?{query}", Ct))!;

    private static string Ym(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
