using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>How long deals stayed in one stage: the stays that ended in the period, their average and median in days.</summary>
public sealed record VelocityStageRow(Guid Id, string Name, int Stays, double? AverageDays, double? MedianDays);

/// <summary>
/// The speed of one pipeline over a period: days in each stage (<see cref="Stages"/>), the created → won cycle of the
/// deals won in the period, and the sales velocity — <see cref="OpenDeals"/> × <see cref="WinRate"/> ×
/// <see cref="AverageWon"/> ÷ <see cref="AverageCycleDays"/>: the won value to expect per day (base currency); null
/// when an input is missing (nothing closed or won in the period, or a cycle of 0 days on average).
/// </summary>
public sealed record VelocityReport(
    NamedRef Pipeline, DateOnly From, DateOnly To, string BaseCurrency, IReadOnlyList<VelocityStageRow> Stages,
    int WonDeals, int LostDeals, double? AverageCycleDays, double? MedianCycleDays,
    int OpenDeals, decimal? WinRate, decimal? AverageWon, decimal? Velocity);

/// <summary>One stay of a deal in a stage, for the drill-down.</summary>
public sealed record VelocityStay(Guid Id, string Title, Guid StageId, DateTimeOffset Entered, DateTimeOffset Left, double Days);

/// <summary>The velocity report and its per-stage drill-down.</summary>
public static class VelocityReports
{
    private static readonly OpportunityEventKind[] Moves =
        [OpportunityEventKind.Created, OpportunityEventKind.StageChanged, OpportunityEventKind.Won, OpportunityEventKind.Lost, OpportunityEventKind.Reopened];

    public static async Task<VelocityReport?> VelocityAsync(KazanDbContext db, OrganizationTime time, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var pipeline = await FunnelReports.PipelineOf(db, filter, ct);
        if (pipeline is null)
        {
            return null;
        }

        var stays = await StaysAsync(db, time, pipeline.Id, filter, period, ct);
        var stages = pipeline.Stages.Select(s =>
        {
            var days = stays.Where(x => x.StageId == s.Id).Select(x => x.Days).ToList();
            return new VelocityStageRow(s.Id, s.Name, days.Count, Average(days), Median(days));
        }).ToList();

        var live = ReportDeals.Query(db, filter with { AsOf = null, PipelineId = null }).Where(d => d.PipelineId == pipeline.Id);
        var closed = live.Where(d => d.ClosedOn >= period.From && d.ClosedOn <= period.To);
        var won = await closed.Where(d => d.Status == OpportunityStatus.Won)
            .Join(db.Opportunities, d => d.Id, o => o.Id, (d, o) => new { o.CreatedAt, ClosedOn = d.ClosedOn!.Value, d.Total })
            .ToListAsync(ct);
        var lost = await closed.CountAsync(d => d.Status == OpportunityStatus.Lost, ct);
        var open = await live.CountAsync(d => d.Status == OpportunityStatus.Open, ct);

        // Whole days on the organization's calendar from the day it was created to the day it was won (0 when won the same day).
        var cycles = won.Select(w => (double)Math.Max(0, w.ClosedOn.DayNumber - time.DayOf(w.CreatedAt).DayNumber)).ToList();
        var cycle = Average(cycles);
        var winRate = FunnelReports.Percent(won.Count, won.Count + lost);
        var averageWon = won.Count == 0 ? (decimal?)null : Math.Round(won.Sum(w => w.Total) / won.Count, 2, MidpointRounding.AwayFromZero);
        // Open deals × (won ÷ closed) × average won ÷ average cycle, from the unrounded inputs (average cycle = Σ days ÷ won).
        var cycleDays = (decimal)cycles.Sum();
        var velocity = won.Count > 0 && cycleDays > 0
            ? Math.Round(open * won.Sum(w => w.Total) * won.Count / (won.Count + lost) / cycleDays, 2, MidpointRounding.AwayFromZero)
            : (decimal?)null;
        return new VelocityReport(new NamedRef(pipeline.Id, pipeline.Name), period.From, period.To, await OpportunityQueries.BaseCurrencyAsync(db, ct),
            stages, won.Count, lost, cycle, Median(cycles), open, winRate, averageWon, velocity);
    }

    /// <summary>The stays in one stage that ended in the period, longest first: the drill-down.</summary>
    public static async Task<List<VelocityStay>> StaysAsync(
        KazanDbContext db, OrganizationTime time, Guid pipelineId, Guid stageId, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var stays = (await StaysAsync(db, time, pipelineId, filter, period, ct)).Where(s => s.StageId == stageId)
            .OrderByDescending(s => s.Days).ThenBy(s => s.DealId).Take(PipelineReports.MaxDeals).ToList();
        var ids = stays.Select(s => s.DealId).Distinct().ToList();
        var titles = await OpportunityQueries.WithIds(db, ids).ToDictionaryAsync(o => o.Id, o => o.Title, ct);
        return [.. stays.Select(s => new VelocityStay(s.DealId, titles.GetValueOrDefault(s.DealId) ?? "", s.StageId, s.Entered, s.Left, s.Days))];
    }

    /// <summary>The per-stage table and the four inputs of the velocity, for the files.</summary>
    public static ReportTable Table(VelocityReport report, Func<string, string> text)
    {
        static string Days(double? days) => days?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";
        var rows = report.Stages.Select(r => new object[] { r.Name, r.Stays, Days(r.AverageDays), Days(r.MedianDays) }).ToList();
        rows.Add([text("Report.Velocity.Cycle"), report.WonDeals, Days(report.AverageCycleDays), Days(report.MedianCycleDays)]);
        return new ReportTable(text("Report.Velocity"),
            [text("Report.Stage"), text("Report.Velocity.Stays"), text("Report.Velocity.AverageDays"), text("Report.Velocity.MedianDays")], rows);
    }

    /// <summary>
    /// The average to 2 decimals, half away from zero like every rounding in Kazan, worked out in decimal so that a
    /// midpoint (29.625) is one and not a binary neighbour of it.
    /// </summary>
    internal static double? Average(List<double> values) =>
        values.Count == 0 ? null : (double)Math.Round(values.Sum(v => (decimal)v) / values.Count, 2, MidpointRounding.AwayFromZero);

    internal static double? Median(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToList();
        var middle = sorted.Count / 2;
        var median = sorted.Count % 2 == 1 ? (decimal)sorted[middle] : ((decimal)sorted[middle - 1] + (decimal)sorted[middle]) / 2;
        return (double)Math.Round(median, 2, MidpointRounding.AwayFromZero);
    }

    private sealed record Stay(Guid DealId, Guid StageId, DateTimeOffset Entered, DateTimeOffset Left, double Days);

    /// <summary>
    /// Every stay in a stage of this pipeline that ended in the period. The database picks the visible deals with a
    /// stage, status or pipeline step in the period and sends their steps up to the period's end (a few columns each);
    /// the stays are cut here: a stay starts when the deal, open, enters a stage (created, moved, reopened) and ends at
    /// its next move, win, loss or move to another pipeline.
    /// </summary>
    private static async Task<List<Stay>> StaysAsync(KazanDbContext db, OrganizationTime time, Guid pipelineId, ReportFilter filter, StageReportPeriod period, CancellationToken ct)
    {
        var (start, end) = (period.Start(time), period.End(time));
        // Two uncorrelated sets (IN, evaluated once) rather than a check per event: the visible deals, the deals that moved.
        var visible = ReportDeals.Query(db, filter with { AsOf = null, PipelineId = null }).Select(d => d.Id);
        var moved = db.OpportunityEvents.Where(n => n.At >= start && n.At < end && Moves.Contains(n.Kind) && n.Kind != OpportunityEventKind.Created)
            .Select(n => n.OpportunityId);
        var steps = db.OpportunityEvents.Where(e => e.At < end && Moves.Contains(e.Kind) && moved.Contains(e.OpportunityId));
        if (db.Actor.RestrictedToOwn || filter.OwnerId is not null || filter.TeamId is not null)
        {
            // Deals are never deleted: for a caller who sees every deal and filters on no owner, each event's deal is visible.
            steps = steps.Where(e => visible.Contains(e.OpportunityId));
        }

        var rows = await steps
            .Select(e => new { e.OpportunityId, e.At, e.Sequence, e.Kind, e.State.PipelineId, e.State.StageId, e.State.Status })
            .ToListAsync(ct);

        var stays = new List<Stay>();
        foreach (var deal in rows.GroupBy(s => s.OpportunityId))
        {
            (Guid Pipeline, Guid Stage, DateTimeOffset Since)? current = null;
            foreach (var step in deal.OrderBy(s => s.At).ThenBy(s => s.Sequence).ThenBy(s => s.Kind))
            {
                var open = step.Status == OpportunityStatus.Open;
                if (current is { } c && (!open || c.Pipeline != step.PipelineId || c.Stage != step.StageId))
                {
                    if (c.Pipeline == pipelineId && step.At >= start)
                    {
                        stays.Add(new Stay(deal.Key, c.Stage, c.Since, step.At, (double)Math.Round((decimal)(step.At - c.Since).TotalDays, 4, MidpointRounding.AwayFromZero)));
                    }

                    current = null;
                }

                if (open && current is null)
                {
                    current = (step.PipelineId, step.StageId, step.At);
                }
            }
        }

        return stays;
    }
}
