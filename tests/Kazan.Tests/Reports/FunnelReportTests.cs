using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Reports;

// Its own host: the steps set the clock, which every class sharing the host would see.
/// <summary>The funnel through the API: reached (skips and moves back included), conversion, lost per stage, period, visibility, files, bad input.</summary>
public sealed class FunnelReportTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private const string Period = "from=2026-03-15&to=2026-03-31";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record RefDto(Guid Id, string Name);

    private sealed record RowDto(Guid Id, string Name, int Reached, decimal? Conversion, int Lost, int Open);

    private sealed record ReportDto(RefDto Pipeline, DateOnly From, DateOnly To, int Created, int Won, int Lost, int Open, int MovedOut, List<RowDto> Stages);

    private sealed record DealDto(Guid Id, string Title, string OwnerName, string Status);

    [Fact]
    public async Task The_deals_created_in_the_period_count_up_to_the_furthest_stage_they_held_and_the_lost_ones_where_they_dropped_out()
    {
        var org = await factory.CreateOrganizationAsync("Huni A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Ece Rep");
        var account = await factory.AccountAsync(org, "Huni Müşteri Ltd.");
        var steps = new StageSteps(factory, org);
        var s = await steps.StagesAsync(); // Yeni, Görüşme, İhtiyaç analizi, Teklif, Pazarlık
        var dealers = await steps.PipelineAsync("Bayi");
        var d = await steps.StagesAsync(dealers);

        // 23:30 in İstanbul on 14 March: before the period (won, so it would show everywhere); 00:30 on the 15th: in it.
        var before = await steps.CreateAsync(account, "Önceki", 1_000m, new DateTimeOffset(2026, 3, 14, 20, 30, 0, TimeSpan.Zero));
        await steps.WinAsync(before, new DateTimeOffset(2026, 3, 14, 20, 45, 0, TimeSpan.Zero));
        var repDeal = await steps.CreateAsync(account, "Temsilcinin", 2_000m, new DateTimeOffset(2026, 3, 14, 21, 30, 0, TimeSpan.Zero), ownerId: rep.Id);

        var t = new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero);
        DateTimeOffset Next() => t = t.AddHours(1);
        var skippedThenLost = await steps.CreateAsync(account, "Atlayıp kaybedilen", 3_000m, Next());
        await steps.MoveAsync(skippedThenLost, s[2], Next()); // skips Görüşme
        await steps.LoseAsync(skippedThenLost, Next());
        var movedBack = await steps.CreateAsync(account, "Geri dönen", 4_000m, Next());
        await steps.MoveAsync(movedBack, s[3], Next());
        await steps.MoveAsync(movedBack, s[1], Next()); // back: still reached Teklif
        var won = await steps.CreateAsync(account, "Kazanılan", 5_000m, Next());
        await steps.MoveAsync(won, s[1], Next());
        await steps.WinAsync(won, Next()); // won from Görüşme: reached every stage
        var lostAtOnce = await steps.CreateAsync(account, "Hemen kaybedilen", 6_000m, Next());
        await steps.LoseAsync(lostAtOnce, Next());
        var reopened = await steps.CreateAsync(account, "Yeniden açılan", 7_000m, Next());
        await steps.WinAsync(reopened, Next());
        await steps.ReopenAsync(reopened, Next()); // once won: reached every stage; open again in Yeni
        var movedOut = await steps.CreateAsync(account, "Bayiye giden", 8_000m, Next());
        await steps.MoveAsync(movedOut, s[1], Next());
        await steps.MoveToPipelineAsync(movedOut, d[1], Next()); // its later stages are another pipeline's
        var dealer = await steps.CreateAsync(account, "Bayi fırsatı", 9_000m, Next(), stageId: d[0]);

        var report = await Report(org.Admin.Client, Period);
        Assert.Equal(s, report.Stages.Select(r => r.Id));
        Assert.Equal((7, 1, 2, 3, 1), (report.Created, report.Won, report.Lost, report.Open, report.MovedOut));
        Assert.Equal([7, 5, 4, 3, 2], report.Stages.Select(r => r.Reached));
        // 5/7, 4/5, 3/4, 2/3, and the last stage to won: both deals ever won of the two that reached it.
        Assert.Equal([71.4m, 80.0m, 75.0m, 66.7m, 100.0m], report.Stages.Select(r => r.Conversion!.Value));
        Assert.Equal([1, 0, 1, 0, 0], report.Stages.Select(r => r.Lost));
        Assert.Equal([2, 1, 0, 0, 0], report.Stages.Select(r => r.Open));

        var reachedProposal = await Deals(org.Admin.Client, $"stageId={s[3]}&{Period}");
        Assert.Equal([reopened, won, movedBack], reachedProposal.Select(x => x.Id)); // largest first
        var reachedContact = await Deals(org.Admin.Client, $"stageId={s[1]}&drill=reached&{Period}");
        Assert.Equal([movedOut, reopened, won, movedBack, skippedThenLost], reachedContact.Select(x => x.Id));
        var lostInNeeds = await Deals(org.Admin.Client, $"stageId={s[2]}&drill=lost&{Period}");
        Assert.Equal([(skippedThenLost, "Lost")], lostInNeeds.Select(x => (x.Id, x.Status)));

        // The dealers' pipeline counts the deal created in it, not the one that moved in.
        var dealers2 = await Report(org.Admin.Client, $"pipelineId={dealers}&{Period}");
        Assert.Equal((1, 1), (dealers2.Created, dealers2.Stages[0].Reached));
        Assert.Equal(0, dealers2.Stages[1].Reached);
        Assert.Null(dealers2.Stages[1].Conversion);
        Assert.Equal([dealer], (await Deals(org.Admin.Client, $"pipelineId={dealers}&stageId={d[0]}&{Period}")).Select(x => x.Id));

        // A period that ends on the 14th has only the deal created before.
        var earlier = await Report(org.Admin.Client, "from=2026-03-01&to=2026-03-14");
        Assert.Equal((1, 1), (earlier.Created, earlier.Won));
        Assert.Equal([1, 1, 1, 1, 1], earlier.Stages.Select(r => r.Reached));

        // A rep sees their own deal; the owner and mine filters narrow the same way.
        var mine = await Report(rep.Client, Period);
        Assert.Equal((1, 1), (mine.Created, mine.Stages[0].Open));
        Assert.Equal([repDeal], (await Deals(rep.Client, $"stageId={s[0]}&{Period}")).Select(x => x.Id));
        Assert.Equal(1, (await Report(org.Admin.Client, $"ownerId={rep.Id}&{Period}")).Created);
        Assert.Equal(6, (await Report(org.Admin.Client, $"mine=true&{Period}")).Created);
    }

    [Fact]
    public async Task The_files_have_the_stage_rows_in_the_users_language_and_bad_input_is_a_problem()
    {
        var org = await factory.CreateOrganizationAsync("Huni Dosya A.Ş.");
        var account = await factory.AccountAsync(org, "Dosya Ltd.");
        var steps = new StageSteps(factory, org);
        var s = await steps.StagesAsync();
        var a = await steps.CreateAsync(account, "Bir", 1_000m, new DateTimeOffset(2026, 3, 20, 9, 0, 0, TimeSpan.Zero));
        await steps.CreateAsync(account, "İki", 1_000m, new DateTimeOffset(2026, 3, 20, 10, 0, 0, TimeSpan.Zero));
        await steps.MoveAsync(a, s[1], new DateTimeOffset(2026, 3, 20, 11, 0, 0, TimeSpan.Zero));

        var csv = await org.Admin.Client.GetAsync($"/api/v1/reports/funnel?format=csv&{Period}", Ct);
        await csv.EnsureSuccessAsync();
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync(Ct))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Aşama,Ulaşan,Dönüşüm (%),Kaybedilen,Şu an açık", lines[0]);
        Assert.Equal(["Yeni,2,50.0,0,1", "Görüşme,1,0.0,0,1", "İhtiyaç analizi,0,,0,0"], lines[1..4]);

        var xlsx = await org.Admin.Client.GetAsync($"/api/v1/reports/funnel?format=xlsx&{Period}", Ct);
        await xlsx.EnsureSuccessAsync();
        using var sheet = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct));
        var rows = MiniExcelLibs.MiniExcel.Query(sheet, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(2, Convert.ToInt32(rows[0]["Ulaşan"], System.Globalization.CultureInfo.InvariantCulture));

        (await (await org.Admin.Client.GetAsync("/api/v1/reports/funnel?from=2026-04-01&to=2026-03-01", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("from");
        (await (await org.Admin.Client.GetAsync("/api/v1/reports/funnel?from=2020-01-01&to=2026-03-01", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("to");
        (await (await org.Admin.Client.GetAsync("/api/v1/reports/funnel?format=pdf", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("format");
        await (await org.Admin.Client.GetAsync("/api/v1/reports/funnel?from=yesterday", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync($"/api/v1/reports/funnel?pipelineId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
        (await (await org.Admin.Client.GetAsync($"/api/v1/reports/funnel/deals?stageId={s[0]}&drill=won", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("drill");
        await (await org.Admin.Client.GetAsync("/api/v1/reports/funnel/deals", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync($"/api/v1/reports/funnel/deals?stageId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
        await (await factory.CreateClient().GetAsync("/api/v1/reports/funnel", Ct)).ProblemAsync(401);
    }

    private static async Task<ReportDto> Report(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<ReportDto>("/api/v1/reports/funnel?" + query, Ct))!;

    private static async Task<List<DealDto>> Deals(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<List<DealDto>>("/api/v1/reports/funnel/deals?" + query, Ct))!;
}
