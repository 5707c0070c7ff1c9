using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Features.Reports;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>The win-rate report on the demo company: chart drawn, counts right, drill-down, files and rows by owner, in both languages and sizes.</summary>
[Collection(DemoCompany.Name)]
public sealed class WinRateJourneyTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop", "Kazanma oranı", "Tümü")]
    [InlineData("en-US", "phone", "Win rate", "All")]
    public async Task The_win_rate_counts_the_deals_won_and_lost_in_the_last_six_months_and_drills_down_to_them(string locale, string viewport, string title, string all)
    {
        var culture = CultureInfo.GetCultureInfo(locale);
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        var from = WinRates.DefaultFrom(today, ForecastPeriod.Month, 6);
        int won, lost, owners;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var closed = db.Opportunities.IgnoreQueryFilters().Where(o => o.Status != OpportunityStatus.Open && o.ClosedOn >= from && o.ClosedOn <= today);
            won = await closed.CountAsync(o => o.Status == OpportunityStatus.Won, TestContext.Current.CancellationToken);
            lost = await closed.CountAsync(o => o.Status == OpportunityStatus.Lost, TestContext.Current.CancellationToken);
            owners = await closed.Select(o => o.OwnerId).Distinct().CountAsync(TestContext.Current.CancellationToken);
        }

        Assert.True(won > 0 && lost > 0, "the demo company won and lost deals lately");

        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/reports/pipeline");
        await page.GetByTestId("report-tab-win-rate").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Assertions.Expect(page.Locator("canvas[data-testid=win-rate-chart][data-drawn=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("win-rate-table").Locator("tbody [data-testid=win-rate-row]")).ToHaveCountAsync(6);

        var total = page.GetByTestId("win-rate-total-row");
        await Assertions.Expect(total.Locator("td").First).ToHaveTextAsync(all);
        await Assertions.Expect(total.GetByTestId("win-rate-won")).ToHaveTextAsync(won.ToString("N0", culture));
        await Assertions.Expect(total.GetByTestId("win-rate-lost")).ToHaveTextAsync(lost.ToString("N0", culture));
        await Assertions.Expect(total.GetByTestId("win-rate-by-count")).ToHaveTextAsync(Math.Round((decimal)won / (won + lost), 4, MidpointRounding.AwayFromZero).ToString("P1", culture));
        await Assertions.Expect(page.GetByTestId("win-rate-reason-row").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"report-win-rate-{locale}-{viewport}");

        // The same table as files.
        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("win-rate-csv").ClickAsync());
        Assert.Equal("win-rate.csv", csv.SuggestedFilename);
        Assert.Contains(all + "," + won.ToString(CultureInfo.InvariantCulture) + ",", await File.ReadAllTextAsync(await csv.PathAsync(), TestContext.Current.CancellationToken), StringComparison.Ordinal);

        // The won count drills down to exactly as many won deals; the lost one to the lost deals.
        await total.GetByTestId("win-rate-won").ClickAsync();
        await Assertions.Expect(page.GetByTestId("win-rate-deal-row")).ToHaveCountAsync(won);
        await page.GetByTestId("win-rate-total-row").GetByTestId("win-rate-lost").ClickAsync();
        await Assertions.Expect(page.GetByTestId("win-rate-deal-row")).ToHaveCountAsync(lost);

        // Rows by owner: one per owner who closed a deal.
        await page.GetByTestId("win-rate-by").SelectOptionAsync("owner");
        await page.GetByTestId("win-rate-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("win-rate-table").Locator("tbody [data-testid=win-rate-row]")).ToHaveCountAsync(owners);
        await Assertions.Expect(page.GetByTestId("win-rate-total-row").GetByTestId("win-rate-won")).ToHaveTextAsync(won.ToString("N0", culture));
    }
}
