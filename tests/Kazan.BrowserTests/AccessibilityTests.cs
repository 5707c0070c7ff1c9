using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>axe-core on every main page, in Turkish and English, at desktop and phone width: no serious or critical
/// violation (unlabelled controls, too little contrast, missing names, broken ARIA …).</summary>
[Collection(DemoCompany.Name)]
public sealed class AccessibilityTests(DemoFixture demo)
{
    [Theory]
    [InlineData("tr-TR", "desktop")]
    [InlineData("tr-TR", "phone")]
    [InlineData("en-US", "desktop")]
    [InlineData("en-US", "phone")]
    public async Task Every_main_page_has_no_serious_or_critical_accessibility_violations(string locale, string width)
    {
        var page = await demo.PageAsync(locale, Viewports.Named(width));
        var failures = new List<string>();
        foreach (var main in demo.Pages)
        {
            await DemoFixture.OpenAsync(page, main);
            failures.AddRange(Serious(await page.RunAxe(Options)).Select(v => $"{main.Name} ({main.Path}): {v}"));
        }

        Assert.True(failures.Count == 0, $"{locale}, {width}:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("en-US")]
    public async Task The_board_with_a_move_menu_and_the_lost_dialog_open_has_no_serious_violations(string locale)
    {
        var page = await demo.PageAsync(locale, Viewports.Desktop);
        await DemoFixture.OpenAsync(page, demo.Pages.Single(p => p.Name == "board"));
        await page.GetByTestId("card-move").First.Locator("summary").ClickAsync();
        var open = Serious(await page.RunAxe(Options)).ToList();
        Assert.True(open.Count == 0, "move menu open:\n" + string.Join("\n", open));

        await page.GetByTestId("card-move").First.GetByTestId("move-lost").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToBeVisibleAsync();
        var dialog = Serious(await page.RunAxe(Options)).ToList();
        Assert.True(dialog.Count == 0, "lost dialog open:\n" + string.Join("\n", dialog));
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToHaveCountAsync(0);
    }

    /// <summary>Only the violations come back: the passes of a long list are many thousand nodes and slow to hand over.</summary>
    private static readonly AxeRunOptions Options = new() { ResultTypes = [ResultType.Violations] };

    /// <summary>Rule id, impact, help text and each offending element (its CSS target and HTML).</summary>
    private static IEnumerable<string> Serious(AxeResult result) =>
        result.Violations
            .Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Id} [{v.Impact}] {v.Help} ({v.HelpUrl})\n" + string.Join("\n",
                v.Nodes.Select(n => $"    {n.Target} {Shorten(n.Html)}")));

    private static string Shorten(string html) => html.Length > 160 ? html[..160] + "…" : html;
}
