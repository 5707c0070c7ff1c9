using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// Keeps SQLite's query planner statistics (<c>sqlite_stat1</c>) current: runs <c>PRAGMA optimize</c> shortly after
/// start, then every <c>Database:SqliteOptimizeIntervalHours</c> (default 4; 0 turns it off), and once more when the
/// application stops. Without statistics SQLite guesses how selective each index is, and as tables grow from a few rows
/// to a million its guesses pick worse plans. SQLite only: PostgreSQL's autovacuum analyzes by itself.
/// </summary>
public sealed class SqliteOptimizer(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<SqliteOptimizer> log)
    : BackgroundService
{
    /// <summary>
    /// 0x10002: analyze (0x02) every table whose size changed enough since its last analysis, not only the tables this
    /// connection has read (0x10000). The app's connections are pooled and short-lived, so the plain form, which looks
    /// at what the running connection queried, would find nothing to do here. <c>analysis_limit=400</c> bounds the rows
    /// each index's analysis reads: ANALYZE holds the write lock while it runs, and the first pass over a never-analyzed
    /// database of 1M deals took 21 s without the limit and 3.6 s with it (2-core machine under heavy load), with the
    /// same plans after. On the bench's full tier M database (22.5M rows, 12.8 GB) it took 47.9 s even with the limit:
    /// docs/operations.md says to run ANALYZE once after a bulk load or restore.
    /// </summary>
    public const string Statement = "PRAGMA analysis_limit=400; PRAGMA optimize=0x10002;";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var hours = configuration.GetValue("Database:SqliteOptimizeIntervalHours", 4.0);
        if (hours <= 0)
        {
            log.LogInformation("SQLite optimize is off (Database:SqliteOptimizeIntervalHours is {Hours}).", hours);
            return;
        }

        try
        {
            // Not in the way of the start: the first run a minute after it, then at every interval.
            await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
            using var timer = new PeriodicTimer(TimeSpan.FromHours(hours), clock);
            do
            {
                await RunLoggedAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping: StopAsync runs the last pass.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (configuration.GetValue("Database:SqliteOptimizeIntervalHours", 4.0) > 0)
        {
            await RunLoggedAsync(cancellationToken);
        }
    }

    private async Task RunLoggedAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await RunOnceAsync(scope.ServiceProvider.GetRequiredService<KazanDbContext>(), ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A busy database (a long import holding the write lock) is tried again at the next interval.
            log.LogWarning(e, "SQLite optimize failed; it runs again at the next interval.");
        }
    }

    /// <summary>One pass of <see cref="Statement"/> on a connection of <paramref name="db"/>.</summary>
    public static async Task RunOnceAsync(KazanDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync(Statement, ct);
}
