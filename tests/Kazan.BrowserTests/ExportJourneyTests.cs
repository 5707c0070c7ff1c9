using System.Text;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>Exporting the opportunity list on the demo company: the file has the rows the filter shows, in the page's language.</summary>
[Collection(DemoCompany.Name)]
public sealed class ExportJourneyTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop", "Başlık", "Kazanıldı")]
    [InlineData("en-US", "phone", "Title", "Won")]
    public async Task Export_on_the_filtered_opportunity_list_downloads_the_won_deals_it_shows(string locale, string viewport, string titleHeader, string won)
    {
        int count;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            count = await db.Opportunities.IgnoreQueryFilters().CountAsync(o => o.Status == OpportunityStatus.Won, TestContext.Current.CancellationToken);
        }

        Assert.True(count > 0, "the demo company has won deals");
        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/opportunities");
        await page.GetByTestId("filter-status").SelectOptionAsync("Won");
        await page.GetByTestId("filter-apply").ClickAsync();
        await page.WaitForURLAsync("**/opportunities?*status=Won*");

        var csvLink = page.GetByTestId("export-csv");
        await Assertions.Expect(csvLink).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("status=Won"));
        var box = await csvLink.BoundingBoxAsync();
        Assert.True(box is { Height: >= 30 }, "the export link is a button-sized target");
        var download = await page.RunAndWaitForDownloadAsync(() => csvLink.ClickAsync());
        Assert.Matches(@"^opportunities-\d{4}-\d{2}-\d{2}\.csv$", download.SuggestedFilename);

        var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith(titleHeader + ",", lines[0], StringComparison.Ordinal);
        Assert.Equal(count, lines.Length - 1); // demo titles and names have no line breaks: one line per deal
        Assert.All(lines.Skip(1), l => Assert.Contains("," + won + ",", l, StringComparison.Ordinal));

        var xlsx = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export-xlsx").ClickAsync());
        Assert.EndsWith(".xlsx", xlsx.SuggestedFilename, StringComparison.Ordinal);
        using var sheet = File.OpenRead(await xlsx.PathAsync());
        Assert.Equal(count, MiniExcelLibs.MiniExcel.Query(sheet, useHeaderRow: true).Count());
        await BrowserFixture.ScreenshotAsync(page, $"export-opportunities-{locale}-{viewport}");
        if (viewport == "desktop")
        {
            await ScreenshotTests.DocumentAsync(page, "export-opportunities"); // the user guide's picture
        }
    }
}
