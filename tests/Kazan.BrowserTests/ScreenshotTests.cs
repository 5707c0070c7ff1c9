using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// The README's pictures: key pages of the demo company at desktop (1366×800) and phone (390×844) size, one screen each.
/// Always written to test-artifacts/screenshots; with KAZAN_UPDATE_SCREENSHOTS=1 also to docs/screenshots (kept in git).
/// </summary>
[Collection(DemoCompany.Name)]
public sealed class ScreenshotTests(DemoFixture demo) : BrowserTest
{
    private static readonly string[] Shown = ["board", "opportunity", "quote-draft", "order", "opportunities", "my-day", "accounts", "report-pipeline", "report-movement", "home", "report-forecast", "report-win-rate", "report-funnel",
        "report-velocity", "report-stage-probability", "report-reconciliation"];

    /// <summary>On a phone one screen shows little: these pages are photographed from their list (or lines) down.</summary>
    private static readonly Dictionary<string, string> PhoneFrom = new()
    {
        ["opportunities"] = "[data-testid=opportunities]",
        ["accounts"] = "table.grid",
        ["quote-draft"] = "[data-testid=editor-lines]",
        ["order"] = "table.grid",
        ["report-pipeline"] = "[data-testid=report-stages]",
        ["report-movement"] = "[data-testid=movement-lines]",
    };

    /// <summary>Where a documented screenshot goes: the artifacts, and docs/screenshots when asked to update them.</summary>
    internal static List<string> Targets()
    {
        var targets = new List<string> { Path.Combine(BrowserFixture.ArtifactsDirectory, "screenshots") };
        if (Environment.GetEnvironmentVariable("KAZAN_UPDATE_SCREENSHOTS") == "1")
        {
            targets.Add(Path.Combine(Path.GetDirectoryName(BrowserFixture.ArtifactsDirectory)!, "docs", "screenshots"));
        }

        return targets;
    }

    /// <summary>A journey's screenshot that the user guide shows (a state the demo company does not have, e.g. a mail server).</summary>
    internal static Task DocumentAsync(IPage page, string name) => ShootAsync(page, name, Targets());

    [Fact]
    public async Task Key_pages_are_photographed_at_desktop_and_phone_size()
    {
        var targets = Targets();

        foreach (var (width, prefix) in new[] { ("desktop", ""), ("phone", "phone-") })
        {
            var page = await demo.PageAsync("tr-TR", Viewports.Named(width));
            foreach (var main in demo.Pages.Where(p => Shown.Contains(p.Name)))
            {
                await DemoFixture.OpenAsync(page, main);
                if (width == "phone" && PhoneFrom.TryGetValue(main.Name, out var from))
                {
                    await page.EvaluateAsync("s => { document.querySelector(s).scrollIntoView({ block: 'start' }); window.scrollBy(0, -64); }", from);
                }

                await ShootAsync(page, prefix + (main.Name == "quote-draft" ? "quote-editor" : main.Name), targets);
            }

            if (width == "phone")
            {
                await DemoFixture.OpenAsync(page, demo.Pages.Single(p => p.Name == "home"));
                await page.GetByTestId("menu-button").ClickAsync();
                await Assertions.Expect(page.GetByTestId("main-nav")).ToBeVisibleAsync();
                await ShootAsync(page, "phone-menu", targets);
            }
        }
    }

    private static async Task ShootAsync(IPage page, string name, List<string> targets)
    {
        await page.EvaluateAsync("() => document.activeElement?.blur()");
        var png = await page.ScreenshotAsync(new PageScreenshotOptions { Type = ScreenshotType.Png });
        Assert.True(png.Length is > 5_000 and < 600_000, $"{name}.png is {png.Length} bytes");
        foreach (var dir in targets)
        {
            Directory.CreateDirectory(dir);
            await File.WriteAllBytesAsync(Path.Combine(dir, name + ".png"), png, TestContext.Current.CancellationToken);
        }
    }
}
