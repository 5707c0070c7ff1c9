using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Features.Reports;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>The amounts reconciliation on the demo company: chart drawn, the deals counted, the gap's drill-down and the file, in both languages and sizes.</summary>
[Collection(DemoCompany.Name)]
public sealed class ReconciliationJourneyTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop", "Tutar mutabakatı", "Tümü")]
    [InlineData("en-US", "phone", "Reconciliation", "All")]
    public async Task The_reconciliation_counts_the_deals_of_the_last_six_months_and_drills_down_to_a_gap(string locale, string viewport, string title, string all)
    {
        var culture = CultureInfo.GetCultureInfo(locale);
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var from = WinRates.DefaultFrom(today, ForecastPeriod.Month, 6);
        var to = from.AddMonths(6);
        int deals, quotedNotOrdered;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var inSpan = db.Opportunities.IgnoreQueryFilters().Where(o => o.Status == OpportunityStatus.Open
                ? o.ExpectedCloseDate >= from && o.ExpectedCloseDate < to
                : o.ClosedOn >= from && o.ClosedOn < to);
            deals = await inSpan.CountAsync(TestContext.Current.CancellationToken);
            quotedNotOrdered = await inSpan.CountAsync(o => o.QuotedAmount != null && o.OrderedAmount == null, TestContext.Current.CancellationToken);
        }

        Assert.True(deals > 0, "the demo company has deals in the last six months");

        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/reports/pipeline");
        await page.GetByTestId("report-tab-reconciliation").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("canvas[data-testid=reconciliation-chart][data-drawn=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("reconciliation-table").Locator("tfoot [data-testid=reconciliation-month-total]")).ToHaveCountAsync(6);

        var total = page.GetByTestId("reconciliation-table").GetByTestId("reconciliation-total");
        await Assertions.Expect(total.GetByTestId("reconciliation-deals")).ToHaveTextAsync(deals.ToString("N0", culture));
        await Assertions.Expect(page.GetByTestId("reconciliation-gaps").GetByTestId("reconciliation-total").GetByTestId("reconciliation-acceptance")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("reconciliation-summary-backlog")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"report-reconciliation-{locale}-{viewport}");

        // The same figures as a file: the last row is the total of every owner and month.
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("reconciliation-csv").ClickAsync());
        Assert.Equal("reconciliation.csv", csv.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync(await csv.PathAsync(), TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith($"{all},{all},{deals.ToString(CultureInfo.InvariantCulture)},", lines[^1], StringComparison.Ordinal);

        // Every deal behind the total, then the quoted-but-not-ordered ones.
        await total.GetByTestId("reconciliation-deals").ClickAsync();
        await Assertions.Expect(page.GetByTestId("reconciliation-deal-row")).ToHaveCountAsync(Math.Min(deals, Reconciliations.MaxDeals));
        await page.GetByTestId("reconciliation-summary-quoted-not-ordered").ClickAsync();
        await Assertions.Expect(page.GetByTestId("reconciliation-deal-row")).ToHaveCountAsync(Math.Min(quotedNotOrdered, Reconciliations.MaxDeals));
    }
}
