using System.Globalization;
using Kazan.Features.Reports;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// The stage probability report on the demo company: chart drawn, the table's figures as the report computes them, a
/// download, the drill-down, and the admin's adopt button behind a confirmation — in Turkish on a desktop (adopted) and
/// in English on a phone (cancelled).
/// </summary>
[Collection(DemoCompany.Name)]
public sealed class StageProbabilityJourneyTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop", "Aşama olasılığı", true)]
    [InlineData("en-US", "phone", "Stage probability", false)]
    public async Task The_report_shows_configured_beside_observed_per_stage_drills_down_to_the_sample_and_an_admin_adopts_after_confirming(
        string locale, string viewport, string title, bool adopt)
    {
        var culture = CultureInfo.GetCultureInfo(locale);
        StageProbabilityReport report;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var pipeline = await db.Pipelines.IgnoreQueryFilters().Where(p => p.IsDefault).Select(p => new { p.Id, p.OrganizationId }).FirstAsync(TestContext.Current.CancellationToken);
            var admin = await db.Users.IgnoreQueryFilters().Where(u => u.OrganizationId == pipeline.OrganizationId && u.Role == Kazan.Features.Users.UserRole.Admin)
                .Select(u => u.Id).FirstAsync(TestContext.Current.CancellationToken);
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(pipeline.OrganizationId, admin, Kazan.Features.Users.UserRole.Admin, repsSeeAll: true);
            var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
            report = (await StageProbabilityReports.ReportAsync(db, new ReportFilter(pipeline.Id, null, null, null),
                StageReportPeriod.Read(null, null, today).Period!, TestContext.Current.CancellationToken))!;
        }

        Assert.True(report.Closed > 0, "the demo has deals closed in the last 12 months");
        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/reports/pipeline");
        await page.GetByTestId("report-tab-stage-probability").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("canvas[data-testid=stage-probability-chart][data-drawn=true]")).ToHaveCountAsync(1);
        var rows = page.GetByTestId("stage-probability-row");
        await Assertions.Expect(rows).ToHaveCountAsync(report.Stages.Count);
        // The first stage's sample is every deal closed in the period (each reached the first stage).
        await Assertions.Expect(rows.First.GetByTestId("stage-probability-drill")).ToHaveTextAsync(report.Closed.ToString("N0", culture));
        await BrowserFixture.ScreenshotAsync(page, $"report-stage-probability-{locale}-{viewport}");

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("stage-probability-csv").ClickAsync());
        Assert.Equal("stage-probability.csv", csv.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync(await csv.PathAsync(), TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(report.Stages.Count + 1, lines.Length);
        Assert.Equal(report.Closed.ToString(CultureInfo.InvariantCulture), lines[1].Split(',')[3]);

        // The last stage's sample lists as many deals as it counts.
        var last = rows.Last;
        var sample = int.Parse(await last.GetByTestId("stage-probability-drill").InnerTextAsync(), NumberStyles.AllowThousands, culture);
        await last.GetByTestId("stage-probability-drill").ClickAsync();
        await Assertions.Expect(page.GetByTestId("stage-probability-deal-row")).ToHaveCountAsync(Math.Min(sample, 500));

        // The admin's adopt button asks first; OK sets the stage's probability to the observed value and says so.
        var button = page.GetByTestId("stage-probability-adopt").First;
        await Assertions.Expect(button).ToBeVisibleAsync();
        var row = rows.Filter(new() { Has = page.GetByTestId("stage-probability-adopt") }).First;
        var observed = await row.GetByTestId("stage-probability-observed").InnerTextAsync();
        await button.ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync(observed);
        if (!adopt)
        {
            await page.GetByTestId("confirm-cancel").ClickAsync();
            await Assertions.Expect(page.GetByTestId("stage-probability-adopted")).ToHaveCountAsync(0);
            return;
        }

        var stage = await row.Locator("td").First.InnerTextAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("stage-probability-adopted")).ToContainTextAsync($"{stage}: olasılık artık {observed}");
        var adopted = rows.Filter(new() { HasText = stage }).First;
        await Assertions.Expect(adopted.Locator("td").Nth(1)).ToHaveTextAsync(observed);
        await Assertions.Expect(adopted.GetByTestId("stage-probability-adopt")).ToHaveCountAsync(0);
    }
}
