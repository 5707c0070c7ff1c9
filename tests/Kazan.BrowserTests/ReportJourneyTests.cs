using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>The pipeline report on the demo company: chart drawn, table right, drill-down and a past day, in both languages and sizes.</summary>
[Collection(DemoCompany.Name)]
public sealed class ReportJourneyTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop", "Satış hattı raporu", "Tüm aşamalar")]
    [InlineData("en-US", "phone", "Pipeline report", "All stages")]
    public async Task The_pipeline_report_draws_its_chart_counts_the_open_deals_and_drills_down_to_them(string locale, string viewport, string title, string allStages)
    {
        int open;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            open = await db.Opportunities.IgnoreQueryFilters()
                .CountAsync(o => o.Status == OpportunityStatus.Open && db.Pipelines.IgnoreQueryFilters().Any(p => p.Id == o.PipelineId && p.IsDefault),
                    TestContext.Current.CancellationToken);
        }

        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/");
        if (viewport == "phone")
        {
            await page.GetByTestId("menu-button").ClickAsync(); // the phone's menu is folded away
        }

        await page.GetByTestId("nav-reports").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("canvas[data-testid=report-chart][data-drawn=true]")).ToHaveCountAsync(1);

        var total = page.GetByTestId("report-total-row");
        await Assertions.Expect(total.GetByTestId("report-drill-all")).ToHaveTextAsync(allStages);
        await Assertions.Expect(total.Locator("td.num").First).ToHaveTextAsync(open.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo(locale)));
        await BrowserFixture.ScreenshotAsync(page, $"report-pipeline-{locale}-{viewport}");

        // The same table as files: a spreadsheet and a CSV, named so.
        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-xlsx").ClickAsync());
        Assert.Equal("pipeline.xlsx", xlsx.SuggestedFilename);
        Assert.True(new FileInfo(await xlsx.PathAsync()).Length > 1_000, "the spreadsheet has content");
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("report-csv").ClickAsync());
        Assert.Equal("pipeline.csv", csv.SuggestedFilename);
        Assert.Contains(allStages, await File.ReadAllTextAsync(await csv.PathAsync(), TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // A stage with deals: its drill-down lists exactly as many deals as the row counts.
        var row = page.GetByTestId("report-stage-row").Filter(new() { HasNot = page.Locator("td.num:text-is('0')") }).First;
        var count = int.Parse(await row.Locator("td.num").First.InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.GetCultureInfo(locale));
        await row.GetByTestId("report-drill").ClickAsync();
        await Assertions.Expect(page.GetByTestId("report-deal-row")).ToHaveCountAsync(count);

        // Long before the company existed, the pipeline was empty.
        await page.GotoAsync("/reports/pipeline?asOf=2000-01-01");
        await Assertions.Expect(page.GetByTestId("report-moment")).ToContainTextAsync("2000");
        await Assertions.Expect(page.GetByTestId("report-total-row").Locator("td.num").First).ToHaveTextAsync("0");
    }

    [Theory]
    [InlineData("tr-TR", "desktop", "Boru hattı hareketi", "Bitiş tarihi başlangıçla")]
    [InlineData("en-US", "phone", "Pipeline movement", "The end date must be on or after")]
    public async Task The_movement_report_draws_its_waterfall_and_each_line_drills_down_to_its_deals(string locale, string viewport, string title, string badSpan)
    {
        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        var culture = System.Globalization.CultureInfo.GetCultureInfo(locale);
        // This year so far, for the deals closing this year: the demo company's deals have moved in it.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await page.GotoAsync($"/reports/movement?from={today.Year}-01-01&to={today:yyyy-MM-dd}&closeFrom={today.Year}-01-01&closeTo={today.Year}-12-31");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("canvas[data-testid=movement-chart][data-drawn=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("movement-line")).ToHaveCountAsync(8);

        var line = page.GetByTestId("movement-line").Filter(new() { Has = page.GetByTestId("movement-drill") }).First;
        var count = int.Parse(await line.Locator("td.num").First.InnerTextAsync(), System.Globalization.NumberStyles.AllowThousands, culture);
        Assert.True(count > 0, "a line with a link has deals");
        await line.GetByTestId("movement-drill").ClickAsync();
        await Assertions.Expect(page.GetByTestId("movement-deal-row")).ToHaveCountAsync(Math.Min(count, 500));

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("movement-csv").ClickAsync());
        Assert.Equal("movement.csv", csv.SuggestedFilename);

        // A span that runs backwards is explained in the reader's language, not a blank page.
        await page.GotoAsync("/reports/movement?from=2026-05-01&to=2026-04-01");
        await Assertions.Expect(page.GetByTestId("movement-error")).ToContainTextAsync(badSpan);
    }

    [Theory]
    [InlineData("tr-TR", "desktop", "Tüm şirket", "Satış hattı raporu")]
    [InlineData("en-US", "phone", "The whole organization", "Pipeline report")]
    public async Task The_home_page_is_the_roles_dashboard_with_small_charts_that_lead_to_the_reports(string locale, string viewport, string scope, string pipelineTitle)
    {
        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("dashboard-scope")).ToContainTextAsync(scope); // the demo signs in as the admin
        await Assertions.Expect(page.Locator("canvas[data-testid=dashboard-pipeline-chart][data-drawn=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("canvas[data-testid=dashboard-forecast-chart][data-drawn=true]")).ToHaveCountAsync(1);
        await BrowserFixture.ScreenshotAsync(page, $"dashboard-{locale}-{viewport}");
        await page.GetByTestId("dashboard-pipeline-link").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(pipelineTitle);
    }

    [Fact]
    public async Task A_deals_forecast_category_comes_from_its_stage_until_it_is_set_for_the_deal()
    {
        Guid dealId, pipelineId;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var deal = await db.Opportunities.IgnoreQueryFilters().Where(o => o.Status == OpportunityStatus.Open && o.ForecastCategoryOverride == null)
                .OrderBy(o => o.Title).FirstAsync(TestContext.Current.CancellationToken);
            (dealId, pipelineId) = (deal.Id, deal.PipelineId);
        }

        var page = await demo.PageAsync("tr-TR", Viewports.Desktop);
        await page.GotoAsync($"/opportunities/{dealId}");
        await Assertions.Expect(page.GetByTestId("forecast-category").Locator("xpath=..")).ToContainTextAsync("(aşamadan)");
        await page.GetByTestId("category-select").SelectOptionAsync("Commit");
        await page.GetByTestId("category-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("forecast-category")).ToHaveTextAsync("Kesin");
        await Assertions.Expect(page.GetByTestId("forecast-category").Locator("xpath=..")).ToContainTextAsync("(bu fırsat için seçildi)");

        // A stage's category is set in the pipeline's settings, row by row.
        await page.GotoAsync($"/settings/pipelines/{pipelineId}");
        var first = page.GetByTestId("stage-row").First;
        await first.GetByTestId("stage-category").SelectOptionAsync("Omitted");
        await first.GetByRole(AriaRole.Button, new() { Name = "Kaydet" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("stage-row").First.GetByTestId("stage-category")).ToHaveValueAsync("Omitted");
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("stage-row").First.GetByTestId("stage-category")).ToHaveValueAsync("Omitted");
    }

    [Theory]
    [InlineData("tr-TR", "desktop", "Tahmin", "Tüm dönemler")]
    [InlineData("en-US", "phone", "Forecast", "All periods")]
    public async Task The_forecast_shows_six_months_stacked_by_category_and_switches_to_quarters(string locale, string viewport, string title, string allPeriods)
    {
        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/reports/pipeline");
        await page.GetByTestId("report-tab-forecast").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("canvas[data-testid=forecast-chart][data-drawn=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("forecast-table").Locator("tbody [data-testid=forecast-row]")).ToHaveCountAsync(6);
        await Assertions.Expect(page.GetByTestId("forecast-table").Locator("tfoot td").First).ToHaveTextAsync(allPeriods);
        await BrowserFixture.ScreenshotAsync(page, $"report-forecast-{locale}-{viewport}");

        await page.GetByTestId("forecast-period").SelectOptionAsync("quarter");
        await page.GetByTestId("forecast-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("forecast-table").Locator("tbody [data-testid=forecast-row]")).ToHaveCountAsync(4);
        await Assertions.Expect(page.GetByTestId("forecast-table").Locator("tbody [data-testid=forecast-row] td").First).ToContainTextAsync("-Q");

        // A cell opens the deals it counts, under the period it belongs to; each deal opens.
        var row = page.GetByTestId("forecast-table").Locator("tbody tr", new() { Has = page.Locator("a[data-testid^=forecast-cell-]") }).First;
        var period = await row.Locator("td").First.InnerTextAsync();
        await row.Locator("a[data-testid^=forecast-cell-]").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("forecast-cell-deals").Locator("caption")).ToContainTextAsync(period);
        Assert.True(await page.GetByTestId("forecast-cell-row").CountAsync() > 0);
        await page.GetByTestId("forecast-cell-row").First.Locator("a").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/opportunities/[0-9a-f-]{36}$"));
    }
}
