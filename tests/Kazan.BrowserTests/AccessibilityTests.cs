using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>axe-core on every main page, in Turkish and English, at desktop and phone width: no serious or critical
/// violation (unlabelled controls, too little contrast, missing names, broken ARIA …).</summary>
[Collection(DemoCompany.Name)]
public sealed class AccessibilityTests(DemoFixture demo) : BrowserTest
{
    [Theory]
    [InlineData("tr-TR", "desktop")]
    [InlineData("tr-TR", "phone")]
    [InlineData("en-US", "desktop")]
    [InlineData("en-US", "phone")]
    public async Task Every_main_page_has_no_serious_or_critical_accessibility_violations(string locale, string width)
    {
        var page = await AxePageAsync(locale, Viewports.Named(width));
        var failures = new List<string>();
        foreach (var main in demo.Pages)
        {
            await DemoFixture.OpenAsync(page, main);
            failures.AddRange(Serious(await AxeAsync(page)).Select(v => $"{main.Name} ({main.Path}): {v}"));
        }

        Assert.True(failures.Count == 0, $"{locale}, {width}:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("en-US")]
    public async Task The_board_with_a_move_menu_and_the_lost_dialog_open_has_no_serious_violations(string locale)
    {
        var page = await AxePageAsync(locale, Viewports.Desktop);
        await DemoFixture.OpenAsync(page, demo.Pages.Single(p => p.Name == "board"));
        await page.GetByTestId("card-move").First.Locator("summary").ClickAsync();
        var open = Serious(await AxeAsync(page)).ToList();
        Assert.True(open.Count == 0, "move menu open:\n" + string.Join("\n", open));

        await page.GetByTestId("card-move").First.GetByTestId("move-lost").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToBeVisibleAsync();
        var dialog = Serious(await AxeAsync(page)).ToList();
        Assert.True(dialog.Count == 0, "lost dialog open:\n" + string.Join("\n", dialog));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToHaveCountAsync(0);
    }

    /// <summary>
    /// A page with axe-core (the copy bundled in Deque.AxeCore.Playwright) loaded in every document. Run directly rather
    /// than through <c>RunAxe()</c>, which injects the script again on every call: ~3 s a page here against ~0.3 s, for
    /// the same rules and results.
    /// </summary>
    private async Task<IPage> AxePageAsync(string locale, ViewportSize viewport)
    {
        var page = await demo.PageAsync(locale, viewport);
        await page.Context.AddInitScriptAsync(AxeScript.Value);
        return page;
    }

    private static readonly Lazy<string> AxeScript = new(() => new BundledAxeScriptProvider().GetScript());

    private sealed record Violation(string Id, string? Impact, string Help, string HelpUrl, Node[] Nodes);

    private sealed record Node(JsonElement Target, string Html);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static async Task<Violation[]> AxeAsync(IPage page)
    {
        var json = await page.EvaluateAsync<JsonElement>(
            "async () => JSON.parse(JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations))");
        return json.Deserialize<Violation[]>(Web)!;
    }

    /// <summary>Rule id, impact, help text and each offending element (its CSS target and HTML).</summary>
    private static IEnumerable<string> Serious(IEnumerable<Violation> violations) =>
        violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} [{v.Impact}] {v.Help} ({v.HelpUrl})\n" + string.Join("\n",
                v.Nodes.Select(n => $"    {n.Target} {Shorten(n.Html)}")));

    private static string Shorten(string html) => html.Length > 160 ? html[..160] + "…" : html;
}
