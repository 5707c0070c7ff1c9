using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>The funnel and velocity reports on the demo company: charts drawn, tables right, a download and the drill-downs, in both languages and sizes.</summary>
[Collection(DemoCompany.Name)]
public sealed class FunnelJourneyTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop", "Huni", "Hız")]
    [InlineData("en-US", "phone", "Funnel", "Velocity")]
    public async Task The_funnel_counts_the_years_new_deals_and_the_velocity_its_stays_each_drilling_down_to_them(
        string locale, string viewport, string funnel, string velocity)
    {
        var culture = CultureInfo.GetCultureInfo(locale);
        int created, stages;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var pipeline = await db.Pipelines.IgnoreQueryFilters().Where(p => p.IsDefault).Select(p => p.Id).FirstAsync(TestContext.Current.CancellationToken);
            stages = await db.Stages.IgnoreQueryFilters().CountAsync(s => s.PipelineId == pipeline, TestContext.Current.CancellationToken);
            var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
            var start = OrganizationTime.At(OrganizationTime.DefaultZone, today.AddMonths(-12), TimeOnly.MinValue);
            created = await db.Opportunities.IgnoreQueryFilters().CountAsync(o => o.CreatedAt >= start
                && db.OpportunityEvents.IgnoreQueryFilters().Any(e => e.OpportunityId == o.Id && e.Kind == OpportunityEventKind.Created && e.State.PipelineId == pipeline),
                TestContext.Current.CancellationToken);
        }

        Assert.True(created > 0, "the demo has deals created in the last 12 months");
        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/reports/pipeline");
        await page.GetByTestId("report-tab-funnel").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(funnel);
        await Assertions.Expect(page.Locator("canvas[data-testid=funnel-chart][data-drawn=true]")).ToHaveCountAsync(1);
        var rows = page.GetByTestId("funnel-row");
        await Assertions.Expect(rows).ToHaveCountAsync(stages);
        // Every deal created in the pipeline held its first stage (or a later one): all of them reached it.
        await Assertions.Expect(rows.First.GetByTestId("funnel-drill-reached")).ToHaveTextAsync(created.ToString("N0", culture));
        await BrowserFixture.ScreenshotAsync(page, $"report-funnel-{locale}-{viewport}");

        var csv = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("funnel-csv").ClickAsync());
        Assert.Equal("funnel.csv", csv.SuggestedFilename);
        var lines = (await File.ReadAllTextAsync(await csv.PathAsync(), TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(stages + 1, lines.Length);
        Assert.Equal(created.ToString(CultureInfo.InvariantCulture), lines[1].Split(',')[1]);

        // The second stage's "reached" lists as many deals as it counts.
        var second = rows.Nth(1);
        var reached = int.Parse(await second.GetByTestId("funnel-drill-reached").InnerTextAsync(), NumberStyles.AllowThousands, culture);
        await second.GetByTestId("funnel-drill-reached").ClickAsync();
        await Assertions.Expect(page.GetByTestId("funnel-deal-row")).ToHaveCountAsync(Math.Min(reached, 500));

        // Velocity: one row per stage, the velocity's inputs, and a stage's stays as many as it counts.
        await page.GetByTestId("report-tab-velocity").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(velocity);
        await Assertions.Expect(page.Locator("canvas[data-testid=velocity-chart][data-drawn=true]")).ToHaveCountAsync(1);
        var stayRows = page.GetByTestId("velocity-row");
        await Assertions.Expect(stayRows).ToHaveCountAsync(stages);
        await Assertions.Expect(page.GetByTestId("velocity-value")).Not.ToBeEmptyAsync();
        await BrowserFixture.ScreenshotAsync(page, $"report-velocity-{locale}-{viewport}");
        var busy = stayRows.Filter(new() { HasNot = page.Locator("td.num:text-is('0')") }).First;
        var stays = int.Parse(await busy.Locator("td.num").First.InnerTextAsync(), NumberStyles.AllowThousands, culture);
        await busy.GetByTestId("velocity-drill").ClickAsync();
        await Assertions.Expect(page.GetByTestId("velocity-stay-row")).ToHaveCountAsync(Math.Min(stays, 500));

        // A period the wrong way round is refused at the field, not with an error page.
        await page.GotoAsync("/reports/velocity?from=2026-05-01&to=2026-04-01");
        await Assertions.Expect(page.GetByTestId("velocity-table")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("velocity-filters")).ToContainTextAsync(locale == "tr-TR" ? "Başlangıç bitişten sonra." : "The start is after the end.");
    }
}
