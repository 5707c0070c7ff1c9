using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Reports;

// Its own host: the steps set the clock, which every class sharing the host would see.
/// <summary>The velocity through the API: days in each stage from the deals' history, the won cycle, the sales velocity and its inputs.</summary>
public sealed class VelocityReportTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private const string Period = "from=2026-03-15&to=2026-03-31";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record RefDto(Guid Id, string Name);

    private sealed record RowDto(Guid Id, string Name, int Stays, double? AverageDays, double? MedianDays);

    private sealed record ReportDto(
        RefDto Pipeline, string BaseCurrency, List<RowDto> Stages, int WonDeals, int LostDeals, double? AverageCycleDays, double? MedianCycleDays,
        int OpenDeals, decimal? WinRate, decimal? AverageWon, decimal? Velocity);

    private sealed record StayDto(Guid Id, string Title, Guid StageId, DateTimeOffset Entered, DateTimeOffset Left, double Days);

    private static DateTimeOffset Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Days_in_stage_count_the_stays_that_ended_in_the_period_and_the_velocity_multiplies_its_four_inputs()
    {
        var org = await factory.CreateOrganizationAsync("Hız A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Cem Rep");
        var account = await factory.AccountAsync(org, "Hız Müşteri Ltd.");
        var steps = new StageSteps(factory, org);
        var s = await steps.StagesAsync();

        var early = await steps.CreateAsync(account, "Erken", 40_000m, Utc(3, 10, 9)); // before the period; its first stay ends in it
        var waiting = await steps.CreateAsync(account, "Bekleyen", 5_000m, Utc(3, 12, 9));
        await steps.MoveAsync(early, s[1], Utc(3, 16, 9)); // Yeni: 6 days
        var lost = await steps.CreateAsync(account, "Kaybedilen", 10_000m, Utc(3, 16, 10), ownerId: rep.Id);
        var reopened = await steps.CreateAsync(account, "Yeniden açılan", 15_000m, Utc(3, 16, 11));
        await steps.MoveAsync(lost, s[3], Utc(3, 17, 10)); // Yeni: 1 day (skips to Teklif)
        await steps.MoveAsync(early, s[2], Utc(3, 18, 21)); // Görüşme: 2.5 days
        await steps.WinAsync(reopened, Utc(3, 19, 11)); // Yeni: 3 days
        await steps.WinAsync(early, Utc(3, 20, 9)); // İhtiyaç analizi: 1.5 days; cycle 10 → 20 March: 10 days
        var quick = await steps.CreateAsync(account, "Hızlı", 20_000m, Utc(3, 20, 9));
        await steps.MoveAsync(lost, s[1], Utc(3, 21, 10)); // back from Teklif: 4 days
        await steps.LoseAsync(lost, Utc(3, 22, 10)); // Görüşme: 1 day
        await steps.ReopenAsync(reopened, Utc(3, 23, 11)); // the days won are no stay
        await steps.WinAsync(quick, Utc(3, 24, 20)); // 23:00 in İstanbul: won on the 24th, 4 days; Yeni: 4 days 11 hours
        await steps.MoveAsync(reopened, s[1], Utc(3, 25, 11)); // Yeni again: 2 days
        await steps.MoveAsync(waiting, s[1], Utc(3, 31, 22)); // 01:00 on 1 April in İstanbul: after the period

        var report = await Report(org.Admin.Client, Period);
        Assert.Equal(s, report.Stages.Select(r => r.Id));
        Assert.Equal([5, 2, 1, 1, 0], report.Stages.Select(r => r.Stays));
        // Yeni: 6, 1, 3, 4.4583, 2 days; Görüşme: 2.5 and 1; İhtiyaç analizi: 1.5; Teklif: 4; Pazarlık: none.
        Assert.Equal([3.29, 1.75, 1.5, 4.0, null], report.Stages.Select(r => r.AverageDays));
        Assert.Equal([3.0, 1.75, 1.5, 4.0, null], report.Stages.Select(r => r.MedianDays));
        Assert.Equal((2, 1, 7.0, 7.0), (report.WonDeals, report.LostDeals, report.AverageCycleDays, report.MedianCycleDays));
        // Open now: the reopened and the waiting deal; 2 won of 3 closed; 30 000 won on average; 2 × 2/3 × 30 000 ÷ 7 days.
        Assert.Equal((2, 66.7m, 30_000m, 5_714.29m), (report.OpenDeals, report.WinRate, report.AverageWon, report.Velocity));

        var inNew = await Stays(org.Admin.Client, $"stageId={s[0]}&{Period}");
        Assert.Equal([(early, 6.0), (quick, 4.4583), (reopened, 3.0), (reopened, 2.0), (lost, 1.0)], inNew.Select(x => (x.Id, x.Days)));
        Assert.Equal((Utc(3, 10, 9), Utc(3, 16, 9)), (inNew[0].Entered, inNew[0].Left));

        // One more day in the period: the waiting deal's 19 days 13 hours in Yeni count too.
        var longer = await Report(org.Admin.Client, "from=2026-03-15&to=2026-04-01");
        Assert.Equal(6, longer.Stages[0].Stays);
        Assert.Equal((6.0, 3.73), (longer.Stages[0].AverageDays, longer.Stages[0].MedianDays)); // (36 days) ÷ 6; (3 + 4.4583) ÷ 2

        // The rep sees their own deal: lost, so no win rate to speak of and no velocity.
        var mine = await Report(rep.Client, Period);
        Assert.Equal([1, 1, 0, 1, 0], mine.Stages.Select(r => r.Stays));
        Assert.Equal((0, 1, 0, 0m, (decimal?)null, (decimal?)null), (mine.WonDeals, mine.LostDeals, mine.OpenDeals, mine.WinRate, mine.AverageWon, mine.Velocity));
        Assert.Equal(mine.Stages.Select(r => r.Stays), (await Report(org.Admin.Client, $"ownerId={rep.Id}&{Period}")).Stages.Select(r => r.Stays));
    }

    [Fact]
    public async Task The_files_have_a_row_per_stage_and_the_cycle_and_bad_input_is_a_problem()
    {
        var org = await factory.CreateOrganizationAsync("Hız Dosya A.Ş.");
        var account = await factory.AccountAsync(org, "Dosya Ltd.");
        var steps = new StageSteps(factory, org);
        var s = await steps.StagesAsync();
        var a = await steps.CreateAsync(account, "Bir", 1_000m, Utc(3, 20, 9));
        await steps.MoveAsync(a, s[1], Utc(3, 21, 21));
        await steps.WinAsync(a, Utc(3, 23, 9));

        var csv = await org.Admin.Client.GetAsync($"/api/v1/reports/velocity?format=csv&{Period}", Ct);
        await csv.EnsureSuccessAsync();
        var lines = Encoding.UTF8.GetString((await csv.Content.ReadAsByteArrayAsync(Ct))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Aşama,Kalış,Ortalama gün,Ortanca gün", lines[0]);
        Assert.Equal(["Yeni,1,1.50,1.50", "Görüşme,1,1.50,1.50", "İhtiyaç analizi,0,,"], lines[1..4]);
        Assert.Equal("Açılış → kazanç,1,3.00,3.00", lines[^1]);
        var xlsx = await org.Admin.Client.GetAsync($"/api/v1/reports/velocity?format=xlsx&{Period}", Ct);
        await xlsx.EnsureSuccessAsync();
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);

        (await (await org.Admin.Client.GetAsync("/api/v1/reports/velocity?from=2026-04-01&to=2026-03-01", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("from");
        (await (await org.Admin.Client.GetAsync("/api/v1/reports/velocity?from=2020-01-01&to=2026-03-01", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("to");
        (await (await org.Admin.Client.GetAsync("/api/v1/reports/velocity?format=doc", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("format");
        await (await org.Admin.Client.GetAsync($"/api/v1/reports/velocity?pipelineId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.GetAsync("/api/v1/reports/velocity/deals", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync($"/api/v1/reports/velocity/deals?stageId={Guid.NewGuid()}", Ct)).ProblemAsync(404);
        await (await factory.CreateClient().GetAsync("/api/v1/reports/velocity", Ct)).ProblemAsync(401);
    }

    private static async Task<ReportDto> Report(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<ReportDto>("/api/v1/reports/velocity?" + query, Ct))!;

    private static async Task<List<StayDto>> Stays(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<List<StayDto>>("/api/v1/reports/velocity/deals?" + query, Ct))!;
}
