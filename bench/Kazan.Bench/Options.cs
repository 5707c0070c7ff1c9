using Kazan.Bench.Data;
using Kazan.Infrastructure.Data;

namespace Kazan.Bench;

public sealed record Options(Tier Tier, DatabaseProvider Db, string PostgresServer, int Seed, bool Regenerate, bool GenerateOnly, bool Smoke, string? Trx, string? Only = null, int? ImportRows = null)
{
    public string Command => $"dotnet run -c Release --project bench/Kazan.Bench -- --tier {Tier.Name} --db {(Db == DatabaseProvider.Postgres ? "postgres" : "sqlite")}";

    public static Options? Parse(string[] args)
    {
        Tier? tier = null;
        DatabaseProvider? db = null;
        var pg = Environment.GetEnvironmentVariable("KAZAN_BENCH_PG") ?? "Host=127.0.0.1;Port=55450;Username=postgres";
        var seed = 42;
        bool regenerate = false, generateOnly = false, smoke = false;
        string? trx = null, only = null;
        int? importRows = null;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--tier":
                    tier = Tier.Parse(Next());
                    break;
                case "--db":
                    db = Next().ToLowerInvariant() switch
                    {
                        "sqlite" => DatabaseProvider.Sqlite,
                        "postgres" or "postgresql" or "pg" => DatabaseProvider.Postgres,
                        var other => throw new ArgumentException($"Unknown database '{other}'."),
                    };
                    break;
                case "--pg":
                    pg = Next();
                    break;
                case "--seed":
                    seed = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                case "--regenerate":
                    regenerate = true;
                    break;
                case "--generate-only":
                    generateOnly = true;
                    break;
                case "--smoke":
                    smoke = true;
                    regenerate = true;
                    break;
                case "--trx":
                    trx = Path.GetFullPath(Next());
                    break;
                case "--only":
                    only = Next() is ("import" or "board" or "reports") and var o ? o : throw new ArgumentException("--only takes: import, board, reports.");
                    break;
                case "--import-rows":
                    importRows = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture);
                    break;
                default:
                    return null;
            }
        }

        if (tier is null || db is null)
        {
            return null;
        }

        if (tier == Tier.L && db == DatabaseProvider.Sqlite)
        {
            Console.Error.WriteLine("Tier L runs on PostgreSQL only.");
            return null;
        }

        return new Options(tier, db.Value, pg, seed, regenerate, generateOnly, smoke, trx, only, importRows);
    }

    /// <summary>The repository root: the folder holding Kazan.slnx, above the working directory or this program.</summary>
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Kazan.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Run from inside the Kazan repository.");
    }
}
