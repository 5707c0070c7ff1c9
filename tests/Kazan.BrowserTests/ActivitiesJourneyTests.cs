using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed class ActivitiesJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    /// <summary>The organization's clock of a new organization (Turkey's zone).</summary>
    private static readonly OrganizationTime Turkey = new(TimeProvider.System, new CurrentUser());

    /// <summary>An account with a deal and a task that was due yesterday, owned by the user who just signed up.</summary>
    private async Task<(Guid AccountId, Guid OpportunityId)> ArrangeAsync(string email)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();

        // Test arrangement: find the newcomer before any caller is set (the tenant filter would hide them).
        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Email == email);
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(user.OrganizationId, user.Id, UserRole.Admin, repsSeeAll: false);
        var now = DateTimeOffset.UtcNow;
        var account = new Account(user.OrganizationId, user.Id, AccountKind.Company, "Boğaziçi Lojistik A.Ş.", now);
        var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync();
        var deal = new Opportunity(user.OrganizationId, user.Id, account.Id, stage, "Depo otomasyonu", 250_000m, "TRY", 1m,
            DateOnly.FromDateTime(now.UtcDateTime).AddMonths(1), user.Id, now);
        var overdue = new Activity(user.OrganizationId, user.Id, ActivityKind.Call, "Satın alma müdürünü ara", account.Id, deal.Id,
            Turkey.StartOf(Turkey.Today.AddDays(-1)).AddHours(10), now);
        db.AddRange(account, deal, overdue);
        await db.SaveChangesAsync();
        return (account.Id, deal.Id);
    }

    [Fact]
    public async Task A_rep_plans_a_task_from_my_day_completes_it_logs_a_call_on_the_account_and_sees_both_on_the_timeline()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var email = $"kerem-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("Boğaz Dağıtım A.Ş.");
        await page.GetByTestId("admin-name").FillAsync("Kerem Işık");
        await page.GetByTestId("admin-email").FillAsync(email);
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Kerem Işık");
        await ArrangeAsync(email);

        // Home says what the day holds and leads to it.
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("home-my-day")).ToContainTextAsync("1 gecikmiş, 0 bugün");
        await page.GetByTestId("home-my-day-link").ClickAsync();
        await page.WaitForURLAsync("**/my-day");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Günüm");
        await Assertions.Expect(page.GetByTestId("my-day-overdue")).ToContainTextAsync("Satın alma müdürünü ara");

        // Quick add: a task for today on one of my accounts.
        await page.GetByTestId("my-day-account").SelectOptionAsync(new SelectOptionValue { Label = "Boğaziçi Lojistik A.Ş." });
        await page.GetByTestId("my-day-subject").FillAsync("Teklifi gönder");
        await page.GetByTestId("my-day-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("my-day-today")).ToContainTextAsync("Teklifi gönder");
        await BrowserFixture.ScreenshotAsync(page, "activities-01-my-day");

        // Done: it leaves my day.
        await page.GetByTestId("my-day-today").GetByTestId("my-day-done").ClickAsync();
        await Assertions.Expect(page.GetByTestId("my-day-today")).ToContainTextAsync("Bugün için planlanmış bir şey yok.");
        await Assertions.Expect(page.GetByTestId("my-day-overdue")).ToContainTextAsync("Satın alma müdürünü ara");

        // The account's activities: log a call there, mark it done, see the history.
        await page.GetByTestId("my-day-overdue").GetByRole(AriaRole.Link, new() { Name = "Boğaziçi Lojistik A.Ş." }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("account-name")).ToHaveTextAsync("Boğaziçi Lojistik A.Ş.");
        var panel = page.GetByTestId("activity-panel");
        await panel.GetByTestId("activity-kind").SelectOptionAsync("Meeting");
        await panel.GetByTestId("activity-subject").FillAsync("Depoda keşif toplantısı");
        await panel.GetByTestId("activity-add").ClickAsync();
        var meeting = panel.GetByTestId("activity-open").Filter(new() { HasText = "Depoda keşif toplantısı" });
        await Assertions.Expect(meeting).ToContainTextAsync("Toplantı");
        await meeting.GetByTestId("activity-done").ClickAsync();
        await Assertions.Expect(panel.GetByTestId("activity-done-list")).ToContainTextAsync("Depoda keşif toplantısı");
        await Assertions.Expect(panel.GetByTestId("activity-open-list")).Not.ToContainTextAsync("Depoda keşif toplantısı");

        var timeline = page.GetByTestId("timeline");
        await Assertions.Expect(timeline.GetByTestId("timeline-item").First).ToContainTextAsync("Toplantı tamamlandı: Depoda keşif toplantısı");
        await Assertions.Expect(timeline).ToContainTextAsync("Görev tamamlandı: Teklifi gönder");
        await Assertions.Expect(timeline).ToContainTextAsync("Depo otomasyonu: Fırsat Yeni aşamasında oluşturuldu");
        await Assertions.Expect(timeline).ToContainTextAsync("Kerem Işık");
        await BrowserFixture.ScreenshotAsync(page, "activities-02-account-timeline");

        // The overdue call, done from my day, clears the day.
        await page.GetByTestId("nav-my-day").ClickAsync();
        await page.GetByTestId("my-day-overdue").GetByTestId("my-day-done").ClickAsync();
        await Assertions.Expect(page.GetByTestId("my-day-overdue")).ToContainTextAsync("Geciken bir şey yok.");
    }
}
