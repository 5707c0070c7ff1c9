using System.Text.Json;
using Deque.AxeCore.Commons;
using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Features.Quotes;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed class OnlineQuoteJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    /// <summary>A sent Turkish quote (2 × 12 500 + 4 h × 750 at 20 % VAT: 28 000 net, 33 600 total) and a link to it.</summary>
    private async Task<(Guid QuoteId, string Token)> ArrangeAsync(string email)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();

        // Test arrangement: find the newcomer before any caller is set (the tenant filter would hide them).
        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Email == email);
        var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
        me.Set(user.OrganizationId, user.Id, UserRole.Admin, repsSeeAll: false);
        var now = DateTimeOffset.UtcNow;
        var account = new Account(user.OrganizationId, user.Id, AccountKind.Company, "Karadeniz Çay Fabrikası A.Ş.", now);
        var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync();
        var deal = new Opportunity(user.OrganizationId, user.Id, account.Id, stage, "Paketleme hattı", 30_000m, "TRY", 1m,
            DateOnly.FromDateTime(now.UtcDateTime).AddMonths(1), user.Id, now);
        db.AddRange(account, deal);
        await db.SaveChangesAsync();

        var time = new OrganizationTime(TimeProvider.System, me);
        var created = await QuoteCommands.CreateAsync(db, me, time, account.Id, deal.Id, null,
            new QuoteHeader("TRY", null, "tr", null, 0m, "Teslimde ödeme", null),
            [
                new QuoteLineDraft(null, QuoteLineKind.Item, null, "Paketleme makinesi", 2m, "adet", 12_500m, 0m, 20m),
                new QuoteLineDraft(null, QuoteLineKind.Item, null, "Kurulum", 4m, "saat", 750m, 0m, 20m),
            ], default);
        var quote = created.Value!.Quote;
        await QuoteCommands.SendAsync(db, quote.Id, quote.Version, null, time, default);
        var token = await QuoteLinkCommands.IssueAsync(db, quote, now, default);
        await db.SaveChangesAsync();
        return (quote.Id, token);
    }

    [Fact]
    public async Task A_customer_accepts_a_turkish_quote_on_a_phone_and_the_rep_sees_who_accepted_it_online()
    {
        var rep = await fixture.NewPageAsync("en-US");
        var email = $"selin-{Guid.NewGuid():N}@example.com";
        await rep.GotoAsync("/onboarding");
        await rep.GetByTestId("org-name").FillAsync("Rize Makine Ltd.");
        await rep.GetByTestId("org-culture").SelectOptionAsync("en-US");
        await rep.GetByTestId("admin-name").FillAsync("Selin Kaya");
        await rep.GetByTestId("admin-email").FillAsync(email);
        await rep.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await rep.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(rep.Locator("h1")).ToContainTextAsync("Selin Kaya");
        var (quoteId, token) = await ArrangeAsync(email);

        // The customer: no session, a phone, a browser in English — the quote speaks Turkish, its own language.
        var context = await TestContexts.NewAsync(fixture.Browser, new BrowserNewContextOptions
        {
            BaseURL = fixture.BaseUrl,
            Locale = "en-US",
            ViewportSize = new ViewportSize { Width = 390, Height = 844 },
            IsMobile = true,
            HasTouch = true,
        });
        // axe-core comes in with every document, as an init script: the page's Content-Security-Policy refuses inline scripts.
        await context.AddInitScriptAsync(new BundledAxeScriptProvider().GetScript());
        var phone = await context.NewPageAsync();
        await phone.GotoAsync($"/q/{token}");
        await Assertions.Expect(phone.GetByTestId("oq-org")).ToHaveTextAsync("Rize Makine Ltd.");
        await Assertions.Expect(phone.GetByTestId("oq-grand")).ToHaveTextAsync("33.600,00 ₺");
        await Assertions.Expect(phone.GetByTestId("oq-net")).ToHaveTextAsync("28.000,00 ₺");
        await Assertions.Expect(phone.GetByTestId("oq-line")).ToHaveCountAsync(2);
        Assert.False(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth"), "the online quote scrolls sideways at 390 px");
        foreach (var target in new[] { "oq-accept", "oq-reject", "oq-pdf", "oq-name" })
        {
            var box = await phone.GetByTestId(target).BoundingBoxAsync();
            Assert.True(box!.Height >= 44, $"{target} is {box.Height} px high on a phone");
        }

        Assert.Empty(await SeriousViolationsAsync(phone));
        await BrowserFixture.ScreenshotAsync(phone, "online-quote-01-phone-tr");

        // Accepting needs the box ticked: the browser stops the form (the server refuses it too, see OnlineQuoteTests).
        await phone.GetByTestId("oq-name").FillAsync("Hüseyin Çelik");
        await phone.GetByTestId("oq-accept").ClickAsync();
        Assert.False(await phone.GetByTestId("oq-accept-box").EvaluateAsync<bool>("box => box.validity.valid"));
        await Assertions.Expect(phone.GetByTestId("answer-done")).ToHaveCountAsync(0);

        await phone.GetByTestId("oq-name").FillAsync("Hüseyin Çelik");
        await phone.GetByTestId("oq-title").FillAsync("Satın Alma Müdürü");
        await phone.GetByTestId("oq-accept-box").CheckAsync();
        await phone.GetByTestId("oq-accept").ClickAsync();
        await Assertions.Expect(phone.GetByTestId("answer-done")).ToContainTextAsync("kabulünüz kaydedildi");
        await Assertions.Expect(phone.GetByTestId("oq-decision")).ToContainTextAsync("Hüseyin Çelik (Satın Alma Müdürü) tarafından");
        await Assertions.Expect(phone.GetByTestId("oq-accept")).ToHaveCountAsync(0);
        await Assertions.Expect(phone.GetByTestId("oq-pdf-accepted")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(phone, "online-quote-02-accepted-phone-tr");

        // The rep, on the desktop in English, sees who accepted it online, from where, and the customer's view.
        await rep.GotoAsync($"/quotes/{quoteId}");
        await Assertions.Expect(rep.GetByTestId("quote-online-decision")).ToContainTextAsync("Accepted online by Hüseyin Çelik (Satın Alma Müdürü) on");
        await Assertions.Expect(rep.GetByTestId("quote-online-decision")).ToContainTextAsync("from IP 127.0.0.1");
        await Assertions.Expect(rep.GetByTestId("quote-views")).ToContainTextAsync("Viewed once by the customer, on ");
        await Assertions.Expect(rep.GetByTestId("quote-create-order")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(rep, "online-quote-03-rep-en");
    }

    private static async Task<List<string>> SeriousViolationsAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => JSON.parse(JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations))");
        return json.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => v.GetProperty("id").GetString() + ": " + v.GetProperty("help").GetString() + " " + string.Join(" ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("html").GetString())))
            .ToList();
    }
}
