using Kazan.Features.Notifications;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>The bell and the notifications page on the demo company, in Turkish on a desktop and in English on a phone.</summary>
[Collection(DemoCompany.Name)]
public sealed class NotificationJourneyTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop", "admin@anadolu.example", "Bildirimler", "Bildirimler, 2 okunmamış", "Bildirimler, 1 okunmamış", "Müşteri teklifi kabul etti")]
    [InlineData("en-US", "phone", "ada@anadolu.example", "Notifications", "Notifications, 2 unread", "Notifications, 1 unread", "The customer accepted the quote")]
    public async Task The_bell_counts_the_unread_the_page_opens_one_at_its_quote_and_marks_the_rest_read(
        string locale, string viewport, string email, string title, string twoUnread, string oneUnread, string accepted)
    {
        var ct = TestContext.Current.CancellationToken;
        Guid quoteId;
        string quoteTitle;
        using (var scope = demo.App.Services.CreateScope())
        {
            // Arrange a known state: everything the user had is read, then the customer accepts a quote and views another.
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == email, ct);
            await db.Notifications.IgnoreQueryFilters().Where(n => n.RecipientId == user.Id && n.ReadAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, DateTimeOffset.UtcNow), ct);
            var quotes = await db.Quotes.IgnoreQueryFilters().Where(q => q.Status == QuoteStatus.Sent || q.Status == QuoteStatus.Accepted)
                .Join(db.Accounts.IgnoreQueryFilters(), q => q.AccountId, a => a.Id, (q, a) => new { q.Id, q.Number, q.Revision, Account = a.Name })
                .OrderBy(q => q.Number).Take(2).ToListAsync(ct);
            quoteId = quotes[0].Id;
            quoteTitle = QuoteNotifications.Title(quotes[0].Number, quotes[0].Account);
            var now = DateTimeOffset.UtcNow;
            NotificationCommands.Notify(db, user.OrganizationId, user.Id, NotificationKind.QuoteViewed, "Quote", quotes[1].Id,
                QuoteNotifications.Title(quotes[1].Number, quotes[1].Account), QuoteNotifications.Link(quotes[1].Id), now.AddMinutes(-30));
            NotificationCommands.Notify(db, user.OrganizationId, user.Id, NotificationKind.QuoteAccepted, "Quote", quoteId, quoteTitle,
                QuoteNotifications.Link(quoteId), now.AddMinutes(-5));
            await db.SaveChangesAsync(ct);
        }

        var page = await demo.PageAsync(locale, Viewports.Named(viewport));
        await page.GotoAsync("/");
        var bell = page.GetByTestId("notification-bell");
        await Assertions.Expect(bell).ToHaveAttributeAsync("aria-label", twoUnread);
        await Assertions.Expect(page.GetByTestId("notification-count")).ToHaveTextAsync("2");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = twoUnread })).ToBeVisibleAsync();
        if (viewport == "phone")
        {
            // In the phone's top bar, beside the menu button, and big enough for a thumb.
            var box = (await bell.BoundingBoxAsync())!;
            Assert.True(box.Width >= 44 && box.Height >= 44, $"the bell is {box.Width}×{box.Height}");
        }

        await bell.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
        var items = page.GetByTestId("notification");
        await Assertions.Expect(page.Locator("[data-testid=notification][data-unread=true]")).ToHaveCountAsync(2);
        var newest = items.First;
        await Assertions.Expect(newest).ToContainTextAsync(accepted);
        await Assertions.Expect(newest).ToContainTextAsync(quoteTitle);
        await Assertions.Expect(newest.Locator(".notification-what")).ToHaveCSSAsync("font-weight", "700");
        if (viewport == "phone")
        {
            var box = (await newest.GetByTestId("notification-link").BoundingBoxAsync())!;
            Assert.True(box.Height >= 44, $"a notification is {box.Height} px high");
        }

        await BrowserFixture.ScreenshotAsync(page, $"notifications-{locale}-{viewport}");

        // Following it leads to the quote and counts it read.
        await newest.GetByTestId("notification-link").ClickAsync();
        await page.WaitForURLAsync($"**/quotes/{quoteId}");
        await Assertions.Expect(page.GetByTestId("notification-bell")).ToHaveAttributeAsync("aria-label", oneUnread);

        await page.GotoAsync("/notifications");
        await Assertions.Expect(page.Locator("[data-testid=notification][data-unread=true]")).ToHaveCountAsync(1);
        await Assertions.Expect(items.First).ToHaveAttributeAsync("data-unread", "false");
        await page.GetByTestId("mark-all-read").ClickAsync();
        await Assertions.Expect(page.GetByTestId("marked-read")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=notification][data-unread=true]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("notification-bell")).ToHaveAttributeAsync("aria-label", title);
        await Assertions.Expect(page.GetByTestId("notification-count")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("mark-all-read")).ToHaveCountAsync(0);
    }
}
