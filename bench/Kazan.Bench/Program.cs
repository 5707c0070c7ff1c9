using System.Diagnostics;
using System.Globalization;
using Kazan.Bench;
using Kazan.Bench.Data;
using Kazan.Bench.Scenarios;
using Kazan.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

// Kazan's benchmark harness: generates a deterministic data set of the chosen tier through the app's own migrations and
// the databases' fast load paths, then measures the real application (a Release child process on 127.0.0.1) against
// hand-written SQL baselines on the same database. See docs/performance.md.
const string Usage = """
    Usage: dotnet run -c Release --project bench/Kazan.Bench -- --tier S|M|L --db sqlite|postgres [options]
      --pg "Host=127.0.0.1;Port=55450;Username=postgres"   PostgreSQL server (default: $KAZAN_BENCH_PG, then port 55450)
      --seed 42          generator seed (same seed, same data)
      --regenerate       load the data again even when bench-data/ holds this tier already
      --generate-only    load the data and stop
      --smoke            CI mode: fewer iterations, exit 1 only on gross regressions (> 5× baseline, SQL count growing)
      --trx FILE         write the checks as a test results file (counted by test.sh)
      --only import      run the import scenario only
      --only board       run the board, the pipeline report now and the dashboards only
      --import-rows N    contacts in the import scenario's file (default: 10 000 at tier S, 1 000 000 above)
    Data and results go to bench-data/<db>-<tier>/ (ignored by git).
    """;

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var root = Options.FindRoot();
var dataDir = Path.Combine(root, "bench-data", $"{options.Db.ToString().ToLowerInvariant()}-{options.Tier.Name}");
Directory.CreateDirectory(dataDir);
var manifestPath = Path.Combine(dataDir, "manifest.json");
var total = Stopwatch.StartNew();
var checks = new List<Check>();
try
{
    var manifest = options.Regenerate ? null : Manifest.Load(manifestPath);
    var connectionString = options.Db == DatabaseProvider.Postgres
        ? new NpgsqlConnectionStringBuilder(options.PostgresServer) { Database = $"kazan_bench_{options.Tier.Name.ToLowerInvariant()}", MaxPoolSize = 200 }.ToString()
        : new SqliteConnectionStringBuilder { DataSource = Path.Combine(dataDir, "kazan.db"), ForeignKeys = true, Pooling = true }.ToString();
    if (manifest is null || manifest.Seed != options.Seed || !await DataSet.ExistsAsync(options.Db, connectionString))
    {
        Console.Error.WriteLine($"Generating tier {options.Tier.Name} on {options.Db} (seed {options.Seed})…");
        manifest = await DataSet.GenerateAsync(options, connectionString);
        manifest.Save(manifestPath);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {manifest.Rows:N0} rows in {manifest.LoadSeconds:N0} s + {manifest.IndexSeconds:N0} s for indexes"));
    }
    else
    {
        Console.Error.WriteLine($"Reusing tier {options.Tier.Name} on {options.Db} from {manifestPath} (--regenerate to load again).");
        var migrating = Stopwatch.StartNew();
        await DataSet.MigrateAsync(options.Db, connectionString);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  schema brought up to date in {migrating.Elapsed.TotalSeconds:N1} s"));
    }

    if (options.GenerateOnly)
    {
        return 0;
    }

    var runner = new Runner(manifest, options.Db, root, dataDir, options.Smoke ? Effort.Smoke : Effort.Full) { Only = options.Only, ImportRows = options.ImportRows };
    try
    {
        await runner.RunAsync();
    }
    finally
    {
        checks.AddRange(runner.Checks);
    }

    var report = Report.Markdown(options, manifest, runner, total.Elapsed);
    File.WriteAllText(Path.Combine(dataDir, "results.md"), report);
    Console.WriteLine(report);
}
catch (Exception e) when (options.Smoke)
{
    checks.Add(new Check("The benchmark runs to the end", false, e.ToString()));
    Console.Error.WriteLine(e);
}

var failed = checks.Count(c => !c.Passed);
if (options.Trx is { } trx)
{
    Report.WriteTrx(trx, checks);
}

Console.WriteLine($"Bench checks: {checks.Count - failed} passed, {failed} failed ({total.Elapsed.TotalSeconds:N0} s)");
return failed == 0 ? 0 : 1;
