using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Features.Targets;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

public enum ForecastPeriod
{
    Month,
    Quarter,
}

/// <summary>A column of the forecast a user can open: won in the period, or the open deals of one forecast category.</summary>
public enum ForecastColumn
{
    Won,
    Commit,
    BestCase,
    Pipeline,
    Omitted,
}

/// <summary>A deal behind a forecast cell: its amounts (base currency) and the day that puts it in the period (closed or expected).</summary>
public sealed record ForecastDeal(Guid Id, string Title, Guid OwnerId, ForecastCategory Category, decimal Total, decimal Weighted, DateOnly Day);

/// <summary>Deals of one kind in one period: how many, their total and weighted total in the base currency.</summary>
public sealed record ForecastCell(int Count, decimal Total, decimal Weighted)
{
    public static readonly ForecastCell Empty = new(0, 0m, 0m);

    public ForecastCell Plus(ForecastCell other) => new(Count + other.Count, Total + other.Total, Weighted + other.Weighted);
}

/// <summary>
/// One period of the forecast: won in it (by closed date), and the open deals expected to close in it (by expected
/// close date) per forecast category. <see cref="Committed"/> = won + Commit; <see cref="BestCase"/> = that + Best case;
/// <see cref="Weighted"/> = won + the weighted open deals except Omitted.
/// </summary>
public sealed record ForecastRow(
    string Period, DateOnly From, DateOnly To, ForecastCell Won, ForecastCell Commit, ForecastCell BestCaseDeals, ForecastCell Pipeline, ForecastCell Omitted)
{
    public decimal Committed => Won.Total + Commit.Total;
    public decimal BestCase => Committed + BestCaseDeals.Total;
    public decimal Open => Commit.Total + BestCaseDeals.Total + Pipeline.Total;
    public decimal Weighted => Won.Total + Commit.Weighted + BestCaseDeals.Weighted + Pipeline.Weighted;

    /// <summary>The target that applies to the report's deals in this period (base currency); null when none is set.</summary>
    public decimal? Target { get; init; }

    /// <summary>Won ÷ target (0.8 = 80 %); null without a target (or a target of zero).</summary>
    public decimal? Attainment => Target is > 0m and { } target ? decimal.Round(Won.Total / target, 4) : null;

    /// <summary>
    /// The open pipeline (unweighted, Omitted left out) ÷ what is left of the target (target − won); null without a
    /// target or when nothing is left (the target is met).
    /// </summary>
    public decimal? Coverage => Target is { } target && target - Won.Total > 0m ? decimal.Round(Open / (target - Won.Total), 4) : null;

    /// <summary>
    /// Deals that slipped out of this period: open and expected to close in it when it began (or when created, if
    /// created in it), and still open now (as of the report's moment) with their expected close after it. Their amounts
    /// now. Shown on their own; they count in the period they are expected in now.
    /// </summary>
    public ForecastCell Slipped { get; init; } = ForecastCell.Empty;
}

/// <summary>A deal that slipped out of a period: its expected close date then and now, its amounts now (base currency).</summary>
public sealed record SlippedDeal(Guid Id, string Title, Guid OwnerId, ForecastCategory Category, decimal Total, decimal Weighted, DateOnly WasExpected, DateOnly ExpectedCloseDate);

public sealed record ForecastReport(DateTimeOffset? AsOf, string BaseCurrency, ForecastPeriod Period, IReadOnlyList<ForecastRow> Rows, ForecastRow Total)
{
    /// <summary>Which probabilities weighed the open deals: each deal's own (configured) or its stage's observed one.</summary>
    public ForecastProbabilities Probabilities { get; init; }
}

/// <summary>The forecast by close month or quarter, now or as of a moment, over one pipeline or all.</summary>
public static class ForecastReports
{
    public const int MaxPeriods = 24;

    /// <summary>
    /// The forecast. With <paramref name="observed"/> (stage → observed probability, <see cref="ObservedIfAskedAsync"/>)
    /// the open deals of a stage in it weigh its total × that probability (per day, category and stage, rounded half away
    /// from zero to 2 decimals); deals of the other stages keep their own weighted amount.
    /// </summary>
    public static async Task<ForecastReport> ForecastAsync(
        KazanDbContext db, ReportFilter filter, ForecastPeriod period, DateOnly from, int count, DateTimeOffset now,
        IReadOnlyDictionary<Guid, int>? observed, CancellationToken ct)
    {
        var start = PeriodStart(from, period);
        var periods = Enumerable.Range(0, count).Select(i => period == ForecastPeriod.Month ? start.AddMonths(i) : start.AddMonths(3 * i)).ToList();
        var end = period == ForecastPeriod.Month ? periods[^1].AddMonths(1) : periods[^1].AddMonths(3);

        var deals = ReportDeals.Query(db, filter);
        if (filter.PipelineId is { } pipeline)
        {
            deals = deals.Where(d => d.PipelineId == pipeline);
        }

        var targets = await TargetQueries.ApplyingAsync(db, filter.OwnerId, filter.TeamId, start, end, ct);

        // Grouped by day in the database (a few hundred rows at most), by period here.
        var won = await deals.Where(d => d.Status == OpportunityStatus.Won && d.ClosedOn >= start && d.ClosedOn < end)
            .GroupBy(d => d.ClosedOn!.Value)
            .Select(g => new { Day = g.Key, Count = g.Count(), Total = g.Sum(d => d.Total) }).ToListAsync(ct);
        var open = await deals.Where(d => d.Status == OpportunityStatus.Open && d.ExpectedCloseDate >= start && d.ExpectedCloseDate < end)
            .GroupBy(d => new { d.ExpectedCloseDate, d.Category, d.StageId })
            .Select(g => new { Day = g.Key.ExpectedCloseDate, g.Key.Category, g.Key.StageId, Count = g.Count(), Total = g.Sum(d => d.Total), Weighted = g.Sum(d => d.Weighted) })
            .ToListAsync(ct);
        if (observed is not null)
        {
            open = [.. open.Select(o => observed.TryGetValue(o.StageId, out var p) ? o with { Weighted = Math.Round(o.Total * p / 100m, 2, MidpointRounding.AwayFromZero) } : o)];
        }


        var rows = periods.Select(p =>
        {
            var to = period == ForecastPeriod.Month ? p.AddMonths(1) : p.AddMonths(3);
            ForecastCell Open(ForecastCategory category) => open.Where(o => o.Category == category && o.Day >= p && o.Day < to)
                .Aggregate(ForecastCell.Empty, (cell, o) => cell.Plus(new ForecastCell(o.Count, o.Total, o.Weighted)));
            var wonCell = won.Where(w => w.Day >= p && w.Day < to).Aggregate(ForecastCell.Empty, (cell, w) => cell.Plus(new ForecastCell(w.Count, w.Total, w.Total)));
            return new ForecastRow(Name(p, period), p, to.AddDays(-1), wonCell, Open(ForecastCategory.Commit), Open(ForecastCategory.BestCase),
                Open(ForecastCategory.Pipeline), Open(ForecastCategory.Omitted))
            {
                Target = TargetOf(targets, p, to),
            };
        }).ToList();
        for (var i = 0; i < rows.Count && Begun(db, filter, rows[i].From, now); i++)
        {
            var slipped = await Slipped(db, filter, rows[i].From, rows[i].To.AddDays(1))
                .GroupBy(d => 1).Select(g => new ForecastCell(g.Count(), g.Sum(d => d.Total), g.Sum(d => d.Weighted))).FirstOrDefaultAsync(ct);
            rows[i] = rows[i] with { Slipped = slipped ?? ForecastCell.Empty };
        }

        var total = rows.Aggregate(new ForecastRow("", start, end.AddDays(-1), ForecastCell.Empty, ForecastCell.Empty, ForecastCell.Empty, ForecastCell.Empty, ForecastCell.Empty),
            (sum, r) => sum with
            {
                Won = sum.Won.Plus(r.Won),
                Commit = sum.Commit.Plus(r.Commit),
                BestCaseDeals = sum.BestCaseDeals.Plus(r.BestCaseDeals),
                Pipeline = sum.Pipeline.Plus(r.Pipeline),
                Omitted = sum.Omitted.Plus(r.Omitted),
                Target = r.Target is { } t ? (sum.Target ?? 0m) + t : sum.Target,
                Slipped = sum.Slipped.Plus(r.Slipped),
            });
        return new ForecastReport(filter.AsOf, await OpportunityQueries.BaseCurrencyAsync(db, ct), period, rows, total)
        {
            Probabilities = observed is null ? ForecastProbabilities.Configured : ForecastProbabilities.Observed,
        };
    }

    /// <summary>configured (the default) or observed, any case; null when it is neither.</summary>
    public static ForecastProbabilities? ReadProbabilities(string? value) =>
        ReportsApi.Named(value, ForecastProbabilities.Configured);

    /// <summary>
    /// For an observed forecast, the observed probability of each stage with a sample over the last 12 months up to
    /// the organization's today (<see cref="StageProbabilityReports.ObservedAsync"/>: the filter's pipeline or all, the
    /// deals the caller may see, no owner or team filter); null for a configured one.
    /// </summary>
    public static async Task<IReadOnlyDictionary<Guid, int>?> ObservedIfAskedAsync(
        KazanDbContext db, ReportFilter filter, ForecastProbabilities probabilities, DateOnly today, CancellationToken ct) =>
        probabilities == ForecastProbabilities.Observed
            ? await StageProbabilityReports.ObservedAsync(db, filter.PipelineId, StageReportPeriod.Read(null, null, today).Period!, ct)
            : null;

    /// <summary>The deals that slipped out of the period holding <paramref name="day"/>, largest first (at most <see cref="MaxSlippedDeals"/>): the drill-down.</summary>
    public static async Task<List<SlippedDeal>> SlippedDealsAsync(
        KazanDbContext db, ReportFilter filter, ForecastPeriod period, DateOnly day, DateTimeOffset now, CancellationToken ct)
    {
        var from = PeriodStart(day, period);
        var to = period == ForecastPeriod.Month ? from.AddMonths(1) : from.AddMonths(3);
        if (!Begun(db, filter, from, now))
        {
            return [];
        }

        var slipped = Slipped(db, filter, from, to);
        var (atStart, created) = Baseline(db, filter, from, to);
        var was = atStart.Concat(created);
        return await slipped.OrderByDescending(d => d.Total).ThenBy(d => d.Id).Take(MaxSlippedDeals)
            .Join(db.Opportunities, d => d.Id, o => o.Id, (d, o) => new SlippedDeal(d.Id, o.Title, d.OwnerId, d.Category, d.Total, d.Weighted,
                was.Where(b => b.Id == d.Id).Max(b => b.ExpectedCloseDate), d.ExpectedCloseDate))
            .ToListAsync(ct);
    }

    public const int MaxSlippedDeals = 500;

    /// <summary>
    /// The deals behind one cell of the forecast (the period holding <paramref name="day"/>, one column), largest first
    /// (at most <see cref="MaxSlippedDeals"/>): exactly the deals the cell counts.
    /// </summary>
    public static async Task<List<ForecastDeal>> DealsAsync(
        KazanDbContext db, ReportFilter filter, ForecastPeriod period, DateOnly day, ForecastColumn column, CancellationToken ct)
    {
        var from = PeriodStart(day, period);
        var to = period == ForecastPeriod.Month ? from.AddMonths(1) : from.AddMonths(3);
        var deals = ReportDeals.Query(db, filter);
        if (filter.PipelineId is { } pipeline)
        {
            deals = deals.Where(d => d.PipelineId == pipeline);
        }

        if (column == ForecastColumn.Won)
        {
            deals = deals.Where(d => d.Status == OpportunityStatus.Won && d.ClosedOn >= from && d.ClosedOn < to);
        }
        else
        {
            var category = Enum.Parse<ForecastCategory>(column.ToString());
            deals = deals.Where(d => d.Status == OpportunityStatus.Open && d.Category == category && d.ExpectedCloseDate >= from && d.ExpectedCloseDate < to);
        }

        return await deals.OrderByDescending(d => d.Total).ThenBy(d => d.Id).Take(MaxSlippedDeals)
            .Join(db.Opportunities, d => d.Id, o => o.Id, (d, o) => new ForecastDeal(d.Id, o.Title, d.OwnerId, d.Category, d.Total,
                d.Status == OpportunityStatus.Won ? d.Total : d.Weighted, d.Status == OpportunityStatus.Won ? d.ClosedOn!.Value : d.ExpectedCloseDate))
            .ToListAsync(ct);
    }

    /// <summary>
    /// The report's deals (now, or as of its moment) that are open and expected after the period [from, to) although
    /// they were open and expected in it at its start or when created in it (<see cref="Baseline"/>).
    /// </summary>
    internal static IQueryable<ReportDeal> Slipped(KazanDbContext db, ReportFilter filter, DateOnly from, DateOnly to)
    {
        // Two tests, not one test of their union: PostgreSQL then hashes each list once and probes it per deal, where it
        // guessed a union's distinct ids at 200 and looked up each of the 44,000 deals of a month by key (tier M).
        var (atStart, created) = Baseline(db, filter, from, to);
        var wereIn = atStart.Select(b => b.Id);
        var cameIn = created.Select(b => b.Id);
        var deals = ReportDeals.Query(db, filter)
            .Where(d => d.Status == OpportunityStatus.Open && d.ExpectedCloseDate >= to && (wereIn.Contains(d.Id) || cameIn.Contains(d.Id)));
        return filter.PipelineId is { } pipeline ? deals.Where(d => d.PipelineId == pipeline) : deals;
    }

    /// <summary>
    /// The deals open and expected to close in [from, to) when the period began (the organization's midnight, from the
    /// history: <see cref="DealHistory.AsOf"/>), and those created in the period open and expected in it — never
    /// looking past the report's moment. Each with the expected close date it had then.
    /// </summary>
    /// <summary>The deals expected in the period when it began (open then, with a close date in it), and those created in it so.</summary>
    private static (IQueryable<SlipBaseline> AtStart, IQueryable<SlipBaseline> Created) Baseline(KazanDbContext db, ReportFilter filter, DateOnly from, DateOnly to)
    {
        var zone = db.Actor.TimeZone ?? OrganizationTime.DefaultZone;
        var start = OrganizationTime.At(zone, from, TimeOnly.MinValue);
        var end = OrganizationTime.At(zone, to, TimeOnly.MinValue);
        var moment = filter.AsOf is { } asOf && asOf < start ? asOf : start;
        var until = filter.AsOf is { } at && at < end ? at : end;
        // Slipped deals are read from the visible deals (ReportDeals): the history here need not be checked against them.
        var atStart = DealHistory.Spanning(db, moment)
            .Where(e => e.State.Status == OpportunityStatus.Open && e.State.ExpectedCloseDate >= from && e.State.ExpectedCloseDate < to)
            .Select(e => new SlipBaseline { Id = e.OpportunityId, ExpectedCloseDate = e.State.ExpectedCloseDate });
        var created = db.OpportunityEvents
            .Where(e => e.Kind == OpportunityEventKind.Created && e.At > moment && e.At < until
                && e.State.Status == OpportunityStatus.Open && e.State.ExpectedCloseDate >= from && e.State.ExpectedCloseDate < to)
            .Select(e => new SlipBaseline { Id = e.OpportunityId, ExpectedCloseDate = e.State.ExpectedCloseDate });
        return (atStart, created);
    }

    /// <summary>
    /// Whether a period starting on <paramref name="from"/> had begun at the report's moment (now, or its as-of). Nothing
    /// can have slipped out of a period not yet begun, so its history is not read at all (the page's later months).
    /// </summary>
    private static bool Begun(KazanDbContext db, ReportFilter filter, DateOnly from, DateTimeOffset now) =>
        OrganizationTime.At(db.Actor.TimeZone ?? OrganizationTime.DefaultZone, from, TimeOnly.MinValue) < (filter.AsOf ?? now);

    /// <summary>A deal and the expected close date it had when its period began (or when created in it).</summary>
    private sealed class SlipBaseline
    {
        // An initializer (not a constructor) so that EF Core can compose the union with other queries.
        public Guid Id { get; init; }
        public DateOnly ExpectedCloseDate { get; init; }
    }

    /// <summary>The target of a period: the sum of its months' targets; null when none of its months has one.</summary>
    private static decimal? TargetOf(Dictionary<DateOnly, decimal> targets, DateOnly from, DateOnly to)
    {
        var months = targets.Where(t => t.Key >= from && t.Key < to).Select(t => t.Value).ToList();
        return months.Count == 0 ? null : months.Sum();
    }

    /// <summary>The first day of the month or quarter a day is in.</summary>
    public static DateOnly PeriodStart(DateOnly day, ForecastPeriod period) =>
        period == ForecastPeriod.Month ? new DateOnly(day.Year, day.Month, 1) : new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1);

    /// <summary>"2026-12" or "2026-Q4".</summary>
    public static string Name(DateOnly start, ForecastPeriod period) => period == ForecastPeriod.Month
        ? start.ToString("yyyy-MM", CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{start.Year}-Q{((start.Month - 1) / 3) + 1}");

    /// <summary>The table for the files: one row per period and a total, headers in the reader's language.</summary>
    public static ReportTable Table(ForecastReport report, Func<string, string> text)
    {
        var money = $" ({report.BaseCurrency})";
        return new ReportTable(text("Report.Forecast"),
            [text("Report.Period"), text("Report.Won") + money, text("ForecastCategory.Commit") + money, text("ForecastCategory.BestCase") + money,
                text("ForecastCategory.Pipeline") + money, text("ForecastCategory.Omitted") + money, text("Report.Committed") + money,
                text("Report.BestCaseTotal") + money, text("Report.WeightedForecast") + money, text("Report.Target") + money,
                text("Report.Attainment") + " (%)", text("Report.Coverage") + " (×)", text("Report.SlippedDeals"), text("Report.Slipped") + money],
            [.. report.Rows.Append(report.Total with { Period = text("Report.AllPeriods") }).Select(r => new object[]
            {
                r.Period, r.Won.Total, r.Commit.Total, r.BestCaseDeals.Total, r.Pipeline.Total, r.Omitted.Total, r.Committed, r.BestCase, r.Weighted,
                Blank(r.Target), Blank(r.Attainment * 100m), Blank(r.Coverage), r.Slipped.Count, r.Slipped.Total,
            })]);
    }

    /// <summary>An empty cell for a figure that does not exist (no target), never a zero that would read as one.</summary>
    private static object Blank(decimal? value) => value is { } v ? v : "";
}
