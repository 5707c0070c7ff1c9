using System.Diagnostics;
using System.Globalization;

namespace Kazan.Bench.Scenarios;

/// <summary>What a request told about itself: the app's SQL command count and allocated bytes (diagnostic headers).</summary>
public readonly record struct RequestInfo(int? SqlCommands, long? AllocatedBytes);

/// <summary>Latency percentiles of a sequential measured loop, with the app's per-request diagnostics when it sent them.</summary>
public sealed record Stats(int Count, double P50, double P95, double P99, double Mean, double PerSecond, int? SqlMin, int? SqlMax, long? AllocatedMedian)
{
    /// <remarks>
    /// The warm-up stops early once it has taken a quarter of the budget: a report of half a minute is warm after one
    /// run, and four more would only add minutes to the run (the measured loop still takes at least 5).
    /// </remarks>
    public static async Task<Stats> MeasureAsync(int warmup, int iterations, TimeSpan budget, Func<int, Task<RequestInfo>> action)
    {
        var warming = Stopwatch.StartNew();
        var warmed = 0;
        for (; warmed < warmup && (warmed == 0 || warming.Elapsed < budget / 4); warmed++)
        {
            await action(warmed);
        }

        warmup = warmed;

        var latencies = new List<double>(iterations);
        var sql = new List<int>();
        var allocated = new List<long>();
        var total = Stopwatch.StartNew();
        for (var i = 0; i < iterations && (i < 5 || total.Elapsed < budget); i++)
        {
            var start = Stopwatch.GetTimestamp();
            var info = await action(warmup + i);
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (info.SqlCommands is { } s)
            {
                sql.Add(s);
            }

            if (info.AllocatedBytes is { } a)
            {
                allocated.Add(a);
            }
        }

        var elapsed = total.Elapsed.TotalSeconds;
        latencies.Sort();
        allocated.Sort();
        return new Stats(latencies.Count, Percentile(latencies, 50), Percentile(latencies, 95), Percentile(latencies, 99), latencies.Average(),
            latencies.Count / elapsed, sql.Count > 0 ? sql.Min() : null, sql.Count > 0 ? sql.Max() : null,
            allocated.Count > 0 ? allocated[allocated.Count / 2] : null);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];

    public string Latency => string.Create(CultureInfo.InvariantCulture, $"{Ms(P50)} / {Ms(P95)} / {Ms(P99)}");

    public static string Ms(double ms) => ms switch
    {
        >= 100 => ms.ToString("N0", CultureInfo.InvariantCulture),
        >= 10 => ms.ToString("N1", CultureInfo.InvariantCulture),
        _ => ms.ToString("N2", CultureInfo.InvariantCulture),
    };
}
