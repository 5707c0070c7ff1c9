using System.Globalization;
using Kazan.Features.Pipelines;
using Kazan.Features.Users;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Opportunities;

/// <summary>Whose deals the board shows: one owner (also "mine") and/or the members of one team. Reps see only their own anyway.</summary>
public sealed record BoardFilter(Guid? OwnerId = null, Guid? TeamId = null);

public sealed record BoardCard(
    Guid Id, string Title, Guid AccountId, string? AccountName, decimal Amount, string Currency, DateOnly ExpectedCloseDate,
    Guid OwnerId, string OwnerName, int Probability, bool IsOverdue, bool IsRotting, int Version);

public sealed record StageTotals(Guid StageId, int Count, decimal Total, decimal WeightedTotal);

public sealed record BoardColumn(
    Guid StageId, string Name, int Position, int Probability, int? RottingDays, int Count, decimal Total, decimal WeightedTotal,
    IReadOnlyList<BoardCard> Cards, string? Next);

public sealed record BoardResponse(
    Guid PipelineId, string PipelineName, string BaseCurrency, int Count, decimal Total, decimal WeightedTotal, IReadOnlyList<BoardColumn> Columns);

/// <summary>
/// The pipeline board: open deals per stage. Per request: the pipeline, the base currency, one GROUP BY of the running
/// totals for every column's count / total / weighted total, and one keyset query per column for its first cards.
/// Nothing grows with the number of deals.
/// </summary>
public static class BoardQueries
{
    public const int PageSize = 50;

    /// <summary>The board of <paramref name="pipelineId"/> (the default pipeline when null); null when there is no such pipeline.</summary>
    public static async Task<BoardResponse?> BoardAsync(KazanDbContext db, Guid? pipelineId, BoardFilter filter, OrganizationTime time, CancellationToken ct)
    {
        var pipeline = pipelineId is { } id
            ? await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct)
            : await PipelineQueries.DefaultAsync(db, ct);
        if (pipeline is null)
        {
            return null;
        }

        var baseCurrency = await OpportunityQueries.BaseCurrencyAsync(db, ct);
        var totals = (await TotalsAsync(db, pipeline.Id, filter, ct)).ToDictionary(t => t.StageId);
        var columns = new List<BoardColumn>();
        foreach (var stage in pipeline.Stages)
        {
            var page = await ColumnAsync(db, stage.Id, filter, null, PageSize, time, ct);
            var t = totals.GetValueOrDefault(stage.Id) ?? new StageTotals(stage.Id, 0, 0m, 0m);
            columns.Add(new BoardColumn(stage.Id, stage.Name, stage.Position, stage.Probability, stage.RottingDays, t.Count, t.Total, t.WeightedTotal, page.Items, page.Next));
        }

        return new BoardResponse(
            pipeline.Id, pipeline.Name, baseCurrency, columns.Sum(c => c.Count), columns.Sum(c => c.Total), columns.Sum(c => c.WeightedTotal), columns);
    }

    /// <summary>
    /// Count, total and weighted total of the open deals per stage of a pipeline, in the base currency: one GROUP BY
    /// over the running totals per stage and owner (<see cref="BoardTotal"/>), not over the deals.
    /// </summary>
    public static async Task<List<StageTotals>> TotalsAsync(KazanDbContext db, Guid pipelineId, BoardFilter filter, CancellationToken ct) =>
        await RunningTotals(db, pipelineId, filter).GroupBy(t => t.StageId)
            .Select(g => new StageTotals(g.Key, g.Sum(t => t.Count), g.Sum(t => t.Total), g.Sum(t => t.WeightedTotal)))
            .ToListAsync(ct);

    /// <summary>The running totals per stage and owner of a pipeline's open deals that have any, under the owner or team filter (and the caller's visibility).</summary>
    public static IQueryable<BoardTotal> RunningTotals(KazanDbContext db, Guid pipelineId, BoardFilter filter) =>
        db.BoardTotals.AsNoTracking().Where(t => t.PipelineId == pipelineId && t.Count != 0).OwnedBy(db, filter.OwnerId, filter.TeamId);

    /// <summary>One page of a column: open deals of the stage by expected close date, then id.</summary>
    public static async Task<Page<BoardCard>> ColumnAsync(
        KazanDbContext db, Guid stageId, BoardFilter filter, string? cursor, int limit, OrganizationTime time, CancellationToken ct)
    {
        var q = Open(db, filter).Where(o => o.StageId == stageId);
        if (Cursor.Decode(cursor) is [var dateText, var idText]
            && DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            && Guid.TryParse(idText, out var after))
        {
            q = q.After(db, o => o.ExpectedCloseDate, date, after);
        }

        var rows = await OpportunityQueries.Project(db, q.OrderBy(o => o.ExpectedCloseDate).ThenBy(o => o.Id).Take(limit + 1), time, ct);
        var cards = rows.Select(r => new BoardCard(
            r.Id, r.Title, r.AccountId, r.AccountName, r.ForecastAmount, r.Currency, r.ExpectedCloseDate, r.OwnerId, r.OwnerName, r.Probability,
            r.IsOverdue, r.IsRotting, r.Version)).ToList();
        return Paging.ToPage(cards, limit, c => Cursor.Encode(c.ExpectedCloseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), c.Id));
    }

    public static bool IsValidCursor(string? cursor) =>
        cursor is null || (Cursor.Decode(cursor) is [var d, var id]
            && DateOnly.TryParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _) && Guid.TryParse(id, out _));

    private static IQueryable<Opportunity> Open(KazanDbContext db, BoardFilter filter) =>
        db.Opportunities.AsNoTracking().Where(o => o.Status == OpportunityStatus.Open).OwnedBy(db, filter.OwnerId, filter.TeamId);
}
