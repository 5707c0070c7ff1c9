using System.Net;
using System.Text.RegularExpressions;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kazan.Tests.Foundation;

/// <summary>
/// The sign-in throttle on (8 failures per client, 6 per address, per 15 minutes; lockout after 5 as always), requests
/// from addresses the tests choose, and a password hasher that counts how often a password is checked.
/// </summary>
public sealed class SignInAbuseFactory : KazanFactory
{
    public CountingHasher Hasher { get; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kazan:SignIn:FailuresPerClient"] = "8",
        ["Kazan:SignIn:FailuresPerAccount"] = "6",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.AddTransient<IStartupFilter, PeerAddress>();
            services.AddSingleton<IPasswordHasher<User>>(Hasher);
        });
    }

    public sealed class CountingHasher() : PasswordHasher<User>(Options.Create(new PasswordHasherOptions { IterationCount = 1000 }))
    {
        private int _verified;

        public int Verified => Volatile.Read(ref _verified);

        public override PasswordVerificationResult VerifyHashedPassword(User user, string hashedPassword, string providedPassword)
        {
            Interlocked.Increment(ref _verified);
            return base.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}

// Its own host: the throttle counts every sign-in failure of the host, and the hasher counts every password check.
public sealed partial class SignInAbuseTests(SignInAbuseFactory factory) : IClassFixture<SignInAbuseFactory>
{
    private const string Wrong = "yanlis-sifre-000";
    private static int _lastPeer;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("data-testid=\"signin-error\">([^<]*)<")]
    private static partial Regex ErrorText();

    /// <summary>A client address no other test of the class uses.</summary>
    private static string NewPeer()
    {
        var n = Interlocked.Increment(ref _lastPeer);
        return $"198.51.{n / 250}.{(n % 250) + 1}";
    }

    private async Task<(HttpResponseMessage Response, string Html, CookieSession Browser)> SignInAsync(string email, string password, string peer)
    {
        var browser = new CookieSession(factory, "tr-TR").With(PeerAddress.Header, peer);
        var response = await browser.PostFormAsync("/signin", "signin", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        return (response, await response.Content.ReadAsStringAsync(Ct), browser);
    }

    private async Task LockAsync(string email)
    {
        for (var i = 0; i < 5; i++)
        {
            var (response, _, _) = await SignInAsync(email, Wrong, NewPeer());
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public async Task An_unknown_address_a_wrong_password_and_a_locked_account_get_the_same_answer_after_one_password_check_each()
    {
        var org = await factory.CreateOrganizationAsync("Sayım A.Ş.");
        var locked = await org.AddUserAsync(UserRole.Rep);
        var other = await org.AddUserAsync(UserRole.Rep);
        await LockAsync(locked.Email);

        var answers = new List<(HttpStatusCode Status, string Error, bool Cookie, int Checks)>();
        foreach (var (email, password) in new[] { ($"yok-{Guid.NewGuid():N}@example.com", Wrong), (other.Email, Wrong), (locked.Email, TestOrganization.Password) })
        {
            var before = factory.Hasher.Verified;
            var (response, html, browser) = await SignInAsync(email, password, NewPeer());
            answers.Add((response.StatusCode, ErrorText().Match(html).Groups[1].Value, browser.HasAuthCookie, factory.Hasher.Verified - before));
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "E-posta veya şifre hatalı.", false, 1), a));
    }

    [Fact]
    public async Task A_lockout_does_not_switch_off_the_users_api_tokens()
    {
        var org = await factory.CreateOrganizationAsync("Belirteç A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);

        await LockAsync(rep.Email);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.True((await db.Users.SingleAsync(u => u.Id == rep.Id, Ct)).LockoutEnd > DateTimeOffset.UtcNow);
        }

        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_are_throttled_per_client_address_and_the_same_credentials_still_work_from_elsewhere()
    {
        var org = await factory.CreateOrganizationAsync("İstemci A.Ş.");
        var guesser = NewPeer();
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SignInAsync($"tahmin-{i}-{Guid.NewGuid():N}@example.com", Wrong, guesser)).Response.StatusCode);
        }

        var (throttled, html, browser) = await SignInAsync(org.Admin.Email, TestOrganization.Password, guesser);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(int.Parse(Assert.Single(throttled.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.Contains("Çok fazla giriş denemesi", html, StringComparison.Ordinal);
        Assert.False(browser.HasAuthCookie);
        Assert.Equal(HttpStatusCode.Redirect, (await SignInAsync(org.Admin.Email, TestOrganization.Password, NewPeer())).Response.StatusCode);
    }

    [Fact]
    public async Task Failed_sign_ins_are_throttled_per_address_alike_for_a_real_and_an_unknown_account()
    {
        var org = await factory.CreateOrganizationAsync("Hesap A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var unknown = $"hayalet-{Guid.NewGuid():N}@example.com";

        foreach (var email in new[] { rep.Email, unknown })
        {
            for (var i = 0; i < 6; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await SignInAsync(email, Wrong, NewPeer())).Response.StatusCode);
            }
        }

        var real = await SignInAsync(rep.Email, TestOrganization.Password, NewPeer());
        var ghost = await SignInAsync(unknown.ToUpperInvariant(), Wrong, NewPeer());

        Assert.Equal(HttpStatusCode.TooManyRequests, real.Response.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, ghost.Response.StatusCode);
        Assert.Equal(ErrorText().Match(real.Html).Groups[1].Value, ErrorText().Match(ghost.Html).Groups[1].Value);
    }

    [Fact]
    public async Task A_reset_link_gets_a_locked_out_and_throttled_user_back_in_while_the_guessing_goes_on()
    {
        var org = await factory.CreateOrganizationAsync("Geri Dönüş A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        for (var i = 0; i < 6; i++)
        {
            await SignInAsync(rep.Email, Wrong, NewPeer());
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignInAsync(rep.Email, TestOrganization.Password, NewPeer())).Response.StatusCode);
        var created = await org.Admin.Client.PostAsync($"/api/v1/users/{rep.Id}/password-reset", null, Ct);
        await created.EnsureSuccessAsync();
        var link = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<LinkResponse>(created.Content, Ct))!.Link;
        var path = new Uri(link).AbsolutePath;

        var owner = new CookieSession(factory, "tr-TR").With(PeerAddress.Header, NewPeer());
        var reset = await owner.PostFormAsync(path, "reset-password", new() { ["Input.NewPassword"] = "yeni-sifre-2027", ["Input.ConfirmPassword"] = "yeni-sifre-2027" });
        await SignInAsync(rep.Email, Wrong, NewPeer());

        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.True(await owner.IsSignedInAsync());
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var user = await db.Users.SingleAsync(u => u.Id == rep.Id, Ct);
            Assert.Null(user.LockoutEnd);
        }
    }

    private sealed record LinkResponse(string Link);
}
