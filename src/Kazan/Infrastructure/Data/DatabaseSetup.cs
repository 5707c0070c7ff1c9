using System.Data.Common;
using Kazan.Infrastructure.Auditing;
using Kazan.Infrastructure.Observability;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Kazan.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

public static class DatabaseSetup
{
    /// <summary>"KazanMig": the advisory lock instances take around their start-up migration.</summary>
    private const long StartLockKey = 0x4B617A616E4D6967;

    /// <summary>
    /// Reads <c>Database:Provider</c> (Sqlite, the default, or Postgres) and <c>ConnectionStrings:Kazan</c>.
    /// Without a connection string SQLite uses <c>{Kazan:DataDirectory}/kazan.db</c> (default folder: ./data).
    /// </summary>
    public static IServiceCollection AddKazanDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration.GetValue("Database:Provider", DatabaseProvider.Sqlite);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<AuditInterceptor>();
        services.AddScoped<BulkInsert>();
        services.AddSingleton<Auth.ApiTokenCache>();
        services.AddSingleton<Auth.ApiTokenCacheInterceptor>();
        services.AddHttpContextAccessor();
        services.AddSingleton<StatementCancellation>();
        services.AddKazanRequestDiagnostics(configuration);
        var countCommands = RequestDiagnostics.IsEnabled(configuration);

        if (provider == DatabaseProvider.Postgres)
        {
            var cs = configuration.GetConnectionString("Kazan")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Kazan is not set.");
            services.AddDbContext<PostgresKazanDbContext>((sp, o) => o
                .UseNpgsql(cs, npgsql => npgsql.MigrationsHistoryTable("__EFMigrationsHistory"))
                .ReplaceService<Microsoft.EntityFrameworkCore.Storage.IExceptionDetector, StoppedStatementDetector>()
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), HistoryMaterializer.Instance, sp.GetRequiredService<Auth.ApiTokenCacheInterceptor>())
                .AddInterceptors(sp.GetRequiredService<StatementCancellation>())
                .AddInterceptors(countCommands ? [RequestDiagnostics.CommandCounter] : []));
            services.AddScoped<KazanDbContext>(sp => sp.GetRequiredService<PostgresKazanDbContext>());
        }
        else
        {
            var cs = configuration.GetConnectionString("Kazan") ?? DefaultSqliteConnectionString(configuration);
            var synchronous = configuration.GetValue("Database:SqliteSynchronous", "FULL");
            var busyTimeout = SqliteBusyTimeoutSeconds(configuration);
            services.AddDbContext<SqliteKazanDbContext>((sp, o) => o
                .UseSqlite(cs)
                .ReplaceService<Microsoft.EntityFrameworkCore.Storage.IExceptionDetector, StoppedStatementDetector>()
                .AddInterceptors(sp.GetRequiredService<AuditInterceptor>(), HistoryMaterializer.Instance, new SqlitePragmas(synchronous, busyTimeout))
                .AddInterceptors(sp.GetRequiredService<Auth.ApiTokenCacheInterceptor>(), sp.GetRequiredService<StatementCancellation>())
                .AddInterceptors(countCommands ? [RequestDiagnostics.CommandCounter] : []));
            services.AddScoped<KazanDbContext>(sp => sp.GetRequiredService<SqliteKazanDbContext>());
            services.AddHostedService<SqliteOptimizer>();
        }

        return services;
    }

    /// <summary>How long a SQLite write waits for another's lock before it gives up (<c>Database:SqliteBusyTimeoutSeconds</c>, default 10).</summary>
    public static int SqliteBusyTimeoutSeconds(IConfiguration configuration) =>
        Math.Clamp(configuration.GetValue("Database:SqliteBusyTimeoutSeconds", 10), 1, 3600);

    /// <summary>Where the SQLite file is without a connection string: <c>{Kazan:DataDirectory}/kazan.db</c>, as a full path.</summary>
    public static string DefaultSqlitePath(IConfiguration configuration) =>
        Path.Combine(Path.GetFullPath(configuration.GetValue("Kazan:DataDirectory", "data")!), "kazan.db");

    public static string DefaultSqliteConnectionString(IConfiguration configuration)
    {
        var path = DefaultSqlitePath(configuration);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new SqliteConnectionStringBuilder
        {
            DataSource = path,
            ForeignKeys = true,
            Pooling = true,
        }.ToString();
    }

    /// <summary>
    /// Applies pending migrations, then completes the data a migration cannot derive in SQL (the deal history's states,
    /// from the audit trail). On PostgreSQL both run under one lock, so several instances may start at once.
    /// </summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        if (db.Database.IsSqlite())
        {
            // WAL is a property of the file: set once, readers then never block the writer.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }

        await using var startLock = db.Database.IsNpgsql() ? await StartLockAsync(db.Database.GetConnectionString()!, ct) : null;
        await db.Database.MigrateAsync(ct);
        await Features.Opportunities.HistoryRebuild.RunAsync(db, ct);

        // The first Data Protection key (sign-in cookies, antiforgery), made now, under the lock: instances starting
        // together on an empty database would otherwise each make one at their first request and, after the first
        // minutes, no longer read the other's cookies until their daily key-ring refresh.
        scope.ServiceProvider.GetService<IDataProtectionProvider>()?.CreateProtector("Kazan.Start").Protect([]);
    }

    /// <summary>
    /// EF's own migration lock is held for one migration at a time while the list of pending migrations is read once,
    /// before the first: two instances starting together interleave and the slower applies a migration the other has
    /// just applied ("relation already exists", seen in TwoInstancesTests). A session-level advisory lock around the
    /// whole step serializes the starts instead: the second waits, then finds nothing to do. It lives on a connection of
    /// its own outside the pool, so closing it (or the process dying) releases the lock.
    /// </summary>
    private static async Task<IAsyncDisposable> StartLockAsync(string connectionString, CancellationToken ct)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        await connection.OpenAsync(ct);
        await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({StartLockKey})", connection);
        await take.ExecuteNonQueryAsync(ct);
        return connection;
    }

    /// <summary>
    /// Per-connection SQLite settings: foreign keys, a busy timeout so concurrent writers wait instead of failing
    /// (<c>Database:SqliteBusyTimeoutSeconds</c>, default 10), and synchronous=FULL by default so a committed "won"
    /// survives a power cut. The connection's command timeout is set to the busy timeout too: Microsoft.Data.Sqlite
    /// repeats a statement that SQLite answered busy until the command timeout (30 s unless set), so without it a write
    /// behind a long one waited three times the busy timeout before its 503.
    /// </summary>
    private sealed class SqlitePragmas(string synchronous, int busyTimeoutSeconds) : DbConnectionInterceptor
    {
        private readonly string _sql =
            $"PRAGMA foreign_keys=ON; PRAGMA busy_timeout={busyTimeoutSeconds * 1000}; PRAGMA synchronous={Sanitize(synchronous)};";

        private static string Sanitize(string value) =>
            value.ToUpperInvariant() is "FULL" or "NORMAL" or "EXTRA" or "OFF" ? value.ToUpperInvariant() : "FULL";

        public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
        {
            ((SqliteConnection)connection).DefaultTimeout = busyTimeoutSeconds;
            using var cmd = connection.CreateCommand();
            cmd.CommandText = _sql;
            cmd.ExecuteNonQuery();
        }

        public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            ((SqliteConnection)connection).DefaultTimeout = busyTimeoutSeconds;
            await using var cmd = connection.CreateCommand();
            cmd.CommandText = _sql;
            await cmd.ExecuteNonQueryAsync(cancellationToken);
        }
    }
}
