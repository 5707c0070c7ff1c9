using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Kazan.Tests.Foundation;

/// <summary>
/// Issue 14.7: backups taken while the app writes restore to exactly the backup point. On SQLite with Kazan's own
/// <c>backup</c> command, on PostgreSQL with <c>pg_dump -Fc</c> / <c>pg_restore</c>; the restored app starts, holds
/// every write acknowledged before the backup began and none sent after it ended, and its API token still works.
/// </summary>
public sealed class BackupRestoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_backup_taken_under_load_restores_to_the_backup_point_with_a_working_token()
    {
        Assert.SkipWhen(KazanFactory.UsePostgres, "The backup command copies SQLite; PostgreSQL is backed up with pg_dump (its own test).");
        var root = Directory.CreateTempSubdirectory("kazan-backup-").FullName;
        var live = Path.Combine(root, "live");
        var restored = Path.Combine(root, "restored");
        var backup = Path.Combine(root, "kazan-backup.db");
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var clock = Stopwatch.StartNew();
        void Step(string what) => TestContext.Current.TestOutputHelper?.WriteLine($"{clock.Elapsed.TotalSeconds,5:0.0} s  {what}");
        var server = KazanProcess.Start(new Uri(url), null, live, KazanProcess.PlainHttp);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await server.ReadyAsync();
            Step("started");
            await KazanProcess.SignUpAsync(http, $"Data Source={Path.Combine(live, "kazan.db")}", postgres: false, "Yedek Alan A.Ş.");
            SqliteConnection.ClearAllPools();

            var load = new Load(http);
            var (start, end) = await load.AroundAsync(async () =>
            {
                var (exit, output, error) = await KazanProcess.RunAsync(["backup", backup], null, live, KazanProcess.PlainHttp);
                Assert.True(exit == 0, $"backup exited {exit}: {output}{error}");
                TestContext.Current.TestOutputHelper?.WriteLine(output.Trim());
            });
            await server.DisposeAsync();
            Step("load and backup done, stopped");

            Assert.Equal("ok", await ScalarAsync(backup, "PRAGMA integrity_check"));
            var inBackup = new Names(await NamesAsync(Sqlite(backup), "SELECT Name FROM Accounts"), await NamesAsync(Sqlite(backup), "SELECT Title FROM Opportunities"));

            // Restore: a fresh data folder holding the backup as kazan.db, and Kazan started on it.
            Directory.CreateDirectory(restored);
            File.Copy(backup, Path.Combine(restored, "kazan.db"));
            server = KazanProcess.Start(new Uri(url), null, restored, KazanProcess.PlainHttp);
            await server.ReadyAsync();
            Step("restored and started");

            await load.AssertRestoredAsync(http, inBackup, start, end);
            Step("checked");
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Assert.Equal("ok", await ScalarAsync(Path.Combine(restored, "kazan.db"), "PRAGMA integrity_check"));
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>
    /// Why the command exists. In WAL mode a commit lands in <c>kazan.db-wal</c>; it reaches <c>kazan.db</c> only at a
    /// checkpoint (every ~1000 pages, or when the last connection closes). Right after a checkpoint, a few writes stay
    /// in the WAL alone — so a copy of <c>kazan.db</c> without it has none of them, deterministically.
    /// </summary>
    [Fact]
    public async Task A_plain_copy_of_the_database_file_misses_acknowledged_writes_the_backup_command_keeps()
    {
        Assert.SkipWhen(KazanFactory.UsePostgres, "About SQLite's WAL file.");
        var root = Directory.CreateTempSubdirectory("kazan-backup-").FullName;
        var live = Path.Combine(root, "live");
        var database = Path.Combine(live, "kazan.db");
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var server = KazanProcess.Start(new Uri(url), null, live, KazanProcess.PlainHttp);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await server.ReadyAsync();
            await KazanProcess.SignUpAsync(http, $"Data Source={database}", postgres: false, "Kopya A.Ş.");
            for (var i = 0; i < 3; i++)
            {
                await http.CreateAccountAsync($"Eski {i}");
            }

            // Held open for the whole test: the last connection to close would checkpoint the WAL into kazan.db.
            await using var holder = new SqliteConnection($"Data Source={database};Pooling=False");
            await holder.OpenAsync(Ct);
            await CheckpointAsync(holder);
            for (var i = 0; i < 5; i++)
            {
                await http.CreateAccountAsync($"Yeni {i}");
            }

            Assert.True(new FileInfo(database + "-wal").Length > 0, "the acknowledged writes are in kazan.db-wal");
            var plain = Path.Combine(root, "plain", "kazan.db");
            Directory.CreateDirectory(Path.GetDirectoryName(plain)!);
            File.Copy(database, plain);
            var copied = await NamesAsync(Sqlite(plain), "SELECT Name FROM Accounts");
            Assert.Equal(["Eski 0", "Eski 1", "Eski 2"], copied.Order(StringComparer.Ordinal));

            var backup = Path.Combine(root, "kazan-backup.db");
            var (exit, output, error) = await KazanProcess.RunAsync(["backup", backup], null, live, KazanProcess.PlainHttp);
            Assert.True(exit == 0, $"backup exited {exit}: {output}{error}");
            var backedUp = await NamesAsync(Sqlite(backup), "SELECT Name FROM Accounts");
            Assert.Equal(["Eski 0", "Eski 1", "Eski 2", "Yeni 0", "Yeni 1", "Yeni 2", "Yeni 3", "Yeni 4"], backedUp.Order(StringComparer.Ordinal));

            // The real process refuses to overwrite, with a non-zero exit code, and leaves the backup as it was.
            var before = await File.ReadAllBytesAsync(backup, Ct);
            var again = await KazanProcess.RunAsync(["backup", backup], null, live, KazanProcess.PlainHttp);
            Assert.Equal(2, again.ExitCode);
            Assert.Contains("already exists", again.Error, StringComparison.Ordinal);
            Assert.Equal(before, await File.ReadAllBytesAsync(backup, Ct));
        }
        finally
        {
            await server.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task The_backup_command_explains_and_writes_nothing_without_a_file_into_a_missing_folder_over_a_file_or_without_a_database()
    {
        var root = Directory.CreateTempSubdirectory("kazan-backup-").FullName;
        try
        {
            var data = Path.Combine(root, "data");
            var sqlite = Config(("Kazan:DataDirectory", data));

            var (code, _, error) = await RunAsync(sqlite, null);
            Assert.Equal(2, code);
            Assert.Contains("Usage: Kazan backup <file>", error, StringComparison.Ordinal);

            (code, _, error) = await RunAsync(sqlite, Path.Combine(root, "missing", "kazan.db"));
            Assert.Equal(2, code);
            Assert.Contains($"The folder {Path.Combine(root, "missing")} does not exist", error, StringComparison.Ordinal);
            Assert.False(Directory.Exists(Path.Combine(root, "missing")));

            var existing = Path.Combine(root, "yesterday.db");
            await File.WriteAllTextAsync(existing, "yesterday's backup", Ct);
            (code, _, error) = await RunAsync(sqlite, existing);
            Assert.Equal(2, code);
            Assert.Contains($"{existing} already exists", error, StringComparison.Ordinal);
            Assert.Equal("yesterday's backup", await File.ReadAllTextAsync(existing, Ct));

            // A wrong data folder fails and leaves no empty database behind.
            (code, _, error) = await RunAsync(sqlite, Path.Combine(root, "new.db"));
            Assert.Equal(1, code);
            Assert.Contains($"No SQLite database at {Path.Combine(data, "kazan.db")}", error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(data, "kazan.db")));
            Assert.Equal(["yesterday.db"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task On_PostgreSQL_the_backup_command_prints_the_pg_dump_command_and_writes_nothing()
    {
        var file = Path.Combine(Path.GetTempPath(), $"kazan-{Guid.NewGuid():N}.dump");
        var postgres = Config(("Database:Provider", "Postgres"),
            ("ConnectionStrings:Kazan", "Host=db.internal;Port=5433;Username=kazan;Password=gizli;Database=kazan_prod"));

        var (code, output, error) = await RunAsync(postgres, file);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains($"pg_dump --format=custom --host=db.internal --port=5433 --username=kazan --dbname=kazan_prod --file={file}", error, StringComparison.Ordinal);
        Assert.DoesNotContain("gizli", error, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.Equal("pg_dump --format=custom --port=5432 --dbname='my db' --file='/backups/it'\\''s.dump'",
            BackupCommandLine.PgDumpCommand("Database=my db", "/backups/it's.dump"));
    }

    [Fact]
    public async Task A_pg_dump_taken_under_load_restores_with_pg_restore_to_the_dump_point_with_a_working_token()
    {
        Assert.SkipUnless(KazanFactory.UsePostgres, "pg_dump and pg_restore: the PostgreSQL run.");
        var name = "kazan_dump_" + Guid.NewGuid().ToString("N")[..12];
        var copy = name + "_restored";
        var root = Directory.CreateTempSubdirectory("kazan-backup-").FullName;
        var dump = Path.Combine(root, "kazan.dump");
        var server = KazanFactory.PostgresServer;
        var liveConnection = new NpgsqlConnectionStringBuilder(server) { Database = name }.ToString();
        var restoredConnection = new NpgsqlConnectionStringBuilder(server) { Database = copy }.ToString();
        await PostgresAsync($"CREATE DATABASE {name}");
        var url = $"http://127.0.0.1:{Ports.Free()}";
        var app = KazanProcess.Start(new Uri(url), liveConnection, Path.Combine(root, "data"), KazanProcess.PlainHttp);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await app.ReadyAsync();
            await KazanProcess.SignUpAsync(http, liveConnection, postgres: true, "Döküm A.Ş.");

            var load = new Load(http);
            var (start, end) = await load.AroundAsync(async () =>
            {
                var (exit, output, error) = await PgToolAsync("pg_dump", "--format=custom", "--file=" + dump, "--dbname=" + name);
                Assert.True(exit == 0, $"pg_dump exited {exit}: {output}{error}");
            });
            await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();

            await PostgresAsync($"CREATE DATABASE {copy} TEMPLATE template0");
            var (restoreExit, restoreOutput, restoreError) = await PgToolAsync("pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + copy, dump);
            Assert.True(restoreExit == 0, $"pg_restore exited {restoreExit}: {restoreOutput}{restoreError}");
            var inDump = new Names(
                await NamesAsync(new NpgsqlConnection(restoredConnection), "SELECT \"Name\" FROM \"Accounts\""),
                await NamesAsync(new NpgsqlConnection(restoredConnection), "SELECT \"Title\" FROM \"Opportunities\""));
            NpgsqlConnection.ClearAllPools();

            app = KazanProcess.Start(new Uri(url), restoredConnection, Path.Combine(root, "data"), KazanProcess.PlainHttp);
            await app.ReadyAsync();
            await load.AssertRestoredAsync(http, inDump, start, end);
            TestContext.Current.TestOutputHelper?.WriteLine($"pg_dump: {new FileInfo(dump).Length / 1024} KiB for {inDump.Accounts.Count} accounts, {inDump.Opportunities.Count} opportunities");
        }
        finally
        {
            await app.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
            await PostgresAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            await PostgresAsync($"DROP DATABASE IF EXISTS {copy} WITH (FORCE)");
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>What a backup holds: account names and opportunity titles (the load makes each one unique).</summary>
    private sealed record Names(IReadOnlyCollection<string> Accounts, IReadOnlyCollection<string> Opportunities);

    /// <summary>One create the load sent: when it was sent and, if the API answered 201, when.</summary>
    private sealed record Write(string Name, long SentAt, long? AcknowledgedAt);

    /// <summary>
    /// Four clients creating an account and then an opportunity on it, through the API with the token, until stopped;
    /// every create carries a unique name, so what a backup holds can be matched to what the API acknowledged.
    /// </summary>
    private sealed class Load(HttpClient http)
    {
        private const int Clients = 4;
        private readonly ConcurrentQueue<Write> _accounts = new();
        private readonly ConcurrentQueue<Write> _opportunities = new();

        private int AcknowledgedSince(long time) =>
            _accounts.Count(w => w.SentAt > time && w.AcknowledgedAt is not null) + _opportunities.Count(w => w.SentAt > time && w.AcknowledgedAt is not null);

        /// <summary>
        /// Runs the load, then <paramref name="backup"/> while it goes on, then a little more load; returns when the
        /// backup started and ended. Waits are bounded; no assertion depends on how fast anything was.
        /// </summary>
        public async Task<(long Start, long End)> AroundAsync(Func<Task> backup)
        {
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => ClientAsync(c, stop.Token), Ct)).ToArray();
            try
            {
                await UntilAsync(() => AcknowledgedSince(0) >= 60);
                var start = Stopwatch.GetTimestamp();
                await backup();
                var end = Stopwatch.GetTimestamp();
                await UntilAsync(() => AcknowledgedSince(end) >= 10);
                TestContext.Current.TestOutputHelper?.WriteLine(
                    $"load: {AcknowledgedSince(0)} creates acknowledged, {AcknowledgedSince(start) - AcknowledgedSince(end)} sent while the backup ran ({Stopwatch.GetElapsedTime(start, end).TotalSeconds:0.0} s)");
                return (start, end);
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(clients);
            }
        }

        private static async Task UntilAsync(Func<bool> done)
        {
            var deadline = Stopwatch.StartNew();
            while (!done() && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(50, Ct);
            }
        }

        private async Task ClientAsync(int client, CancellationToken stop)
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var account = await CreateAsync(_accounts, "/api/v1/accounts", $"Yük {client}-{n}", name => new { kind = "Company", name });
                if (account is { } accountId)
                {
                    await CreateAsync(_opportunities, "/api/v1/opportunities", $"Fırsat {client}-{n}", title => new
                    {
                        title,
                        accountId,
                        expectedAmount = 1_250.50m,
                        expectedCloseDate = "2027-03-31",
                    });
                }
            }
        }

        /// <summary>Sends one create (never cancelled once sent: its outcome must be known) and records it.</summary>
        private async Task<Guid?> CreateAsync(ConcurrentQueue<Write> writes, string url, string name, Func<string, object> body)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.PostAsJsonAsync(url, body(name), CancellationToken.None);
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    writes.Enqueue(new Write(name, sent, null));
                    return null;
                }

                var id = (await response.Content.ReadFromJsonAsync<JsonElement>(CancellationToken.None)).GetProperty("id").GetGuid();
                writes.Enqueue(new Write(name, sent, Stopwatch.GetTimestamp()));
                return id;
            }
            catch (HttpRequestException)
            {
                writes.Enqueue(new Write(name, sent, null)); // outcome unknown: may or may not be in a backup
                return null;
            }
        }

        /// <summary>
        /// The restored app, through the API with the token issued before the backup: lists exactly what the backup
        /// holds; that is every create acknowledged before the backup started, none sent after it ended, nothing the
        /// load never sent; and it takes new writes.
        /// </summary>
        public async Task AssertRestoredAsync(HttpClient restored, Names inBackup, long start, long end)
        {
            var accounts = await ListAsync(restored, "/api/v1/accounts", "name");
            var opportunities = await ListAsync(restored, "/api/v1/opportunities", "title");
            Assert.Equal(inBackup.Accounts.Order(StringComparer.Ordinal), accounts.Order(StringComparer.Ordinal));
            Assert.Equal(inBackup.Opportunities.Order(StringComparer.Ordinal), opportunities.Order(StringComparer.Ordinal));
            foreach (var (writes, held) in new[] { (_accounts, inBackup.Accounts), (_opportunities, inBackup.Opportunities) })
            {
                Assert.NotEmpty(held);
                var acknowledgedBefore = writes.Where(w => w.AcknowledgedAt < start).Select(w => w.Name).ToList();
                Assert.NotEmpty(acknowledgedBefore);
                Assert.Empty(acknowledgedBefore.Except(held)); // a loss: acknowledged before the backup began, not in it
                Assert.Empty(writes.Where(w => w.SentAt > end).Select(w => w.Name).Intersect(held)); // not the backup point
                Assert.Empty(held.Except(writes.Select(w => w.Name))); // rows from nowhere
            }

            var created = await restored.PostAsJsonAsync("/api/v1/accounts", new { kind = "Company", name = "Geri Yüklendi A.Ş." }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        private static async Task<List<string>> ListAsync(HttpClient http, string url, string property)
        {
            var names = new List<string>();
            string? cursor = null;
            do
            {
                var page = await http.GetAsync($"{url}?limit=200{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}", Ct);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode); // the token issued before the backup works on the restored app
                var body = await page.Content.ReadFromJsonAsync<JsonElement>(Ct);
                names.AddRange(body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(property).GetString()!));
                cursor = body.TryGetProperty("next", out var next) ? next.GetString() : null;
            }
            while (cursor is not null);
            return names;
        }
    }

    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build();

    private static async Task<(int Code, string Output, string Error)> RunAsync(IConfiguration configuration, string? file)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await BackupCommandLine.RunAsync(configuration, file, output, error, Ct);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A checkpoint that copies the whole WAL into the database file and empties it; retried while the app writes.</summary>
    private static async Task CheckpointAsync(SqliteConnection connection)
    {
        await using (var wait = connection.CreateCommand())
        {
            wait.CommandText = "PRAGMA busy_timeout=5000;";
            await wait.ExecuteNonQueryAsync(Ct);
        }

        for (var attempt = 0; ; attempt++)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            await using var reader = await command.ExecuteReaderAsync(Ct);
            Assert.True(await reader.ReadAsync(Ct));
            if (reader.GetInt32(0) == 0)
            {
                return;
            }

            Assert.True(attempt < 20, "the WAL could not be checkpointed");
            await Task.Delay(100, Ct);
        }
    }

    private static async Task<string?> ScalarAsync(string file, string sql)
    {
        await using var connection = Sqlite(file);
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string?)await command.ExecuteScalarAsync(Ct);
    }

    private static SqliteConnection Sqlite(string file) => new($"Data Source={file};Pooling=False");

    /// <summary>The first column of every row the query returns.</summary>
    private static async Task<List<string>> NamesAsync(System.Data.Common.DbConnection database, string sql)
    {
        await using var connection = database;
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var names = new List<string>();
        while (await reader.ReadAsync(Ct))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private static async Task PostgresAsync(string sql)
    {
        await using var admin = new NpgsqlConnection(KazanFactory.PostgresServer);
        await admin.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, admin);
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    /// <summary>pg_dump or pg_restore from the newest PostgreSQL installed (the one test.sh starts), on the suite's server.</summary>
    private static async Task<(int Exit, string Output, string Error)> PgToolAsync(string tool, params string[] args)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql")
            .OrderBy(d => Version.TryParse(Path.GetFileName(d), out var v) ? v : new Version(int.TryParse(Path.GetFileName(d), out var major) ? major : 0, 0))
            .Select(d => Path.Combine(d, "bin", tool)).Last(File.Exists);
        var server = new NpgsqlConnectionStringBuilder(KazanFactory.PostgresServer);
        var start = new ProcessStartInfo(bin, ["--host=" + server.Host, "--port=" + server.Port, "--username=" + server.Username, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (!string.IsNullOrEmpty(server.Password))
        {
            start.Environment["PGPASSWORD"] = server.Password;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return (process.ExitCode, await output, await error);
    }
}
