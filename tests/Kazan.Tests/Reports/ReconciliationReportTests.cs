using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Users;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;

namespace Kazan.Tests.Reports;

/// <summary>
/// The amounts reconciliation through the API, on figures worked out by hand: six deals of two owners in January and
/// February 2025 (quotes accepted, rejected, revised and still open; orders partly delivered, one cancelled; a deal in
/// euros at 35,1234), one deal in April outside the span; rows, totals, drill-downs, a rep's view, files, bad input.
/// </summary>
public sealed class ReconciliationReportTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Span = "from=2025-01-01&count=3";

    private sealed record RowDto(
        Guid? OwnerId, string OwnerName, string? Month, int Deals, decimal Expected, decimal Quoted, decimal Ordered, decimal Delivered,
        int QuotedNotOrderedDeals, decimal QuotedNotOrdered, int OrderedNotDeliveredDeals, decimal OrderedNotDelivered, decimal Backlog,
        int QuotesAccepted, int QuotesDecided, decimal? AcceptanceRate)
    {
        public (int, decimal, decimal, decimal, decimal) Amounts => (Deals, Expected, Quoted, Ordered, Delivered);

        public (int, decimal, int, decimal, decimal, int, int, decimal?) Gaps =>
            (QuotedNotOrderedDeals, QuotedNotOrdered, OrderedNotDeliveredDeals, OrderedNotDelivered, Backlog, QuotesAccepted, QuotesDecided, AcceptanceRate);
    }

    private sealed record ReportDto(string BaseCurrency, DateOnly From, DateOnly To, List<string> Months, List<RowDto> Rows, List<RowDto> Owners, List<RowDto> MonthTotals, RowDto Total);

    private sealed record DealDto(
        Guid Id, string Title, string Status, Guid OwnerId, string OwnerName, string Month, string Currency, decimal Expected, decimal? Quoted, decimal? Ordered,
        decimal? Delivered, decimal Backlog, int QuotesAccepted, int QuotesDecided);

    private sealed record RefDto(Guid Id, string Name);

    private sealed record Arranged(TestOrganization Org, TestUser Rep, Guid A1, Guid A2, Guid A3, Guid R1, Guid R2, Guid R3, Guid Outside);

    /// <summary>
    /// The admin's deals. A1 (expects 10 000, January): quote 2 × 6 000 accepted, ordered on 15 January (won), one of the
    /// two delivered. A2 (8 000, January): quote of 9 000 rejected, a new draft of 7 500 becomes the primary one, lost on
    /// 25 January. A3 (1 000,50 EUR at 35,1234 = 35 140,96 TL): quote 1 200,25 EUR sent, revised, the revision accepted and
    /// ordered on 12 February (won, 42 156,86 TL), nothing delivered.
    /// The rep's deals. R1 (20 000, February): order of 15 000 on 5 February (won) later cancelled, order of 2 × 2 000 on
    /// 6 February with one delivered. R2 (5 000, open, 31 January): nothing else. R3 (3 000, open, 15 January): quote
    /// 2 × 1 250 sent, still open. Outside (99 000, open, April).
    /// </summary>
    private async Task<Arranged> ArrangeAsync(string name)
    {
        var org = await factory.CreateOrganizationAsync(name);
        var admin = org.Admin.Client;
        var rep = await org.AddUserAsync(UserRole.Rep, "Deniz Rep");
        var account = await factory.AccountAsync(org, "Mutabakat Makina Ltd.", ownerId: rep.Id);
        var reasons = (await admin.GetFromJsonAsync<List<RefDto>>("/api/v1/lost-reasons", Ct))!;

        var a1 = await DealAsync(admin, account, "A1 Kompresör", 10_000m, org.Admin.Id, "2025-01-31");
        var q1 = await OrderTestData.AcceptedQuoteAsync(admin, account, a1, OrderTestData.Line("Kompresör", 2, 6_000m));
        var o1 = await admin.PostAsJsonAsync("/api/v1/orders", new { quoteId = q1.Id, orderDate = "2025-01-15" }, Ct).OkAsync<OrderDto>();
        await (await OrderTestData.DeliverAsync(admin, o1.Id, (o1.Lines[0].Id, 1m))).EnsureSuccessAsync();

        var a2 = await DealAsync(admin, account, "A2 Yedek parça", 8_000m, org.Admin.Id, "2025-01-20");
        var q2 = await OrderTestData.QuoteAsync(admin, account, a2, OrderTestData.Line("Yedek parça", 1, 9_000m));
        await admin.PostWithEtagAsync($"/api/v1/quotes/{q2.Id}", "send").OkAsync<OrderTestData.QuoteDto>();
        await admin.PostWithEtagAsync($"/api/v1/quotes/{q2.Id}", "reject").OkAsync<OrderTestData.QuoteDto>();
        var draft = await OrderTestData.QuoteAsync(admin, account, a2, OrderTestData.Line("Yedek parça", 1, 7_500m));
        Assert.True(draft.IsPrimary);
        await (await admin.PostWithEtagAsync($"/api/v1/opportunities/{a2}", "lost", new { lostReasonId = reasons[0].Id, closedOn = "2025-01-25" })).EnsureSuccessAsync();

        var a3 = await DealAsync(admin, account, "A3 Servis", 1_000.50m, org.Admin.Id, "2025-02-28", "EUR", 35.1234m);
        var q3 = await admin.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            opportunityId = a3,
            currency = "EUR",
            exchangeRate = 35.1234m,
            lines = new[] { OrderTestData.Line("Servis", 1, 1_200.25m) },
        }, Ct).OkAsync<OrderTestData.QuoteDto>();
        await admin.PostWithEtagAsync($"/api/v1/quotes/{q3.Id}", "send").OkAsync<OrderTestData.QuoteDto>();
        var r3 = await admin.PostWithEtagAsync($"/api/v1/quotes/{q3.Id}", "revise").OkAsync<OrderTestData.QuoteDto>();
        await admin.PostWithEtagAsync($"/api/v1/quotes/{r3.Id}", "send").OkAsync<OrderTestData.QuoteDto>();
        await admin.PostWithEtagAsync($"/api/v1/quotes/{r3.Id}", "accept").OkAsync<OrderTestData.QuoteDto>();
        await admin.PostAsJsonAsync("/api/v1/orders", new { quoteId = r3.Id, orderDate = "2025-02-12" }, Ct).OkAsync<OrderDto>();

        var deal1 = await DealAsync(admin, account, "R1 Pompa", 20_000m, rep.Id, "2025-02-10");
        var cancelled = await admin.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = account,
            opportunityId = deal1,
            currency = "TRY",
            orderDate = "2025-02-05",
            lines = new[] { OrderTestData.Line("Pompa", 1, 15_000m) },
        }, Ct).OkAsync<OrderDto>();
        var kept = await admin.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = account,
            opportunityId = deal1,
            currency = "TRY",
            orderDate = "2025-02-06",
            lines = new[] { OrderTestData.Line("Küçük pompa", 2, 2_000m) },
        }, Ct).OkAsync<OrderDto>();
        await (await admin.PostWithEtagAsync($"/api/v1/orders/{cancelled.Id}", "cancel", new { reason = "Müşteri vazgeçti", reopenOpportunity = false })).EnsureSuccessAsync();
        await (await OrderTestData.DeliverAsync(admin, kept.Id, (kept.Lines[0].Id, 1m))).EnsureSuccessAsync();

        var deal2 = await DealAsync(admin, account, "R2 Vana", 5_000m, rep.Id, "2025-01-31");
        var deal3 = await DealAsync(admin, account, "R3 Filtre", 3_000m, rep.Id, "2025-01-15");
        var q5 = await OrderTestData.QuoteAsync(admin, account, deal3, OrderTestData.Line("Filtre", 2, 1_250m));
        await admin.PostWithEtagAsync($"/api/v1/quotes/{q5.Id}", "send").OkAsync<OrderTestData.QuoteDto>();
        var outside = await DealAsync(admin, account, "Nisan", 99_000m, rep.Id, "2025-04-10");
        return new Arranged(org, rep, a1, a2, a3, deal1, deal2, deal3, outside);
    }

    [Fact]
    public async Task Each_owner_and_month_reconciles_expected_quoted_ordered_and_delivered_to_the_kurus()
    {
        var x = await ArrangeAsync("Mutabakat A.Ş.");
        var report = await Report(x.Org.Admin.Client, Span);
        var (admin, rep) = (x.Org.Admin.Id, x.Rep.Id);

        Assert.Equal(("TRY", new DateOnly(2025, 1, 1), new DateOnly(2025, 3, 31)), (report.BaseCurrency, report.From, report.To));
        Assert.Equal(["2025-01", "2025-02", "2025-03"], report.Months);
        Assert.Equal([(admin, "2025-01"), (admin, "2025-02"), (rep, "2025-01"), (rep, "2025-02")], report.Rows.Select(r => (r.OwnerId!.Value, r.Month!)));

        // Admin, January: A1 (won 15 Jan) and A2 (lost 25 Jan). Quoted: A1's accepted 12 000 + A2's new draft 7 500 (the
        // rejected 9 000 stopped being primary). Quotes decided: A1 accepted, A2's first rejected; the draft is not decided.
        var (adminJan, adminFeb, repJan, repFeb) = (report.Rows[0], report.Rows[1], report.Rows[2], report.Rows[3]);
        Assert.Equal((2, 18_000m, 19_500m, 12_000m, 6_000m), adminJan.Amounts);
        Assert.Equal((1, 7_500m, 1, 6_000m, 6_000m, 1, 2, (decimal?)0.5m), adminJan.Gaps);
        // Admin, February: A3 in euros, each amount × 35,1234 rounded per deal: 1 000,50 → 35 140,96; 1 200,25 → 42 156,86.
        // The revised quote counts once (its revision was accepted).
        Assert.Equal((1, 35_140.96m, 42_156.86m, 42_156.86m, 0m), adminFeb.Amounts);
        Assert.Equal((0, 0m, 1, 42_156.86m, 42_156.86m, 1, 1, (decimal?)1m), adminFeb.Gaps);
        // Rep, January: R2 and R3, open, by their expected close dates; R3's sent quote is quoted and not ordered.
        Assert.Equal((2, 8_000m, 2_500m, 0m, 0m), repJan.Amounts);
        Assert.Equal((1, 2_500m, 0, 0m, 0m, 0, 0, (decimal?)null), repJan.Gaps);
        // Rep, February: R1, the cancelled 15 000 does not count; 4 000 ordered, 2 000 delivered.
        Assert.Equal((1, 20_000m, 0m, 4_000m, 2_000m), repFeb.Amounts);
        Assert.Equal((0, 0m, 1, 2_000m, 2_000m, 0, 0, (decimal?)null), repFeb.Gaps);

        // Per owner (by name: "Admin …" before "Deniz Rep").
        Assert.Equal([admin, rep], report.Owners.Select(o => o.OwnerId!.Value));
        Assert.Equal((3, 53_140.96m, 61_656.86m, 54_156.86m, 6_000m), report.Owners[0].Amounts);
        Assert.Equal((1, 7_500m, 2, 48_156.86m, 48_156.86m, 2, 3, (decimal?)0.6667m), report.Owners[0].Gaps);
        Assert.Equal(("Deniz Rep", (3, 28_000m, 2_500m, 4_000m, 2_000m)), (report.Owners[1].OwnerName, report.Owners[1].Amounts));

        // Per month (March is there, empty), and in all; the April deal is outside the span.
        Assert.Equal([(4, 26_000m, 22_000m, 12_000m, 6_000m), (2, 55_140.96m, 42_156.86m, 46_156.86m, 2_000m), (0, 0m, 0m, 0m, 0m)],
            report.MonthTotals.Select(m => m.Amounts));
        Assert.Equal((2, 10_000m, 1, 6_000m, 6_000m, 1, 2, (decimal?)0.5m), report.MonthTotals[0].Gaps);
        Assert.Equal((0, 0m, 2, 44_156.86m, 44_156.86m, 1, 1, (decimal?)1m), report.MonthTotals[1].Gaps);
        Assert.Equal((6, 81_140.96m, 64_156.86m, 58_156.86m, 8_000m), report.Total.Amounts);
        Assert.Equal((2, 10_000m, 3, 50_156.86m, 50_156.86m, 2, 3, (decimal?)0.6667m), report.Total.Gaps);

        // The backlog is the orders' own figure: the backlog page says the same for this customer.
        var backlog = await x.Org.Admin.Client.GetStringAsync("/api/v1/orders/backlog", Ct);
        Assert.Contains("50156.86", backlog, StringComparison.Ordinal);

        // One owner (or the caller's own, mine=true) gives that owner's rows only.
        var repOnly = await Report(x.Org.Admin.Client, $"{Span}&ownerId={rep}");
        Assert.Equal((3, 28_000m, 2_500m, 4_000m, 2_000m), repOnly.Total.Amounts);
        var mine = await Report(x.Org.Admin.Client, $"{Span}&mine=true");
        Assert.Equal((3, 53_140.96m), (mine.Total.Deals, mine.Total.Expected));
    }

    [Fact]
    public async Task The_deals_behind_a_cell_and_a_gap_and_a_rep_sees_only_their_own()
    {
        var x = await ArrangeAsync("Mutabakat Detay A.Ş.");
        var client = x.Org.Admin.Client;

        // Quoted and never ordered: A2 (lost, 7 500) and R3 (open, 2 500), largest first.
        var quoted = await Deals(client, $"{Span}&gap=quoted-not-ordered");
        Assert.Equal([(x.A2, 7_500m), (x.R3, 2_500m)], quoted.Select(d => (d.Id, d.Quoted!.Value)));
        Assert.Equal(("Lost", "2025-01", (decimal?)null), (quoted[0].Status, quoted[0].Month, quoted[0].Ordered));

        // Ordered and not delivered: A3 (42 156,86), A1 (6 000 of 12 000), R1 (2 000 of 4 000).
        var undelivered = await Deals(client, $"{Span}&gap=ordered-not-delivered");
        Assert.Equal([x.A3, x.A1, x.R1], undelivered.Select(d => d.Id));
        var a3 = undelivered[0];
        Assert.Equal(("EUR", 35_140.96m, 42_156.86m, 42_156.86m, 0m, 42_156.86m), (a3.Currency, a3.Expected, a3.Quoted, a3.Ordered, a3.Delivered, a3.Backlog));
        Assert.Equal((12_000m, 6_000m), (undelivered[1].Ordered!.Value, undelivered[1].Delivered!.Value));

        // One owner's month: the rep's January is R2 (expects 5 000) and R3 (quoted 2 500): the most advanced amount, largest first.
        var repJanuary = await Deals(client, $"{Span}&ownerId={x.Rep.Id}&month=2025-01");
        Assert.Equal([x.R2, x.R3], repJanuary.Select(d => d.Id));
        Assert.Equal(("Deniz Rep", 5_000m, (decimal?)null, (decimal?)null), (repJanuary[0].OwnerName, repJanuary[0].Expected, repJanuary[0].Quoted, repJanuary[0].Ordered));
        Assert.Equal(6, (await Deals(client, Span)).Count);
        Assert.Equal([x.Outside], (await Deals(client, "month=2025-04")).Select(d => d.Id));

        // The rep sees their own three deals, with every quote and order of them (the admin wrote those).
        var mine = await Report(x.Rep.Client, Span);
        Assert.Equal([x.Rep.Id], mine.Owners.Select(o => o.OwnerId!.Value));
        Assert.Equal((3, 28_000m, 2_500m, 4_000m, 2_000m), mine.Total.Amounts);
        Assert.Equal((1, 2_500m, 1, 2_000m, 2_000m, 0, 0, (decimal?)null), mine.Total.Gaps);
        Assert.Equal([x.R1], (await Deals(x.Rep.Client, $"{Span}&gap=ordered-not-delivered")).Select(d => d.Id));
        Assert.Empty(await Deals(x.Rep.Client, $"{Span}&ownerId={x.Org.Admin.Id}"));
    }

    [Fact]
    public async Task The_files_carry_the_table_and_bad_input_is_a_problem()
    {
        var x = await ArrangeAsync("Mutabakat Dosya A.Ş.");
        var client = x.Org.Admin.Client;

        var csv = await client.GetAsync($"/api/v1/reports/reconciliation?{Span}&format=csv", Ct);
        await csv.EnsureSuccessAsync();
        Assert.Equal(("text/csv", "reconciliation.csv"), (csv.Content.Headers.ContentType!.MediaType, csv.Content.Headers.ContentDisposition!.FileName));
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync(Ct))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Sahibi,Ay,Fırsat,Beklenen (TRY),Teklif edilen (TRY),Sipariş edilen (TRY),Teslim edilen (TRY),Teklif edilip sipariş edilmeyen (TRY)," +
            "Sipariş edilip teslim edilmeyen (TRY),Teslimat bekleyen (TRY),Kabul edilen teklif,Sonuçlanan teklif,Teklif kabul oranı (%)", lines[0]);
        var adminName = "Admin Mutabakat Dosya A.Ş.";
        Assert.Equal(
        [
            $"{adminName},2025-01,2,18000.00,19500.00,12000.00,6000.00,7500.00,6000.00,6000.00,1,2,50.00",
            $"{adminName},2025-02,1,35140.96,42156.86,42156.86,0.00,0.00,42156.86,42156.86,1,1,100.00",
            $"{adminName},Tümü,3,53140.96,61656.86,54156.86,6000.00,7500.00,48156.86,48156.86,2,3,66.67",
            "Deniz Rep,2025-01,2,8000.00,2500.00,0.00,0.00,2500.00,0.00,0.00,0,0,",
            "Deniz Rep,2025-02,1,20000.00,0.00,4000.00,2000.00,0.00,2000.00,2000.00,0,0,",
            "Deniz Rep,Tümü,3,28000.00,2500.00,4000.00,2000.00,2500.00,2000.00,2000.00,0,0,",
            "Tümü,2025-01,4,26000.00,22000.00,12000.00,6000.00,10000.00,6000.00,6000.00,1,2,50.00",
            "Tümü,2025-02,2,55140.96,42156.86,46156.86,2000.00,0.00,44156.86,44156.86,1,1,100.00",
            "Tümü,2025-03,0,0.00,0.00,0.00,0.00,0.00,0.00,0.00,0,0,",
            "Tümü,Tümü,6,81140.96,64156.86,58156.86,8000.00,10000.00,50156.86,50156.86,2,3,66.67",
        ], lines[1..]);
        var xlsx = await client.GetAsync($"/api/v1/reports/reconciliation?{Span}&format=xlsx", Ct);
        await xlsx.EnsureSuccessAsync();
        Assert.Equal("PK", Encoding.ASCII.GetString((await xlsx.Content.ReadAsByteArrayAsync(Ct))[..2]));

        foreach (var (bad, field) in new[]
        {
            ("format=pdf", "format"), ("count=0", "count"), ("count=25", "count"), ($"ownerId={Guid.NewGuid()}", "ownerId"), ($"teamId={Guid.NewGuid()}", "teamId"),
            ($"pipelineId={Guid.NewGuid()}", "pipelineId"),
        })
        {
            var problem = await (await client.GetAsync($"/api/v1/reports/reconciliation?{bad}", Ct)).ProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{bad}: {problem}");
        }

        // Values that do not even read as a day or an id are refused before the report runs, as on every report.
        foreach (var bad in new[] { "from=dün", "ownerId=biri", "count=altı" })
        {
            await (await client.GetAsync($"/api/v1/reports/reconciliation?{bad}", Ct)).ProblemAsync(400);
        }

        foreach (var (bad, field) in new[]
        {
            ("month=2025-13", "month"), ("month=ocak", "month"), ("month=2025-1", "month"), ("gap=lost", "gap"), ($"ownerId={Guid.NewGuid()}", "ownerId"),
            ("count=99", "count"),
        })
        {
            var problem = await (await client.GetAsync($"/api/v1/reports/reconciliation/deals?{bad}", Ct)).ProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{bad}: {problem}");
        }
    }

    [Fact]
    public async Task Without_a_from_day_the_six_months_end_with_this_one()
    {
        var org = await factory.CreateOrganizationAsync("Mutabakat Varsayılan A.Ş.");
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1);

        var report = await Report(org.Admin.Client, "");
        Assert.Equal((month.AddMonths(-5), month.AddMonths(1).AddDays(-1), 6), (report.From, report.To, report.MonthTotals.Count));
        Assert.Empty(report.Rows);
        Assert.Equal((0, 0m, (decimal?)null), (report.Total.Deals, report.Total.Expected, report.Total.AcceptanceRate));
    }

    [Fact]
    public async Task The_api_document_describes_the_amounts_as_the_other_reports_money()
    {
        var org = await factory.CreateOrganizationAsync("Mutabakat Belge A.Ş.");
        using var document = System.Text.Json.JsonDocument.Parse(await org.Admin.Client.GetStringAsync("/openapi/v1.json", Ct));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        string Property(string schema, string name) => schemas.GetProperty(schema).GetProperty("properties").GetProperty(name).GetRawText();

        // Money: a number (or its exact decimal text), the same schema as the win rate's values; counts are integers.
        var money = Property("WinRateRow", "wonValue");
        Assert.Contains("number", money, StringComparison.Ordinal);
        foreach (var (schema, name) in new[] { ("ReconciliationRow", "expected"), ("ReconciliationRow", "backlog"), ("ReconciliationRow", "orderedNotDelivered"), ("ReconciliationDeal", "expected") })
        {
            Assert.Equal(money, Property(schema, name));
        }

        Assert.Contains("int32", Property("ReconciliationRow", "quotesDecided"), StringComparison.Ordinal);
        Assert.True(document.RootElement.GetProperty("paths").TryGetProperty("/api/v1/reports/reconciliation/deals", out _));
    }

    private static async Task<Guid> DealAsync(HttpClient client, Guid account, string title, decimal amount, Guid ownerId, string closeOn, string currency = "TRY", decimal? rate = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/opportunities", new
        {
            title,
            accountId = account,
            expectedAmount = amount,
            currency,
            exchangeRate = rate,
            expectedCloseDate = closeOn,
            ownerId,
        }, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<RefDto>(Ct))!.Id;
    }

    private static async Task<ReportDto> Report(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/reconciliation?{query}", Ct))!;

    private static async Task<List<DealDto>> Deals(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/reconciliation/deals?{query}", Ct))!;
}
