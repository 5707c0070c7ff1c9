using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Users;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Reports;

/// <summary>
/// The win rate through the API, on figures worked out by hand: five deals closed across January and February 2025 by
/// two owners (one in euros, one changed after it was won, one won then reopened), two lost reasons; rows by period,
/// owner and source; the drill-down; as of a past moment; a rep's own figures; files; bad input.
/// </summary>
public sealed class WinRateReportTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Span = "from=2025-01-01&count=3";

    private sealed record RowDto(string Key, string Name, int WonCount, decimal WonValue, int LostCount, decimal LostValue, decimal? RateByCount, decimal? RateByValue);

    private sealed record ReasonDto(Guid? Id, string Name, int Count, decimal Amount);

    private sealed record ReportDto(
        DateTimeOffset? AsOf, string BaseCurrency, string Period, DateOnly From, DateOnly To, string By, List<RowDto> Rows, RowDto Total, List<ReasonDto> LostReasons);

    private sealed record DealDto(Guid Id, string Title, string Status, DateOnly ClosedOn, decimal Value, Guid OwnerId, string OwnerName, string? Source, string? LostReason);

    private sealed record RefDto(Guid Id, string Name);

    private sealed record Arranged(TestOrganization Org, TestUser Rep, Guid A, Guid B, Guid C, Guid D, Guid E, Guid F, RefDto Price, RefDto Rival, DateTimeOffset BeforeClosing, DateTimeOffset BeforeReopen);

    /// <summary>
    /// January 2025: A won 10 000 (admin, Fuar); D lost 8 000 (rep, Fuar, first reason); F won 50 000 (admin) and
    /// reopened later. February: B won 1 000 EUR × 35 = 35 000 (rep, no source); C won 30 000 (admin, Web), changed to
    /// 99 000 after winning; E lost 12 000 (admin, no source, second reason). December 2024: G won 7 000, before the span.
    /// </summary>
    private async Task<Arranged> ArrangeAsync(string name)
    {
        var org = await factory.CreateOrganizationAsync(name);
        var rep = await org.AddUserAsync(UserRole.Rep, "Deniz Rep");
        var account = await factory.AccountAsync(org, "Kapanış Ltd.", ownerId: rep.Id);
        var reasons = (await org.Admin.Client.GetFromJsonAsync<List<RefDto>>("/api/v1/lost-reasons", Ct))!;
        var (price, rival) = (reasons[0], reasons[1]);

        var a = await DealAsync(org, account, "A", 10_000m, org.Admin.Id, "Fuar");
        var b = await DealAsync(org, account, "B", 1_000m, rep.Id, null, "EUR", 35m);
        var c = await DealAsync(org, account, "C", 30_000m, org.Admin.Id, "Web");
        var d = await DealAsync(org, account, "D", 8_000m, rep.Id, "Fuar");
        var e = await DealAsync(org, account, "E", 12_000m, org.Admin.Id, null);
        var f = await DealAsync(org, account, "F", 50_000m, org.Admin.Id, null);
        var g = await DealAsync(org, account, "G", 7_000m, org.Admin.Id, null);
        var beforeClosing = DateTimeOffset.UtcNow;
        await Task.Delay(20, Ct);

        await WinAsync(org, a, "2025-01-05");
        await WinAsync(org, b, "2025-02-10");
        await WinAsync(org, c, "2025-02-15");
        await LoseAsync(org, d, price.Id, "2025-01-20");
        await LoseAsync(org, e, rival.Id, "2025-02-03");
        await WinAsync(org, f, "2025-01-10");
        await WinAsync(org, g, "2024-12-20");

        // C's amount changes after it was won: the report keeps what it was won at.
        var current = await org.Admin.Client.GetAsync($"/api/v1/opportunities/{c}", Ct);
        await (await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/opportunities/{c}",
            new { title = "C", expectedAmount = 99_000m, expectedCloseDate = "2025-02-28", source = "Web" }, current.Headers.ETag!.ToString())).EnsureSuccessAsync();

        var beforeReopen = DateTimeOffset.UtcNow;
        await Task.Delay(20, Ct);
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/opportunities/{f}", "reopen", new { reason = "Müşteri vazgeçti" })).EnsureSuccessAsync();
        return new Arranged(org, rep, a, b, c, d, e, f, price, rival, beforeClosing, beforeReopen);
    }

    [Fact]
    public async Task Won_and_lost_deals_count_in_the_month_they_closed_at_their_value_when_they_closed()
    {
        var x = await ArrangeAsync("Kazanma Oranı A.Ş.");
        var report = await Report(x.Org.Admin.Client, Span);

        Assert.Equal(("Month", "Period", new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)), (report.Period, report.By, report.From, report.To));
        Assert.Equal(["2025-01", "2025-02", "2025-03"], report.Rows.Select(r => r.Name));
        Assert.Equal(["2025-01-01", "2025-02-01", "2025-03-01"], report.Rows.Select(r => r.Key));
        var (january, february, march) = (report.Rows[0], report.Rows[1], report.Rows[2]);

        // January: A won 10 000, D lost 8 000 (F was reopened: not won any more).
        Assert.Equal((1, 10_000m, 1, 8_000m), (january.WonCount, january.WonValue, january.LostCount, january.LostValue));
        Assert.Equal((0.5m, 0.5556m), (january.RateByCount, january.RateByValue)); // 10 000 ÷ 18 000
        // February: B won 35 000 (1 000 EUR × 35) and C 30 000 (as won, not the 99 000 it says now), E lost 12 000.
        Assert.Equal((2, 65_000m, 1, 12_000m), (february.WonCount, february.WonValue, february.LostCount, february.LostValue));
        Assert.Equal((0.6667m, 0.8442m), (february.RateByCount, february.RateByValue)); // 2 ÷ 3; 65 000 ÷ 77 000
        // March: nothing closed, so no rate at all (not 0 %).
        Assert.Equal((0, 0, (decimal?)null, (decimal?)null), (march.WonCount, march.LostCount, march.RateByCount, march.RateByValue));
        // G, won in December 2024, is outside the span.
        Assert.Equal((3, 75_000m, 2, 20_000m, 0.6m, 0.7895m),
            (report.Total.WonCount, report.Total.WonValue, report.Total.LostCount, report.Total.LostValue, report.Total.RateByCount, report.Total.RateByValue));

        // The lost reasons: the organization's list, the largest amount first, reasons that lost nothing after.
        Assert.Equal([(x.Rival.Id, 1, 12_000m), (x.Price.Id, 1, 8_000m)], report.LostReasons.Take(2).Select(r => (r.Id!.Value, r.Count, r.Amount)));
        Assert.Equal(x.Rival.Name, report.LostReasons[0].Name);
        Assert.All(report.LostReasons.Skip(2), r => Assert.Equal((0, 0m), (r.Count, r.Amount)));

        // A quarter holds the same five deals.
        var quarter = await Report(x.Org.Admin.Client, "period=quarter&from=2025-02-14&count=1");
        Assert.Equal(("2025-Q1", 3, 75_000m, 2, 20_000m), (Assert.Single(quarter.Rows).Name, quarter.Total.WonCount, quarter.Total.WonValue, quarter.Total.LostCount, quarter.Total.LostValue));
    }

    [Fact]
    public async Task Rows_by_owner_and_by_source_and_the_deals_behind_a_cell()
    {
        var x = await ArrangeAsync("Kazanma Satırları A.Ş.");
        var client = x.Org.Admin.Client;

        var owners = await Report(client, $"{Span}&by=owner");
        Assert.Equal([(x.Org.Admin.Id.ToString(), 2, 40_000m, 1, 12_000m), (x.Rep.Id.ToString(), 1, 35_000m, 1, 8_000m)],
            owners.Rows.Select(r => (r.Key, r.WonCount, r.WonValue, r.LostCount, r.LostValue)));
        Assert.Equal("Deniz Rep", owners.Rows[1].Name);
        Assert.Equal((0.6667m, 0.7692m), (owners.Rows[0].RateByCount, owners.Rows[0].RateByValue)); // 2 ÷ 3; 40 000 ÷ 52 000
        Assert.Equal((3, 75_000m, 2, 20_000m), (owners.Total.WonCount, owners.Total.WonValue, owners.Total.LostCount, owners.Total.LostValue));

        // By source, the most won first; deals without a source are one row with the key "".
        var sources = await Report(client, $"{Span}&by=source");
        Assert.Equal([("", 1, 35_000m, 1, 12_000m), ("Web", 1, 30_000m, 0, 0m), ("Fuar", 1, 10_000m, 1, 8_000m)],
            sources.Rows.Select(r => (r.Key, r.WonCount, r.WonValue, r.LostCount, r.LostValue)));
        Assert.Equal((1m, 1m), (sources.Rows[1].RateByCount!.Value, sources.Rows[1].RateByValue!.Value));

        var pipelines = await Report(client, $"{Span}&by=pipeline");
        Assert.Equal((3, 2), (Assert.Single(pipelines.Rows).WonCount, pipelines.Rows[0].LostCount));

        // The drill-down: February's won deals, largest first, each at its value when it closed.
        var february = await Deals(client, $"{Span}&key=2025-02-01&outcome=won");
        Assert.Equal([(x.B, 35_000m), (x.C, 30_000m)], february.Select(d => (d.Id, d.Value)));
        Assert.Equal(("Won", new DateOnly(2025, 2, 10), "Deniz Rep"), (february[0].Status, february[0].ClosedOn, february[0].OwnerName));
        Assert.Equal([x.D], (await Deals(client, $"{Span}&by=owner&key={x.Rep.Id}&outcome=lost")).Select(d => d.Id));
        Assert.Equal([x.B, x.E], (await Deals(client, $"{Span}&by=source&key=")).Select(d => d.Id));
        var rival = Assert.Single(await Deals(client, $"{Span}&outcome=lost&lostReasonId={x.Rival.Id}"));
        Assert.Equal((x.E, x.Rival.Name), (rival.Id, rival.LostReason));
        Assert.Equal(5, (await Deals(client, Span)).Count);
    }

    [Fact]
    public async Task As_of_a_past_moment_the_deals_are_as_they_stood_and_a_rep_sees_only_their_own()
    {
        var x = await ArrangeAsync("Kazanma Geçmişi A.Ş.");
        var client = x.Org.Admin.Client;

        // Before the reopening F was won in January: 2 won for 60 000 against 8 000 lost.
        var before = await Report(client, $"{Span}&asOf={Uri.EscapeDataString(x.BeforeReopen.ToString("O"))}");
        Assert.Equal((2, 60_000m, 1, 8_000m), (before.Rows[0].WonCount, before.Rows[0].WonValue, before.Rows[0].LostCount, before.Rows[0].LostValue));
        Assert.Equal(65_000m, before.Rows[1].WonValue);
        Assert.Contains(x.F, (await Deals(client, $"{Span}&key=2025-01-01&outcome=won&asOf={Uri.EscapeDataString(x.BeforeReopen.ToString("O"))}")).Select(d => d.Id));
        Assert.Equal(x.Rival.Id, before.LostReasons[0].Id);

        // Before anything closed, nothing was won or lost.
        var empty = await Report(client, $"{Span}&asOf={Uri.EscapeDataString(x.BeforeClosing.ToString("O"))}");
        Assert.Equal((0, 0, (decimal?)null), (empty.Total.WonCount, empty.Total.LostCount, empty.Total.RateByCount));
        Assert.All(empty.LostReasons, r => Assert.Equal(0, r.Count));

        // The rep sees the deals they may see in lists: B won, D lost.
        var mine = await Report(x.Rep.Client, Span);
        Assert.Equal((1, 35_000m, 1, 8_000m, 0.5m), (mine.Total.WonCount, mine.Total.WonValue, mine.Total.LostCount, mine.Total.LostValue, mine.Total.RateByCount));
        Assert.Equal([x.B, x.D], (await Deals(x.Rep.Client, Span)).Select(d => d.Id));
        Assert.Equal([(x.Price.Id, 1)], mine.LostReasons.Where(r => r.Count > 0).Select(r => (r.Id!.Value, r.Count)));

        // The admin's own figures, and one owner's.
        var admin = await Report(client, $"{Span}&mine=true");
        Assert.Equal((2, 40_000m, 1, 12_000m), (admin.Total.WonCount, admin.Total.WonValue, admin.Total.LostCount, admin.Total.LostValue));
        Assert.Equal(35_000m, (await Report(client, $"{Span}&ownerId={x.Rep.Id}")).Total.WonValue);
    }

    [Fact]
    public async Task The_files_have_the_rows_and_the_reasons_and_bad_input_is_a_problem()
    {
        var x = await ArrangeAsync("Kazanma Dosya A.Ş.");
        var client = x.Org.Admin.Client;

        var csv = await client.GetAsync($"/api/v1/reports/win-rate?{Span}&format=csv", Ct);
        await csv.EnsureSuccessAsync();
        Assert.Equal(("text/csv", "win-rate.csv"), (csv.Content.Headers.ContentType!.MediaType, csv.Content.Headers.ContentDisposition!.FileName));
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync(Ct))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Dönem,Kazanılan (fırsat),Kazanılan tutar (TRY),Kaybedilen (fırsat),Kaybedilen tutar (TRY),Adede göre oran (%),Tutara göre oran (%)", lines[0]);
        Assert.Equal(["2025-01,1,10000.00,1,8000.00,50.00,55.56", "2025-02,2,65000.00,1,12000.00,66.67,84.42", "2025-03,0,0.00,0,0.00,,", "Tümü,3,75000.00,2,20000.00,60.00,78.95"], lines[1..]);

        var reasons = await client.GetStringAsync($"/api/v1/reports/win-rate?{Span}&format=csv&table=reasons", Ct);
        Assert.Contains($"{x.Rival.Name},1,12000.00\r\n{x.Price.Name},1,8000.00\r\n", reasons, StringComparison.Ordinal);
        var sources = await client.GetStringAsync($"/api/v1/reports/win-rate?{Span}&format=csv&by=source", Ct);
        Assert.Contains("(kaynak yok),1,35000.00,1,12000.00,50.00,74.47", sources, StringComparison.Ordinal);
        var xlsx = await client.GetAsync($"/api/v1/reports/win-rate?{Span}&format=xlsx", Ct);
        await xlsx.EnsureSuccessAsync();
        Assert.Equal("PK", Encoding.ASCII.GetString((await xlsx.Content.ReadAsByteArrayAsync(Ct))[..2]));

        foreach (var bad in new[] { "period=week", "count=0", "count=25", "by=stage", "by=0", "from=yesterday", "asOf=dün", "format=pdf", "table=owners" })
        {
            var problem = await (await client.GetAsync($"/api/v1/reports/win-rate?{bad}", Ct)).ProblemAsync(400);
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
        }

        foreach (var bad in new[] { "outcome=draw", "by=owner&key=someone", "key=2025-13-01", "by=week&key=x", "count=99" })
        {
            await (await client.GetAsync($"/api/v1/reports/win-rate/deals?{bad}", Ct)).ProblemAsync(400);
        }
    }

    [Fact]
    public async Task Without_a_from_day_the_span_ends_with_this_period()
    {
        var org = await factory.CreateOrganizationAsync("Kazanma Varsayılan A.Ş.");
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1);

        var report = await Report(org.Admin.Client, "");
        Assert.Equal((month.AddMonths(-5), month.AddMonths(1).AddDays(-1), 6), (report.From, report.To, report.Rows.Count));
        Assert.All(report.Rows, r => Assert.Null(r.RateByCount));
        var quarters = await Report(org.Admin.Client, "period=quarter&asOf=2025-05-20T12:00:00Z");
        Assert.Equal(["2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"], quarters.Rows.Select(r => r.Name));
    }

    private static async Task<Guid> DealAsync(TestOrganization org, Guid account, string title, decimal amount, Guid ownerId, string? source, string currency = "TRY", decimal? rate = null)
    {
        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/opportunities", new
        {
            title,
            accountId = account,
            expectedAmount = amount,
            currency,
            exchangeRate = rate,
            expectedCloseDate = "2025-02-28",
            ownerId,
            source,
        }, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<RefDto>(Ct))!.Id;
    }

    private static async Task WinAsync(TestOrganization org, Guid deal, string on) =>
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/opportunities/{deal}", "won", new { closedOn = on })).EnsureSuccessAsync();

    private static async Task LoseAsync(TestOrganization org, Guid deal, Guid reason, string on) =>
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/opportunities/{deal}", "lost", new { lostReasonId = reason, closedOn = on })).EnsureSuccessAsync();

    private static async Task<ReportDto> Report(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/win-rate?{query}", Ct))!;

    private static async Task<List<DealDto>> Deals(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/win-rate/deals?{query}", Ct))!;
}
