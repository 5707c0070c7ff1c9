using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// The detours a new user met, walked in Chromium: a deal for a customer not yet in Kazan (created on the way), the
/// lists searched and paged back, a finished call logged in one step and an overdue task put off — in Turkish and in
/// English, on a desktop and on a phone.
/// </summary>
public sealed class DetoursJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    /// <summary>The organization's clock of a new organization (Turkey's zone).</summary>
    private static readonly OrganizationTime Turkey = new(TimeProvider.System, new CurrentUser());

    private async Task<IPage> PhoneAsync(string locale)
    {
        return await TestContexts.NewPageAsync(fixture.Browser, new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
    }

    [Fact]
    public async Task A_deal_for_a_customer_not_in_Kazan_creates_the_account_on_the_way_and_the_account_page_starts_the_next_deal()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        await Journeys.SignUpAsync(page, "Yolda Müşteri A.Ş.", "Oya Yolcu");

        await page.GotoAsync("/opportunities/new");
        await page.GetByTestId("account-search").FillAsync("Karadeniz Un");
        await page.GetByTestId("account-search-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-results")).ToContainTextAsync("Müşteri bulunamadı");
        await Assertions.Expect(page.GetByTestId("new-account-name")).ToHaveValueAsync("Karadeniz Un");

        // A wrong check digit is caught before anything is saved.
        await page.GetByTestId("new-account-name").FillAsync("Karadeniz Un A.Ş.");
        await page.GetByTestId("new-account-tax").FillAsync("4710145326");
        await page.GetByTestId("new-account-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync("Bu VKN geçersiz");
        await page.GetByTestId("new-account-tax").FillAsync("4710145325");
        await page.GetByTestId("new-account-create").ClickAsync();

        await Assertions.Expect(page.GetByTestId("account-name")).ToHaveTextAsync("Karadeniz Un A.Ş.");
        await page.GetByTestId("opportunity-title").FillAsync("Değirmen otomasyonu");
        await page.GetByTestId("opportunity-amount").FillAsync("250000");
        await page.GetByTestId("opportunity-create").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/opportunities/[0-9a-f-]{36}$"));
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Değirmen otomasyonu");

        await page.GetByRole(AriaRole.Link, new() { Name = "Karadeniz Un A.Ş." }).First.ClickAsync();
        await page.GetByTestId("account-new-opportunity").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-name")).ToHaveTextAsync("Karadeniz Un A.Ş.");
        await BrowserFixture.ScreenshotAsync(page, "detours-01-new-opportunity-from-account");
    }

    [Fact]
    public async Task In_English_the_accounts_list_is_searched_counted_and_paged_forward_and_back()
    {
        var page = await fixture.NewPageAsync("en-US");
        var email = await Journeys.SignUpAsync(page, "Paging Phone Ltd.", "Pat Pager", "en-US");
        var (scope, db, user) = await Journeys.ActAsAsync(fixture, email);
        await using (scope)
        {
            for (var i = 1; i <= 55; i++)
            {
                db.Accounts.Add(new Account(user.OrganizationId, user.Id, AccountKind.Company, $"Şahin Müşteri {i:00}", DateTimeOffset.UtcNow));
            }

            db.Accounts.Add(new Account(user.OrganizationId, user.Id, AccountKind.Company, "İSTANBUL Çelik A.Ş.", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await page.GotoAsync("/accounts");
        await Assertions.Expect(page.GetByTestId("list-count")).ToHaveTextAsync("56 found");
        await page.GetByTestId("next-page").ClickAsync();
        await Assertions.Expect(page.GetByTestId("accounts")).ToContainTextAsync("Şahin Müşteri 55");
        await page.GetByTestId("previous-page").ClickAsync();
        await Assertions.Expect(page.GetByTestId("accounts")).ToContainTextAsync("Şahin Müşteri 01");
        await Assertions.Expect(page.GetByTestId("previous-page")).ToHaveCountAsync(0);

        await page.GetByTestId("filter-q").FillAsync("istanbul");
        await page.GetByTestId("filter-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("list-count")).ToHaveTextAsync("1 found");
        await Assertions.Expect(page.GetByTestId("accounts")).ToContainTextAsync("İSTANBUL Çelik A.Ş.");
        await BrowserFixture.ScreenshotAsync(page, "detours-02-accounts-search-en");
    }

    [Fact]
    public async Task A_finished_call_is_logged_in_one_step_and_an_overdue_task_is_put_off_from_my_day()
    {
        var page = await PhoneAsync("tr-TR");
        var email = await Journeys.SignUpAsync(page, "Arama Kaydı A.Ş.", "Cem Arayan");
        var accountId = await Journeys.AccountAsync(fixture, email, "Ege Soğutma A.Ş.");
        var (scope, db, user) = await Journeys.ActAsAsync(fixture, email);
        await using (scope)
        {
            db.Activities.Add(new Activity(user.OrganizationId, user.Id, ActivityKind.Task, "Sözleşmeyi gönder", accountId, null,
                Turkey.At(Turkey.Today.AddDays(-2), new TimeOnly(10, 0)), DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await page.GotoAsync($"/accounts/{accountId}/activities");
        var panel = page.GetByTestId("activity-panel");
        await panel.GetByTestId("activity-kind").SelectOptionAsync("Call");
        await panel.GetByTestId("activity-subject").FillAsync("Satın almayı aradım");
        await panel.GetByTestId("activity-notes").FillAsync("Fiyat listesi istediler");
        await panel.GetByTestId("activity-outcome").SelectOptionAsync("Reached");
        await panel.GetByTestId("activity-add").ClickAsync();
        var done = panel.GetByTestId("activity-done-list");
        await Assertions.Expect(done).ToContainTextAsync("Satın almayı aradım");
        await Assertions.Expect(done).ToContainTextAsync("Ulaşıldı");
        await Assertions.Expect(done).ToContainTextAsync("Fiyat listesi istediler");
        await Assertions.Expect(page.GetByTestId("timeline")).ToContainTextAsync("Arama tamamlandı: Satın almayı aradım — Ulaşıldı");
        await BrowserFixture.ScreenshotAsync(page, "detours-03-call-logged-phone");

        await page.GotoAsync("/my-day");
        var overdue = page.GetByTestId("my-day-overdue");
        await Assertions.Expect(overdue).ToContainTextAsync("Sözleşmeyi gönder");
        await overdue.GetByTestId("activity-snooze-day").ClickAsync();
        await Assertions.Expect(page.GetByTestId("my-day-overdue")).ToContainTextAsync("Geciken bir şey yok.");
        var (check, checkDb, _) = await Journeys.ActAsAsync(fixture, email);
        await using (check)
        {
            var task = await checkDb.Activities.SingleAsync(a => a.Subject == "Sözleşmeyi gönder", TestContext.Current.CancellationToken);
            Assert.Equal(Turkey.At(Turkey.Today.AddDays(1), new TimeOnly(10, 0)), task.DueAt);
        }
    }
}
