using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>
/// The days a funnel or velocity report looks at, both included, on the organization's calendar; the instants are
/// [start of <see cref="From"/>, start of the day after <see cref="To"/>) in its time zone.
/// </summary>
public sealed record StageReportPeriod(DateOnly From, DateOnly To)
{
    public const int MaxYears = 5;

    /// <summary>The period asked for, or the last 12 months up to today; null with the message when it cannot be.</summary>
    public static (StageReportPeriod? Period, Dictionary<string, string[]> Errors) Read(DateOnly? from, DateOnly? to, DateOnly today)
    {
        var errors = new Dictionary<string, string[]>();
        var end = to ?? today;
        var start = from ?? end.AddMonths(-12);
        if (start > end)
        {
            errors["from"] = ["from is on or before to."];
        }
        else if (start < end.AddYears(-MaxYears))
        {
            errors["to"] = [$"The period spans at most {MaxYears} years."];
        }

        return (errors.Count == 0 ? new StageReportPeriod(start, end) : null, errors);
    }

    public DateTimeOffset Start(OrganizationTime time) => time.StartOf(From);

    public DateTimeOffset End(OrganizationTime time) => time.StartOf(To.AddDays(1));
}

/// <summary>
/// One stage of the funnel: how many of the period's new deals reached it (held it or a later stage, or were won),
/// the share of those that reached the next stage (the last stage's next step is won; percent, null when none
/// reached this one), how many were lost while in it, and how many are still open in it.
/// </summary>
public sealed record FunnelStageRow(Guid Id, string Name, int Reached, decimal? Conversion, int Lost, int Open);

/// <summary>
/// The funnel of one pipeline for the deals created in a period: <see cref="Created"/> deals, how far they got
/// (<see cref="Stages"/>), how many are <see cref="Won"/> now, lost now in this pipeline (<see cref="Lost"/>), open in it,
/// or now in another pipeline (<see cref="MovedOut"/>).
/// </summary>
public sealed record FunnelReport(
    NamedRef Pipeline, DateOnly From, DateOnly To, int Created, int Won, int Lost, int Open, int MovedOut, IReadOnlyList<FunnelStageRow> Stages);

/// <summary>A deal behind a funnel row.</summary>
public sealed record FunnelDeal(Guid Id, string Title, Guid OwnerId, string OwnerName, OpportunityStatus Status, Guid StageId, decimal Total, DateTimeOffset CreatedAt);

/// <summary>Which deals of a funnel row the drill-down lists.</summary>
public enum FunnelDrill
{
    Reached,
    Lost,
}

/// <summary>The funnel report and its drill-down; visibility is the lists' (reps see their own deals unless everyone sees all).</summary>
public static class FunnelReports
{
    /// <summary>The report, or null when there is no such pipeline.</summary>
    public static async Task<FunnelReport?> FunnelAsync(KazanDbContext db, OrganizationTime time, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var pipeline = await PipelineOf(db, filter, ct);
        if (pipeline is null)
        {
            return null;
        }

        var cohort = Cohort(db, time, pipeline.Id, filter, period);
        var now = await cohort.GroupBy(o => new { o.Status, o.PipelineId, o.StageId })
            .Select(g => new { g.Key.Status, g.Key.PipelineId, g.Key.StageId, Count = g.Count() }).ToListAsync(ct);
        var furthest = await StageReach.Furthest(db, pipeline, cohort.Select(o => o.Id)).GroupBy(f => f.Position)
            .Select(g => new { Position = g.Key, Count = g.Count() }).ToListAsync(ct);

        var stages = pipeline.Stages;
        var reached = stages.Select(s => furthest.Where(f => f.Position >= s.Position).Sum(f => f.Count)).ToList();
        var won = now.Where(n => n.Status == OpportunityStatus.Won && n.PipelineId == pipeline.Id).Sum(n => n.Count);
        var rows = stages.Select((s, i) =>
        {
            var next = i + 1 < stages.Count ? reached[i + 1] : furthest.Where(f => f.Position == StageReach.WonPosition).Sum(f => f.Count);
            return new FunnelStageRow(s.Id, s.Name, reached[i], Percent(next, reached[i]),
                now.Where(n => n.Status == OpportunityStatus.Lost && n.PipelineId == pipeline.Id && n.StageId == s.Id).Sum(n => n.Count),
                now.Where(n => n.Status == OpportunityStatus.Open && n.PipelineId == pipeline.Id && n.StageId == s.Id).Sum(n => n.Count));
        }).ToList();
        return new FunnelReport(new NamedRef(pipeline.Id, pipeline.Name), period.From, period.To, now.Sum(n => n.Count), won,
            rows.Sum(r => r.Lost), rows.Sum(r => r.Open),
            now.Where(n => n.PipelineId != pipeline.Id).Sum(n => n.Count), rows);
    }

    /// <summary>The deals that reached a stage, or were lost in it; largest first, at most <see cref="PipelineReports.MaxDeals"/>.</summary>
    public static async Task<List<FunnelDeal>> DealsAsync(
        KazanDbContext db, OrganizationTime time, Pipeline pipeline, Guid stageId, FunnelDrill drill, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var cohort = Cohort(db, time, pipeline.Id, filter, period);
        var position = pipeline.Stages.Single(s => s.Id == stageId).Position;
        var furthest = StageReach.Furthest(db, pipeline, cohort.Select(o => o.Id));
        var deals = drill == FunnelDrill.Reached
            ? cohort.Where(o => furthest.Any(f => f.Id == o.Id && f.Position >= position))
            : cohort.Where(o => o.Status == OpportunityStatus.Lost && o.PipelineId == pipeline.Id && o.StageId == stageId);
        return await deals.OrderByDescending(o => o.ForecastAmountBase).ThenBy(o => o.Id).Take(PipelineReports.MaxDeals)
            .Join(db.Users, o => o.OwnerId, u => u.Id, (o, u) => new FunnelDeal(o.Id, o.Title, o.OwnerId, u.DisplayName, o.Status, o.StageId, o.ForecastAmountBase, o.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>The per-stage table for the files, headers in the reader's language.</summary>
    public static ReportTable Table(FunnelReport report, Func<string, string> text) => new(
        text("Report.Funnel"),
        [text("Report.Stage"), text("Report.Funnel.Reached"), text("Report.Funnel.Conversion") + " (%)", text("Report.Funnel.Lost"), text("Report.Funnel.OpenNow")],
        [.. report.Stages.Select(r => new object[] { r.Name, r.Reached, r.Conversion?.ToString("0.0", CultureInfo.InvariantCulture) ?? "", r.Lost, r.Open })]);

    internal static Task<Pipeline?> PipelineOf(KazanDbContext db, ReportFilter filter, CancellationToken ct) =>
        filter.PipelineId is { } id ? PipelineQueries.GetAsync(db, id, ct) : PipelineQueries.DefaultAsync(db, ct);

    /// <summary>part ÷ whole in per cent, one decimal, half away from zero (81.25 → 81.3) like every rounding in Kazan; null when whole is 0.</summary>
    internal static decimal? Percent(int part, int whole) => whole == 0 ? null : Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);

    /// <summary>
    /// The visible deals (owner and team filters on their owner now) created in the period in this pipeline: their
    /// first event, the creation, left them in it.
    /// </summary>
    private static IQueryable<Opportunity> Cohort(KazanDbContext db, OrganizationTime time, Guid pipelineId, ReportFilter filter, StageReportPeriod period)
    {
        var (start, end) = (period.Start(time), period.End(time));
        var cohort = db.Opportunities.Where(o => o.CreatedAt >= start && o.CreatedAt < end
            && db.OpportunityEvents.Any(e => e.OpportunityId == o.Id && e.Kind == OpportunityEventKind.Created && e.State.PipelineId == pipelineId));
        if (filter.OwnerId is null && filter.TeamId is null)
        {
            return cohort; // the deals' own visibility is all there is to check: no second pass over them
        }

        var live = ReportDeals.Query(db, filter with { AsOf = null, PipelineId = null });
        return cohort.Where(o => live.Any(d => d.Id == o.Id));
    }
}
