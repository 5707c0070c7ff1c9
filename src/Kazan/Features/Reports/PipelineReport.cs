using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>Which deals a report counts: a pipeline (the default when null), an owner or a team, now or as of a moment.</summary>
public sealed record ReportFilter(Guid? PipelineId, Guid? OwnerId, Guid? TeamId, DateTimeOffset? AsOf);

public sealed record PipelineReportRow(Guid Id, string Name, int Count, decimal Total, decimal Weighted);

public sealed record PipelineReportDeal(Guid Id, string Title, Guid StageId, Guid OwnerId, decimal Total, decimal Weighted, DateOnly ExpectedCloseDate);

/// <summary>
/// The open pipeline of one pipeline, now or as it stood at <see cref="ReportFilter.AsOf"/>: per stage (in stage order,
/// empty stages included), per owner and in all, the count of open deals, their forecast amount and their weighted
/// amount, in the organization's base currency at each deal's own rate (at that moment).
/// </summary>
public sealed record PipelineReport(
    DateTimeOffset? AsOf, string BaseCurrency, NamedRef Pipeline, IReadOnlyList<PipelineReportRow> Stages, IReadOnlyList<PipelineReportRow> Owners,
    PipelineReportRow Total);

/// <summary>The pipeline report and its drill-down; visibility is the lists' (reps see their own deals unless everyone sees all).</summary>
public static class PipelineReports
{
    public const int MaxDeals = 500;

    /// <summary>The report, or null when there is no such pipeline.</summary>
    public static async Task<PipelineReport?> PipelineAsync(KazanDbContext db, ReportFilter filter, CancellationToken ct)
    {
        var pipeline = filter.PipelineId is { } id ? await PipelineQueries.GetAsync(db, id, ct) : await PipelineQueries.DefaultAsync(db, ct);
        if (pipeline is null)
        {
            return null;
        }

        // Now: the board's running totals (one row per stage and owner); as of a moment: the history's states, grouped.
        var groups = filter.AsOf is null
            ? await BoardQueries.RunningTotals(db, pipeline.Id, new BoardFilter(filter.OwnerId, filter.TeamId))
                .Select(t => new StageOwnerTotal(t.StageId, t.OwnerId, t.Count, t.Total, t.WeightedTotal))
                .ToListAsync(ct)
            : await HistoryTotals(db, pipeline.Id, filter).ToListAsync(ct);
        var ownerIds = groups.Select(g => g.OwnerId).Distinct().ToList();
        var owners = await db.Users.Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        var stages = pipeline.Stages.Select(s => Row(s.Id, s.Name, groups.Where(g => g.StageId == s.Id).Select(g => (g.Count, g.Total, g.Weighted)))).ToList();
        var byOwner = groups.GroupBy(g => g.OwnerId)
            .Select(g => Row(g.Key, owners.GetValueOrDefault(g.Key) ?? "?", g.Select(x => (x.Count, x.Total, x.Weighted))))
            .OrderByDescending(r => r.Total).ThenBy(r => r.Name, StringComparer.Create(CultureInfo.CurrentCulture, false)).ToList();
        var total = Row(pipeline.Id, pipeline.Name, groups.Select(g => (g.Count, g.Total, g.Weighted)));
        return new PipelineReport(filter.AsOf, await OpportunityQueries.BaseCurrencyAsync(db, ct), new NamedRef(pipeline.Id, pipeline.Name), stages, byOwner, total);
    }

    /// <summary>The deals behind one stage of the report (all stages when null), largest first: the drill-down.</summary>
    public static async Task<List<PipelineReportDeal>> DealsAsync(KazanDbContext db, Guid pipelineId, Guid? stageId, ReportFilter filter, CancellationToken ct)
    {
        var deals = OpenDeals(db, pipelineId, filter);
        if (stageId is { } stage)
        {
            deals = deals.Where(d => d.StageId == stage);
        }

        return await deals.OrderByDescending(d => d.Total).ThenBy(d => d.Id).Take(MaxDeals)
            .Join(db.Opportunities, d => d.Id, o => o.Id, (d, o) => new PipelineReportDeal(d.Id, o.Title, d.StageId, d.OwnerId, d.Total, d.Weighted, d.ExpectedCloseDate))
            .ToListAsync(ct);
    }

    /// <summary>The per-stage table with its total row, headers in the reader's language (<paramref name="text"/>), for the files.</summary>
    public static ReportTable Table(PipelineReport report, Func<string, string> text) => new(
        text("Report.Pipeline"),
        [text("Report.Stage"), text("Report.Deals"), $"{text("Report.Total")} ({report.BaseCurrency})", $"{text("Report.Weighted")} ({report.BaseCurrency})"],
        [.. report.Stages.Append(report.Total with { Name = text("Report.AllStages") }).Select(r => new object[] { r.Name, r.Count, r.Total, r.Weighted })]);

    private static PipelineReportRow Row(Guid id, string name, IEnumerable<(int Count, decimal Total, decimal Weighted)> parts)
    {
        var list = parts.ToList();
        return new PipelineReportRow(id, name, list.Sum(p => p.Count), list.Sum(p => p.Total), list.Sum(p => p.Weighted));
    }

    /// <summary>The open deals of the pipeline as of the filter's moment, per stage and owner, summed from the history's states.</summary>
    internal static IQueryable<StageOwnerTotal> HistoryTotals(KazanDbContext db, Guid pipelineId, ReportFilter filter) =>
        OpenDeals(db, pipelineId, filter)
            .GroupBy(d => new { d.StageId, d.OwnerId })
            .Select(g => new StageOwnerTotal(g.Key.StageId, g.Key.OwnerId, g.Count(), g.Sum(d => d.Total), g.Sum(d => d.Weighted)));

    /// <summary>The open deals of a pipeline under the filter: the live rows now, the history's states as of a moment.</summary>
    private static IQueryable<ReportDeal> OpenDeals(KazanDbContext db, Guid pipelineId, ReportFilter filter) =>
        ReportDeals.Query(db, filter).Where(d => d.Status == OpportunityStatus.Open && d.PipelineId == pipelineId);
}

/// <summary>One stage and owner of the pipeline report: open deals, their total and weighted total (base currency).</summary>
internal sealed record StageOwnerTotal(Guid StageId, Guid OwnerId, int Count, decimal Total, decimal Weighted);
