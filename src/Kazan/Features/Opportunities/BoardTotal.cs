using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Opportunities;

/// <summary>
/// The board's running totals: how many open deals one owner has in one stage, and their total and weighted total in
/// the base currency. Every save that adds, changes or removes an open deal adds its difference here, in the same
/// transaction (<see cref="BoardTotals"/>), so a board reads a few rows per stage and owner instead of every open deal.
/// Owned by the deals' owner: a rep who sees only their own deals sees only their own totals.
/// </summary>
public sealed class BoardTotal : IOwnedEntity
{
    private BoardTotal()
    {
    }

    public Guid OrganizationId { get; private set; }
    public Guid PipelineId { get; private set; }
    public Guid StageId { get; private set; }
    public Guid OwnerId { get; private set; }
    public int Count { get; private set; }
    public decimal Total { get; private set; }
    public decimal WeightedTotal { get; private set; }
}

public sealed class BoardTotalConfiguration : IEntityTypeConfiguration<BoardTotal>
{
    public void Configure(EntityTypeBuilder<BoardTotal> builder)
    {
        builder.ToTable("BoardTotals");
        builder.HasKey(t => new { t.OrganizationId, t.PipelineId, t.StageId, t.OwnerId });

        // A sum of many deals outgrows one deal's precision (18, 4).
        builder.Property(t => t.Total).HasPrecision(28, 4);
        builder.Property(t => t.WeightedTotal).HasPrecision(28, 4);
        builder.HasOne<Stage>().WithMany().HasForeignKey(t => t.StageId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>
/// Keeps <see cref="BoardTotal"/> equal to the open deals. <see cref="Pending"/> reads what a save is about to change
/// from the change tracker: a deal that was open counts out of its old (pipeline, stage, owner) with its old amounts,
/// a deal that is open counts into its new one. <see cref="ApplyAsync"/> adds those differences with one upsert, in
/// key order (two transactions touching the same rows lock them in the same order). The context's SaveChanges and the
/// import's bulk save call both inside the transaction that writes the deals.
/// </summary>
public static class BoardTotals
{
    /// <summary>Rows per upsert statement (7 parameters each).</summary>
    private const int Chunk = 500;

    private static readonly string[] ColumnNames = ["OrganizationId", "PipelineId", "StageId", "OwnerId", "Count", "Total", "WeightedTotal"];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<DatabaseProvider, StoreColumn[]> ColumnsByProvider = new();

    public readonly record struct Key(Guid OrganizationId, Guid PipelineId, Guid StageId, Guid OwnerId);

    public sealed record Change(Key Key, int Count, decimal Total, decimal WeightedTotal);

    /// <summary>The differences the tracked deals' changes make to the totals, non-zero ones only, in key order.</summary>
    public static List<Change> Pending(DbContext db)
    {
        var sums = new Dictionary<Key, (int Count, decimal Total, decimal Weighted)>();
        foreach (var entry in db.ChangeTracker.Entries<Opportunity>())
        {
            if (entry.State is EntityState.Modified or EntityState.Deleted
                && entry.Property(o => o.Status).OriginalValue == OpportunityStatus.Open)
            {
                Add(sums, new Key(
                    entry.Property(o => o.OrganizationId).OriginalValue, entry.Property(o => o.PipelineId).OriginalValue,
                    entry.Property(o => o.StageId).OriginalValue, entry.Property(o => o.OwnerId).OriginalValue),
                    -1, -entry.Property(o => o.ForecastAmountBase).OriginalValue, -entry.Property(o => o.WeightedAmountBase).OriginalValue);
            }

            if (entry.State is EntityState.Added or EntityState.Modified && entry.Entity.Status == OpportunityStatus.Open)
            {
                var o = entry.Entity;
                Add(sums, new Key(o.OrganizationId, o.PipelineId, o.StageId, o.OwnerId), 1, o.ForecastAmountBase, o.WeightedAmountBase);
            }
        }

        return [.. sums
            .Where(s => s.Value.Count != 0 || s.Value.Total != 0m || s.Value.Weighted != 0m)
            .OrderBy(s => s.Key.OrganizationId).ThenBy(s => s.Key.PipelineId).ThenBy(s => s.Key.StageId).ThenBy(s => s.Key.OwnerId)
            .Select(s => new Change(s.Key, s.Value.Count, s.Value.Total, s.Value.Weighted))];
    }

    /// <summary>Adds the differences to the stored totals (a missing row starts from them). Runs inside the caller's transaction.</summary>
    public static async Task ApplyAsync(KazanDbContext db, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        if (changes.Count == 0)
        {
            return;
        }

        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Board totals change inside the transaction that changes the deals.");
        }

        var columns = Columns(db);
        foreach (var chunk in changes.Chunk(Chunk))
        {
            var values = new object?[chunk.Length * 7];
            var rows = new List<string>(chunk.Length);
            for (var i = 0; i < chunk.Length; i++)
            {
                var (key, count, total, weighted) = chunk[i];
                object?[] row = [key.OrganizationId, key.PipelineId, key.StageId, key.OwnerId, count, total, weighted];
                for (var c = 0; c < 7; c++)
                {
                    values[(i * 7) + c] = columns[c].ToProvider(row[c]);
                }

                rows.Add("(" + string.Join(", ", Enumerable.Range(i * 7, 7).Select(p => "{" + p + "}")) + ")");
            }

            var sql = $"""
                INSERT INTO "BoardTotals" ("OrganizationId", "PipelineId", "StageId", "OwnerId", "Count", "Total", "WeightedTotal")
                VALUES {string.Join(", ", rows)}
                ON CONFLICT ("OrganizationId", "PipelineId", "StageId", "OwnerId") DO UPDATE SET
                    "Count" = "BoardTotals"."Count" + excluded."Count",
                    "Total" = "BoardTotals"."Total" + excluded."Total",
                    "WeightedTotal" = "BoardTotals"."WeightedTotal" + excluded."WeightedTotal"
                """;
            await db.Database.ExecuteSqlRawAsync(sql, values!, ct);
        }
    }

    /// <summary>
    /// Every organization's totals recomputed from the open deals (the tables must be empty first). The migration that
    /// made the table did the same; the benchmark's loader runs it after writing its deals. SQLite stores amounts as
    /// scaled integers, so the sums are exact on both databases.
    /// </summary>
    public const string RebuildSql = """
        INSERT INTO "BoardTotals" ("OrganizationId", "PipelineId", "StageId", "OwnerId", "Count", "Total", "WeightedTotal")
        SELECT "OrganizationId", "PipelineId", "StageId", "OwnerId", COUNT(*), SUM("ForecastAmountBase"), SUM("WeightedAmountBase")
        FROM "Opportunities" WHERE "Status" = 'Open'
        GROUP BY "OrganizationId", "PipelineId", "StageId", "OwnerId"
        """;

    private static void Add(Dictionary<Key, (int Count, decimal Total, decimal Weighted)> sums, Key key, int count, decimal total, decimal weighted)
    {
        var s = sums.GetValueOrDefault(key);
        sums[key] = (s.Count + count, s.Total + total, s.Weighted + weighted);
    }

    /// <summary>The seven columns in the upsert's order, each with its provider's stored form (SQLite: text GUIDs, scaled integers).</summary>
    private static StoreColumn[] Columns(KazanDbContext db)
    {
        var provider = db.Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
        return ColumnsByProvider.GetOrAdd(provider, p =>
        {
            var all = StoreColumn.All(db.Model.FindEntityType(typeof(BoardTotal))!, p);
            return [.. ColumnNames.Select(name => all.Single(c => c.Name == name))];
        });
    }
}
