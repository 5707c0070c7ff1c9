using System.Net;
using System.Net.Http.Json;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Activities;

// Its own host: the tests set and move the clock, which every class sharing the host would see.
/// <summary>
/// "Today" is the organization's day (Turkey's by default), never the UTC day: at 01:30 in İstanbul the UTC day is
/// still yesterday, and my day, overdue activities and the dashboard must already read the new day.
/// </summary>
public sealed class OrganizationDayTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>9 March 2026, 22:30 UTC: 10 March, 01:30 in İstanbul.</summary>
    private static readonly DateTimeOffset HalfPastOneInIstanbul = new(2026, 3, 9, 22, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task An_activity_due_today_in_Istanbul_is_due_today_at_half_past_one_at_night_although_UTC_is_still_on_yesterday()
    {
        factory.Clock.Now = ClockedKazanFactory.Start;
        var org = await factory.CreateOrganizationAsync("Gece Yarısı A.Ş.");
        var sales = new SalesArrange(factory, org, factory.Clock);
        var account = await sales.AccountAsync("Gece Müşteri");

        // Due 10 March 09:00 and 9 March 15:00 in İstanbul (UTC+3).
        var today = await sales.ActivityAsync(account, "Sabah toplantısı", new DateTimeOffset(2026, 3, 10, 6, 0, 0, TimeSpan.Zero));
        var yesterday = await sales.ActivityAsync(account, "Dünkü arama", new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero));
        try
        {
            factory.Clock.Now = HalfPastOneInIstanbul;

            var day = (await org.Admin.Client.GetFromJsonAsync<MyDay>("/api/v1/my-day", Ct))!;

            Assert.Equal(new DateOnly(2026, 3, 10), day.Date);
            Assert.Equal("Europe/Istanbul", day.TimeZone);
            Assert.Contains(day.Today, a => a.Id == today.Id);
            Assert.Contains(day.Overdue, a => a.Id == yesterday.Id);
            Assert.DoesNotContain(day.Overdue, a => a.Id == today.Id);

            // The activity itself says it is not overdue, and the dashboard counts the same day.
            var activity = (await org.Admin.Client.GetFromJsonAsync<Item>($"/api/v1/activities/{today.Id}", Ct))!;
            Assert.False(activity.Overdue);
            var home = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync("/", Ct));
            Assert.Contains("10 Mart 2026", home);
        }
        finally
        {
            factory.Clock.Now = ClockedKazanFactory.Start;
        }
    }

    private sealed record Item(Guid Id, bool Overdue);

    private sealed record MyDay(DateOnly Date, string TimeZone, List<Item> Overdue, List<Item> Today, bool MoreOverdue);
}
