using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Users;

// Its own host: a test clock the tests move and an SMTP capture reading every mail the host sends.
/// <summary>Change my password, forgot password, reset links (mailed through a real SMTP server or made by an admin).</summary>
public sealed class PasswordTests(AccountsFactory factory) : IClassFixture<AccountsFactory>
{
    private const string NewPassword = "yeni-sifre-2027";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Json(HttpMethod method, string url, object body, string? language = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        if (language is not null)
        {
            request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue(language));
        }

        return request;
    }

    private async Task<HttpResponseMessage> ForgotAsync(string email) =>
        await factory.Anonymous().PostAsJsonAsync("/api/v1/password-resets", new { email }, Ct);

    private async Task<HttpResponseMessage> CompleteAsync(string token, string password) =>
        await factory.Anonymous().PostAsJsonAsync("/api/v1/password-resets/complete", new { token, newPassword = password }, Ct);

    private static string TokenOf(string link) => link[(link.LastIndexOf('/') + 1)..];

    [Fact]
    public async Task Changing_the_password_keeps_this_browser_signed_in_ends_the_other_sessions_at_once_and_only_the_new_password_works()
    {
        var org = await factory.CreateOrganizationAsync("Şifre Değişim A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Deniz Kaya");
        var here = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);
        var elsewhere = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);
        var cookieBefore = here.AuthCookie;

        var response = await here.PostFormAsync("/profile", "change-password", new()
        {
            ["Input.CurrentPassword"] = TestOrganization.Password,
            ["Input.NewPassword"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("password-changed", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.NotEqual(cookieBefore, here.AuthCookie); // reissued with the new security stamp
        Assert.True(await here.IsSignedInAsync());
        Assert.False(await elsewhere.IsSignedInAsync());
        Assert.False(elsewhere.HasAuthCookie);

        var withOld = new CookieSession(factory);
        var refused = await withOld.PostFormAsync("/signin", "signin", new() { ["Input.Email"] = rep.Email, ["Input.Password"] = TestOrganization.Password });
        Assert.Contains("signin-error", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.True((await CookieSession.SignInAsync(factory, rep.Email, NewPassword)).HasAuthCookie);

        // API tokens are credentials of their own: they keep working until revoked on the tokens page.
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("tr-TR", "Mevcut şifre hatalı.", "Şifre en az 10 karakter olmalı.")]
    [InlineData("en-US", "The current password is wrong.", "The password must be at least 10 characters long.")]
    public async Task Changing_the_password_through_the_api_explains_refusals_in_the_callers_language(string language, string wrongCurrent, string tooShort)
    {
        // The signed-in user's language decides (here the organization's default, which new users get).
        var org = await factory.CreateOrganizationAsync("Şifre API " + language, culture: language);

        var wrong = await org.Admin.Client.SendAsync(Json(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = "yanlis-sifre-000", newPassword = NewPassword }, language), Ct);
        var problem = await wrong.ProblemAsync(400);
        Assert.Equal(wrongCurrent, problem.GetProperty("errors").GetProperty("CurrentPassword")[0].GetString());

        var weak = await org.Admin.Client.SendAsync(Json(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = TestOrganization.Password, newPassword = "kisa1" }, language), Ct);
        var rules = (await weak.ProblemAsync(400)).GetProperty("errors").GetProperty("NewPassword").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(tooShort, rules);

        var ok = await org.Admin.Client.SendAsync(Json(HttpMethod.Post, "/api/v1/me/password", new { currentPassword = TestOrganization.Password, newPassword = NewPassword }, language), Ct);
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        Assert.True((await CookieSession.SignInAsync(factory, org.Admin.Email, NewPassword)).HasAuthCookie);
    }

    [Fact]
    public async Task Forgot_password_gives_the_same_answer_for_a_known_and_an_unknown_address_and_mails_only_the_known_one()
    {
        var org = await factory.CreateOrganizationAsync("Unuttum A.Ş.");
        var unknown = $"kimse-{Guid.NewGuid():N}@example.com";

        var forUnknown = await ForgotAsync(unknown);
        var forKnown = await ForgotAsync(org.Admin.Email);

        Assert.Equal(HttpStatusCode.Accepted, forUnknown.StatusCode);
        Assert.Equal(forUnknown.StatusCode, forKnown.StatusCode);
        Assert.Equal(await forUnknown.Content.ReadAsStringAsync(Ct), await forKnown.Content.ReadAsStringAsync(Ct));
        Assert.Equal(forUnknown.Headers.Location, forKnown.Headers.Location);

        // Requests are worked through in order: once the known address's mail is in, the unknown one was handled too.
        var mail = await factory.Mail.WaitForAsync(org.Admin.Email);
        Assert.Empty(factory.Mail.To(unknown));
        Assert.Equal("Kazan şifrenizi yenileyin", mail.Subject);
        Assert.Contains("/reset-password/pwr_", SmtpCapture.LinkIn(mail), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mailed_link_sets_a_new_password_once_ends_every_session_and_cannot_be_used_again()
    {
        var org = await factory.CreateOrganizationAsync("Bağlantı A.Ş.");
        var session = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);
        await (await ForgotAsync(org.Admin.Email)).EnsureSuccessAsync();
        var link = SmtpCapture.LinkIn(await factory.Mail.WaitForAsync(org.Admin.Email));

        var page = await new CookieSession(factory, "tr-TR").GetAsync(new Uri(link).PathAndQuery);
        Assert.Contains("reset-submit", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.NoContent, (await CompleteAsync(TokenOf(link), NewPassword)).StatusCode);
        Assert.False(await session.IsSignedInAsync());
        Assert.True((await CookieSession.SignInAsync(factory, org.Admin.Email, NewPassword)).HasAuthCookie);

        await (await CompleteAsync(TokenOf(link), "ucuncu-sifre-2028")).ProblemAsync(404);
        var again = await new CookieSession(factory, "tr-TR").GetAsync(new Uri(link).PathAndQuery);
        var html = await again.Content.ReadAsStringAsync(Ct);
        Assert.Contains("reset-unusable", html, StringComparison.Ordinal);
        Assert.Contains("Bu şifre yenileme bağlantısı geçersiz", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reset_link_expires_after_an_hour()
    {
        var org = await factory.CreateOrganizationAsync("Süre A.Ş.");
        await (await ForgotAsync(org.Admin.Email)).EnsureSuccessAsync();
        var link = SmtpCapture.LinkIn(await factory.Mail.WaitForAsync(org.Admin.Email));

        factory.Clock.Advance(TimeSpan.FromMinutes(61));
        try
        {
            await (await CompleteAsync(TokenOf(link), NewPassword)).ProblemAsync(404);
        }
        finally
        {
            factory.Clock.Now = ClockedKazanFactory.Start;
        }

        Assert.True((await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password)).HasAuthCookie);
    }

    [Fact]
    public async Task A_refused_password_leaves_the_link_usable_and_says_why_in_the_callers_language()
    {
        var org = await factory.CreateOrganizationAsync("Zayıf A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var link = await AdminLinkAsync(org, rep.Id);

        var weak = await factory.Anonymous().SendAsync(Json(HttpMethod.Post, "/api/v1/password-resets/complete", new { token = TokenOf(link), newPassword = "sadeceharf" }, "tr-TR"), Ct);
        var rules = (await weak.ProblemAsync(400)).GetProperty("errors").GetProperty("NewPassword").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("Şifre en az bir rakam (0-9) içermeli.", rules);

        Assert.Equal(HttpStatusCode.NoContent, (await CompleteAsync(TokenOf(link), NewPassword)).StatusCode);
    }

    [Fact]
    public async Task An_admin_made_link_is_shown_mailed_in_the_users_language_and_a_newer_one_supersedes_it()
    {
        var org = await factory.CreateOrganizationAsync("Admin Link Ltd.", culture: "en-US");
        var rep = await org.AddUserAsync(UserRole.Rep, "Jane Doe");

        var first = await AdminLinkAsync(org, rep.Id);
        var second = await AdminLinkAsync(org, rep.Id);

        var invitation = await factory.Mail.WaitForAsync(rep.Email);
        Assert.Equal("You are invited to Admin Link Ltd. on Kazan", invitation.Subject);
        var mail = await factory.Mail.WaitForAsync(rep.Email, nth: 3);
        Assert.Equal("Reset your Kazan password", mail.Subject);
        Assert.Contains("Hello Jane Doe,", mail.TextBody, StringComparison.Ordinal);
        Assert.Equal(second, SmtpCapture.LinkIn(mail));

        await (await CompleteAsync(TokenOf(first), NewPassword)).ProblemAsync(404);
        Assert.Equal(HttpStatusCode.NoContent, (await CompleteAsync(TokenOf(second), NewPassword)).StatusCode);
        Assert.True((await CookieSession.SignInAsync(factory, rep.Email, NewPassword)).HasAuthCookie);
    }

    [Fact]
    public async Task A_password_change_supersedes_open_reset_links()
    {
        var org = await factory.CreateOrganizationAsync("Eski Link A.Ş.");
        var link = await AdminLinkAsync(org, org.Admin.Id);

        var change = await org.Admin.Client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = TestOrganization.Password, newPassword = NewPassword }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, change.StatusCode);

        await (await CompleteAsync(TokenOf(link), "baska-sifre-2028")).ProblemAsync(404);
    }

    [Fact]
    public async Task Reset_links_are_stored_only_as_hashes()
    {
        var org = await factory.CreateOrganizationAsync("Hash A.Ş.");
        var token = TokenOf(await AdminLinkAsync(org, org.Admin.Id));

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stored = await db.PasswordResets.SingleAsync(r => r.UserId == org.Admin.Id, Ct);
            Assert.NotEqual(token, stored.TokenHash);
            Assert.Equal(Kazan.Infrastructure.Auth.SecretTokens.Hash(token), stored.TokenHash);
        }
    }

    [Fact]
    public async Task Forgot_password_requests_are_limited_per_address()
    {
        var email = $"israrci-{Guid.NewGuid():N}@example.com";
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync(email)).StatusCode);
        }

        var limited = await ForgotAsync(email);
        await limited.ProblemAsync(429);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, (await ForgotAsync($"baska-{Guid.NewGuid():N}@example.com")).StatusCode);
    }

    [Theory]
    [InlineData("tr-TR", "Şifre en az 10 karakter olmalı.")]
    [InlineData("en-US", "The password must be at least 10 characters long.")]
    public async Task Onboarding_explains_password_rules_in_the_callers_language(string language, string expected)
    {
        var response = await factory.Anonymous().SendAsync(Json(HttpMethod.Post, "/api/v1/onboarding", new
        {
            organizationName = "Kural A.Ş.",
            baseCurrency = "TRY",
            culture = "tr-TR",
            adminName = "Zeynep",
            adminEmail = $"kural-{Guid.NewGuid():N}@example.com",
            adminPassword = "123",
        }, language), Ct);

        var rules = (await response.ProblemAsync(400)).GetProperty("errors").GetProperty("AdminPassword").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(expected, rules);
        Assert.DoesNotContain(rules, r => language == "tr-TR" && r!.Contains("Passwords must", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_server_command_line_prints_a_one_time_link_for_an_admin_locked_out_without_mail()
    {
        var org = await factory.CreateOrganizationAsync("Kilitli Yönetici A.Ş.");
        Assert.False(await PasswordResetCommandLine.TryRunAsync(factory.Services, ["--demo"]));

        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.True(await PasswordResetCommandLine.TryRunAsync(factory.Services, [PasswordResetCommandLine.Option, org.Admin.Email]));
        }
        finally
        {
            Console.SetOut(previous);
        }

        var token = System.Text.RegularExpressions.Regex.Match(output.ToString(), @"/reset-password/(\S+)").Groups[1].Value;
        Assert.StartsWith("pwr_", token, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NoContent, (await CompleteAsync(token, NewPassword)).StatusCode);
        Assert.True((await CookieSession.SignInAsync(factory, org.Admin.Email, NewPassword)).HasAuthCookie);
    }

    [Fact]
    public async Task The_invitation_page_explains_a_weak_password_and_a_spent_link_in_turkish()
    {
        var org = await factory.CreateOrganizationAsync("Davet Dili A.Ş.");
        var invite = await org.Admin.Client.PostAsJsonAsync("/api/v1/invitations", new { email = $"davetli-{Guid.NewGuid():N}@example.com", role = "Rep" }, Ct);
        var path = new Uri((await invite.Content.ReadFromJsonAsync<InviteDto>(Ct))!.Link).AbsolutePath;
        var browser = new CookieSession(factory, "tr-TR");

        var weak = await browser.PostFormAsync(path, "accept-invite", new() { ["Input.DisplayName"] = "Ali Veli", ["Input.Password"] = "kisa" });
        Assert.Contains("Şifre en az 10 karakter olmalı.", await weak.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var joined = await browser.PostFormAsync(path, "accept-invite", new() { ["Input.DisplayName"] = "Ali Veli", ["Input.Password"] = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, joined.StatusCode);
        var spent = await new CookieSession(factory, "tr-TR").PostFormAsync(path, "accept-invite", new() { ["Input.DisplayName"] = "Başkası", ["Input.Password"] = NewPassword });
        Assert.Contains("Bu davet bağlantısı geçersiz", await spent.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private sealed record InviteDto(string Link);

    private static async Task<string> AdminLinkAsync(TestOrganization org, Guid userId)
    {
        var response = await org.Admin.Client.PostAsync($"/api/v1/users/{userId}/password-reset", null, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<LinkDto>(Ct))!;
        Assert.True(created.Mailed);
        Assert.Equal(ClockedKazanFactory.Start.AddHours(24), created.ExpiresAt);
        return created.Link;
    }

    private sealed record LinkDto(string Link, DateTimeOffset ExpiresAt, bool Mailed);
}
