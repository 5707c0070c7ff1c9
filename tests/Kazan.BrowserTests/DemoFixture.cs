using Kazan.Features.Demo;
using Kazan.Features.Import;
using Kazan.Features.Quotes;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>The demo company (<c>--demo</c>), shared by the look, phone and accessibility tests: a living CRM to look at.</summary>
[CollectionDefinition(Name)]
public sealed class DemoCompany : ICollectionFixture<DemoFixture>
{
    public const string Name = "demo";
}

/// <summary>One main page of Kazan: a name for messages and files, its path, and what shows it is ready to use.</summary>
public sealed record MainPage(string Name, string Path, string? ReadyTestId = null);

public static class Viewports
{
    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 800 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public static ViewportSize Named(string name) => name == "phone" ? Phone : Desktop;
}

/// <summary>
/// Kazan with the demo data, an admin who reads Turkish (the demo's own) and one who reads English, both signed in once;
/// each test opens pages in a fresh browser context carrying that sign-in.
/// </summary>
public sealed class DemoFixture : IAsyncLifetime
{
    private const string Password = "demo-sifre-2026";
    private const string TurkishAdmin = "admin@anadolu.example";
    private const string EnglishAdmin = "ada@anadolu.example";
    private readonly Dictionary<string, string> _signIns = [];

    public BrowserFixture App { get; } = new();

    public IReadOnlyList<MainPage> Pages { get; private set; } = [];

    public Guid OpportunityId { get; private set; }
    public Guid DraftQuoteId { get; private set; }
    public Guid OrderId { get; private set; }

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        if (await DemoData.RunAsync(App.Services) != 0)
        {
            throw new InvalidOperationException("The demo data was not created.");
        }

        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();

            // Test arrangement: the demo prints a random password; give the admin a known one and add an English-speaking admin.
            var admin = await users.FindByEmailAsync(TurkishAdmin) ?? throw new InvalidOperationException("No demo admin.");
            Check(await users.RemovePasswordAsync(admin));
            Check(await users.AddPasswordAsync(admin, Password));
            Check(await users.CreateAsync(new User(admin.OrganizationId, EnglishAdmin, "Ada Yılmaz", UserRole.Admin, "en-US"), Password));

            var order = await db.Orders.IgnoreQueryFilters().Where(o => o.QuoteId != null).OrderBy(o => o.Number).FirstAsync();
            var draft = await db.Quotes.IgnoreQueryFilters().Where(q => q.Status == QuoteStatus.Draft).OrderBy(q => q.Number).FirstAsync();
            var sent = await db.Quotes.IgnoreQueryFilters().Where(q => q.Status == QuoteStatus.Sent).OrderBy(q => q.Number).FirstAsync();
            var contact = await db.Contacts.IgnoreQueryFilters().Where(c => c.AccountId == order.AccountId).OrderBy(c => c.LastName).FirstAsync();
            var pipeline = await db.Pipelines.IgnoreQueryFilters().Where(p => p.IsDefault).Select(p => p.Id).FirstAsync();
            (OpportunityId, DraftQuoteId, OrderId) = (order.OpportunityId, draft.Id, order.Id);
            var import = await ImportAsync(scope.ServiceProvider, admin, order.AccountId);
            Pages =
            [
                new("home", "/"),
                new("board", "/board", "board-ready"),
                new("opportunities", "/opportunities"),
                new("opportunity", $"/opportunities/{order.OpportunityId}"),
                new("opportunity-new", "/opportunities/new"),
                new("my-day", "/my-day"),
                new("accounts", "/accounts"),
                new("account", $"/accounts/{order.AccountId}"),
                new("contacts", "/contacts"),
                new("contact", $"/contacts/{contact.Id}"),
                new("quotes", "/quotes"),
                new("quote-draft", $"/quotes/{draft.Id}", "editor-ready"),
                new("quote-sent", $"/quotes/{sent.Id}"),
                new("orders", "/orders"),
                new("order", $"/orders/{order.Id}"),
                new("backlog", "/orders/backlog"),
                new("products", "/products"),
                new("report-pipeline", "/reports/pipeline"),
                new("report-forecast", "/reports/forecast"),
                new("report-movement", "/reports/movement"),
                new("report-win-rate", "/reports/win-rate"),
                new("report-funnel", "/reports/funnel"),
                new("report-reconciliation", "/reports/reconciliation"),
                new("report-velocity", "/reports/velocity"),
                new("report-stage-probability", "/reports/stage-probability"),
                new("search", "/search?q=kompres"),
                new("settings-organization", "/settings/organization"),
                new("settings-users", "/settings/users"),
                new("settings-teams", "/settings/teams"),
                new("settings-pipelines", "/settings/pipelines"),
                new("settings-mail", "/settings/mail"),
                new("settings-pipeline", $"/settings/pipelines/{pipeline}"),
                new("settings-targets", "/settings/targets"),
                new("settings-api-tokens", "/settings/api-tokens"),
                new("imports", "/imports"),
                new("import", $"/imports/{import}"),
                new("notifications", "/notifications"),
                new("profile", "/profile"),
            ];
        }

        foreach (var (locale, email) in new[] { ("tr-TR", TurkishAdmin), ("en-US", EnglishAdmin) })
        {
            var context = await App.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = App.BaseUrl, Locale = locale });
            var page = await context.NewPageAsync();
            await page.GotoAsync("/signin");
            await page.GetByTestId("email").FillAsync(email);
            await page.GetByTestId("password").FillAsync(Password);
            await page.GetByTestId("signin-submit").ClickAsync();
            await page.GetByTestId("current-user").WaitForAsync(new() { State = WaitForSelectorState.Attached });
            _signIns[locale] = await context.StorageStateAsync();
            await context.DisposeAsync();
        }
    }

    /// <summary>A page in a fresh context, signed in as the admin who reads <paramref name="locale"/>, at the given size.</summary>
    public async Task<IPage> PageAsync(string locale, ViewportSize viewport)
    {
        return await TestContexts.NewPageAsync(App.Browser, new BrowserNewContextOptions
        {
            BaseURL = App.BaseUrl,
            Locale = locale,
            ViewportSize = viewport,
            StorageState = _signIns[locale],
        });
    }

    /// <summary>Opens a main page and waits until it can be used (interactive pages: their circuit is connected).</summary>
    public static async Task OpenAsync(IPage page, MainPage main)
    {
        var response = await page.GotoAsync(main.Path);
        Assert.True(response is { Ok: true }, $"{main.Name} ({main.Path}) answered {response?.Status}");
        if (main.ReadyTestId is { } ready)
        {
            await page.GetByTestId(ready).WaitForAsync(new() { State = WaitForSelectorState.Attached });
        }

        await page.EvaluateAsync("() => document.fonts.ready");
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('canvas[data-chart]')].every(c => c.dataset.drawn === 'true')"); // charts drawn
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    /// <summary>A contacts file uploaded for the demo company, one of its rows failing: the import wizard as a manager finds it.</summary>
    private static async Task<Guid> ImportAsync(IServiceProvider services, User admin, Guid accountId)
    {
        var db = services.GetRequiredService<KazanDbContext>();
        var me = services.GetRequiredService<CurrentUser>();
        me.Set(admin.OrganizationId, admin.Id, UserRole.Admin, repsSeeAll: true);
        var account = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Name).FirstAsync();
        var csv = $"Ad;Soyad;E-posta;Telefon;Firma\r\nŞebnem;Karaağaç;sebnem@example.com;+90 232 555 00 00;{account}\r\nOğuz;Işık;oguz(at)example;;{account}\r\n";
        using var body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv));
        var upload = await ImportCommands.UploadAsync(db, me, TimeProvider.System, services.GetRequiredService<ImportLimits>(), ImportTarget.Contacts,
            "kisiler.csv", body, null, null, "tr", default);
        return upload.Value?.Id ?? throw new InvalidOperationException("The demo import was not uploaded.");
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
