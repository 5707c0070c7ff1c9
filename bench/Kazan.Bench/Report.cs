using System.Globalization;
using System.Security;
using System.Text;
using Kazan.Bench.Data;
using Kazan.Bench.Scenarios;
using Kazan.Infrastructure.Data;

namespace Kazan.Bench;

/// <summary>The results as a markdown section (for docs/performance.md) and the checks as a test results file.</summary>
public static class Report
{
    public static string Markdown(Options options, Manifest manifest, Runner runner, TimeSpan elapsed)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var db = options.Db == DatabaseProvider.Postgres ? "PostgreSQL" : "SQLite";
        sb.AppendLine(c, $"### {db}, tier {manifest.Tier}{(options.Smoke ? " (smoke)" : "")}");
        sb.AppendLine();
        sb.AppendLine(c, $"- Date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; machine: {Machine()}");
        sb.AppendLine(c, $"- Command: `{options.Command}`{(options.Smoke ? " `--smoke`" : "")} (whole run {elapsed.TotalMinutes:N1} min)");
        sb.AppendLine(c, $"- Data (seed {manifest.Seed}): {string.Join(", ", manifest.TableRows.Select(t => $"{t.Key} {t.Value:N0}"))}; " +
            $"loaded in {manifest.LoadSeconds:N0} s + {manifest.IndexSeconds:N0} s for indexes. Main organization: {manifest.Main.Opportunities:N0} deals, " +
            $"{manifest.Main.Accounts:N0} accounts, {manifest.Main.Users} users.");
        sb.AppendLine(c, $"- Load average (1 min) of the shared 2-core machine while measuring: {runner.Load.Start} at the start, {runner.Load.End} at the end");
        if (runner.AppPeakMiB is { } peak)
        {
            sb.AppendLine(c, $"- App peak memory (VmHWM): {peak:N0} MiB");
        }

        sb.AppendLine();
        sb.AppendLine("| Operation | App p50 / p95 / p99 ms | App | SQL / req | Alloc / req | Baseline p50 / p95 / p99 ms | Baseline | Goal | Result | Note |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in runner.Rows)
        {
            var sql = r.App?.SqlMin is { } min ? (min == r.App.SqlMax ? $"{min}" : $"{min}–{r.App.SqlMax}") : "";
            var alloc = r.App?.AllocatedMedian is { } a ? $"{a / 1024.0:N0} KiB" : "";
            sb.AppendLine(c, $"| {r.Operation} | {r.App?.Latency ?? "—"} | {r.AppExtra ?? (r.App is null ? "" : $"{r.App.PerSecond:N0}/s seq.")} | {sql} | {alloc} | " +
                $"{r.Baseline?.Latency ?? "—"} | {r.BaselineExtra ?? (r.Baseline is null ? "" : $"{r.Baseline.PerSecond:N0}/s seq.")} | {r.Goal} | **{r.Verdict}** | {r.Note} |");
        }

        sb.AppendLine();
        sb.AppendLine(c, $"Checks (gross-regression rule: more than {Runner.GrossFactor}× the baseline and more than {Runner.GrossFloorMs:N0} ms above it):");
        sb.AppendLine();
        foreach (var check in runner.Checks)
        {
            sb.AppendLine(c, $"- {(check.Passed ? "✔" : "✘")} {check.Name} — {check.Detail}");
        }

        if (runner.WrkCommand is { } wrk)
        {
            sb.AppendLine();
            sb.AppendLine(c, $"Throughput: `{wrk}` against the app, the same without the token against the bare endpoint.");
        }

        return sb.ToString();
    }

    public static void WriteTrx(string path, List<Check> checks)
    {
        var passed = checks.Count(c => c.Passed);
        var failed = checks.Count - passed;
        var sb = new StringBuilder();
        sb.AppendLine("""<?xml version="1.0" encoding="utf-8"?>""");
        sb.AppendLine("""<TestRun name="bench-smoke" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">""");
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"""  <ResultSummary outcome="{(failed == 0 ? "Completed" : "Failed")}"><Counters total="{checks.Count}" executed="{checks.Count}" passed="{passed}" failed="{failed}" error="0" /></ResultSummary>""");
        sb.AppendLine("  <Results>");
        foreach (var check in checks)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"""    <UnitTestResult testName="{SecurityElement.Escape(check.Name)}" outcome="{(check.Passed ? "Passed" : "Failed")}"><Output><StdOut>{SecurityElement.Escape(check.Detail)}</StdOut></Output></UnitTestResult>""");
        }

        sb.AppendLine("  </Results>");
        sb.AppendLine("</TestRun>");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, sb.ToString());
    }

    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = File.Exists("/proc/meminfo")
            ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]
            : null;
        var gib = memory is null ? "?" : (long.Parse(memory, CultureInfo.InvariantCulture) / 1024.0 / 1024).ToString("N0", CultureInfo.InvariantCulture);
        return $"{cpu ?? "unknown CPU"}, {Environment.ProcessorCount} cores, {gib} GiB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }
}
