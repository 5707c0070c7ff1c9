using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Infrastructure.Errors;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Users;

// Its own host: a test clock the tests move and an SMTP capture reading every mail the host sends.
/// <summary>Deactivate, reactivate, role changes: who can still get in, and how fast they are let out.</summary>
public sealed class UserAccessTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<HttpResponseMessage> PostAsync(TestUser caller, string url) => await caller.Client.PostAsync(url, null, Ct);

    [Fact]
    public async Task Deactivating_a_user_rejects_their_cookie_and_api_token_on_the_next_request_and_sign_in_says_why()
    {
        var org = await factory.CreateOrganizationAsync("Ayrılan A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Ayrılan Temsilci");
        var session = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);
        Assert.True(await session.IsSignedInAsync());
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync("/api/v1/me", Ct)).StatusCode);

        var response = await PostAsync(org.Admin, $"/api/v1/users/{rep.Id}/deactivate");

        await response.EnsureSuccessAsync();
        Assert.False((await response.Content.ReadFromJsonAsync<UserDto>(Ct))!.IsActive);
        Assert.False(await session.IsSignedInAsync());
        await (await rep.Client.GetAsync("/api/v1/me", Ct)).ProblemAsync(401);

        var rightPassword = await new CookieSession(factory, "tr-TR").PostFormAsync("/signin", "signin",
            new() { ["Input.Email"] = rep.Email, ["Input.Password"] = TestOrganization.Password });
        var html = await rightPassword.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Bu hesap devre dışı bırakıldı", html, StringComparison.Ordinal);
        Assert.DoesNotContain(rightPassword.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], x => x.StartsWith("kazan.auth=", StringComparison.Ordinal));

        // Without the password, a deactivated account looks like any wrong sign-in: nothing is revealed.
        var wrongPassword = await new CookieSession(factory, "tr-TR").PostFormAsync("/signin", "signin",
            new() { ["Input.Email"] = rep.Email, ["Input.Password"] = "yanlis-sifre-000" });
        var wrongHtml = await wrongPassword.Content.ReadAsStringAsync(Ct);
        Assert.Contains("E-posta veya şifre hatalı", wrongHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("devre dışı", wrongHtml, StringComparison.Ordinal);

        // Nor can a deactivated user get back in through a reset link.
        await (await PostAsync(org.Admin, $"/api/v1/users/{rep.Id}/password-reset")).ProblemAsync(422);
    }

    [Fact]
    public async Task Reactivating_restores_sign_in_but_revoked_api_tokens_stay_revoked()
    {
        var org = await factory.CreateOrganizationAsync("Dönen A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        await (await PostAsync(org.Admin, $"/api/v1/users/{rep.Id}/deactivate")).EnsureSuccessAsync();

        var response = await PostAsync(org.Admin, $"/api/v1/users/{rep.Id}/reactivate");

        await response.EnsureSuccessAsync();
        Assert.True((await response.Content.ReadFromJsonAsync<UserDto>(Ct))!.IsActive);
        Assert.True(await (await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password)).IsSignedInAsync());
        await (await rep.Client.GetAsync("/api/v1/me", Ct)).ProblemAsync(401);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.All(await db.ApiTokens.Where(t => t.UserId == rep.Id).ToListAsync(Ct), t => Assert.NotNull(t.RevokedAt));
        }

        var fresh = await factory.ClientForAsync(org.Id, rep.Id);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Deactivating_twice_or_reactivating_an_active_user_changes_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Tekrar A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var first = await (await PostAsync(org.Admin, $"/api/v1/users/{rep.Id}/deactivate")).Content.ReadFromJsonAsync<UserDto>(Ct);
        var second = await (await PostAsync(org.Admin, $"/api/v1/users/{rep.Id}/deactivate")).Content.ReadFromJsonAsync<UserDto>(Ct);
        Assert.Equal(first!.Version, second!.Version);
        var active = await (await PostAsync(org.Admin, $"/api/v1/users/{org.Admin.Id}/reactivate")).Content.ReadFromJsonAsync<UserDto>(Ct);
        Assert.True(active!.IsActive);
    }

    [Fact]
    public async Task An_admin_cannot_deactivate_or_demote_themselves()
    {
        var org = await factory.CreateOrganizationAsync("Kendim A.Ş.");

        var problem = await (await PostAsync(org.Admin, $"/api/v1/users/{org.Admin.Id}/deactivate")).ProblemAsync(422);

        Assert.Equal("user.self-demotion", problem.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await org.Admin.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public void The_last_active_admin_cannot_be_deactivated_or_demoted_by_anyone()
    {
        var admin = new User(Guid.NewGuid(), "tek@example.com", "Tek Yönetici", UserRole.Admin, "tr-TR");
        var someoneElse = Guid.NewGuid();

        var deactivate = Assert.Throws<DomainRuleException>(() => admin.ChangeAccess("Tek Yönetici", UserRole.Admin, null, false, someoneElse, anotherActiveAdminExists: false));
        var demote = Assert.Throws<DomainRuleException>(() => admin.ChangeAccess("Tek Yönetici", UserRole.Manager, null, true, someoneElse, anotherActiveAdminExists: false));

        Assert.Equal(("user.last-admin", "user.last-admin"), (deactivate.Code, demote.Code));
        Assert.True(admin.IsActive);
        admin.ChangeAccess("Tek Yönetici", UserRole.Manager, null, true, someoneElse, anotherActiveAdminExists: true);
        Assert.Equal(UserRole.Manager, admin.Role);
    }

    [Fact]
    public async Task A_second_admin_can_be_deactivated_by_the_first()
    {
        var org = await factory.CreateOrganizationAsync("İki Yönetici A.Ş.");
        var second = await org.AddUserAsync(UserRole.Admin);

        await (await PostAsync(org.Admin, $"/api/v1/users/{second.Id}/deactivate")).EnsureSuccessAsync();

        await (await second.Client.GetAsync("/api/v1/me", Ct)).ProblemAsync(401);
    }

    [Fact]
    public async Task A_role_change_ends_the_users_sessions_and_the_next_sign_in_carries_the_new_role()
    {
        var org = await factory.CreateOrganizationAsync("Terfi A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Terfi Eden");
        var session = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);
        Assert.Equal(HttpStatusCode.Redirect, (await session.GetAsync("/settings/users")).StatusCode); // a rep: forbidden page

        var current = await org.Admin.Client.GetAsync($"/api/v1/users/{rep.Id}", Ct);
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/users/{rep.Id}")
        {
            Content = JsonContent.Create(new { displayName = "Terfi Eden", role = "Admin", teamId = (Guid?)null, isActive = true }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(put, Ct)).EnsureSuccessAsync();

        Assert.False(await session.IsSignedInAsync());
        var again = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/settings/users")).StatusCode);
    }

    [Fact]
    public async Task A_name_change_by_an_admin_reaches_the_users_open_session_without_signing_them_out()
    {
        var org = await factory.CreateOrganizationAsync("İsim A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Eski İsim");
        var session = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);

        var current = await org.Admin.Client.GetAsync($"/api/v1/users/{rep.Id}", Ct);
        var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/users/{rep.Id}")
        {
            Content = JsonContent.Create(new { displayName = "Yeni İsim", role = "Rep", teamId = (Guid?)null, isActive = true }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(put, Ct)).EnsureSuccessAsync();

        var page = await session.GetAsync("/profile");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Yeni İsim", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deactivated_user_stays_owner_of_their_records_is_shown_inactive_and_is_left_out_of_owner_pickers()
    {
        var org = await factory.CreateOrganizationAsync("Sahip A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Pasif Satışçı");
        var created = await rep.Client.PostAsJsonAsync("/api/v1/accounts", new { kind = "Company", name = "Pasifin Müşterisi" }, Ct);
        await created.EnsureSuccessAsync();
        var account = (await created.Content.ReadFromJsonAsync<AccountDto>(Ct))!;

        await (await PostAsync(org.Admin, $"/api/v1/users/{rep.Id}/deactivate")).EnsureSuccessAsync();

        var after = await org.Admin.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{account.Id}", Ct);
        Assert.Equal((rep.Id, "Pasif Satışçı"), (after!.OwnerId, after.OwnerName));
        var admin = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);
        var users = await (await admin.GetAsync("/settings/users")).Content.ReadAsStringAsync(Ct);
        var row = users[users.IndexOf($"user-row-{rep.Id}", StringComparison.Ordinal)..];
        Assert.Contains("Pasif", row[..row.IndexOf("</tr>", StringComparison.Ordinal)], StringComparison.Ordinal);
        var picker = await (await admin.GetAsync($"/accounts/{account.Id}")).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"value=\"{org.Admin.Id}\"", picker, StringComparison.Ordinal);
        Assert.DoesNotContain($"value=\"{rep.Id}\"", picker, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_users_page_deactivates_and_reactivates_and_refuses_self_deactivation_in_the_users_language()
    {
        var org = await factory.CreateOrganizationAsync("Sayfa A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var admin = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);

        var deactivated = await admin.PostFormAsync($"/settings/users/{rep.Id}", "deactivate-user", []);
        Assert.Contains("user-reactivate", await deactivated.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await (await rep.Client.GetAsync("/api/v1/me", Ct)).ProblemAsync(401);

        var reactivated = await admin.PostFormAsync($"/settings/users/{rep.Id}", "reactivate-user", []);
        Assert.Contains("user-deactivate", await reactivated.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True((await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password)).HasAuthCookie);

        var self = await admin.PostFormAsync($"/settings/users/{org.Admin.Id}", "deactivate-user", []);
        Assert.Contains("Kendinizin rolünü düşüremez", await self.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True(await admin.IsSignedInAsync());
    }

    [Fact]
    public async Task An_admin_makes_a_reset_link_on_the_users_page()
    {
        var org = await factory.CreateOrganizationAsync("Link Sayfa A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var admin = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);

        var page = await admin.PostFormAsync($"/settings/users/{rep.Id}", "reset-link", []);
        var html = await page.Content.ReadAsStringAsync(Ct);

        var start = html.IndexOf("/reset-password/pwr_", StringComparison.Ordinal);
        Assert.True(start > 0, html);
        var token = html[(start + "/reset-password/".Length)..].Split('"')[0];
        var done = await factory.Anonymous().PostAsJsonAsync("/api/v1/password-resets/complete", new { token, newPassword = "yeni-sifre-2027" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, done.StatusCode);
    }

    private sealed record UserDto(Guid Id, bool IsActive, int Version);

    private sealed record AccountDto(Guid Id, Guid OwnerId, string OwnerName);
}
