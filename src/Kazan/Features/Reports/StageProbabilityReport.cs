using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>
/// One stage of the stage probability report: its configured probability, and among the deals that reached it and
/// closed in the period (<see cref="Sample"/>) the share won (<see cref="Observed"/>, whole percent, null without a
/// sample), the won count, and observed − configured in percentage points.
/// </summary>
public sealed record StageProbabilityRow(Guid Id, string Name, int Configured, int? Observed, int Sample, int Won, int? Difference)
{
    /// <summary>Whether an admin may adopt the observed value: the sample has at least <see cref="StageProbabilityReports.MinSample"/> deals.</summary>
    public bool CanAdopt => Sample >= StageProbabilityReports.MinSample;
}

/// <summary>
/// Configured vs observed stage probabilities of one pipeline over a period: the deals of the pipeline won or lost
/// (<see cref="Closed"/>, of which <see cref="Won"/>) with their closed date in it, and per stage the rates.
/// </summary>
public sealed record StageProbabilityReport(
    NamedRef Pipeline, DateOnly From, DateOnly To, int MinSample, int Closed, int Won, IReadOnlyList<StageProbabilityRow> Stages);

/// <summary>A deal of a stage's sample: how it closed, in which stage, when and for how much (base currency).</summary>
public sealed record StageProbabilityDeal(
    Guid Id, string Title, Guid OwnerId, string OwnerName, OpportunityStatus Status, Guid StageId, decimal Total, DateOnly? ClosedOn);

/// <summary>One stage whose configured probability took the observed value.</summary>
public sealed record AdoptedStage(Guid Id, string Name, int Was, int Now, int Sample);

/// <summary>What adopting did: the pipeline, the period the values were measured over, the stages changed.</summary>
public sealed record StageProbabilityAdoption(NamedRef Pipeline, DateOnly From, DateOnly To, IReadOnlyList<AdoptedStage> Stages);

/// <summary>Which probabilities weigh the open deals of a forecast.</summary>
public enum ForecastProbabilities
{
    /// <summary>Each deal's own probability (its stage's configured one unless the rep overrode it).</summary>
    Configured,

    /// <summary>The observed probability of the deal's stage (last 12 months); a stage without a sample keeps the deal's own.</summary>
    Observed,
}

/// <summary>
/// The stage probability report, its drill-down, adopting the observed values, and the observed values the forecast
/// can weigh by. Visibility is the lists' (reps see their own deals unless everyone sees all).
/// </summary>
public static class StageProbabilityReports
{
    /// <summary>The fewest closed deals behind an observed value an admin may adopt.</summary>
    public const int MinSample = 5;

    /// <summary>The report, or null when there is no such pipeline.</summary>
    public static async Task<StageProbabilityReport?> ReportAsync(KazanDbContext db, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var pipeline = await FunnelReports.PipelineOf(db, filter, ct);
        return pipeline is null ? null : await ReportAsync(db, pipeline, filter, period, ct);
    }

    /// <summary>The deals of a stage's sample (won, or lost having reached it); largest first, at most <see cref="PipelineReports.MaxDeals"/>.</summary>
    public static async Task<List<StageProbabilityDeal>> DealsAsync(
        KazanDbContext db, Pipeline pipeline, Guid stageId, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var closed = Closed(db, pipeline.Id, filter, period);
        var position = pipeline.Stages.Single(s => s.Id == stageId).Position;
        var furthest = StageReach.Furthest(db, pipeline, closed.Select(d => d.Id));
        return await closed.Where(d => d.Status == OpportunityStatus.Won || furthest.Any(f => f.Id == d.Id && f.Position >= position))
            .OrderByDescending(d => d.Total).ThenBy(d => d.Id).Take(PipelineReports.MaxDeals)
            .Join(db.Opportunities, d => d.Id, o => o.Id, (d, o) => new { d, o.Title })
            .Join(db.Users, x => x.d.OwnerId, u => u.Id, (x, u) => new StageProbabilityDeal(
                x.d.Id, x.Title, x.d.OwnerId, u.DisplayName, x.d.Status, x.d.StageId, x.d.Total, x.d.ClosedOn))
            .ToListAsync(ct);
    }

    /// <summary>
    /// Sets the configured probability of each stage to its observed value over the period, recomputed here over all the
    /// pipeline's deals (no owner or team filter: the probability is the organization's), through
    /// <see cref="PipelineCommands.UpdateStageAsync"/> (so its rules and the audit trail apply). All or nothing: a stage
    /// with fewer than <see cref="MinSample"/> closed deals refuses the whole request.
    /// </summary>
    public static async Task<Outcome<StageProbabilityAdoption>> AdoptAsync(
        KazanDbContext db, IReadOnlyList<Guid> stageIds, StageReportPeriod period, CancellationToken ct)
    {
        var ids = stageIds.Distinct().ToList();
        if (ids.Count == 0)
        {
            return Outcome.Invalid("stageIds", "Name at least one stage.", "stage-probability.no-stage");
        }

        var stages = await db.Stages.AsNoTracking().Where(s => ids.Contains(s.Id))
            .Select(s => new { s.Id, s.PipelineId, s.Name, s.RottingDays, s.ForecastCategory }).ToListAsync(ct);
        if (stages.Count != ids.Count)
        {
            return Outcome.Invalid("stageIds", "No such stage.", "stage.unknown");
        }

        if (stages.Select(s => s.PipelineId).Distinct().Count() != 1)
        {
            return Outcome.Invalid("stageIds", "The stages must be of one pipeline.", "stage-probability.one-pipeline");
        }

        var pipeline = (await PipelineQueries.GetAsync(db, stages[0].PipelineId, ct))!;
        var report = await ReportAsync(db, pipeline, new ReportFilter(pipeline.Id, null, null, null), period, ct);
        var rows = report.Stages.Where(r => ids.Contains(r.Id)).ToList();
        if (rows.FirstOrDefault(r => !r.CanAdopt) is { } thin)
        {
            return Outcome.Invalid("stageIds",
                $"The stage {thin.Name} has {thin.Sample} closed deals in the period; adopting needs at least {MinSample}.", "stage-probability.sample-too-small");
        }

        await using var tx = await db.Database.BeginOrJoinAsync(ct);
        var version = pipeline.Version;
        foreach (var row in rows)
        {
            var stage = stages.Single(s => s.Id == row.Id);
            var outcome = await PipelineCommands.UpdateStageAsync(
                db, pipeline.Id, version, row.Id, new NewStage(stage.Name, row.Observed!.Value, stage.RottingDays, stage.ForecastCategory), ct);
            if (!outcome.IsOk)
            {
                return outcome.AsFailure();
            }

            version = outcome.Value.Version;
        }

        await tx.CommitAsync(ct);
        return new StageProbabilityAdoption(new NamedRef(pipeline.Id, pipeline.Name), period.From, period.To,
            [.. rows.Select(r => new AdoptedStage(r.Id, r.Name, r.Configured, r.Observed!.Value, r.Sample))]);
    }

    /// <summary>
    /// The observed probability of every stage with a sample, of one pipeline or all, over the period, from the deals
    /// the caller may see (no owner or team filter): what an "observed" forecast weighs open deals by.
    /// </summary>
    public static async Task<Dictionary<Guid, int>> ObservedAsync(KazanDbContext db, Guid? pipelineId, StageReportPeriod period, CancellationToken ct)
    {
        var pipelines = await db.Pipelines.AsNoTracking().Where(p => pipelineId == null || p.Id == pipelineId).ToListAsync(ct);
        var observed = new Dictionary<Guid, int>();
        foreach (var pipeline in pipelines)
        {
            var report = await ReportAsync(db, pipeline, new ReportFilter(pipeline.Id, null, null, null), period, ct);
            foreach (var row in report.Stages.Where(r => r.Observed is not null))
            {
                observed[row.Id] = row.Observed!.Value;
            }
        }

        return observed;
    }

    /// <summary>Won ÷ closed as a whole percent, rounded half away from zero (as the domain rounds); null when nothing closed.</summary>
    public static int? Observed(int won, int closed) => closed == 0 ? null : (int)Math.Round(100m * won / closed, MidpointRounding.AwayFromZero);

    /// <summary>The per-stage table for the files, headers in the reader's language.</summary>
    public static ReportTable Table(StageProbabilityReport report, Func<string, string> text) => new(
        text("Report.StageProbability"),
        [text("Report.Stage"), text("Report.StageProbability.Configured") + " (%)", text("Report.StageProbability.Observed") + " (%)",
            text("Report.StageProbability.Sample"), text("Report.Won"), text("Report.StageProbability.Difference") + " (pp)"],
        [.. report.Stages.Select(r => new object[] { r.Name, r.Configured, r.Observed is { } o ? o : "", r.Sample, r.Won, r.Difference is { } d ? d : "" })]);

    private static async Task<StageProbabilityReport> ReportAsync(KazanDbContext db, Pipeline pipeline, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var closed = Closed(db, pipeline.Id, filter, period);
        var counts = await closed.GroupBy(d => d.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        var won = counts.Where(c => c.Status == OpportunityStatus.Won).Sum(c => c.Count);

        // A won deal reached every stage; a lost one the stages up to its furthest (a lost deal once won here: all of them).
        var lost = await StageReach.Furthest(db, pipeline, closed.Where(d => d.Status == OpportunityStatus.Lost).Select(d => d.Id))
            .GroupBy(f => f.Position).Select(g => new { Position = g.Key, Count = g.Count() }).ToListAsync(ct);
        var rows = pipeline.Stages.Select(s =>
        {
            var sample = won + lost.Where(l => l.Position >= s.Position).Sum(l => l.Count);
            var observed = Observed(won, sample);
            return new StageProbabilityRow(s.Id, s.Name, s.Probability, observed, sample, won, observed - s.Probability);
        }).ToList();
        return new StageProbabilityReport(new NamedRef(pipeline.Id, pipeline.Name), period.From, period.To, MinSample, counts.Sum(c => c.Count), won, rows);
    }

    /// <summary>
    /// The visible deals (owner and team filters on their owner now) of the pipeline that are won or lost now, with
    /// their closed date (the organization's day of the last outcome) in the period. Reopened and open again: none.
    /// </summary>
    private static IQueryable<ReportDeal> Closed(KazanDbContext db, Guid pipelineId, ReportFilter filter, StageReportPeriod period) =>
        ReportDeals.Query(db, filter with { AsOf = null, PipelineId = null })
            .Where(d => d.PipelineId == pipelineId && (d.Status == OpportunityStatus.Won || d.Status == OpportunityStatus.Lost)
                && d.ClosedOn >= period.From && d.ClosedOn <= period.To);
}
