using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Infrastructure;

/// <summary>How the database would run a query: what a test asserts to prove a read is an index range at any size.</summary>
public static class QueryPlans
{
    /// <summary>
    /// The plan's lines: SQLite's <c>EXPLAIN QUERY PLAN</c> details, PostgreSQL's <c>EXPLAIN</c>. PostgreSQL is told to
    /// avoid sequential scans first, since on a test's nearly empty tables it would rightly prefer one.
    /// </summary>
    public static async Task<List<string>> ExplainAsync(KazanDbContext db, IQueryable query, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        using var command = query.CreateDbCommand();
        if (KazanFactory.UsePostgres)
        {
            using var off = db.Database.GetDbConnection().CreateCommand();
            off.CommandText = "SET enable_seqscan = off";
            await off.ExecuteNonQueryAsync(ct);
            command.CommandText = "EXPLAIN " + command.CommandText;
        }
        else
        {
            command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        }

        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            plan.Add(reader.GetValue(reader.FieldCount - 1).ToString()!);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(string.Join("\n", plan));
        return plan;
    }
}
