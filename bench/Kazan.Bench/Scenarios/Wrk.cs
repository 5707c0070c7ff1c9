using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Kazan.Bench.Scenarios;

/// <summary>Throughput by <c>wrk</c> (Debian package wrk) against 127.0.0.1 only, bounded in time.</summary>
public static partial class Wrk
{
    public sealed record Result(double RequestsPerSecond, string Latency50, string Latency99, long Requests, long Errors, string Command);

    public static bool IsInstalled => File.Exists("/usr/bin/wrk");

    public static async Task<Result> RunAsync(Uri url, int seconds, int connections, string? bearer, CancellationToken ct)
    {
        if (url.Host != "127.0.0.1")
        {
            throw new ArgumentException("Load goes to 127.0.0.1 only.", nameof(url));
        }

        var args = new List<string> { "-t1", $"-c{connections}", $"-d{seconds}s", "--latency", "--timeout", "5s" };
        if (bearer is not null)
        {
            args.AddRange(["-H", $"Authorization: Bearer {bearer}"]);
        }

        args.Add(url.ToString());
        var info = new ProcessStartInfo("/usr/bin/wrk", args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var rps = double.Parse(Rps().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var errors = Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var shown = string.Join(' ', args.Select(a => a.StartsWith("Authorization", StringComparison.Ordinal) ? "'Authorization: Bearer …'" : a));
        return new Result(rps, Percent(output, "50%"), Percent(output, "99%"), requests, errors, "wrk " + shown);
    }

    private static string Percent(string output, string p) =>
        Regex.Match(output, $@"^\s*{Regex.Escape(p)}\s+(\S+)", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value : "?";

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex Rps();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();
}
