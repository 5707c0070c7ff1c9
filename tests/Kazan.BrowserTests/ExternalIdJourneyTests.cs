using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// The external id (the record's id in the old system) through the forms: set on an account in Turkish and on a deal in
/// English, shown on the record's page; an id another record has is refused with a readable message, nothing saved.
/// </summary>
public sealed partial class ExternalIdJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task An_account_gets_its_external_id_from_the_form_in_turkish_and_a_second_account_may_not_take_it()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        await Journeys.SignUpAsync(page, "Harici Kimlik Değirmencilik A.Ş.", "Selin Arslan");

        await page.GotoAsync("/accounts/new");
        await page.GetByTestId("account-name").FillAsync("Ilgaz Un Sanayi A.Ş.");
        await page.GetByTestId("account-external-id").FillAsync("  ESKİ-42 ");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-title")).ToContainTextAsync("Ilgaz Un Sanayi A.Ş.");
        await Assertions.Expect(page.GetByTestId("account-facts")).ToContainTextAsync("Harici kimlik");
        await Assertions.Expect(page.GetByTestId("account-facts")).ToContainTextAsync("ESKİ-42");

        // Its edit form shows the id it has.
        await page.GotoAsync(page.Url + "/edit");
        await Assertions.Expect(page.GetByTestId("account-external-id")).ToHaveValueAsync("ESKİ-42");

        // Another account with the same id: the message in Turkish, the form kept, nothing saved.
        await page.GotoAsync("/accounts/new");
        await page.GetByTestId("account-name").FillAsync("Şölen Gıda A.Ş.");
        await page.GetByTestId("account-external-id").FillAsync("ESKİ-42");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToHaveTextAsync("Bu harici kimliği kuruluşun başka bir kaydı kullanıyor.");
        await Assertions.Expect(page.GetByTestId("account-name")).ToHaveValueAsync("Şölen Gıda A.Ş.");
        await page.GotoAsync("/accounts");
        await Assertions.Expect(page.GetByText("Şölen Gıda A.Ş.")).ToHaveCountAsync(0);

        // In another case it is another id (compared as written).
        await page.GotoAsync("/accounts/new");
        await page.GetByTestId("account-name").FillAsync("Şölen Gıda A.Ş.");
        await page.GetByTestId("account-external-id").FillAsync("eski-42");
        await page.GetByTestId("account-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-facts")).ToContainTextAsync("eski-42");
    }

    [Fact]
    public async Task A_deal_gets_its_external_id_on_the_new_and_edit_forms_in_english_and_a_taken_one_is_refused_readably()
    {
        var page = await fixture.NewPageAsync("en-US");
        var email = await Journeys.SignUpAsync(page, "Legacy Ids Ltd.", "Sam Legacy", "en-US");
        var accountId = await Journeys.AccountAsync(fixture, email, "Northwind Traders");

        await page.GotoAsync($"/opportunities/new?accountId={accountId}");
        await page.GetByTestId("opportunity-title").FillAsync("Mill line");
        await page.GetByTestId("opportunity-amount").FillAsync("1000");
        await page.GetByTestId("opportunity-external-id").FillAsync("OLD-7");
        await page.GetByTestId("opportunity-create").ClickAsync();
        await page.WaitForURLAsync(DealPage());
        await Assertions.Expect(page.GetByTestId("external-id")).ToHaveTextAsync("OLD-7");
        var dealUrl = page.Url;

        await page.GotoAsync(dealUrl + "/edit");
        await Assertions.Expect(page.GetByTestId("edit-external-id")).ToHaveValueAsync("OLD-7");
        await page.GetByTestId("edit-external-id").FillAsync("OLD-8");
        await page.GetByTestId("edit-save").ClickAsync();
        await page.WaitForURLAsync(dealUrl);
        await Assertions.Expect(page.GetByTestId("external-id")).ToHaveTextAsync("OLD-8");

        await page.GotoAsync($"/opportunities/new?accountId={accountId}");
        await page.GetByTestId("opportunity-title").FillAsync("Silo service");
        await page.GetByTestId("opportunity-amount").FillAsync("300");
        await page.GetByTestId("opportunity-external-id").FillAsync("OLD-8");
        await page.GetByTestId("opportunity-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToHaveTextAsync("Another record of the organization already has this external id.");
        await Assertions.Expect(page.GetByTestId("opportunity-title")).ToHaveValueAsync("Silo service");
    }

    [GeneratedRegex(@"/opportunities/[0-9a-f-]{36}$")]
    private static partial Regex DealPage();
}
