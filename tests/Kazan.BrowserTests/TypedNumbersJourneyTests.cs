using System.Globalization;
using System.Text.RegularExpressions;
using Kazan.Features.Opportunities;
using Kazan.Features.Orders;
using Kazan.Features.Organizations;
using Kazan.Features.Pricing;
using Kazan.Features.Products;
using Kazan.Features.Quotes;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// One company with a user who reads Turkish and one who reads English, both signed in once, and two more Chromiums
/// whose own language is English (<c>--lang=en-US</c>) and Turkish (<c>--lang=tr-TR</c>). Every page of the table
/// opens in a fresh context of one of those browsers, with the matching locale (Accept-Language, navigator.language).
/// </summary>
public sealed class TypedNumbersFixture : IAsyncLifetime
{
    public const string Password = "gizli-sifre-2026";

    private readonly Dictionary<string, IBrowser> _browsers = [];
    private readonly Dictionary<string, string> _signIns = [];
    private readonly Dictionary<string, IPage> _pages = [];

    public BrowserFixture App { get; } = new();

    /// <summary>The e-mail of the user whose language is "tr" or "en".</summary>
    public Dictionary<string, string> Users { get; } = new()
    {
        ["tr"] = $"selin-{Guid.NewGuid():N}@example.com",
        ["en"] = $"ada-{Guid.NewGuid():N}@example.com",
    };

    public Guid AccountId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var outcome = await OrganizationCommands.OnboardAsync(db, users, TimeProvider.System,
                new OnboardingRequest("Yazım Denemesi A.Ş.", "TRY", "tr-TR", "Selin Kaya", Users["tr"], Password));
            var admin = outcome.Value ?? throw new InvalidOperationException(string.Join("; ", outcome.Errors?.SelectMany(e => e.Value) ?? []));

            // The user's language is a user setting: an English-speaking admin in the same Turkish company.
            var english = await users.CreateAsync(new User(admin.OrganizationId, Users["en"], "Ada Smith", UserRole.Admin, "en-US"), Password);
            if (!english.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", english.Errors.Select(e => e.Description)));
            }
        }

        AccountId = await Journeys.AccountAsync(App, Users["tr"], "Karadeniz Un Fabrikası A.Ş.");
        foreach (var language in new[] { "en-US", "tr-TR" })
        {
            _browsers[language] = await App.LaunchWithLanguageAsync(language);
        }

        foreach (var (language, email) in Users)
        {
            var context = await _browsers["tr-TR"].NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseUrl, Locale = "tr-TR" });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/signin");
            await page.GetByTestId("email").FillAsync(email);
            await page.GetByTestId("password").FillAsync(Password);
            await page.GetByTestId("signin-submit").ClickAsync();
            await page.GetByTestId("current-user").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            _signIns[language] = await context.StorageStateAsync();
            await context.DisposeAsync();
        }
    }

    /// <summary>
    /// The page of the browser launched with <paramref name="browser"/> (its context in that locale), signed in as the
    /// user who reads <paramref name="user"/>. One page per combination, reused row after row (each row opens its own
    /// record with a full load), so the browser's cache spares reloading the scripts every time.
    /// </summary>
    public async Task<IPage> PageAsync(string user, string browser, ViewportSize? viewport = null)
    {
        viewport ??= Viewports.Desktop;
        var key = $"{user}|{browser}|{viewport.Width}";
        if (!_pages.TryGetValue(key, out var page))
        {
            var context = await _browsers[browser].NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = App.BaseUrl,
                Locale = browser,
                ViewportSize = viewport,
                StorageState = _signIns[user],
            });
            context.SetDefaultTimeout(15_000);
            _pages[key] = page = await context.NewPageAsync();
        }

        return page;
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

/// <summary>The boxes of the table: where each is typed into and how what it saved is read back.</summary>
public enum TypedBox
{
    /// <summary>The quote editor's unit price (interactive, read in C# on the circuit).</summary>
    QuoteUnitPrice,

    /// <summary>The quote editor's line discount (interactive).</summary>
    QuoteLineDiscount,

    /// <summary>An order's delivery quantity (server-rendered form, checked by inputs.js and read again by the page).</summary>
    DeliveryQuantity,

    /// <summary>A product's list price (server-rendered form).</summary>
    ProductListPrice,

    /// <summary>An opportunity's expected amount (server-rendered form).</summary>
    ExpectedAmount,

    /// <summary>An opportunity's expected close date (server-rendered form).</summary>
    CloseDate,
}

/// <summary>
/// Issue 9 item 1, through the real pages in Chromium: what a user types into a number or date box is read in the
/// user's language (a user setting), never in the browser's. Every row runs in a Chromium launched with
/// <c>--lang=en-US</c> and in one launched with <c>--lang=tr-TR</c>; the value is read back from the database. An old
/// <c>type=number</c> box (read by the browser's locale) or a script reading <c>navigator.language</c> fails rows here:
/// a Turkish <c>148.500</c> would become 148.5, an English <c>1,234.56</c> would be refused in the Turkish browser.
/// </summary>
public sealed class TypedNumbersJourneyTests(TypedNumbersFixture fixture) : BrowserTest, IClassFixture<TypedNumbersFixture>
{
    private static readonly string[] Browsers = ["en-US", "tr-TR"];

    /// <summary>Text typed by the user who reads the language → what is stored, and what the box shows after leaving it.</summary>
    private static readonly (TypedBox Box, string User, string Typed, string Stored, string Shown)[] Read =
    [
        (TypedBox.QuoteUnitPrice, "tr", "148.500", "148500", "148.500,00"),
        (TypedBox.QuoteUnitPrice, "tr", "1.234,56", "1234.56", "1.234,56"),
        (TypedBox.QuoteUnitPrice, "en", "1,234.56", "1234.56", "1,234.56"),
        (TypedBox.QuoteUnitPrice, "en", "148.500", "148.5", "148.50"),
        (TypedBox.QuoteLineDiscount, "tr", "7,5", "7.5", "7,5"),
        (TypedBox.QuoteLineDiscount, "en", "7.5", "7.5", "7.5"),
        (TypedBox.DeliveryQuantity, "tr", "1.000", "1000", "1.000"),
        (TypedBox.DeliveryQuantity, "tr", "2,5", "2.5", "2,5"),
        (TypedBox.DeliveryQuantity, "en", "1,000", "1000", "1,000"),
        (TypedBox.ProductListPrice, "tr", "148.500", "148500", "148.500,00"),
        (TypedBox.ProductListPrice, "en", "1,234.56", "1234.56", "1,234.56"),
        (TypedBox.ProductListPrice, "en", "148.500", "148.5", "148.50"),
        (TypedBox.ExpectedAmount, "tr", "1.234,56", "1234.56", "1.234,56"),
        (TypedBox.ExpectedAmount, "tr", "148.500", "148500", "148.500,00"),
        (TypedBox.ExpectedAmount, "en", "1,234.56", "1234.56", "1,234.56"),
        (TypedBox.CloseDate, "tr", "05.12.2026", "2026-12-05", "05.12.2026"),
        (TypedBox.CloseDate, "tr", "5/12/2026", "2026-12-05", "05.12.2026"), // day first in Turkish …
        (TypedBox.CloseDate, "en", "12/5/2026", "2026-12-05", "05 Dec 2026"), // … month first in English
        (TypedBox.CloseDate, "en", "05 Dec 2026", "2026-12-05", "05 Dec 2026"),
    ];

    /// <summary>Text that does not read in the user's language → the message next to the box, in that language.</summary>
    private static readonly (TypedBox Box, string User, string Typed, string Message)[] Refused =
    [
        (TypedBox.QuoteUnitPrice, "tr", "1.2.3", "Bu bir sayı değil. Şöyle yazın: 1.234,56"),
        (TypedBox.QuoteUnitPrice, "tr", "12,345.6", "Ondalık için virgül, binlik için nokta kullanın: 12.345,6"),
        (TypedBox.QuoteLineDiscount, "en", "7,5", "Use a point for decimals and commas for thousands: 7.5"),
        (TypedBox.DeliveryQuantity, "tr", "1.5", "Ondalık için virgül, binlik için nokta kullanın: 1,5"),
        (TypedBox.DeliveryQuantity, "en", "1.2.3", "Not a number. Write it like 2.5."),
        (TypedBox.ProductListPrice, "tr", "12,345.6", "Ondalık için virgül, binlik için nokta kullanın: 12.345,6"),
        (TypedBox.ProductListPrice, "en", "1.234,56", "Use a point for decimals and commas for thousands: 1,234.56"),
        (TypedBox.ExpectedAmount, "en", "7,5", "Use a point for decimals and commas for thousands: 7.5"),
        (TypedBox.ExpectedAmount, "tr", "1.2.3", "Bu bir sayı değil. Şöyle yazın: 1.234,56"),
        (TypedBox.CloseDate, "tr", "31.02.2026", "Böyle bir tarih yok. Şöyle yazın: 05.12.2026"),
        (TypedBox.CloseDate, "en", "13/25/2026", "There is no such date. Write it like 05 Dec 2026."),
    ];

    public static TheoryData<TypedBox, string, string, string, string, string> ReadRows()
    {
        var rows = new TheoryData<TypedBox, string, string, string, string, string>();
        foreach (var (box, user, typed, stored, shown) in Read)
        {
            foreach (var browser in Browsers)
            {
                rows.Add(box, user, browser, typed, stored, shown);
            }
        }

        return rows;
    }

    public static TheoryData<TypedBox, string, string, string, string> RefusedRows()
    {
        var rows = new TheoryData<TypedBox, string, string, string, string>();
        foreach (var (box, user, typed, message) in Refused)
        {
            foreach (var browser in Browsers)
            {
                rows.Add(box, user, browser, typed, message);
            }
        }

        return rows;
    }

    [Theory]
    [MemberData(nameof(ReadRows))]
    public async Task Typed_text_is_stored_as_the_users_language_reads_it_whatever_the_browsers_language(
        TypedBox box, string user, string browser, string typed, string stored, string shown)
    {
        var target = await ArrangeAsync(box);
        var page = await OpenAsync(target, user, browser);
        var input = target.Box(page);
        await input.FillAsync(typed);
        await input.PressAsync("Tab");
        await Assertions.Expect(input).ToHaveValueAsync(shown);
        await Assertions.Expect(input).Not.ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByTestId(target.Submit).ClickAsync();
        await target.SavedAsync(page);
        Assert.Equal(stored, await target.StoredAsync());
    }

    [Theory]
    [MemberData(nameof(RefusedRows))]
    public async Task Text_that_does_not_read_in_the_users_language_shows_its_error_at_the_box_and_nothing_is_saved(
        TypedBox box, string user, string browser, string typed, string message)
    {
        var target = await ArrangeAsync(box);
        var before = await target.StoredAsync();
        var page = await OpenAsync(target, user, browser);
        var input = target.Box(page);
        await input.FillAsync(typed);
        await input.PressAsync("Tab");
        var error = page.Locator($"#{await input.GetAttributeAsync("id")}-error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        await Assertions.Expect(error).ToHaveTextAsync(message);
        await Assertions.Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(input).ToHaveValueAsync(typed); // left as typed, to be corrected

        await page.GetByTestId(target.Submit).ClickAsync();
        if (target.Live)
        {
            // The editor lists what to correct and saves nothing.
            await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync(user == "tr" ? "hiçbir şey kaydedilmedi" : "nothing was saved");
            await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync(message);
            await Assertions.Expect(page.GetByTestId("editor-saved")).ToHaveCountAsync(0);
        }
        else
        {
            // The form is held back: the box gets the focus again and the page stays as it was.
            await Assertions.Expect(input).ToBeFocusedAsync();
            Assert.EndsWith(target.Url, page.Url, StringComparison.Ordinal);
        }

        await Assertions.Expect(error).ToHaveTextAsync(message);
        Assert.Equal(before, await target.StoredAsync());
    }

    [Theory]
    [InlineData("tr", "en-US", "desktop", "Satır 1 “Vidalı kompresör”: %75 iskonto")]
    [InlineData("en", "tr-TR", "phone", "Line 1 “Vidalı kompresör”: a discount of 75 %")]
    public async Task A_75_percent_line_discount_in_the_quote_editor_is_saved_only_once_confirmed(string user, string browser, string size, string question)
    {
        var target = await ArrangeAsync(TypedBox.QuoteLineDiscount);
        var page = await OpenAsync(target, user, browser, Viewports.Named(size));
        var input = target.Box(page);
        await input.FillAsync("75");
        await input.PressAsync("Tab");
        await Assertions.Expect(input).ToHaveValueAsync("75");
        await page.GetByTestId("editor-save").ClickAsync();

        var notice = page.GetByTestId("unusual-values");
        await Assertions.Expect(notice).ToBeVisibleAsync();
        await Assertions.Expect(notice.GetByTestId("unusual-value")).ToHaveTextAsync([question]);
        await Assertions.Expect(page.GetByTestId("editor-saved")).ToHaveCountAsync(0);
        Assert.Equal("0", await target.StoredAsync());

        await page.GetByTestId("unusual-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-saved")).ToBeVisibleAsync();
        await Assertions.Expect(notice).ToHaveCountAsync(0);
        Assert.Equal("75", await target.StoredAsync());
    }

    /// <summary>
    /// A record of its own for one row, arranged through the app's services: where its page is, its box, the button
    /// that saves, what shows the save is done, and the stored value (decimals without trailing zeros, dates ISO).
    /// </summary>
    private sealed record Target(string Url, string BoxTestId, string Submit, bool Live, Func<IPage, Task> SavedAsync, Func<Task<string>> StoredAsync)
    {
        public ILocator Box(IPage page) => page.GetByTestId(BoxTestId).First;
    }

    private async Task<IPage> OpenAsync(Target target, string user, string browser, ViewportSize? viewport = null)
    {
        var page = await fixture.PageAsync(user, browser, viewport);
        await page.GotoAsync(target.Url);
        if (target.Live)
        {
            // Changes typed before the circuit is connected would be lost.
            await page.GetByTestId("editor-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }

        return page;
    }

    private async Task<Target> ArrangeAsync(TypedBox box)
    {
        var (scope, db, user) = await Journeys.ActAsAsync(fixture.App, fixture.Users["tr"]);
        await using (scope)
        {
            var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
            var now = DateTimeOffset.UtcNow;
            switch (box)
            {
                case TypedBox.QuoteUnitPrice or TypedBox.QuoteLineDiscount:
                    {
                        var created = await QuoteCommands.CreateAsync(db, me, new OrganizationTime(TimeProvider.System, me), fixture.AccountId, null, "Kompresör yenileme",
                            new QuoteHeader("TRY", null, "tr", null, 0m, null, null),
                            [new QuoteLineDraft(null, QuoteLineKind.Item, null, "Vidalı kompresör", 1m, "adet", 100m, 0m, 20m)], default);
                        var id = created.Value!.Quote.Id;
                        var price = box == TypedBox.QuoteUnitPrice;
                        return new Target($"/quotes/{id}", price ? "line-price" : "line-discount", "editor-save", Live: true,
                            page => Assertions.Expect(page.GetByTestId("editor-saved")).ToBeVisibleAsync(),
                            () => StoredAsync(d => d.QuoteLines.Where(l => l.QuoteId == id).Select(l => price ? l.UnitPrice : l.DiscountPercent).SingleAsync()));
                    }

                case TypedBox.DeliveryQuantity:
                    {
                        var created = await OrderCommands.CreateDirectAsync(db, me, new OrganizationTime(TimeProvider.System, me), fixture.AccountId, null, null,
                            new OrderMoney("TRY", null, 0m), [new LineDraft(null, "NYY kablo 3x2,5", 5_000m, "m", 5m, 0m, 20m)],
                            new OrderDetails(null, null, null, null, null), default);
                        var id = created.Value!.Order.Id;
                        return new Target($"/orders/{id}", "deliver-quantity", "deliver-submit", Live: false,
                            page => Assertions.Expect(page.GetByTestId("order-done")).ToBeVisibleAsync(),
                            () => StoredAsync(d => d.OrderLines.Where(l => l.OrderId == id).Select(l => l.DeliveredQuantity).SingleAsync()));
                    }

                case TypedBox.ProductListPrice:
                    {
                        var product = new Product(user.OrganizationId, "KMP-" + Guid.NewGuid().ToString("N")[..8], "Vidalı kompresör", "adet", 100m, "TRY", 20m);
                        db.Products.Add(product);
                        await db.SaveChangesAsync();
                        var id = product.Id;
                        return new Target($"/products/{id}", "product-price", "product-save", Live: false,
                            page => Assertions.Expect(page).ToHaveURLAsync(new Regex("/products$")),
                            () => StoredAsync(d => d.Products.Where(p => p.Id == id).Select(p => p.ListPrice).SingleAsync()));
                    }

                default:
                    {
                        var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync();
                        var deal = new Opportunity(user.OrganizationId, user.Id, fixture.AccountId, stage, "Soğuk oda kurulumu", 100_000m, "TRY", 1m,
                            new DateOnly(2027, 3, 31), user.Id, now);
                        db.Opportunities.Add(deal);
                        await db.SaveChangesAsync();
                        var id = deal.Id;
                        var date = box == TypedBox.CloseDate;
                        return new Target($"/opportunities/{id}/edit", date ? "edit-close" : "edit-amount", "edit-save", Live: false,
                            page => Assertions.Expect(page).ToHaveURLAsync(new Regex($"/opportunities/{id}$")),
                            date
                                ? () => StoredAsync(d => d.Opportunities.Where(o => o.Id == id).Select(o => o.ExpectedCloseDate).SingleAsync())
                                : () => StoredAsync(d => d.Opportunities.Where(o => o.Id == id).Select(o => o.ExpectedAmount).SingleAsync()));
                    }
            }
        }
    }

    private async Task<string> StoredAsync(Func<KazanDbContext, Task<decimal>> read)
    {
        var (scope, db, _) = await Journeys.ActAsAsync(fixture.App, fixture.Users["tr"]);
        await using (scope)
        {
            return (await read(db)).ToString("0.############", CultureInfo.InvariantCulture);
        }
    }

    private async Task<string> StoredAsync(Func<KazanDbContext, Task<DateOnly>> read)
    {
        var (scope, db, _) = await Journeys.ActAsAsync(fixture.App, fixture.Users["tr"]);
        await using (scope)
        {
            return (await read(db)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }
    }
}
