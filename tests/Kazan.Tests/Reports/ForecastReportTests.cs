using System.Globalization;
using System.Net.Http.Json;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Reports;

/// <summary>The forecast by close month and quarter: won by closed date, open by expected close date and category.</summary>
public sealed class ForecastReportTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record CellDto(int Count, decimal Total, decimal Weighted);

    private sealed record RowDto(string Period, CellDto Won, CellDto Commit, CellDto BestCaseDeals, CellDto Pipeline, CellDto Omitted,
        decimal Committed, decimal BestCase, decimal Open, decimal Weighted);

    private sealed record DealDto(Guid Id, string Title, decimal Total, decimal Weighted, DateOnly Day);

    private sealed record ReportDto(string BaseCurrency, string Period, List<RowDto> Rows, RowDto Total);

    [Fact]
    public async Task Won_deals_count_in_their_closing_month_and_open_ones_in_their_expected_month_by_category()
    {
        var org = await factory.CreateOrganizationAsync("Tahmin Raporu A.Ş.");
        var account = await factory.AccountAsync(org, "Gelecek Ltd.");
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var month = new DateOnly(today.Year, today.Month, 1);
        var a = await factory.OpportunityAsync(org, account, "Bu ay açık", 10_000m, closeOn: today);
        var b = await factory.OpportunityAsync(org, account, "Gelecek ay kesin", 20_000m, closeOn: month.AddMonths(1).AddDays(9));
        var c = await factory.OpportunityAsync(org, account, "Bu ay kazanılan", 5_000m, closeOn: today);
        var d = await factory.OpportunityAsync(org, account, "Dışarıda", 7_000m, closeOn: month.AddMonths(2));
        await (await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/opportunities/{b}/forecast-category", new { forecastCategory = "Commit" },
            (await org.Admin.Client.GetAsync($"/api/v1/opportunities/{b}", Ct)).Headers.ETag!.ToString())).EnsureSuccessAsync();
        await (await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/opportunities/{d}/forecast-category", new { forecastCategory = "Omitted" },
            (await org.Admin.Client.GetAsync($"/api/v1/opportunities/{d}", Ct)).Headers.ETag!.ToString())).EnsureSuccessAsync();
        var beforeWin = DateTimeOffset.UtcNow;
        await Task.Delay(20, Ct);
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/opportunities/{c}", "won", new { })).EnsureSuccessAsync();

        var from = $"from={Iso(month)}&count=3";
        var report = (await org.Admin.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/forecast?{from}", Ct))!;
        Assert.Equal([Ym(month), Ym(month.AddMonths(1)), Ym(month.AddMonths(2))], report.Rows.Select(r => r.Period));
        var (now, next, later) = (report.Rows[0], report.Rows[1], report.Rows[2]);
        Assert.Equal((1, 5_000m), (now.Won.Count, now.Won.Total));
        Assert.Equal((1, 10_000m, 1_000m), (now.Pipeline.Count, now.Pipeline.Total, now.Pipeline.Weighted)); // the first stage: 10 %
        Assert.Equal((5_000m, 5_000m, 6_000m), (now.Committed, now.BestCase, now.Weighted));
        Assert.Equal((20_000m, 20_000m, 2_000m), (next.Commit.Total, next.Committed, next.Weighted));
        Assert.Equal((7_000m, 0m, 0m), (later.Omitted.Total, later.Open, later.Weighted)); // omitted: shown, not forecast
        Assert.Equal((25_000m, 8_000m), (report.Total.Committed, report.Total.Weighted));

        // Before the win, the deal was open in its month.
        var past = (await org.Admin.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/forecast?{from}&asOf={Uri.EscapeDataString(beforeWin.ToString("O"))}", Ct))!;
        Assert.Equal((0, 2, 15_000m), (past.Rows[0].Won.Count, past.Rows[0].Pipeline.Count, past.Rows[0].Pipeline.Total));

        var quarter = (await org.Admin.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/forecast?period=quarter&from={Iso(today)}&count=1", Ct))!;
        Assert.Equal($"{today.Year}-Q{((today.Month - 1) / 3) + 1}", Assert.Single(quarter.Rows).Period);
        Assert.Equal(5_000m, quarter.Rows[0].Won.Total);

        var csv = await org.Admin.Client.GetStringAsync($"/api/v1/reports/forecast?{from}&format=csv", Ct);
        Assert.Contains($"{Ym(month)},5000.00,0.00,0.00,10000.00,0.00,5000.00,5000.00,6000.00", csv, StringComparison.Ordinal);

        // Each cell opens exactly the deals it counts, largest first.
        var wonDeals = (await org.Admin.Client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/forecast/deals?from={Iso(month)}&column=won", Ct))!;
        Assert.Equal([(c, 5_000m, today)], wonDeals.Select(x => (x.Id, x.Total, x.Day)));
        var pipelineDeals = (await org.Admin.Client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/forecast/deals?from={Iso(today)}&column=pipeline", Ct))!;
        Assert.Equal([(a, 10_000m, 1_000m)], pipelineDeals.Select(x => (x.Id, x.Total, x.Weighted)));
        var commitNext = (await org.Admin.Client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/forecast/deals?from={Iso(month.AddMonths(1))}&column=Commit", Ct))!;
        Assert.Equal([b], commitNext.Select(x => x.Id));
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/forecast/deals?from={Iso(month)}&column=commit", Ct))!);
        var omittedQuarter = (await org.Admin.Client.GetFromJsonAsync<List<DealDto>>(
            $"/api/v1/reports/forecast/deals?period=quarter&from={Iso(month.AddMonths(2))}&column=omitted", Ct))!;
        Assert.Equal([d], omittedQuarter.Select(x => x.Id));
        var pastWon = (await org.Admin.Client.GetFromJsonAsync<List<DealDto>>(
            $"/api/v1/reports/forecast/deals?from={Iso(month)}&column=won&asOf={Uri.EscapeDataString(beforeWin.ToString("O"))}", Ct))!;
        Assert.Empty(pastWon); // before the win it was not won yet
        foreach (var bad in new[] { "column=lost", "column=1", "", "column=won&period=week", "column=won&from=dün" })
        {
            await (await org.Admin.Client.GetAsync($"/api/v1/reports/forecast/deals?{bad}", Ct)).ProblemAsync(400);
        }

        foreach (var bad in new[] { "period=week", "period=1", "period=Month,Quarter", "count=0", "count=25", "from=yesterday", "format=pdf" })
        {
            await (await org.Admin.Client.GetAsync($"/api/v1/reports/forecast?{bad}", Ct)).ProblemAsync(400);
        }

        _ = a;
    }

    [Fact]
    public async Task Slipped_deals_are_found_through_the_history_index_by_status_and_close_date_not_a_pass_over_the_history()
    {
        // At a million deals the history holds millions of events: "open and expected in this month when it began" must
        // be one index range (read from the index alone), or the home page waits seconds for its slipped deals.
        var org = await factory.CreateOrganizationAsync("Kayan Plan A.Ş.");
        var deal = await factory.OpportunityAsync(org, await factory.AccountAsync(org, "Kayan Ltd."));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var month = new DateOnly(2026, 3, 1);
            if (KazanFactory.UsePostgres)
            {
                // PostgreSQL weighs indexes by the tables' statistics: give it 2,000 deals (copies of this one) with five
                // events each, spread over five years of close dates and moments, so that it chooses as it does at scale.
                await db.Database.ExecuteSqlAsync($"""
                    CREATE TEMP TABLE copies AS SELECT gen_random_uuid() AS "Id", i FROM generate_series(1, 2000) i;
                    INSERT INTO "Opportunities" SELECT (jsonb_populate_record(o, jsonb_build_object('Id', c."Id", 'ExpectedCloseDate', DATE '2024-01-01' + (c.i % 1800)))).*
                    FROM "Opportunities" o, copies c WHERE o."Id" = {deal};
                    INSERT INTO "OpportunityEvents"
                    SELECT (jsonb_populate_record(e, jsonb_build_object('Id', gen_random_uuid(), 'OpportunityId', c."Id", 'Sequence', k,
                        'At', e."At" - make_interval(days => c.i % 900, hours => k), 'ExpectedCloseDate', DATE '2024-01-01' + ((c.i + 30 * k) % 1800)))).*
                    FROM "OpportunityEvents" e, copies c, generate_series(1, 5) k WHERE e."OpportunityId" = {deal};
                    """, Ct);
                await db.Database.ExecuteSqlRawAsync("ANALYZE \"Opportunities\"", Ct);
                await db.Database.ExecuteSqlRawAsync("ANALYZE \"OpportunityEvents\"", Ct);
            }

            var plan = await QueryPlans.ExplainAsync(db, Kazan.Features.Reports.ForecastReports.Slipped(db, new(null, null, null, null), month, month.AddMonths(1)), Ct);
            var index = Kazan.Features.Opportunities.OpportunityEventConfiguration.OpenByCloseDateIndex;
            if (KazanFactory.UsePostgres)
            {
                Assert.Contains(plan, line => line.Contains(index, StringComparison.Ordinal));
                Assert.DoesNotContain(plan, line => line.Contains("Seq Scan on \"OpportunityEvents\"", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains(plan, line => line.Contains($"USING COVERING INDEX {index} (OrganizationId=? AND Status=? AND ExpectedCloseDate>? AND ExpectedCloseDate<?)", StringComparison.Ordinal));
                Assert.DoesNotContain(plan, line => line.StartsWith("SCAN", StringComparison.Ordinal));
            }
        }
    }

    private static string Ym(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private static string Iso(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
