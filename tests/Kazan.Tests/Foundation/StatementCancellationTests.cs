using System.Diagnostics;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

/// <summary>
/// A statement stops when whoever asked for it gives up (<see cref="StatementCancellation"/>): a report nobody waits for
/// any more does not keep a core of the server busy for minutes. The statement here would run for many minutes on either
/// database; it must end within seconds of the give-up, and the connection must serve the next query.
/// </summary>
public sealed class StatementCancellationTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Minutes of work: SQLite counts to ten billion, PostgreSQL sleeps ten minutes.</summary>
    private static string LongQuery => KazanFactory.UsePostgres
        ? """SELECT 1::bigint AS "Value" FROM pg_sleep(600)"""
        : """WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 10000000000) SELECT count(*) AS "Value" FROM c""";

    [Fact]
    public async Task A_long_query_stops_soon_after_its_caller_gives_up()
    {
        var org = await factory.CreateOrganizationAsync("Vazgeçen Müşteri A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            giveUp.CancelAfter(TimeSpan.FromMilliseconds(500));
            await AssertStopsAsync(db, () => db.Database.SqlQueryRaw<long>(LongQuery).ToListAsync(giveUp.Token));
        }
    }

    [Fact]
    public async Task A_long_query_run_without_a_token_stops_when_its_request_is_given_up()
    {
        // The pages pass no token: the request's own (the browser closed the tab) is the one that counts.
        var org = await factory.CreateOrganizationAsync("Sekmeyi Kapatan A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            using var aborted = new CancellationTokenSource();
            var requests = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
            requests.HttpContext = new DefaultHttpContext { RequestAborted = aborted.Token };
            try
            {
                aborted.CancelAfter(TimeSpan.FromMilliseconds(500));
                await AssertStopsAsync(db, () => db.Database.SqlQueryRaw<long>(LongQuery).ToListAsync(CancellationToken.None));
            }
            finally
            {
                requests.HttpContext = null;
            }
        }
    }

    private static async Task AssertStopsAsync(KazanDbContext db, Func<Task> query)
    {
        var watch = Stopwatch.StartNew();
        var run = Task.Run(query, Ct);

        // Not awaited past 60 s: a statement that was not stopped would hold the test for many minutes.
        await Assert.ThrowsAnyAsync<Exception>(() => run.WaitAsync(TimeSpan.FromSeconds(60), Ct));
        Assert.True(run.IsCompleted, "The statement was still running a minute after its caller gave up.");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"The statement stopped only after {watch.Elapsed}.");

        // The same connection answers the next query as usual.
        var one = await db.Database.SqlQueryRaw<int>("""SELECT 1 AS "Value" """).ToListAsync(Ct);
        Assert.Equal([1], one);
    }
}
