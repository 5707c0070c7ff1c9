using Kazan.Features.Accounts;
using Kazan.Features.Orders;
using Kazan.Features.Pricing;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed class OrderListsJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    /// <summary>The organization's day (Turkey's by default), the day the pages count lateness in.</summary>
    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, OrganizationTime.DefaultZone).DateTime);

    /// <summary>Two customers with a late order, an order on time and a delivered one (orders are built on the order pages, not here).</summary>
    private async Task<(Guid Account, string Late, string OnTime)> ArrangeAsync(string email)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();

        // Test arrangement: find the newcomer before any caller is set (the tenant filter would hide them).
        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Email == email);
        var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
        me.Set(user.OrganizationId, user.Id, UserRole.Admin, repsSeeAll: false);
        var marmara = new Account(user.OrganizationId, user.Id, AccountKind.Company, "Marmara Gıda A.Ş.", DateTimeOffset.UtcNow);
        var ege = new Account(user.OrganizationId, user.Id, AccountKind.Company, "Ege Zeytin Ltd. Şti.", DateTimeOffset.UtcNow);
        db.AddRange(marmara, ege);
        await db.SaveChangesAsync();

        async Task<Order> OrderAsync(Guid accountId, int orderedDaysAgo, int requestedInDays, string item, decimal quantity, decimal price) =>
            (await OrderCommands.CreateDirectAsync(db, me, new OrganizationTime(TimeProvider.System, me), accountId, null, null, new OrderMoney("TRY", null, 0m),
                [new LineDraft(null, item, quantity, "koli", price, 0m, 20m)],
                new OrderDetails(Today.AddDays(-orderedDaysAgo), "PO-" + item[..3].ToUpperInvariant(), Today.AddDays(requestedInDays), null, null), default)).Value!.Order;

        var late = await OrderAsync(marmara.Id, 20, -5, "Zeytinyağı 5 lt", 40, 612.5m);
        var onTime = await OrderAsync(marmara.Id, 2, 12, "Salça 830 g", 120, 84.9m);
        var delivered = await OrderAsync(ege.Id, 30, -10, "Siyah zeytin", 25, 310m);
        await OrderCommands.RecordDeliveryAsync(db, me, new OrganizationTime(TimeProvider.System, me), delivered.Id, null, DeliveryKind.Delivery, null, null, "İRS-1", null, default);
        return (marmara.Id, late.Number, onTime.Number);
    }

    [Fact]
    public async Task A_manager_spots_a_late_order_on_the_dashboard_filters_the_orders_reads_the_backlog_and_the_account_panel()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var email = $"mert-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("Anadolu Gıda Dağıtım A.Ş.");
        await page.GetByTestId("admin-name").FillAsync("Mert Aydın");
        await page.GetByTestId("admin-email").FillAsync(email);
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Mert Aydın");
        var (account, late, onTime) = await ArrangeAsync(email);

        // The dashboard names the late order, and only it.
        await page.GotoAsync("/");
        var card = page.GetByTestId("late-orders");
        await Assertions.Expect(card.GetByTestId("late-order-row")).ToHaveCountAsync(1);
        await Assertions.Expect(card).ToContainTextAsync(late);
        await Assertions.Expect(card).ToContainTextAsync("5 gün gecikti");
        await BrowserFixture.ScreenshotAsync(page, "orders-dashboard");

        // The orders list: three orders; "late only" leaves the late one.
        await page.GetByTestId("nav-orders").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-row")).ToHaveCountAsync(3);
        await BrowserFixture.ScreenshotAsync(page, "orders-list");
        await page.GetByTestId("filter-overdue").CheckAsync();
        await page.GetByTestId("filter-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("order-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("order-row")).ToContainTextAsync(late);
        await Assertions.Expect(page.GetByTestId("late-mark")).ToBeVisibleAsync();

        // The backlog: Marmara waits for 40 × 612,50 + 120 × 84,90 = 34.688,00 ₺; the delivered Ege order is gone.
        await page.GetByTestId("orders-backlog-link").ClickAsync();
        var marmara = page.GetByTestId("backlog-customer-row");
        await Assertions.Expect(marmara).ToHaveCountAsync(1);
        await Assertions.Expect(marmara).ToContainTextAsync("Marmara Gıda A.Ş.");
        await Assertions.Expect(marmara.GetByTestId("backlog-customer-remaining")).ToHaveTextAsync("34.688,00 ₺");
        await Assertions.Expect(page.GetByTestId("backlog-product-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("backlog-product-quantity")).ToHaveTextAsync("160 koli");
        await BrowserFixture.ScreenshotAsync(page, "orders-backlog");

        // The account's orders panel: both orders, one late.
        await page.GotoAsync($"/accounts/{account}");
        var panel = page.GetByTestId("account-orders");
        await Assertions.Expect(panel.GetByTestId("account-order-row")).ToHaveCountAsync(2);
        await Assertions.Expect(panel.GetByTestId("account-late-count")).ToHaveTextAsync("1 gecikmiş");
        await Assertions.Expect(panel.Locator("tr.late")).ToContainTextAsync(late);
        await Assertions.Expect(panel.Locator("tr:not(.late)", new() { HasText = onTime })).ToHaveCountAsync(1);
        await panel.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDirectory, "orders-account-panel.png") });

        // The organization setting: on by default, saved off.
        await page.GotoAsync("/settings/organization");
        await Assertions.Expect(page.GetByTestId("win-on-first-order")).ToBeCheckedAsync();
        await page.GetByTestId("win-on-first-order").UncheckAsync();
        await page.GetByTestId("org-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("saved")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("win-on-first-order")).Not.ToBeCheckedAsync();
    }
}
