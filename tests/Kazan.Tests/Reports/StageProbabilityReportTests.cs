using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Reports;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Reports;

// Its own host: the steps set the clock, which every class sharing the host would see.
/// <summary>
/// Configured vs observed stage probabilities through the API: a hand-worked story of won, lost, moved back, reopened
/// deals; the window; visibility; the drill-down; files; bad input; adopting (admin only, audited, refused on a thin
/// sample); and the forecast weighted by the observed values.
/// </summary>
public sealed class StageProbabilityReportTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private const string April = "from=2026-04-01&to=2026-04-30";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record RefDto(Guid Id, string Name);

    private sealed record RowDto(Guid Id, string Name, int Configured, int? Observed, int Sample, int Won, int? Difference, bool CanAdopt);

    private sealed record ReportDto(RefDto Pipeline, DateOnly From, DateOnly To, int MinSample, int Closed, int Won, List<RowDto> Stages);

    private sealed record DealDto(Guid Id, string Title, string OwnerName, string Status, DateOnly? ClosedOn);

    private sealed record AdoptedDto(Guid Id, string Name, int Was, int Now, int Sample);

    private sealed record AdoptionDto(RefDto Pipeline, DateOnly From, DateOnly To, List<AdoptedDto> Stages);

    private sealed record CellDto(int Count, decimal Total, decimal Weighted);

    private sealed record ForecastRowDto(string Period, CellDto Won, CellDto BestCaseDeals, CellDto Pipeline, decimal Weighted);

    private sealed record ForecastDto(string Probabilities, List<ForecastRowDto> Rows);

    private sealed record DealProbabilityDto(int Probability);

    [Fact]
    public async Task Observed_is_won_over_closed_among_the_deals_that_reached_each_stage_and_an_admin_can_adopt_it()
    {
        var org = await factory.CreateOrganizationAsync("Olasılık A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Ece Rep");
        var account = await factory.AccountAsync(org, "Olasılık Müşteri Ltd.");
        var steps = new StageSteps(factory, org);
        var s = await steps.StagesAsync(); // Yeni 10, Görüşme 20, İhtiyaç analizi 40, Teklif 60, Pazarlık 80
        var empty = await steps.PipelineAsync("Boş"); // Başvuru 20, Sözleşme 80: no deal ever closes here
        var e = await steps.StagesAsync(empty);

        // Won at 23:30 on 31 March in İstanbul: March, outside April. Won at 00:30 on 1 April: inside.
        var march = await steps.CreateAsync(account, "Mart", 1_000m, new DateTimeOffset(2026, 3, 31, 19, 0, 0, TimeSpan.Zero));
        await steps.WinAsync(march, new DateTimeOffset(2026, 3, 31, 20, 30, 0, TimeSpan.Zero));
        var w3 = await steps.CreateAsync(account, "Nisan ilk gün", 3_000m, new DateTimeOffset(2026, 3, 31, 20, 40, 0, TimeSpan.Zero), stageId: s[1]);
        await steps.MoveAsync(w3, s[4], new DateTimeOffset(2026, 3, 31, 21, 0, 0, TimeSpan.Zero));
        await steps.WinAsync(w3, new DateTimeOffset(2026, 3, 31, 21, 30, 0, TimeSpan.Zero));

        var t = new DateTimeOffset(2026, 4, 2, 6, 0, 0, TimeSpan.Zero);
        DateTimeOffset Next() => t = t.AddMinutes(30);
        var w1 = await steps.CreateAsync(account, "Teklifte kazanılan", 9_000m, Next());
        await steps.MoveAsync(w1, s[3], Next());
        await steps.WinAsync(w1, Next());
        var w2 = await steps.CreateAsync(account, "Hemen kazanılan", 2_000m, Next());
        await steps.WinAsync(w2, Next()); // won from Yeni: reached every stage
        var l1 = await steps.CreateAsync(account, "Yenide kaybedilen", 1_500m, Next());
        await steps.LoseAsync(l1, Next());
        var l2 = await steps.CreateAsync(account, "Analizde kaybedilen", 2_500m, Next());
        await steps.MoveAsync(l2, s[2], Next()); // skips Görüşme
        await steps.LoseAsync(l2, Next());
        var l3 = await steps.CreateAsync(account, "Geri dönüp kaybedilen", 3_500m, Next());
        await steps.MoveAsync(l3, s[3], Next());
        await steps.MoveAsync(l3, s[1], Next()); // back: Teklif stays reached
        await steps.LoseAsync(l3, Next());
        var l4 = await steps.CreateAsync(account, "Pazarlıkta kaybedilen", 4_500m, Next());
        await steps.MoveAsync(l4, s[4], Next());
        await steps.LoseAsync(l4, Next());
        var reopenedLost = await steps.CreateAsync(account, "Kazanılıp kaybedilen", 5_500m, Next());
        await steps.WinAsync(reopenedLost, Next());
        await steps.ReopenAsync(reopenedLost, Next());
        await steps.LoseAsync(reopenedLost, Next()); // lost now, once won here: reached every stage
        var reopenedOpen = await steps.CreateAsync(account, "Yeniden açık", 10_000m, Next());
        await steps.WinAsync(reopenedOpen, Next());
        await steps.ReopenAsync(reopenedOpen, Next()); // open again (in Yeni, 10 %): not in any sample
        var open = await steps.CreateAsync(account, "Teklifte açık", 20_000m, Next());
        await steps.MoveAsync(open, s[3], Next()); // 60 %
        var repLost = await steps.CreateAsync(account, "Temsilcinin", 800m, Next(), ownerId: rep.Id);
        await steps.LoseAsync(repLost, Next());
        var elsewhere = await steps.CreateAsync(account, "Boş süreçte açık", 5_000m, Next(), stageId: e[0]); // 20 %, stays open

        // Won W1, W2, W3; lost with furthest Yeni (l1, repLost), İhtiyaç (l2), Teklif (l3), Pazarlık (l4), beyond (reopenedLost).
        var report = await Report(org.Admin.Client, April);
        Assert.Equal(s, report.Stages.Select(r => r.Id));
        Assert.Equal((9, 3, 5), (report.Closed, report.Won, report.MinSample));
        Assert.Equal([9, 7, 7, 6, 5], report.Stages.Select(r => r.Sample));
        Assert.Equal([3, 3, 3, 3, 3], report.Stages.Select(r => r.Won));
        Assert.Equal([10, 20, 40, 60, 80], report.Stages.Select(r => r.Configured));
        // 3/9 = 33.3, 3/7 = 42.9, 3/6 = 50, 3/5 = 60: whole percents.
        Assert.Equal([33, 43, 43, 50, 60], report.Stages.Select(r => r.Observed!.Value));
        Assert.Equal([23, 23, 3, -10, -20], report.Stages.Select(r => r.Difference!.Value));
        Assert.True(report.Stages.All(r => r.CanAdopt));

        // The window: March and April together count the deal won on 31 March too.
        var spring = await Report(org.Admin.Client, "from=2026-03-01&to=2026-04-30");
        Assert.Equal((10, 4), (spring.Closed, spring.Won));
        Assert.Equal([40, 50, 50, 57, 67], spring.Stages.Select(r => r.Observed!.Value)); // 4/10, 4/8, 4/8, 4/7, 4/6
        var firstDay = await Report(org.Admin.Client, "from=2026-04-01&to=2026-04-01");
        Assert.Equal((1, 1), (firstDay.Closed, firstDay.Won));
        // The default window: the 12 months up to the organization's today.
        factory.Clock.Now = new DateTimeOffset(2026, 4, 20, 9, 0, 0, TimeSpan.Zero);
        var lastYear = await Report(org.Admin.Client, "");
        Assert.Equal((new DateOnly(2025, 4, 20), new DateOnly(2026, 4, 20), 10), (lastYear.From, lastYear.To, lastYear.Closed));

        // The sample behind Teklif: the won deals and the lost ones that had reached it, largest first.
        var proposal = await Deals(org.Admin.Client, $"stageId={s[3]}&{April}");
        Assert.Equal([w1, reopenedLost, l4, l3, w3, w2], proposal.Select(x => x.Id));
        Assert.Equal(new DateOnly(2026, 4, 1), proposal.Single(x => x.Id == w3).ClosedOn);

        // A rep sees only their own deal; the owner filter narrows the same way.
        var mine = await Report(rep.Client, April);
        Assert.Equal((1, 0), (mine.Closed, mine.Won));
        Assert.Equal([1, 0, 0, 0, 0], mine.Stages.Select(r => r.Sample));
        Assert.Equal(0, mine.Stages[0].Observed);
        Assert.Null(mine.Stages[1].Observed);
        Assert.Null(mine.Stages[1].Difference);
        Assert.Equal([repLost], (await Deals(rep.Client, $"stageId={s[0]}&{April}")).Select(x => x.Id));
        Assert.Equal([1, 0, 0, 0, 0], (await Report(org.Admin.Client, $"ownerId={rep.Id}&{April}")).Stages.Select(r => r.Sample));
        Assert.Equal(8, (await Report(org.Admin.Client, $"mine=true&{April}")).Closed);

        // The forecast for May (both open deals expect to close on 2 May), weighed by the 12 months up to 20 April:
        // configured 10 % × 10 000 + 60 % × 20 000 + 20 % × 5 000 = 14 000; observed 40 % × 10 000 + 57 % × 20 000 and
        // the empty pipeline's stage (no sample) keeps the deal's own 20 %: 4 000 + 11 400 + 1 000 = 16 400.
        var configured = await Forecast(org.Admin.Client, "from=2026-05-01&count=1");
        Assert.Equal(("Configured", 14_000m), (configured.Probabilities, configured.Rows[0].Weighted));
        var observed = await Forecast(org.Admin.Client, "from=2026-05-01&count=1&probabilities=observed");
        Assert.Equal(("Observed", 16_400m), (observed.Probabilities, observed.Rows[0].Weighted));
        Assert.Equal((4_000m + 1_000m, 11_400m), (observed.Rows[0].Pipeline.Weighted, observed.Rows[0].BestCaseDeals.Weighted));
        Assert.Equal(15_400m, (await Forecast(org.Admin.Client, $"from=2026-05-01&count=1&probabilities=Observed&pipelineId={report.Pipeline.Id}")).Rows[0].Weighted);

        // Adopting: a rep may not; too thin a sample and a stage with none are refused; nothing changes.
        Assert.Equal(403, (int)(await rep.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt", new { stageIds = new[] { s[4] } }, Ct)).StatusCode);
        var thin = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt",
            new { stageIds = new[] { s[4] }, from = "2026-04-01", to = "2026-04-01" }, Ct)).ProblemAsync(400);
        Assert.Equal("stage-probability.sample-too-small", thin.GetProperty("codes").GetProperty("stageIds").GetString());
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt", new { stageIds = new[] { e[0] } }, Ct)).ProblemAsync(400);
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt", new { stageIds = new[] { s[3], e[0] } }, Ct)).ProblemAsync(400);
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt", new { stageIds = Array.Empty<Guid>() }, Ct)).ProblemAsync(400);
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt", new { stageIds = new[] { Guid.NewGuid() } }, Ct)).ProblemAsync(400);
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt",
            new { stageIds = new[] { s[3] }, from = "2026-05-01", to = "2026-04-01" }, Ct)).ProblemAsync(400);
        Assert.Equal([10, 20, 40, 60, 80], (await Report(org.Admin.Client, April)).Stages.Select(r => r.Configured));

        // The admin adopts Teklif and Pazarlık over April: the server's own figures (50 and 60), audited.
        var adopt = await org.Admin.Client.PostAsJsonAsync("/api/v1/reports/stage-probability/adopt", new { stageIds = new[] { s[3], s[4] }, from = "2026-04-01", to = "2026-04-30" }, Ct);
        await adopt.EnsureSuccessAsync();
        var adoption = (await adopt.Content.ReadFromJsonAsync<AdoptionDto>(Ct))!;
        Assert.Equal([(s[3], 60, 50, 6), (s[4], 80, 60, 5)], adoption.Stages.Select(x => (x.Id, x.Was, x.Now, x.Sample)));
        var after = await Report(org.Admin.Client, April);
        Assert.Equal([10, 20, 40, 50, 60], after.Stages.Select(r => r.Configured));
        Assert.Equal([23, 23, 3, 0, 0], after.Stages.Select(r => r.Difference!.Value));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var audit = await db.AuditEntries.Where(a => a.EntityType == "Stage" && a.Action == Kazan.Infrastructure.Auditing.AuditAction.Update
                    && (a.EntityId == s[3].ToString() || a.EntityId == s[4].ToString()))
                .Select(a => new { a.UserId, a.Changes }).ToListAsync(Ct);
            Assert.Equal(2, audit.Count);
            Assert.All(audit, a => Assert.Equal(org.Admin.Id, a.UserId));
            Assert.Contains(audit, a => a.Changes.Contains("\"Probability\":[60,50]", StringComparison.Ordinal));
            Assert.Contains(audit, a => a.Changes.Contains("\"Probability\":[80,60]", StringComparison.Ordinal));
        }

        // The deal already in Teklif keeps its 60 %; a deal entering it now takes 50 %.
        Assert.Equal(60, (await Probability(org.Admin.Client, open)).Probability);
        await steps.MoveAsync(reopenedOpen, s[3], new DateTimeOffset(2026, 4, 20, 10, 0, 0, TimeSpan.Zero));
        Assert.Equal(50, (await Probability(org.Admin.Client, reopenedOpen)).Probability);
    }

    [Fact]
    public void The_observed_value_rounds_half_away_from_zero_to_a_whole_percent()
    {
        Assert.Equal(13, StageProbabilityReports.Observed(1, 8)); // 12.5
        Assert.Equal(38, StageProbabilityReports.Observed(3, 8)); // 37.5
        Assert.Equal(67, StageProbabilityReports.Observed(2, 3));
        Assert.Equal(100, StageProbabilityReports.Observed(4, 4));
        Assert.Null(StageProbabilityReports.Observed(0, 0));
    }

    [Fact]
    public async Task The_files_have_the_stage_rows_in_the_users_language_and_bad_input_is_a_problem()
    {
        var org = await factory.CreateOrganizationAsync("Olasılık Dosya A.Ş.");
        var account = await factory.AccountAsync(org, "Dosya Ltd.");
        var steps = new StageSteps(factory, org);
        var s = await steps.StagesAsync();
        var a = await steps.CreateAsync(account, "Bir", 1_000m, new DateTimeOffset(2026, 4, 10, 9, 0, 0, TimeSpan.Zero));
        await steps.MoveAsync(a, s[1], new DateTimeOffset(2026, 4, 10, 10, 0, 0, TimeSpan.Zero));
        await steps.LoseAsync(a, new DateTimeOffset(2026, 4, 10, 11, 0, 0, TimeSpan.Zero));
        var b = await steps.CreateAsync(account, "İki", 1_000m, new DateTimeOffset(2026, 4, 10, 12, 0, 0, TimeSpan.Zero));
        await steps.WinAsync(b, new DateTimeOffset(2026, 4, 10, 13, 0, 0, TimeSpan.Zero));

        var csv = await org.Admin.Client.GetAsync($"/api/v1/reports/stage-probability?format=csv&{April}", Ct);
        await csv.EnsureSuccessAsync();
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync(Ct))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Aşama,Tanımlı (%),Gözlenen (%),Örneklem,Kazanılan,Fark (pp)", lines[0]);
        Assert.Equal(["Yeni,10,50,2,1,40", "Görüşme,20,50,2,1,30", "İhtiyaç analizi,40,100,1,1,60", "Teklif,60,100,1,1,40", "Pazarlık,80,100,1,1,20"], lines[1..]);

        var xlsx = await org.Admin.Client.GetAsync($"/api/v1/reports/stage-probability?format=xlsx&{April}", Ct);
        await xlsx.EnsureSuccessAsync();
        using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct));
        var rows = MiniExcelLibs.MiniExcel.Query(sheet, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(50, Convert.ToInt32(rows[0]["Gözlenen (%)"], System.Globalization.CultureInfo.InvariantCulture));

        (await (await org.Admin.Client.GetAsync("/api/v1/reports/stage-probability?from=2026-04-01&to=2026-03-01", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("from");
        (await (await org.Admin.Client.GetAsync("/api/v1/reports/stage-probability?from=2020-01-01&to=2026-03-01", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("to");
        (await (await org.Admin.Client.GetAsync("/api/v1/reports/stage-probability?format=pdf", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("format");
        await (await org.Admin.Client.GetAsync("/api/v1/reports/stage-probability?from=yesterday", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync($"/api/v1/reports/stage-probability?pipelineId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.GetAsync("/api/v1/reports/stage-probability/deals", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync($"/api/v1/reports/stage-probability/deals?stageId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
        (await (await org.Admin.Client.GetAsync("/api/v1/reports/forecast?probabilities=guessed", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("probabilities");
        await (await org.Admin.Client.GetAsync("/api/v1/reports/forecast?probabilities=1", Ct)).ProblemAsync(400);
        await (await factory.CreateClient().GetAsync("/api/v1/reports/stage-probability", Ct)).ProblemAsync(401);
    }

    private static async Task<ReportDto> Report(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<ReportDto>("/api/v1/reports/stage-probability?" + query, Ct))!;

    private static async Task<List<DealDto>> Deals(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<List<DealDto>>("/api/v1/reports/stage-probability/deals?" + query, Ct))!;

    private static async Task<ForecastDto> Forecast(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<ForecastDto>("/api/v1/reports/forecast?" + query, Ct))!;

    private static async Task<DealProbabilityDto> Probability(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<DealProbabilityDto>($"/api/v1/opportunities/{id}", Ct))!;
}
