using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// Kazan on a real Kestrel socket with a fresh SQLite file, and Debian's Chromium driven by Playwright
/// (no browser download: the system binary is used).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly string _dbPath = Path.Combine(Path.GetTempPath(), $"kazan-browser-{Guid.NewGuid():N}.db");
    private WebApplicationFactory<Program>? _app;
    private IPlaywright? _playwright;
    private readonly List<IBrowser> _languageBrowsers = [];

    private static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];

    public IBrowser Browser { get; private set; } = default!;

    /// <summary>The app's services, for arranging data a journey starts from (records whose pages other features own).</summary>
    public IServiceProvider Services => _app!.Services;
    public string BaseUrl { get; private set; } = "";

    public static string ArtifactsDirectory
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("KAZAN_ARTIFACTS");
            if (string.IsNullOrEmpty(dir))
            {
                var root = new DirectoryInfo(AppContext.BaseDirectory);
                while (root is not null && !File.Exists(Path.Combine(root.FullName, "Kazan.slnx")))
                {
                    root = root.Parent;
                }

                dir = Path.Combine(root?.FullName ?? Path.GetTempPath(), "test-artifacts");
            }

            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    public async ValueTask InitializeAsync()
    {
        _app = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("Database:Provider", "Sqlite");
            b.UseSetting("ConnectionStrings:Kazan", $"Data Source={_dbPath};Foreign Keys=True");
            b.UseSetting("Kazan:AllowSignup", "true");
            b.UseSetting("Kazan:PasswordHashIterations", "1000");
            b.UseSetting("Kazan:RateLimit:PermitsPerMinute", "0");
            b.UseSetting("Kazan:RateLimit:PublicPermitsPerMinute", "0");
            b.ConfigureLogging(logging => logging.AddProvider(new Kazan.Tests.Infrastructure.ServerErrorLog("browser")));
        });
        // A free port chosen by the OS: UseKestrel(0) ends up on the default :5000, which collides when two fixtures
        // (test classes) or two checkouts on one machine run browser tests at the same time.
        _app.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        _app.StartServer();
        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/');

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>Another Chromium whose own language is <paramref name="language"/> (<c>--lang</c>), for tests where the browser's locale must not matter.</summary>
    public async Task<IBrowser> LaunchWithLanguageAsync(string language)
    {
        var browser = await _playwright!.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = [.. ChromiumArgs, "--lang=" + language],
        });
        _languageBrowsers.Add(browser);
        return browser;
    }

    public Task<IPage> NewPageAsync(string locale = "tr-TR") => NewPageAsync(Browser, locale);

    public async Task<IPage> NewPageAsync(IBrowser browser, string locale)
    {
        return await TestContexts.NewPageAsync(browser, new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = locale,
            ViewportSize = new ViewportSize { Width = 1280, Height = 860 },
        });
    }

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ArtifactsDirectory, name + ".png"), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        foreach (var browser in _languageBrowsers)
        {
            await browser.DisposeAsync();
        }

        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var f in new[] { _dbPath, _dbPath + "-wal", _dbPath + "-shm" })
        {
            File.Delete(f);
        }
    }
}
