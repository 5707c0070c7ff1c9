using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>How Kazan looks: money on one line, statuses as badges (not links), the pipeline settings in columns, a
/// visible focus ring and the page's landmarks.</summary>
[Collection(DemoCompany.Name)]
public sealed class LookTests(DemoFixture demo) : BrowserTest
{
    /// <summary>Every amount on the page that takes more than one line box (a wrapped "1.234.567,00 ₺").</summary>
    private const string WrappedMoney = """
        () => [...document.querySelectorAll('.money')]
          .filter(el => el.getClientRects().length > 1 || el.getBoundingClientRect().height > 1.6 * parseFloat(getComputedStyle(el).lineHeight || '20'))
          .map(el => el.textContent.trim())
        """;

    [Theory]
    [InlineData("tr-TR", "desktop")]
    [InlineData("tr-TR", "phone")]
    [InlineData("en-US", "desktop")]
    [InlineData("en-US", "phone")]
    public async Task Amounts_never_wrap_on_the_board_lists_and_documents(string locale, string width)
    {
        var page = await demo.PageAsync(locale, Viewports.Named(width));
        var failures = new List<string>();
        foreach (var main in demo.Pages.Where(p => p.Name is "home" or "board" or "opportunities" or "opportunity" or "quotes" or "quote-sent" or "orders" or "products" or "account"))
        {
            await DemoFixture.OpenAsync(page, main);
            Assert.True(await page.Locator(".money").CountAsync() > 0, $"{main.Name} shows amounts with the money class");
            failures.AddRange((await page.EvaluateAsync<string[]>(WrappedMoney)).Select(m => $"{main.Name}: \"{m}\" wraps"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>Controls, cells and text that stick out past the right edge of their card (cut off or overlapping).</summary>
    private const string OutOfCard = """
        () => {
          const out = [];
          for (const card of document.querySelectorAll('main .card')) {
            const edge = card.getBoundingClientRect().right;
            for (const el of card.querySelectorAll('input, select, textarea, button, a, td, th')) {
              const r = el.getBoundingClientRect();
              if (r.width === 0 || r.height === 0) continue;
              if (r.right > edge + 0.5) out.push(`${el.tagName.toLowerCase()}${el.dataset.testid ? '[' + el.dataset.testid + ']' : ''} "${(el.textContent || el.value || '').trim().slice(0, 30)}" ends at ${Math.round(r.right)} px, its card at ${Math.round(edge)} px`);
            }
          }
          return out.slice(0, 5);
        }
        """;

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("en-US")]
    public async Task On_a_desktop_nothing_sticks_out_of_its_card(string locale)
    {
        var page = await demo.PageAsync(locale, Viewports.Desktop);
        var failures = new List<string>();
        foreach (var main in demo.Pages)
        {
            await DemoFixture.OpenAsync(page, main);
            failures.AddRange((await page.EvaluateAsync<string[]>(OutOfCard)).Select(m => $"{main.Name}: {m}"));
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Statuses_of_deals_quotes_and_orders_are_badges_that_do_not_look_like_links()
    {
        var page = await demo.PageAsync("tr-TR", Viewports.Desktop);
        var linkColour = "";
        foreach (var (name, testId) in new[] { ("opportunities", ".status-badge"), ("opportunity", "opportunity-status"), ("quotes", "quote-status"), ("orders", "order-status"), ("quote-sent", "quote-status") })
        {
            await DemoFixture.OpenAsync(page, demo.Pages.Single(p => p.Name == name));
            linkColour = await page.Locator("main a").First.EvaluateAsync<string>("a => getComputedStyle(a).color");
            var badge = testId.StartsWith('.') ? page.Locator(testId).First : page.GetByTestId(testId).First;
            await Assertions.Expect(badge).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bstatus-badge\b"));
            var style = await badge.EvaluateAsync<string[]>(
                "b => { const s = getComputedStyle(b); return [s.color, s.backgroundColor, s.borderTopStyle, s.cursor, s.textDecorationLine, b.closest('a') ? 'in a link' : '']; }");
            Assert.NotEqual(linkColour, style[0]);
            Assert.NotEqual("rgba(0, 0, 0, 0)", style[1]);
            Assert.Equal("solid", style[2]);
            Assert.Equal("default", style[3]);
            Assert.Equal("none", style[4]);
            Assert.Equal("", style[5]);
        }
    }

    [Fact]
    public async Task The_pipeline_settings_table_puts_each_control_under_its_heading()
    {
        var page = await demo.PageAsync("tr-TR", Viewports.Desktop);
        await DemoFixture.OpenAsync(page, demo.Pages.Single(p => p.Name == "settings-pipeline"));
        var headers = page.GetByTestId("stages").Locator("thead th");
        var row = page.GetByTestId("stage-row").Nth(1);
        foreach (var (column, control) in new[] { (1, "input[name='Row.Name']"), (2, "input[name='Row.Probability']"), (3, "input[name='Row.RottingDays']"), (4, "select[name='Row.Category']"), (5, "[data-testid=stage-count]") })
        {
            var head = (await headers.Nth(column).BoundingBoxAsync())!;
            var box = (await row.Locator(control).BoundingBoxAsync())!;
            Assert.True(box.X >= head.X - 1 && box.X + box.Width <= head.X + head.Width + 1,
                $"column {column}: the control spans {box.X:0}–{box.X + box.Width:0}, its heading {head.X:0}–{head.X + head.Width:0}");
        }
    }

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public async Task Pages_have_landmarks_a_skip_link_to_the_content_and_a_visible_focus_ring(string width)
    {
        var page = await demo.PageAsync("en-US", Viewports.Named(width));
        await DemoFixture.OpenAsync(page, demo.Pages.Single(p => p.Name == "opportunities"));
        await Assertions.Expect(page.GetByRole(AriaRole.Banner)).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToHaveCountAsync(1);
        // On a phone the menu is folded (and so out of the accessibility tree) until opened.
        if (width == "phone")
        {
            await page.GetByTestId("menu-button").ClickAsync();
        }

        await Assertions.Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Main navigation" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByRole(AriaRole.Search)).ToHaveCountAsync(1);

        // The skip link is hidden until focused, then on screen; following it stays on the page and the next Tab lands
        // in the content, past the menu.
        await page.ReloadAsync();
        var url = page.Url;
        var skip = page.GetByTestId("skip-link");
        Assert.True((await skip.BoundingBoxAsync())!.Y < 0, "the skip link waits off screen");
        await skip.FocusAsync();
        Assert.True((await skip.BoundingBoxAsync())!.Y >= 0, "the focused skip link is on screen");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(url.Split('#')[0] + "#content");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Opportunities");
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement)"), "Tab after the skip link lands in the content");

        // The focused control shows a ring.
        var outline = await page.EvaluateAsync<string[]>("() => { const s = getComputedStyle(document.activeElement); return [document.activeElement.tagName, s.outlineStyle, s.outlineWidth]; }");
        Assert.Equal("solid", outline[1]);
        Assert.Equal("3px", outline[2]);
    }
}
