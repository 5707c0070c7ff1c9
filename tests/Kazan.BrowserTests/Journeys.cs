using Kazan.Features.Accounts;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>Steps many journeys start with: a new company signed up in the browser, and records arranged for it.</summary>
public static class Journeys
{
    /// <summary>Signs up a company at /onboarding with its first admin; returns the admin's e-mail. The page is signed in after.</summary>
    public static async Task<string> SignUpAsync(IPage page, string organization, string admin, string language = "tr-TR")
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync(organization);
        if (language != "tr-TR")
        {
            await page.GetByTestId("org-culture").SelectOptionAsync(language);
        }

        await page.GetByTestId("admin-name").FillAsync(admin);
        await page.GetByTestId("admin-email").FillAsync(email);
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(admin);
        return email;
    }

    /// <summary>A scope acting as the user with the given e-mail (admin), for arranging records through the domain.</summary>
    public static async Task<(AsyncServiceScope Scope, KazanDbContext Db, User User)> ActAsAsync(BrowserFixture fixture, string email)
    {
        var scope = fixture.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();

        // Test arrangement: find the newcomer before any caller is set (the tenant filter would hide them).
        var user = await db.Users.IgnoreQueryFilters().FirstAsync(u => u.Email == email);
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(user.OrganizationId, user.Id, UserRole.Admin, repsSeeAll: false);
        return (scope, db, user);
    }

    public static async Task<Guid> AccountAsync(BrowserFixture fixture, string email, string name)
    {
        var (scope, db, user) = await ActAsAsync(fixture, email);
        await using (scope)
        {
            var account = new Account(user.OrganizationId, user.Id, AccountKind.Company, name, DateTimeOffset.UtcNow);
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        }
    }
}
