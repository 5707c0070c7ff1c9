using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed partial class AccountsJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private static async Task<IPage> SignUpAsync(BrowserFixture fixture, string organization, string admin)
    {
        var page = await fixture.NewPageAsync("tr-TR");
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync(organization);
        await page.GetByTestId("admin-name").FillAsync(admin);
        await page.GetByTestId("admin-email").FillAsync($"admin-{Guid.NewGuid():N}@example.com");
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(admin);
        return page;
    }

    [Fact]
    public async Task A_rep_creates_an_account_and_a_contact_and_finds_them_with_turkish_search_typed_differently()
    {
        var page = await SignUpAsync(fixture, "Marmara Satış A.Ş.", "Selin Arslan");

        // A new account from the accounts list.
        await page.GetByTestId("nav-accounts").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Müşteriler");
        await page.GetByTestId("account-new").ClickAsync();
        await page.GetByTestId("account-name").FillAsync("İstanbul Çelik A.Ş.");
        await page.GetByTestId("account-tax-number").FillAsync("123 456 78 90");
        await page.GetByTestId("account-city").FillAsync("İstanbul");
        await page.GetByTestId("account-phone").FillAsync("+90 212 555 10 10");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-title")).ToContainTextAsync("İstanbul Çelik A.Ş.");
        await Assertions.Expect(page.GetByTestId("account-facts")).ToContainTextAsync("1234567890");
        await Assertions.Expect(page.GetByTestId("account-owner")).ToHaveTextAsync("Selin Arslan");
        var accountUrl = page.Url;

        // A contact on it.
        await page.GetByTestId("account-add-contact").ClickAsync();
        await page.GetByTestId("contact-first-name").FillAsync("Gülşen");
        await page.GetByTestId("contact-last-name").FillAsync("Şahin");
        await page.GetByTestId("contact-title").FillAsync("Satın alma müdürü");
        await page.GetByTestId("contact-email").FillAsync("gulsen@istanbulcelik.com.tr");
        await page.GetByTestId("contact-save").ClickAsync();
        await page.WaitForURLAsync(accountUrl);
        await Assertions.Expect(page.GetByTestId("account-contacts")).ToContainTextAsync("Gülşen Şahin");
        await BrowserFixture.ScreenshotAsync(page, "accounts-01-account-page");

        // The search box, typed without Turkish letters and in another case.
        await page.GetByTestId("search-box").FillAsync("istanbul celik");
        await page.GetByTestId("search-box").PressAsync("Enter");
        await page.WaitForURLAsync("**/search?q=istanbul+celik");
        var results = page.GetByTestId("search-results");
        await Assertions.Expect(results.Locator("li")).ToHaveCountAsync(1);
        await Assertions.Expect(results).ToContainTextAsync("İstanbul Çelik A.Ş.");
        await Assertions.Expect(results).ToContainTextAsync("Müşteri");
        await BrowserFixture.ScreenshotAsync(page, "accounts-02-search-results");

        await page.GetByTestId("search-box").FillAsync("SAHIN");
        await page.GetByTestId("search-box").PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("search-results")).ToContainTextAsync("Gülşen Şahin");
        await page.GetByTestId("search-results").GetByText("Gülşen Şahin").ClickAsync();
        await Assertions.Expect(page.GetByTestId("contact-title")).ToContainTextAsync("Gülşen Şahin");
        await Assertions.Expect(page.GetByTestId("contact-account")).ToHaveTextAsync("İstanbul Çelik A.Ş.");

        // She leaves the company: she stays on record, marked.
        await page.GetByTestId("contact-mark-left").ClickAsync();
        await Assertions.Expect(page.GetByTestId("contact-title")).ToContainTextAsync("tarihinde ayrıldı");
        await page.GetByTestId("nav-contacts").ClickAsync();
        await Assertions.Expect(page.GetByTestId("contacts")).ToContainTextAsync("Gülşen Şahin");
        await Assertions.Expect(page.GetByTestId("contacts")).ToContainTextAsync("Şirketten ayrıldı");
        await page.GetByTestId("filter-left").SelectOptionAsync("false");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filtrele" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Henüz kayıt yok.")).ToBeVisibleAsync();

        // The list filters by city, Turkish-aware.
        await page.GotoAsync("/accounts");
        await page.GetByTestId("filter-city").FillAsync("ISTANBUL");
        await page.GetByTestId("filter-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("accounts")).ToContainTextAsync("İstanbul Çelik A.Ş.");
    }

    [Fact]
    public async Task A_possible_duplicate_is_shown_before_saving_and_can_be_saved_anyway_then_archived()
    {
        var page = await SignUpAsync(fixture, "Ege Dağıtım Ltd.", "Kerem Aydın");
        await page.GotoAsync("/accounts/new");
        await page.GetByTestId("account-name").FillAsync("Karadeniz Fındık A.Ş.");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-title")).ToContainTextAsync("Karadeniz Fındık A.Ş.");

        await page.GotoAsync("/accounts/new");
        await page.GetByTestId("account-name").FillAsync("KARADENİZ FINDIK SAN. VE TİC. LTD. ŞTİ.");
        await page.GetByTestId("account-tax-number").FillAsync("1234567891");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync("VKN geçersiz");

        await page.GetByTestId("account-tax-number").FillAsync("");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("duplicates")).ToContainTextAsync("Karadeniz Fındık A.Ş.");
        await Assertions.Expect(page.GetByTestId("account-save")).ToHaveTextAsync("Yine de kaydet");
        await BrowserFixture.ScreenshotAsync(page, "accounts-03-duplicate-warning");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-title")).ToContainTextAsync("KARADENİZ FINDIK SAN. VE TİC. LTD. ŞTİ.");

        await page.GetByTestId("account-archive").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-title")).ToContainTextAsync("Arşivde");
        await page.GotoAsync("/accounts");
        await Assertions.Expect(page.GetByTestId("accounts")).Not.ToContainTextAsync("LTD. ŞTİ.");
    }

    [Fact]
    public async Task Saving_an_edit_made_on_a_stale_page_tells_the_user_instead_of_overwriting()
    {
        var page = await SignUpAsync(fixture, "Sürüm Kontrol A.Ş.", "Deniz Kaya");
        await page.GotoAsync("/accounts/new");
        await page.GetByTestId("account-name").FillAsync("Anadolu Makina");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-title")).ToContainTextAsync("Anadolu Makina");
        var id = AccountId().Match(page.Url).Groups[1].Value;

        // Two tabs open the edit form; the first saves, the second is now stale.
        var other = await page.Context.NewPageAsync();
        await page.GotoAsync($"/accounts/{id}/edit");
        await other.GotoAsync($"/accounts/{id}/edit");
        await other.GetByTestId("account-city").FillAsync("Eskişehir");
        await other.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(other.GetByTestId("account-facts")).ToContainTextAsync("Eskişehir");

        await page.GetByTestId("account-city").FillAsync("Kayseri");
        await page.GetByTestId("account-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync("başka biri tarafından değiştirildi");
        await page.GotoAsync($"/accounts/{id}");
        await Assertions.Expect(page.GetByTestId("account-facts")).ToContainTextAsync("Eskişehir");
    }

    [GeneratedRegex("/accounts/([0-9a-f-]{36})")]
    private static partial Regex AccountId();
}
