using Kazan.Tests.Infrastructure;
using Microsoft.Playwright;
using MimeKit;

namespace Kazan.BrowserTests;

/// <summary>
/// An admin sets up the company's own mail server in Settings → E-mail (a real SMTP server in the test process), checks
/// it with a test mail, and a quote goes out by e-mail from the send dialog: the customer receives the frozen PDF and a
/// link, opens it on a phone and accepts; the rep is notified, follows the notification and turns the quote into an order.
/// </summary>
public sealed class QuoteMailJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    private readonly SmtpCapture _smtp = new();

    [Fact]
    public async Task An_admin_sets_up_mail_a_quote_reaches_the_customer_who_accepts_it_on_a_phone_and_the_notified_rep_turns_it_into_an_order()
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

        // The customer opens the link in the mail on a phone, without an account, and accepts.
        var link = SmtpCapture.LinkIn(mail);
        Assert.StartsWith(fixture.BaseUrl + "/q/qt_", link, StringComparison.Ordinal);
        var customer = await TestContexts.NewAsync(fixture.Browser, new BrowserNewContextOptions
        {
            Locale = "tr-TR",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        var phone = await customer.NewPageAsync();
        await phone.GotoAsync(link);
        await Assertions.Expect(phone.GetByTestId("oq-org")).ToHaveTextAsync("Posta Yolcu A.Ş.");
        await Assertions.Expect(phone.GetByTestId("oq-grand")).ToHaveTextAsync("58.500,00 ₺");
        await phone.GetByTestId("oq-name").FillAsync("Kerem Kuzey");
        await phone.GetByTestId("oq-accept-box").CheckAsync();
        await phone.GetByTestId("oq-accept").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("answer-done")).ToBeVisibleAsync();

        // The rep is notified (the first view and the acceptance), follows the notification and turns the quote into an order.
        await page.SetViewportSizeAsync(1366, 800);
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("notification-count")).ToHaveTextAsync("2");
        await page.GetByTestId("notification-bell").ClickAsync();
        var accepted = page.GetByTestId("notification").Filter(new() { HasText = "kabul" });
        await Assertions.Expect(accepted).ToHaveCountAsync(1);
        await accepted.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("quote-online-decision")).ToContainTextAsync("Kerem Kuzey");
        await page.GetByTestId("quote-create-order").ClickAsync();
        await page.GetByTestId("order-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Açık");
        await Assertions.Expect(page.GetByTestId("total-net")).ToHaveTextAsync("48.750,00 ₺");
    }

    protected override async ValueTask DisposeMoreAsync() => await _smtp.DisposeAsync();
}
