using Kazan.Features.Organizations;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>Kazan on Kestrel with a real SMTP server in the test process, and Chromium: the password journeys.</summary>
public sealed class MailBrowserFixture : IAsyncLifetime
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"kazan-mail-browser-{Guid.NewGuid():N}.db");
    private WebApplicationFactory<Program>? _app;
    private IPlaywright? _playwright;

    public SmtpCapture Mail { get; } = new();

    public IBrowser Browser { get; private set; } = default!;

    public IServiceProvider Services => _app!.Services;

    public string BaseUrl { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("Database:Provider", "Sqlite");
            b.UseSetting("ConnectionStrings:Kazan", $"Data Source={_dbPath};Foreign Keys=True");
            b.UseSetting("Kazan:PasswordHashIterations", "1000");
            b.UseSetting("Kazan:RateLimit:PermitsPerMinute", "0");
            foreach (var (key, value) in Mail.Settings)
            {
                b.UseSetting(key, value);
            }
        });
        _app.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        _app.StartServer();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
    }

    public async Task<IPage> NewPageAsync(string locale, int width = 1366, int height = 800)
    {
        return await TestContexts.NewPageAsync(Browser, new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
    }

    /// <summary>A company with its admin, made the way onboarding makes it.</summary>
    public async Task<(string Email, string Name)> CreateOrganizationAsync(string name, string adminName, string culture)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await using var scope = Services.CreateAsyncScope();
        var outcome = await OrganizationCommands.OnboardAsync(
            scope.ServiceProvider.GetRequiredService<Kazan.Infrastructure.Data.KazanDbContext>(),
            scope.ServiceProvider.GetRequiredService<UserManager<User>>(),
            TimeProvider.System,
            new OnboardingRequest(name, "TRY", culture, adminName, email, PasswordJourneyTests.OldPassword));
        Assert.True(outcome.IsOk, string.Join("; ", outcome.Errors?.SelectMany(e => e.Value) ?? []));
        return (email, adminName);
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Mail.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _dbPath, _dbPath + "-wal", _dbPath + "-shm" })
        {
            File.Delete(f);
        }
    }
}

public sealed class PasswordJourneyTests(MailBrowserFixture fixture) : BrowserTest, IClassFixture<MailBrowserFixture>
{
    public const string OldPassword = "eski-sifre-2026";
    private const string NewPassword = "yeni-sifre-2027";

    private static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/signin");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync(password);
        await page.GetByTestId("signin-submit").ClickAsync();
        // Signed in: the shell names the user (on a phone inside the collapsed menu, so attached rather than visible).
        await Assertions.Expect(page.GetByTestId("current-user")).ToBeAttachedAsync();
        Assert.DoesNotContain("/signin", page.Url, StringComparison.Ordinal);
    }

    private static async Task AssertNoSidewaysScrollAsync(IPage page) =>
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"),
            $"{page.Url} scrolls sideways at {page.ViewportSize?.Width} px");

    [Fact]
    public async Task A_forgotten_password_is_reset_with_the_mailed_link_in_turkish_and_the_user_is_signed_in()
    {
        var (email, _) = await fixture.CreateOrganizationAsync("Karadeniz Gıda A.Ş.", "Hakan Çelik", "tr-TR");
        var elsewhere = await fixture.NewPageAsync("tr-TR");
        await SignInAsync(elsewhere, email, OldPassword);

        // Sign-in page → "forgot password" → the same answer whatever the address.
        var page = await fixture.NewPageAsync("tr-TR", 390, 844);
        await page.GotoAsync("/signin");
        await page.GetByTestId("forgot-link").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Şifrenizi mi unuttunuz?");
        await page.GetByTestId("forgot-email").FillAsync(email);
        await AssertNoSidewaysScrollAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "accounts-01-forgot-phone-tr");
        await page.GetByTestId("forgot-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("forgot-sent")).ToContainTextAsync("Bu e-posta adresiyle bir hesap varsa");

        // The mail, through a real SMTP server, in the user's language.
        var mail = await fixture.Mail.WaitForAsync(email);
        Assert.Equal("Kazan şifrenizi yenileyin", mail.Subject);
        Assert.Contains("Merhaba Hakan Çelik,", mail.TextBody, StringComparison.Ordinal);
        var link = SmtpCapture.LinkIn(mail);
        Assert.StartsWith(fixture.BaseUrl + "/reset-password/", link, StringComparison.Ordinal);

        // The reset page: rules shown in Turkish, a refused password explained in Turkish, then the new one.
        await page.GotoAsync(link);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Yeni şifre belirleyin");
        await Assertions.Expect(page.Locator(".auth-card")).ToContainTextAsync("En az 10 karakter");
        await page.GetByTestId("new-password").FillAsync("kisa");
        await page.GetByTestId("confirm-password").FillAsync("kisa");
        await page.GetByTestId("reset-submit").ClickAsync();
        await Assertions.Expect(page.Locator(".auth-card")).ToContainTextAsync("Şifre en az 10 karakter olmalı.");
        await AssertNoSidewaysScrollAsync(page);
        await BrowserFixture.ScreenshotAsync(page, "accounts-02-reset-phone-tr");
        await page.GetByTestId("new-password").FillAsync(NewPassword);
        await page.GetByTestId("confirm-password").FillAsync(NewPassword);
        await page.GetByTestId("reset-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Hoş geldiniz, Hakan Çelik");

        // Every other session ended; the link is spent.
        await elsewhere.ReloadAsync();
        await elsewhere.WaitForURLAsync("**/signin**");
        await page.GotoAsync(link);
        await Assertions.Expect(page.GetByTestId("reset-unusable")).ToContainTextAsync("daha önce kullanılmış");

        // The new password signs in; the old one does not.
        await elsewhere.GetByTestId("email").FillAsync(email);
        await elsewhere.GetByTestId("password").FillAsync(OldPassword);
        await elsewhere.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(elsewhere.GetByTestId("signin-error")).ToBeVisibleAsync();
        await SignInAsync(elsewhere, email, NewPassword);
    }

    [Fact]
    public async Task A_user_changes_their_password_on_the_profile_page_in_english_and_stays_signed_in_there_only()
    {
        var (email, name) = await fixture.CreateOrganizationAsync("Aegean Logistics Ltd.", "Emma Stone", "en-US");
        var other = await fixture.NewPageAsync("en-US");
        await SignInAsync(other, email, OldPassword);
        var page = await fixture.NewPageAsync("en-US");
        await SignInAsync(page, email, OldPassword);

        await page.GetByTestId("current-user").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("My profile");
        await Assertions.Expect(page.GetByTestId("profile")).ToContainTextAsync(name);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("At least 10 characters");

        await page.GetByTestId("current-password").FillAsync("not-my-password-1");
        await page.GetByTestId("new-password").FillAsync(NewPassword);
        await page.GetByTestId("confirm-password").FillAsync(NewPassword);
        await page.GetByTestId("change-password").ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("The current password is wrong.");

        await page.GetByTestId("current-password").FillAsync(OldPassword);
        await page.GetByTestId("new-password").FillAsync(NewPassword);
        await page.GetByTestId("confirm-password").FillAsync("something-else-2027");
        await page.GetByTestId("change-password").ClickAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("The two new passwords differ.");

        await page.GetByTestId("current-password").FillAsync(OldPassword);
        await page.GetByTestId("new-password").FillAsync(NewPassword);
        await page.GetByTestId("confirm-password").FillAsync(NewPassword);
        await page.GetByTestId("change-password").ClickAsync();
        await Assertions.Expect(page.GetByTestId("password-changed")).ToContainTextAsync("Your password has been changed.");
        await BrowserFixture.ScreenshotAsync(page, "accounts-03-profile-en");

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("My profile");
        await other.ReloadAsync();
        await other.WaitForURLAsync("**/signin**");

        var phone = await fixture.NewPageAsync("en-US", 390, 844);
        await SignInAsync(phone, email, NewPassword);
        await phone.GotoAsync("/profile");
        await Assertions.Expect(phone.GetByTestId("change-password")).ToBeVisibleAsync();
        await AssertNoSidewaysScrollAsync(phone);
        await BrowserFixture.ScreenshotAsync(phone, "accounts-04-profile-phone-en");
    }
}
