using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// <c>Kazan backup &lt;file&gt;</c> (<c>dotnet run --project src/Kazan -- backup &lt;file&gt;</c>): writes a consistent copy
/// of the SQLite database with <c>VACUUM INTO</c>, also while Kazan runs and writes in another process, and exits. The
/// copy is one read transaction's snapshot: every write committed before it began is in it, none after. A plain copy
/// of <c>kazan.db</c> is not a backup: commits not yet checkpointed live only in <c>kazan.db-wal</c>. On PostgreSQL it
/// prints the <c>pg_dump</c> command to use instead. Exit codes: 0 written, 1 the backup failed, 2 nothing was written
/// (no file given, its folder missing, the file exists, or the database is PostgreSQL).
/// </summary>
public static partial class BackupCommandLine
{
    public const string Verb = "backup";

    /// <summary>
    /// Returns true when the first argument is <c>backup</c> (the backup was written or the error explained): the app then
    /// stops. The verb and its file are taken out before the configuration reads the rest (<c>--Kazan:DataDirectory …</c>),
    /// so a path such as <c>/var/backups/kazan.db</c> is never read as a configuration key.
    /// </summary>
    public static async Task<bool> TryRunAsync(string[] args)
    {
        if (args.Length == 0 || !string.Equals(args[0], Verb, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var file = args.Length > 1 && !args[1].StartsWith("--", StringComparison.Ordinal) ? args[1] : null;
        var configuration = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args[(file is null ? 1 : 2)..] }).Configuration;
        Environment.ExitCode = await RunAsync(configuration, file, Console.Out, Console.Error, CancellationToken.None);
        return true;
    }

    /// <summary>Backs up the database <paramref name="configuration"/> names into <paramref name="file"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(IConfiguration configuration, string? file, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(file))
        {
            await error.WriteLineAsync("Usage: Kazan backup <file>   (dotnet run --project src/Kazan -- backup <file>)");
            await error.WriteLineAsync("Writes a consistent copy of the SQLite database to <file>, a file that must not exist yet.");
            return 2;
        }

        if (configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite) == DatabaseProvider.Postgres)
        {
            await error.WriteLineAsync("Kazan runs on PostgreSQL here: back it up with pg_dump, which takes a consistent snapshot while Kazan runs:");
            await error.WriteLineAsync("  " + PgDumpCommand(configuration.GetConnectionString("Kazan"), file));
            await error.WriteLineAsync("The password comes from PGPASSWORD or ~/.pgpass. Restore with pg_restore; see docs/operations.md, \"Backup and restore\".");
            return 2;
        }

        var target = Path.GetFullPath(file);
        var folder = Path.GetDirectoryName(target)!;
        if (Directory.Exists(target) || File.Exists(target))
        {
            await error.WriteLineAsync($"{target} already exists; a backup never overwrites a file. Name a new file.");
            return 2;
        }

        if (!Directory.Exists(folder))
        {
            await error.WriteLineAsync($"The folder {folder} does not exist; create it first.");
            return 2;
        }

        if (SqliteSource(configuration) is not { } source)
        {
            await error.WriteLineAsync("ConnectionStrings:Kazan names an in-memory SQLite database: there is nothing on disk to back up.");
            return 2;
        }

        if (!File.Exists(source))
        {
            await error.WriteLineAsync($"No SQLite database at {source} (set Kazan:DataDirectory or ConnectionStrings:Kazan as Kazan runs with).");
            return 1;
        }

        // Written under a hidden name and renamed when complete and on disk: a backup cut short never looks like one.
        var partial = Path.Combine(folder, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        var clock = Stopwatch.StartNew();
        try
        {
            await VacuumIntoAsync(source, partial, DatabaseSetup.SqliteBusyTimeoutSeconds(configuration), ct);
            await using (var written = new FileStream(partial, FileMode.Open, FileAccess.ReadWrite))
            {
                // VACUUM INTO does not fsync its output.
                written.Flush(flushToDisk: true);
            }

            var check = await QuickCheckAsync(partial, ct);
            if (check != "ok")
            {
                await error.WriteLineAsync($"The copy of {source} failed SQLite's quick_check ({check}); nothing was written.");
                return 1;
            }

            File.Move(partial, target, overwrite: false);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"The backup of {source} failed: {e.Message}");
            return 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(partial);
        }

        var size = new FileInfo(target).Length;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Backed up {source} to {target} ({size / 1_048_576.0:0.0} MiB in {clock.Elapsed.TotalSeconds:0.0} s)."));
        await output.WriteLineAsync("To restore: stop Kazan, delete kazan.db-wal and kazan.db-shm next to kazan.db, put this file in place of kazan.db, start Kazan.");
        return 0;
    }

    /// <summary>The SQLite file Kazan opens with this configuration; null for an in-memory database.</summary>
    private static string? SqliteSource(IConfiguration configuration)
    {
        if (configuration.GetConnectionString("Kazan") is not { } cs)
        {
            return DatabaseSetup.DefaultSqlitePath(configuration);
        }

        var builder = new SqliteConnectionStringBuilder(cs);
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" ? null : Path.GetFullPath(builder.DataSource);
    }

    /// <summary>One read transaction copies the database as of its start; writers go on meanwhile (WAL mode).</summary>
    private static async Task VacuumIntoAsync(string source, string into, int busyTimeoutSeconds, CancellationToken ct)
    {
        // ReadWrite, not ReadWriteCreate: a wrong path must fail, not leave an empty database behind.
        var cs = new SqliteConnectionStringBuilder { DataSource = source, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA busy_timeout={busyTimeoutSeconds * 1000}; VACUUM INTO $into;";
        command.Parameters.AddWithValue("$into", into);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string> QuickCheckAsync(string file, CancellationToken ct)
    {
        var cs = new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(cs);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        return Convert.ToString(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture) ?? "no answer";
    }

    /// <summary>The pg_dump command for the configured database (custom format, for pg_restore), the password left out.</summary>
    public static string PgDumpCommand(string? connectionString, string file)
    {
        var pg = new NpgsqlConnectionStringBuilder(connectionString ?? "");
        var parts = new List<string> { "pg_dump", "--format=custom" };
        if (!string.IsNullOrEmpty(pg.Host))
        {
            parts.Add("--host=" + Quote(pg.Host));
        }

        parts.Add("--port=" + pg.Port.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(pg.Username))
        {
            parts.Add("--username=" + Quote(pg.Username));
        }

        if (!string.IsNullOrEmpty(pg.Database))
        {
            parts.Add("--dbname=" + Quote(pg.Database));
        }

        parts.Add("--file=" + Quote(file));
        return string.Join(' ', parts);
    }

    /// <summary>A shell word: as is when plain, else in single quotes.</summary>
    private static string Quote(string value) => PlainWord().IsMatch(value) ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:@%+,=-]+$")]
    private static partial Regex PlainWord();
}
