using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Kazan.Infrastructure.Data;

namespace Kazan.Bench.Scenarios;

/// <summary>
/// The real application, built with the same configuration as this harness (Release for figures), started as a child
/// process on 127.0.0.1 against the generated database: no migration on start, no rate limit (the load is ours), the
/// opt-in SQL-command and allocation headers on.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;

    private AppProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");
    public int ProcessId => _process.Id;

    public static async Task<AppProcess> StartAsync(string root, DatabaseProvider provider, string connectionString, string logPath, CancellationToken ct)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Release" : "Debug";
        var dll = Path.Combine(root, "src", "Kazan", "bin", configuration, "net10.0", "Kazan.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The application is not built ({dll}).");
        }

        var port = FreePort();
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = Path.Combine(root, "src", "Kazan"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // The bench calls the API over plain HTTP on loopback; links it never follows need an address all the same.
        info.Environment["Kazan__RequireHttps"] = "false";
        info.Environment["Kazan__PublicUrl"] = "https://bench.kazan.invalid";
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        info.Environment["Database__Provider"] = provider.ToString();
        info.Environment["ConnectionStrings__Kazan"] = connectionString;
        info.Environment["Database__MigrateOnStartup"] = "false";
        info.Environment["Kazan__DataDirectory"] = Path.GetDirectoryName(Path.GetFullPath(logPath)); // uploaded import files go under it
        info.Environment["Kazan__RateLimit__PermitsPerMinute"] = "0";
        info.Environment["Kazan__Diagnostics__SqlCount"] = "true";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("The application did not start.");
        var log = new StreamWriter(logPath) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var app = new AppProcess(process, port);
        using var http = new HttpClient { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The application exited with {process.ExitCode}; see {logPath}.");
            }

            try
            {
                if ((await http.GetAsync(new Uri("/health", UriKind.Relative), ct)).StatusCode == HttpStatusCode.OK)
                {
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  app up on port {port} in {watch.Elapsed.TotalSeconds:N1} s (pid {process.Id})"));
                    return app;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                // listening, but the first answer waits for the JIT: on a busy machine that outlasts one try
            }

            await Task.Delay(200, ct);
        }

        throw new TimeoutException($"The application did not answer /health within 120 s; see {logPath}.");
    }

    /// <summary>Peak resident memory of the app so far (VmHWM), in MiB; null where /proc is not there.</summary>
    public double? PeakMemoryMiB()
    {
        var status = $"/proc/{_process.Id}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
