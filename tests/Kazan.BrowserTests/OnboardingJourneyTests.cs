using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed class OnboardingJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_newcomer_sets_up_the_company_signs_in_switches_language_and_signs_out()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var email = $"ayse-{Guid.NewGuid():N}@example.com";

        // Onboarding: the company and its first admin.
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("Anadolu Makina Sanayi A.Ş.");
        await page.GetByTestId("admin-name").FillAsync("Ayşe Yılmaz");
        await page.GetByTestId("admin-email").FillAsync(email);
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await BrowserFixture.ScreenshotAsync(page, "foundation-01-onboarding");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Hoş geldiniz, Ayşe Yılmaz");

        // Sign out, then sign in again with the password just chosen.
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/signin");
        await page.GetByTestId("password").FillAsync("yanlis-sifre-000");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("signin-error")).ToContainTextAsync("E-posta veya şifre hatalı");
        await page.GetByTestId("email").FillAsync(email);
        await page.GetByTestId("password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Hoş geldiniz");
        await Assertions.Expect(page.GetByTestId("today")).ToContainTextAsync(DateTime.Now.ToString("yyyy", System.Globalization.CultureInfo.InvariantCulture));
        await BrowserFixture.ScreenshotAsync(page, "foundation-02-home-tr");

        // Switch to English: the choice sticks to the user.
        await page.GetByTestId("lang-en").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Welcome, Ayşe Yılmaz");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Welcome");
        await BrowserFixture.ScreenshotAsync(page, "foundation-03-home-en");

        // Sign out: back on the sign-in page, still in English.
        await page.GetByTestId("sign-out").ClickAsync();
        await page.WaitForURLAsync("**/signin");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in");
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/signin?ReturnUrl=%2F");
    }

    [Fact]
    public async Task An_admin_invites_a_rep_who_joins_with_the_link()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("Ege Tekstil Ltd. Şti.");
        await page.GetByTestId("admin-name").FillAsync("Mehmet Öz");
        await page.GetByTestId("admin-email").FillAsync($"mehmet-{Guid.NewGuid():N}@example.com");
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Mehmet Öz");

        await page.GotoAsync("/settings/users");
        var repEmail = $"cigdem-{Guid.NewGuid():N}@example.com";
        await page.GetByTestId("invite-email").FillAsync(repEmail);
        await page.GetByTestId("invite-role").SelectOptionAsync("Rep");
        await page.GetByTestId("invite-create").ClickAsync();
        var link = await page.GetByTestId("invite-link").InputValueAsync();
        Assert.Contains("/invite/", link, StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "foundation-04-users");

        var invitee = await fixture.NewPageAsync("tr-TR");
        await invitee.GotoAsync(link);
        await invitee.GetByTestId("invite-name").FillAsync("Çiğdem Şahin");
        await invitee.GetByTestId("invite-password").FillAsync("ciğdem-sifre-2026");
        await invitee.GetByTestId("invite-submit").ClickAsync();
        await Assertions.Expect(invitee.Locator("h1")).ToContainTextAsync("Çiğdem Şahin");

        // A rep has no settings pages beyond their own tokens.
        await invitee.GotoAsync("/settings/users");
        await Assertions.Expect(invitee.Locator("h1")).ToContainTextAsync("Erişim yok");

        await page.ReloadAsync();
        await Assertions.Expect(page.GetByTestId("users")).ToContainTextAsync("Çiğdem Şahin");
    }

    [Fact]
    public async Task An_admin_adds_two_teams_and_two_tokens_and_removes_one_of_each()
    {
        var page = await fixture.NewPageAsync("en-US");
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("Marmara Enerji A.Ş.");
        await page.GetByTestId("org-culture").SelectOptionAsync("en-US");
        await page.GetByTestId("admin-name").FillAsync("Selin Öztürk");
        await page.GetByTestId("admin-email").FillAsync($"selin-{Guid.NewGuid():N}@example.com");
        await page.GetByTestId("admin-password").FillAsync("gizli-sifre-2026");
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Selin Öztürk");

        await page.GotoAsync("/settings/teams");
        foreach (var team in new[] { "İstanbul", "Ankara" })
        {
            await page.GetByTestId("team-name").FillAsync(team);
            await page.GetByTestId("team-create").ClickAsync();
            await Assertions.Expect(page.GetByTestId("teams")).ToContainTextAsync(team);
        }

        await page.GetByTestId("teams").Locator("tr", new() { HasText = "Ankara" }).GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("Ankara");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("teams")).Not.ToContainTextAsync("Ankara");
        await Assertions.Expect(page.GetByTestId("teams")).ToContainTextAsync("İstanbul");

        await page.GotoAsync("/settings/api-tokens");
        foreach (var token in new[] { "ERP", "Excel" })
        {
            await page.GetByTestId("api-token-name").FillAsync(token);
            await page.GetByTestId("api-token-create").ClickAsync();
            await Assertions.Expect(page.GetByTestId("api-token-secret")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^kzn_"));
        }

        await page.GetByTestId("api-tokens").Locator("tr", new() { HasText = "ERP" }).GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("ERP");
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("api-tokens").Locator("tr.revoked")).ToContainTextAsync("ERP");
        await Assertions.Expect(page.GetByTestId("api-tokens").Locator("tr", new() { HasText = "Excel" }).GetByRole(AriaRole.Button)).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "foundation-05-api-tokens");
    }
}
