using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>Sales targets on the demo company: set in Turkish and read back on the forecast; typed in English on a phone.</summary>
[Collection(DemoCompany.Name)]
public sealed class TargetsJourneyTests(DemoFixture demo) : BrowserTest
{
    [Fact]
    public async Task A_target_typed_the_turkish_way_shows_on_the_forecast_with_its_attainment()
    {
        var month = Today();
        Guid adminId;
        decimal won;
        using (var scope = demo.App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            adminId = await db.Users.IgnoreQueryFilters().Where(u => u.Email == "admin@anadolu.example").Select(u => u.Id).SingleAsync(TestContext.Current.CancellationToken);
            var closed = await db.Opportunities.IgnoreQueryFilters()
                .Where(o => o.OwnerId == adminId && o.Status == OpportunityStatus.Won && o.ClosedOn >= month && o.ClosedOn < month.AddMonths(1))
                .Select(o => o.ForecastAmountBase).ToListAsync(TestContext.Current.CancellationToken);
            won = closed.Sum();
        }

        var page = await demo.PageAsync("tr-TR", Viewports.Desktop);
        await page.GotoAsync("/");
        await page.GetByTestId("nav-targets").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Hedefler");
        await page.GetByTestId("targets-for").SelectOptionAsync($"user:{adminId}");
        await page.GetByTestId("targets-year").SelectOptionAsync(month.Year.ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId("targets-show").ClickAsync();

        var box = page.GetByTestId($"target-month-{month.Month}");
        await box.FillAsync("148.500"); // Turkish thousands: a hundred forty-eight thousand five hundred
        await page.GetByTestId("targets-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId($"target-month-{month.Month}")).ToHaveValueAsync("148.500,00");
        await Assertions.Expect(page.GetByTestId("targets-overview")).ToContainTextAsync("148.500,00");
        await BrowserFixture.ScreenshotAsync(page, "settings-targets-tr-TR-desktop");

        // The forecast of that owner: this month's target and how much of it is won.
        await page.GotoAsync($"/reports/forecast?ownerId={adminId}");
        var row = page.GetByTestId("forecast-target-row").First;
        await Assertions.Expect(row.GetByTestId("forecast-target")).ToContainTextAsync("148.500,00");
        var attainment = Formats.Percent(decimal.Round(decimal.Round(won / 148_500m, 4) * 100m, 1), CultureInfo.GetCultureInfo("tr-TR"));
        await Assertions.Expect(row.GetByTestId("forecast-attainment")).ToHaveTextAsync(attainment);
        await Assertions.Expect(page.GetByTestId("forecast-target-source")).ToContainTextAsync("Sorumlunun hedefi");
        await BrowserFixture.ScreenshotAsync(page, "report-forecast-targets-tr-TR-desktop");
    }

    [Fact]
    public async Task On_a_phone_in_english_a_turkish_looking_number_is_refused_and_an_english_one_saved()
    {
        var nextYear = Today().Year + 1;
        var page = await demo.PageAsync("en-US", Viewports.Phone);
        await page.GotoAsync("/");
        await page.GetByTestId("menu-button").ClickAsync();
        await page.GetByTestId("nav-targets").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Targets");
        await page.GetByTestId("targets-year").SelectOptionAsync(nextYear.ToString(CultureInfo.InvariantCulture));
        await page.GetByTestId("targets-show").ClickAsync();

        var march = page.GetByTestId("target-month-3");
        await march.FillAsync("7,5"); // a Turkish decimal comma: not English, so refused rather than guessed
        await page.GetByTestId("targets-save").ClickAsync();
        await Assertions.Expect(page.Locator("[data-input-error]:visible")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("saved")).ToHaveCountAsync(0);

        await page.GetByTestId("target-month-3").FillAsync("12,500.75");
        await page.GetByTestId("targets-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("target-month-3")).ToHaveValueAsync("12,500.75");
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"), "the page fits the phone");
        await BrowserFixture.ScreenshotAsync(page, "settings-targets-en-US-phone");
    }

    private static DateOnly Today()
    {
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);
        return new DateOnly(today.Year, today.Month, 1);
    }
}
