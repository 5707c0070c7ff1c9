using Kazan.Features.Accounts;
using Kazan.Features.Pricing;
using Kazan.Features.Products;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed class QuoteEditorJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    /// <summary>An account and a catalogue product for the user who just signed up.</summary>
    private async Task<Guid> ArrangeAsync(string email)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();

        // Test arrangement: find the newcomer before any caller is set (the tenant filter would hide them).
        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Email == email);
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(user.OrganizationId, user.Id, UserRole.Admin, repsSeeAll: false);
        var account = new Account(user.OrganizationId, user.Id, AccountKind.Company, "Karadeniz Un Fabrikası A.Ş.", DateTimeOffset.UtcNow);
        var product = new Product(user.OrganizationId, "KMP-200", "Vidalı kompresör K200", "adet", 48_750m, "TRY", 20m);
        db.AddRange(account, product);
        await db.SaveChangesAsync();
        return account.Id;
    }

    private static async Task SetAsync(ILocator input, string value)
    {
        await input.FillAsync(value);
        await input.PressAsync("Tab");
    }

    [Fact]
    public async Task A_rep_builds_a_three_line_quote_sends_it_downloads_the_pdf_revises_a_price_and_compares_the_revisions()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var email = $"selin-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("Trabzon Makina A.Ş.");
        await page.GetByTestId("admin-name").FillAsync("Selin Kaya");
        await page.GetByTestId("admin-email").FillAsync(email);
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Selin Kaya");
        var accountId = await ArrangeAsync(email);

        // A new draft for the account: no opportunity was given, so one is opened and the editor says so.
        await page.GotoAsync($"/quotes/new?accountId={accountId}");
        await Assertions.Expect(page.GetByTestId("quote-account")).ToHaveTextAsync("Karadeniz Un Fabrikası A.Ş.");
        await page.GetByTestId("quote-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("opportunity-created")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("editor-ready")).ToBeAttachedAsync();
        var quoteUrl = page.Url.Split('?')[0];

        // Line 1: a product picked by typing part of its name; it brings its price, unit and VAT.
        await page.GetByTestId("line-search").FillAsync("kompres");
        await page.GetByTestId("product-choice").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("line-description").Nth(0)).ToHaveValueAsync("Vidalı kompresör K200");
        await Assertions.Expect(page.GetByTestId("line-price").Nth(0)).ToHaveValueAsync("48.750,00"); // written the Turkish way
        await SetAsync(page.GetByTestId("line-quantity").Nth(0), "2");

        // Line 2: free text.
        await page.GetByTestId("line-search").FillAsync("Montaj ve devreye alma");
        await page.GetByTestId("line-add-free").ClickAsync();
        await SetAsync(page.GetByTestId("line-price").Nth(1), "12.500");

        // Line 3: free text with a line discount and a different VAT rate.
        await page.GetByTestId("line-search").FillAsync("Yedek parça seti");
        await page.GetByTestId("line-add-free").ClickAsync();
        await SetAsync(page.GetByTestId("line-quantity").Nth(2), "3");
        await SetAsync(page.GetByTestId("line-price").Nth(2), "1.999,90"); // typed the Turkish way: the UI's language decides
        await SetAsync(page.GetByTestId("line-discount").Nth(2), "15");
        await SetAsync(page.GetByTestId("line-vat").Nth(2), "10");

        var expected = Pricing.Totals(
            [LineTerms.Create(0, 2m, 48_750m, 0m, 20m), LineTerms.Create(1, 1m, 12_500m, 0m, 20m), LineTerms.Create(2, 3m, 1999.90m, 15m, 10m)], 0m);
        var tr = Formats.Culture("tr-TR");
        await Assertions.Expect(page.GetByTestId("total-grand")).ToHaveTextAsync(Formats.Money(expected.Total, "TRY", tr));
        await Assertions.Expect(page.GetByTestId("total-net")).ToHaveTextAsync(Formats.Money(expected.Net, "TRY", tr));
        await Assertions.Expect(page.GetByTestId("line-net").Nth(2)).ToHaveTextAsync(Formats.Money(expected.Lines[2].Net, "TRY", tr));
        await Assertions.Expect(page.GetByTestId("total-vat")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "quotes-01-editor");

        await page.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-saved")).ToBeVisibleAsync();

        // Send: the page turns read-only and shows the sent state.
        await page.GetByTestId("quote-send").ClickAsync();
        await page.GetByTestId("quote-mark-sent").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("quote-status")).ToHaveTextAsync("Gönderildi");
        await Assertions.Expect(page.GetByTestId("quote-lines")).ToContainTextAsync("Yedek parça seti");
        await Assertions.Expect(page.GetByTestId("total-grand")).ToHaveTextAsync(Formats.Money(expected.Total, "TRY", tr));

        // The PDF link works with the browser's cookie.
        var pdfHref = await page.GetByTestId("quote-pdf").GetAttributeAsync("href");
        var pdf = await page.APIRequest.GetAsync(pdfHref!);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        var bytes = await pdf.BodyAsync();
        Assert.True(bytes.Length > 1000);
        Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));

        // Revise: a new draft R1; change the installation price and save.
        await page.GetByTestId("quote-revise").ClickAsync();
        await Assertions.Expect(page.GetByTestId("quote-number")).ToContainTextAsync("/ R1");
        await Assertions.Expect(page.GetByTestId("editor-ready")).ToBeAttachedAsync();
        Assert.NotEqual(quoteUrl, page.Url);
        await SetAsync(page.GetByTestId("line-price").Nth(1), "13.750");
        await page.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-saved")).ToBeVisibleAsync();

        // Two tabs on the same draft: the second one to save is told, not silently overwriting the first.
        var other = await page.Context.NewPageAsync();
        await other.GotoAsync(page.Url);
        await Assertions.Expect(other.GetByTestId("editor-ready")).ToBeAttachedAsync();
        await SetAsync(page.GetByTestId("editor-payment-terms"), "30 gün vadeli");
        await page.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-saved")).ToBeVisibleAsync();
        await SetAsync(other.GetByTestId("editor-notes"), "Fiyatlar KDV hariçtir.");
        await other.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(other.GetByTestId("form-errors")).ToContainTextAsync("başka biri tarafından değiştirildi");
        await Assertions.Expect(other.GetByTestId("editor-dirty")).ToBeVisibleAsync();

        // The comparison shows the changed line with old → new price; the others are unchanged.
        await page.GetByTestId("quote-compare").ClickAsync();
        var changed = page.GetByTestId("diff-changed");
        await Assertions.Expect(changed).ToHaveCountAsync(1);
        await Assertions.Expect(changed).ToContainTextAsync("Montaj ve devreye alma");
        await Assertions.Expect(changed.GetByTestId("diff-changed-field")).ToHaveTextAsync(Formats.Money(13_750m, "TRY", tr));
        await Assertions.Expect(page.GetByTestId("diff-unchanged")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("diff-totals")).ToContainTextAsync("+" + Formats.Money(1_250m, "TRY", tr));
        await BrowserFixture.ScreenshotAsync(page, "quotes-02-diff");
    }
}
