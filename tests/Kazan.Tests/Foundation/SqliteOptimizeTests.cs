using Kazan.Features.Accounts;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kazan.Tests.Foundation;

/// <summary>
/// Kazan on a database of its own, so a test sees one that no other test's host has gathered statistics for (every test
/// host has its scheduled <c>PRAGMA optimize</c> off: <see cref="KazanFactory"/>).
/// </summary>
public sealed class SqliteOptimizeOffFactory : KazanFactory;

/// <summary>
/// SQLite keeps its planner statistics by itself: <see cref="SqliteOptimizer"/> runs <c>PRAGMA optimize</c> on a schedule
/// and when the application stops, and a table with data then has its row in <c>sqlite_stat1</c>.
/// </summary>
public sealed class SqliteOptimizeTests(SqliteOptimizeOffFactory factory) : IClassFixture<SqliteOptimizeOffFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void The_optimizer_runs_on_SQLite_only()
    {
        // Registered (its interval setting turns it off inside, at run time).
        var optimizers = factory.Services.GetServices<IHostedService>().OfType<SqliteOptimizer>().Count();
        Assert.Equal(KazanFactory.UsePostgres ? 0 : 1, optimizers);
    }

    [Fact]
    public async Task Stopping_the_optimizer_leaves_statistics_for_a_table_with_data()
    {
        Assert.SkipWhen(KazanFactory.UsePostgres, "PRAGMA optimize is SQLite's; PostgreSQL's autovacuum analyzes by itself.");
        var org = await factory.CreateOrganizationAsync("İstatistik A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var now = DateTimeOffset.UtcNow;
            db.Accounts.AddRange(Enumerable.Range(0, 300).Select(i => new Account(org.Id, org.Admin.Id, AccountKind.Company, $"İstatistik {i:000}", now)));
            await db.SaveChangesAsync(Ct);

            // No statistics yet: this host's own optimizer is off.
            Assert.Equal(0, await db.Database.SqlQueryRaw<int>("SELECT count(*) AS \"Value\" FROM sqlite_master WHERE name = 'sqlite_stat1'").SingleAsync(Ct));

            // An optimizer with the default settings, started and stopped at once: the pass it runs is the one at shutdown
            // (the first scheduled one waits a minute).
            var optimizer = new SqliteOptimizer(factory.Services.GetRequiredService<IServiceScopeFactory>(), TimeProvider.System,
                new ConfigurationBuilder().Build(), NullLogger<SqliteOptimizer>.Instance);
            await optimizer.StartAsync(Ct);
            await optimizer.StopAsync(Ct);

            var rows = await db.Database.SqlQueryRaw<string>("SELECT idx AS \"Value\" FROM sqlite_stat1 WHERE tbl = 'Accounts'").ToListAsync(Ct);
            Assert.NotEmpty(rows);
        }
    }
}
