using System.Text.Json;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>Kazan on a phone (390×844): no page scrolls sideways, targets are big enough for a finger, the menu folds away.</summary>
[Collection(DemoCompany.Name)]
public sealed class PhoneLayoutTests(DemoFixture demo) : BrowserTest
{
    /// <summary>Measures the page: how wide it is against the window, which element sticks out furthest, and which
    /// visible links and buttons of lists, pagers, forms and the top bar are shorter than 44 px.</summary>
    private const string MeasureScript = """
        () => {
          const describe = el => {
            if (!el) return null;
            let d = el.tagName.toLowerCase();
            if (el.id) d += '#' + el.id;
            if (typeof el.className === 'string' && el.className.trim()) d += '.' + el.className.trim().split(/\s+/).join('.');
            if (el.dataset && el.dataset.testid) d += `[data-testid=${el.dataset.testid}]`;
            const text = (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
            return text ? `${d} "${text}"` : d;
          };
          const de = document.documentElement;
          const width = de.clientWidth;
          // Overflow inside a box that clips or scrolls it (a screen-reader-only header, a code block) does not widen the page.
          const contained = el => {
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
              if (getComputedStyle(a).overflowX !== 'visible') return true;
            }
            return false;
          };
          let widest = null, right = width;
          for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0) continue;
            if (r.right > right + 0.5 && !contained(el)) { right = r.right; widest = el; }
          }
          const small = [];
          const targets = 'main table.grid a, main table.grid button, main .pager a, main button, main a.button, main summary, header .brand, header .menu-button';
          for (const el of document.querySelectorAll(targets)) {
            const r = el.getBoundingClientRect();
            if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
            if (Math.round(r.height) < 44) small.push(`${describe(el)} (${Math.round(r.height)} px)`);
          }
          return { scrollWidth: de.scrollWidth, clientWidth: width, widest: describe(widest), widestRight: Math.round(right), small };
        }
        """;

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private sealed record Measure(int ScrollWidth, int ClientWidth, string? Widest, int WidestRight, string[] Small);

    [Theory]
    [InlineData("tr-TR")]
    [InlineData("en-US")]
    public async Task Every_main_page_fits_a_phone_without_sideways_scrolling_and_has_finger_sized_targets(string locale)
    {
        var page = await demo.PageAsync(locale, Viewports.Phone);
        var failures = new List<string>();
        foreach (var main in demo.Pages)
        {
            await DemoFixture.OpenAsync(page, main);
            var json = await page.EvaluateAsync<JsonElement>(MeasureScript);
            var m = json.Deserialize<Measure>(Web)!;
            if (m.ScrollWidth > m.ClientWidth)
            {
                failures.Add($"{main.Name} ({main.Path}) is {m.ScrollWidth} px wide in a {m.ClientWidth} px window; widest: {m.Widest} reaching {m.WidestRight} px");
            }

            failures.AddRange(m.Small.Select(s => $"{main.Name} ({main.Path}): target under 44 px: {s}"));
        }

        Assert.True(failures.Count == 0, $"{locale} at 390×844:\n" + string.Join("\n", failures));
    }

    [Theory]
    [InlineData("tr-TR", "Menü", "Pano")]
    [InlineData("en-US", "Menu", "Board")]
    public async Task On_a_phone_the_menu_opens_from_the_top_bar_with_the_keyboard_and_closes_after_choosing_a_page(string locale, string menu, string board)
    {
        var page = await demo.PageAsync(locale, Viewports.Phone);
        await page.GotoAsync("/");
        var nav = page.GetByTestId("main-nav");
        var toggle = page.GetByRole(AriaRole.Checkbox, new() { Name = menu });
        await Assertions.Expect(page.GetByTestId("menu-button")).ToBeVisibleAsync();
        await Assertions.Expect(nav).ToBeHiddenAsync();
        await Assertions.Expect(toggle).Not.ToBeCheckedAsync();

        // Keyboard only, from the top of the page: the skip link comes first (and shows when focused), then the brand,
        // the notification bell and the menu button, as they stand left to right; Space opens the menu.
        var skip = page.GetByTestId("skip-link");
        await skip.FocusAsync();
        Assert.True(await skip.BoundingBoxAsync() is { Y: >= 0 }, "the focused skip link is on screen");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.Locator("header .brand")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByTestId("notification-bell")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(toggle).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Space");
        await Assertions.Expect(toggle).ToBeCheckedAsync();
        await Assertions.Expect(nav).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, $"phone-menu-{locale}");
        var links = nav.GetByRole(AriaRole.Link);
        foreach (var box in await Task.WhenAll((await links.AllAsync()).Select(l => l.BoundingBoxAsync())))
        {
            Assert.True(box is { Height: >= 44 }, $"a menu link is {box?.Height} px high");
        }

        // Choosing a page takes the user there with the menu folded away again.
        await nav.GetByRole(AriaRole.Link, new() { Name = board, Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/board");
        await Assertions.Expect(nav).ToBeHiddenAsync();
        await Assertions.Expect(toggle).Not.ToBeCheckedAsync();

        // The mouse (a finger) opens it from the label too.
        await page.GetByTestId("menu-button").ClickAsync();
        await Assertions.Expect(nav).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_desktop_the_menu_is_always_there_and_the_menu_button_is_not()
    {
        var page = await demo.PageAsync("tr-TR", Viewports.Desktop);
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("main-nav")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("menu-button")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("nav-board")).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData("tr-TR", "Aşama")]
    [InlineData("en-US", "Stage")]
    public async Task On_a_phone_the_board_shows_one_stage_at_a_time_chosen_from_a_picker(string locale, string stageLabel)
    {
        var page = await demo.PageAsync(locale, Viewports.Phone);
        await DemoFixture.OpenAsync(page, demo.Pages.Single(p => p.Name == "board"));
        var picker = page.GetByLabel(stageLabel);
        await Assertions.Expect(picker).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("drop-won")).ToBeHiddenAsync();
        var columns = page.GetByTestId("column");
        var visible = columns.Filter(new() { Visible = true });
        await Assertions.Expect(visible).ToHaveCountAsync(1);
        await Assertions.Expect(visible).ToHaveAttributeAsync("data-stage", "Yeni");

        // Another stage: its cards, and only its cards.
        await picker.SelectOptionAsync(new SelectOptionValue { Index = 3 });
        await Assertions.Expect(visible).ToHaveAttributeAsync("data-stage", "Teklif");
        await Assertions.Expect(visible).ToHaveCountAsync(1);
        var cards = visible.GetByTestId("board-card");
        Assert.True(await cards.CountAsync() > 0, "the picked stage shows its cards");
        await Assertions.Expect(page.GetByTestId("board-card").Filter(new() { Visible = true })).ToHaveCountAsync(await cards.CountAsync());
        await BrowserFixture.ScreenshotAsync(page, $"phone-board-{locale}");
    }
}
