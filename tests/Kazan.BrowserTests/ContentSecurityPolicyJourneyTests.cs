using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// The Content-Security-Policy (Infrastructure/Hosting/SecurityHeaders.cs) leaves every page working: the interactive
/// pages' websocket, blazor.web.js and the app's scripts and charts, and the Scalar API reference page. Chromium
/// reports each thing the policy blocks on the console; none may appear.
/// </summary>
public sealed class ContentSecurityPolicyJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    private const string Password = "gizli-sifre-2026";

    /// <summary>What the policy blocks on <paramref name="page"/>, from the page's own violation events and the console.</summary>
    private static async Task<List<string>> ViolationsAsync(IPage page)
    {
        var violations = new List<string>();
        void Add(string text)
        {
            lock (violations)
            {
                violations.Add(text);
            }
        }

        await page.ExposeFunctionAsync("kazanCspViolation", (string text) => Add(text));
        await page.AddInitScriptAsync("document.addEventListener('securitypolicyviolation', e => window.kazanCspViolation(e.violatedDirective + ' ' + e.blockedURI))");
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                Add(message.Text);
            }
        };
        return violations;
    }

    [Fact]
    public async Task The_api_reference_page_renders_the_api_under_its_policy()
    {
        var page = await fixture.NewPageAsync("en-US");
        var violations = await ViolationsAsync(page);

        await page.GotoAsync("/docs/api");

        await page.WaitForFunctionAsync("() => document.body.innerText.includes('Opportunities') && document.body.innerText.includes('Quotes')");
        Assert.Empty(violations);
    }

    [Fact]
    public async Task Onboarding_the_interactive_board_a_report_chart_and_the_skip_link_work_under_the_policy()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var violations = await ViolationsAsync(page);
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync("Politika A.Ş.");
        await page.GetByTestId("admin-name").FillAsync("Deniz Aksoy");
        await page.GetByTestId("admin-email").FillAsync($"admin-{Guid.NewGuid():N}@example.com");
        await page.GetByTestId("admin-password").FillAsync(Password);
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Deniz Aksoy");

        // The board is an interactive page: its columns render once the circuit (websocket) is up.
        await page.GotoAsync("/board");
        await Assertions.Expect(page.Locator("[data-testid=column]").First).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => window.Blazor !== undefined");

        await page.GotoAsync("/reports/pipeline");
        await Assertions.Expect(page.Locator("h1")).ToBeVisibleAsync();

        // The skip link's focus move lives in start.js now, not in an inline onclick.
        await page.GetByTestId("skip-link").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'content'");

        Assert.Empty(violations);

        // The watch itself works: a picture from another site is blocked and reported.
        await page.EvaluateAsync("() => document.body.insertAdjacentHTML('beforeend', '<img src=\"https://example.com/x.png\">')");
        for (var waited = 0; waited < 50 && violations.Count == 0; waited++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.Contains(violations, v => v.Contains("img-src", StringComparison.Ordinal));
    }
}
