using Kazan.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace Kazan.BrowserTests;

/// <summary>
/// An admin sets up the company's own mail server in Settings → E-mail (a real SMTP server in the test process), checks
/// it with a test mail, and a quote goes out by e-mail from the send dialog: the customer receives the frozen PDF, the
/// quote page and the outbox show it as sent.
/// </summary>
public sealed class QuoteMailJourneyTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private readonly SmtpCapture _smtp = new();

    [Fact]
    public async Task An_admin_sets_up_mail_and_a_quote_reaches_the_customer_with_its_frozen_pdf()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var admin = await Journeys.SignUpAsync(page, "Posta Yolcu A.Ş.", "Pelin Posta");

        await page.GotoAsync("/settings/mail");
        await Assertions.Expect(page.GetByTestId("mail-state")).ToContainTextAsync("E-posta sunucusu tanımlı değil");
        await page.GetByTestId("mail-host").FillAsync("127.0.0.1");
        await page.GetByTestId("mail-port").FillAsync(_smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.GetByTestId("mail-security").SelectOptionAsync("None");
        await page.GetByTestId("mail-from").FillAsync("satis@postayolcu.example");
        await page.GetByTestId("mail-from-name").FillAsync("Posta Yolcu Satış");
        await page.GetByTestId("mail-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("mail-state")).ToContainTextAsync("kendi sunucunuz 127.0.0.1");

        await page.GetByTestId("mail-test").ClickAsync();
        await Assertions.Expect(page.GetByTestId("mail-done")).ToContainTextAsync(admin);
        Assert.Equal("satis@postayolcu.example", (await _smtp.WaitForAsync(admin)).From.Mailboxes.Single().Address);

        var accountId = await Journeys.AccountAsync(fixture, admin, "Kuzey Soğuk Zincir Ltd.");
        await page.GotoAsync($"/quotes/new?accountId={accountId}");
        await page.GetByTestId("quote-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-ready")).ToBeAttachedAsync();
        await page.GetByTestId("line-search").FillAsync("Soğuk oda kurulumu");
        await page.GetByTestId("line-add-free").ClickAsync();
        await page.GetByTestId("line-price").Nth(0).FillAsync("48750");
        await page.GetByTestId("line-price").Nth(0).PressAsync("Tab");
        await page.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-saved")).ToBeVisibleAsync();

        await page.GetByTestId("quote-send").ClickAsync();
        var panel = page.GetByTestId("send-panel");
        await Assertions.Expect(panel).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("send-no-contacts")).ToBeVisibleAsync();
        var number = await page.GetByTestId("quote-number").TextContentAsync();
        await Assertions.Expect(page.GetByTestId("send-subject")).ToHaveValueAsync($"Posta Yolcu A.Ş. teklifi: {number}");
        await page.GetByTestId("send-other").FillAsync("musteri@kuzey.example");
        await page.EvaluateAsync("() => { document.querySelector('[data-testid=send-panel]').scrollIntoView({ block: 'start' }); window.scrollBy(0, -16); }");
        await ScreenshotTests.DocumentAsync(page, "quote-send-dialog-desktop");
        await page.GetByTestId("send-cc").FillAsync("not-an-address");
        await page.GetByTestId("send-mail").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync("Geçerli bir e-posta adresi değil");
        await page.GetByTestId("send-cc").FillAsync("");
        await page.GetByTestId("send-mail").ClickAsync();

        await Assertions.Expect(page.GetByTestId("quote-status")).ToHaveTextAsync("Gönderildi");
        await Assertions.Expect(page.GetByTestId("quote-mailed")).ToBeVisibleAsync();
        var mail = await _smtp.WaitForAsync("musteri@kuzey.example");
        Assert.Equal($"Posta Yolcu A.Ş. teklifi: {number}", mail.Subject);
        Assert.StartsWith("Sayın Kuzey Soğuk Zincir Ltd.,", mail.TextBody, StringComparison.Ordinal);
        var attachment = Assert.Single(mail.Attachments.OfType<MimePart>());
        using var sent = new MemoryStream();
        await attachment.Content!.DecodeToAsync(sent, TestContext.Current.CancellationToken);
        var pdf = await page.APIRequest.GetAsync(await page.GetByTestId("quote-pdf").GetAttributeAsync("href") ?? "");
        Assert.Equal(await pdf.BodyAsync(), sent.ToArray());

        // Delivered: the quote page and the admin's outbox say so (at phone width too).
        await page.SetViewportSizeAsync(390, 844);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("quote-mail-row").GetByTestId("mail-status")).ToHaveTextAsync("Gönderildi");
        await page.GotoAsync("/settings/mail?status=Sent");
        await Assertions.Expect(page.GetByTestId("outbox-row").Filter(new() { HasText = "musteri@kuzey.example" })).ToHaveCountAsync(1);
    }

    public async ValueTask DisposeAsync() => await _smtp.DisposeAsync();
}
