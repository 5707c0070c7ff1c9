using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Features.Quotes;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed class OrderJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    /// <summary>
    /// A deal expecting 50 000 with an accepted quote of 35 000 net (3 compressors at 10 000, 10 hours of assembly at
    /// 500), owned by the user who just signed up. Quotes have their own journey; this one starts where they end.
    /// </summary>
    private async Task<(Guid QuoteId, Guid OpportunityId)> ArrangeAsync(string email)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();

        // Test arrangement: find the newcomer before any caller is set (the tenant filter would hide them).
        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Email == email);
        var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
        me.Set(user.OrganizationId, user.Id, UserRole.Admin, repsSeeAll: false);
        var now = DateTimeOffset.UtcNow;
        var account = new Account(user.OrganizationId, user.Id, AccountKind.Company, "Ege Soğuk Hava Depoları A.Ş.", now) { Address = "Kemalpaşa OSB, İzmir" };
        var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync();
        var deal = new Opportunity(user.OrganizationId, user.Id, account.Id, stage, "Soğutma hattı yenileme", 50_000m, "TRY", 1m,
            DateOnly.FromDateTime(now.UtcDateTime).AddMonths(1), user.Id, now);
        db.AddRange(account, deal);
        await db.SaveChangesAsync();

        var time = new OrganizationTime(TimeProvider.System, me);
        var created = await QuoteCommands.CreateAsync(db, me, time, account.Id, deal.Id, null,
            new QuoteHeader("TRY", null, "tr", null, 0m, null, null),
            [
                new QuoteLineDraft(null, QuoteLineKind.Item, null, "Vidalı kompresör", 3m, "adet", 10_000m, 0m, 20m),
                new QuoteLineDraft(null, QuoteLineKind.Item, null, "Montaj", 10m, "saat", 500m, 0m, 20m),
            ], default);
        var quote = created.Value!.Quote;
        await QuoteCommands.SendAsync(db, quote.Id, quote.Version, null, time, default);
        await QuoteCommands.AcceptAsync(db, quote.Id, quote.Version, time, default);
        return (quote.Id, deal.Id);
    }

    [Fact]
    public async Task A_rep_orders_part_of_an_accepted_quote_delivers_part_of_it_is_stopped_from_delivering_too_much_and_sees_the_deal_amounts()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var email = $"derya-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("İzmir Soğutma A.Ş.");
        await page.GetByTestId("admin-name").FillAsync("Derya Öztürk");
        await page.GetByTestId("admin-email").FillAsync(email);
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Derya Öztürk");
        var (quoteId, opportunityId) = await ArrangeAsync(email);
        var tr = Formats.Culture("tr-TR");

        // The accepted quote offers the order and says nothing is ordered yet.
        await page.GotoAsync($"/quotes/{quoteId}");
        await Assertions.Expect(page.GetByTestId("quote-ordered-fraction")).ToContainTextAsync(Formats.Money(0m, "TRY", tr));
        await page.GetByTestId("quote-create-order").ClickAsync();

        // Every line starts at what remains; two of the three compressors are ordered now, the address comes from the account.
        await Assertions.Expect(page.GetByTestId("pick-quantity")).ToHaveCountAsync(2);
        await Assertions.Expect(page.GetByTestId("pick-quantity").Nth(0)).ToHaveValueAsync("3");
        await Assertions.Expect(page.GetByTestId("order-delivery-address")).ToHaveValueAsync("Kemalpaşa OSB, İzmir");
        await page.GetByTestId("pick-quantity").Nth(0).FillAsync("2");
        await page.GetByTestId("order-customer-reference").FillAsync("PO-2026-118");
        await BrowserFixture.ScreenshotAsync(page, "orders-00-new-from-quote");
        await page.GetByTestId("order-create").ClickAsync();

        // The order page: the first order won the deal; nothing delivered yet.
        await Assertions.Expect(page.GetByTestId("order-opportunity-won")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Açık");
        await Assertions.Expect(page.GetByTestId("line-ordered")).ToHaveTextAsync(["2", "10"]);
        await Assertions.Expect(page.GetByTestId("total-net")).ToHaveTextAsync(Formats.Money(25_000m, "TRY", tr));

        // A partial delivery: one compressor and four hours, typed over the defaults.
        await Assertions.Expect(page.GetByTestId("deliver-quantity")).ToHaveCountAsync(2);
        await page.GetByTestId("deliver-quantity").Nth(0).FillAsync("1");
        await page.GetByTestId("deliver-quantity").Nth(1).FillAsync("4");
        await page.GetByTestId("deliver-note-number").FillAsync("IRS-2026-0042");
        await page.GetByTestId("deliver-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-done")).ToHaveTextAsync("Teslimat kaydedildi.");
        await Assertions.Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Kısmen teslim edildi");
        await Assertions.Expect(page.GetByTestId("line-delivered")).ToHaveTextAsync(["1", "4"]);
        await Assertions.Expect(page.GetByTestId("line-remaining")).ToHaveTextAsync(["1", "6"]);
        await Assertions.Expect(page.GetByTestId("delivery-note-number")).ToHaveTextAsync(["IRS-2026-0042"]);
        await Assertions.Expect(page.GetByTestId("total-delivered")).ToHaveTextAsync(Formats.Money(12_000m, "TRY", tr));

        // Two compressors when one remains: a readable refusal, and nothing changes.
        await page.GetByTestId("deliver-quantity").Nth(0).FillAsync("2");
        await page.GetByTestId("deliver-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync("\"Vidalı kompresör\": 2, teslim edilmeyi bekleyen 1 adet miktarından fazla. Hiçbir şey kaydedilmedi.");
        await Assertions.Expect(page.GetByTestId("line-delivered")).ToHaveTextAsync(["1", "4"]);
        await Assertions.Expect(page.GetByTestId("order-delivery")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("deliver-quantity").Nth(0)).ToHaveValueAsync("2");
        await BrowserFixture.ScreenshotAsync(page, "orders-01-order-page");

        // The deal: expected, quoted, ordered and delivered side by side; the forecast uses the ordered amount.
        await page.GetByTestId("order-opportunity").ClickAsync();
        await page.WaitForURLAsync($"**/opportunities/{opportunityId}");
        var amounts = page.GetByTestId("amounts").Locator("tbody td");
        await Assertions.Expect(amounts).ToHaveTextAsync(
            [Formats.Money(50_000m, "TRY", tr), Formats.Money(35_000m, "TRY", tr), Formats.Money(25_000m, "TRY", tr), Formats.Money(12_000m, "TRY", tr)]);
        await Assertions.Expect(page.GetByTestId("forecast-why")).ToContainTextAsync("sipariş tutarını");
        await Assertions.Expect(page.GetByTestId("opportunity-status")).ToHaveTextAsync("Kazanıldı");
        await Assertions.Expect(page.GetByTestId("orders-panel-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("orders-panel-delivered")).ToHaveTextAsync(Formats.Money(12_000m, "TRY", tr));
        await BrowserFixture.ScreenshotAsync(page, "orders-02-opportunity-page");

        // Back on the quote: two thirds of the compressors and all the hours are ordered.
        await page.GotoAsync($"/quotes/{quoteId}");
        await Assertions.Expect(page.GetByTestId("quote-ordered-fraction")).ToContainTextAsync(Formats.Money(25_000m, "TRY", tr) + " / " + Formats.Money(35_000m, "TRY", tr));
        await Assertions.Expect(page.GetByTestId("quote-line-remaining")).ToHaveTextAsync(["1", "0"]);
    }
}
