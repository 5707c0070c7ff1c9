using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// The browser contexts a test opens, closed when the test ends: a page left open keeps its scripts, its timers and
/// its Blazor circuit running for the rest of the run, and a hundred of them slow every later test on two cores.
/// When the test failed, each of its pages is first saved in the artifacts as <c>failed-….png</c> and its address and
/// text as <c>failed-….txt</c> (test.sh prints those), to see what the browser showed.
/// </summary>
public static class TestContexts
{
    public const float DefaultTimeoutMs = 15_000;

    private static readonly ConcurrentDictionary<string, ConcurrentQueue<IBrowserContext>> ByTest = new();

    /// <summary>A new context of <paramref name="browser"/> that belongs to the running test (15 s default timeout).</summary>
    public static async Task<IBrowserContext> NewAsync(IBrowser browser, BrowserNewContextOptions options)
    {
        var context = await browser.NewContextAsync(options);
        context.SetDefaultTimeout(DefaultTimeoutMs);
        if (TestContext.Current.Test?.UniqueID is { } test)
        {
            ByTest.GetOrAdd(test, _ => new()).Enqueue(context);
        }

        return context;
    }

    /// <summary>A new page in a new context of its own, which belongs to the running test.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, BrowserNewContextOptions options) =>
        await (await NewAsync(browser, options)).NewPageAsync();

    internal static async Task CloseAsync(string test, string name, bool failed)
    {
        if (!ByTest.TryRemove(test, out var contexts))
        {
            return;
        }

        var shot = 0;
        foreach (var context in contexts)
        {
            try
            {
                if (failed)
                {
                    foreach (var page in context.Pages)
                    {
                        var file = Path.Combine(BrowserFixture.ArtifactsDirectory, $"failed-{FileName(name)}-{++shot}");
                        var text = await page.Locator("body").InnerTextAsync(new() { Timeout = 5_000 });
                        await File.WriteAllTextAsync(file + ".txt", $"{name}\npage {shot}: {page.Url}\n\n{text}\n");
                        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file + ".png", FullPage = true, Timeout = 5_000 });
                    }
                }
            }
            catch (PlaywrightException)
            {
                // A page that cannot be pictured any more (closed, crashed) still has its context closed below.
            }
            catch (TimeoutException)
            {
            }

            await context.CloseAsync();
        }
    }

    private static string FileName(string name)
    {
        var safe = new string([.. name.Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
        return safe.Length <= 120 ? safe : safe[..120];
    }
}

/// <summary>
/// The base of every browser test class: xUnit disposes the instance after each test, which closes the contexts the
/// test opened through <see cref="TestContexts"/> (with pictures of its pages when it failed).
/// </summary>
public abstract class BrowserTest : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        await DisposeMoreAsync();
        if (TestContext.Current.Test is { } test)
        {
            await TestContexts.CloseAsync(test.UniqueID, test.TestDisplayName, TestContext.Current.TestState?.Result == TestResult.Failed);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>What a test class has of its own to let go of after each test.</summary>
    protected virtual ValueTask DisposeMoreAsync() => ValueTask.CompletedTask;
}
