using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>Why a deal's amount entered, changed in or left the pipeline between two days.</summary>
public enum MovementKind
{
    /// <summary>Created during the span and in the pipeline at its end.</summary>
    New,

    /// <summary>Existed before, came in during the span: close date pulled into the window, reopened, moved from another pipeline or owner.</summary>
    MovedIn,

    /// <summary>Its amount went up (while in the pipeline, or before it left).</summary>
    Increased,

    /// <summary>Its amount went down.</summary>
    Decreased,

    /// <summary>Still open, its close date moved after the window.</summary>
    Slipped,

    /// <summary>Won during the span.</summary>
    Won,

    /// <summary>Lost during the span.</summary>
    Lost,

    /// <summary>Still open, left otherwise: close date moved before the window, another pipeline, another owner or team.</summary>
    MovedOut,
}

/// <summary>One line of the waterfall: how many deals, and the signed amount it adds to the start pipeline (base currency).</summary>
public sealed record MovementLine(MovementKind Kind, int Count, decimal Amount);

/// <summary>A pipeline at one moment: open deals of the filter closing in the window, their count and total.</summary>
public sealed record MovementEnd(DateTimeOffset At, int Count, decimal Total);

/// <summary>
/// The pipeline movement between two days: the open deals expected to close in a window as they stood at the start of
/// <see cref="From"/>, each line of change, and the same pipeline at the end of <see cref="To"/>.
/// <c>Start.Total + Σ Lines.Amount = End.Total</c>, always.
/// </summary>
public sealed record MovementReport(
    DateOnly From, DateOnly To, DateOnly CloseFrom, DateOnly CloseTo, string BaseCurrency, MovementEnd Start, IReadOnlyList<MovementLine> Lines, MovementEnd End);

/// <summary>One deal behind a waterfall line: its amount and close date at both ends (null where it was not in the pipeline).</summary>
public sealed record MovementDeal(
    Guid Id, string Title, Guid OwnerId, OpportunityStatus Status, decimal? StartAmount, decimal EndAmount, DateOnly? StartClose, DateOnly EndClose, decimal Change);

/// <summary>The waterfall (pipeline movement) and its drill-down, built on the as-of query at both ends.</summary>
public static class MovementReports
{
    public const int MaxDeals = 500;

    /// <summary>The longest span, so that a report stays a report (the as-of query runs twice whatever the span).</summary>
    public const int MaxDays = 366 * 5;

    public static async Task<MovementReport> MovementAsync(KazanDbContext db, MovementQuery query, CancellationToken ct)
    {
        var moves = await MovesAsync(db, query, ct);
        var lines = Enum.GetValues<MovementKind>().Select(kind =>
        {
            var parts = moves.Where(m => m.Kinds.Contains(kind)).ToList();
            return new MovementLine(kind, parts.Count, parts.Sum(m => m.AmountOf(kind)));
        }).ToList();
        var start = moves.Where(m => m.Start is not null).ToList();
        var end = moves.Where(m => m.InEnd).ToList();
        return new MovementReport(query.From, query.To, query.CloseFrom, query.CloseTo, await OpportunityQueries.BaseCurrencyAsync(db, ct),
            new MovementEnd(query.StartMoment, start.Count, start.Sum(m => m.Start!.Total)), lines,
            new MovementEnd(query.EndMoment ?? DateTimeOffset.UtcNow, end.Count, end.Sum(m => m.End.Total)));
    }

    /// <summary>The deals behind one line, largest change first.</summary>
    public static async Task<List<MovementDeal>> DealsAsync(KazanDbContext db, MovementQuery query, MovementKind kind, CancellationToken ct)
    {
        var moves = (await MovesAsync(db, query, ct)).Where(m => m.Kinds.Contains(kind))
            .OrderByDescending(m => Math.Abs(m.AmountOf(kind))).ThenBy(m => m.End.Id).Take(MaxDeals).ToList();
        var ids = moves.Select(m => m.End.Id).ToList();
        var titles = await OpportunityQueries.WithIds(db, ids).ToDictionaryAsync(o => o.Id, o => o.Title, ct);
        return [.. moves.Select(m => new MovementDeal(m.End.Id, titles.GetValueOrDefault(m.End.Id) ?? "", m.End.OwnerId, m.End.Status,
            m.Start?.Total, m.End.Total, m.Start?.ExpectedCloseDate, m.End.ExpectedCloseDate, m.AmountOf(kind)))];
    }

    /// <summary>The waterfall as a file: start, each line, end.</summary>
    public static ReportTable Table(MovementReport report, Func<string, string> text)
    {
        var money = $" ({report.BaseCurrency})";
        return new ReportTable(text("Report.Movement"), [text("Report.Movement.Line"), text("Report.Deals"), text("Report.Amount") + money],
        [
            [text("Report.Movement.Start"), report.Start.Count, report.Start.Total],
            .. report.Lines.Select(l => new object[] { text("Report.Movement." + l.Kind), l.Count, l.Amount }),
            [text("Report.Movement.End"), report.End.Count, report.End.Total],
        ]);
    }

    /// <summary>
    /// Every deal in the window's pipeline at the start or at the end, with its state at the end and the lines it
    /// belongs to. Deals in the start pipeline that are gone from the end one are read at the end without the owner
    /// and pipeline filters, so that a won, lost, slipped or transferred deal is told apart.
    /// </summary>
    private static async Task<List<Move>> MovesAsync(KazanDbContext db, MovementQuery query, CancellationToken ct)
    {
        var filter = query.Filter;
        var start = await Ends(InWindow(ReportDeals.Query(db, filter with { AsOf = query.StartMoment }), query)).ToListAsync(ct);
        var end = await Ends(InWindow(ReportDeals.Query(db, filter with { AsOf = query.EndMoment }), query)).ToListAsync(ct);
        var startById = start.ToDictionary(d => d.Id);
        var endIds = end.Select(d => d.Id).ToHashSet();

        var leftIds = start.Where(d => !endIds.Contains(d.Id)).Select(d => d.Id).ToList();
        var left = new List<DealEnd>();
        var stillOurs = new HashSet<Guid>();
        foreach (var chunk in leftIds.Chunk(1000))
        {
            var ends = await Ends(ReportDeals.Query(db, new ReportFilter(null, null, null, query.EndMoment), chunk)).ToListAsync(ct);
            left.AddRange(ends);
            if (filter.OwnerId is null && filter.TeamId is null)
            {
                // Without an owner or team filter the deals read above are the filter's when they are in its pipeline.
                stillOurs.UnionWith(ends.Where(d => filter.PipelineId is not { } pipeline || d.PipelineId == pipeline).Select(d => d.Id));
            }
            else
            {
                stillOurs.UnionWith(await InPipeline(ReportDeals.Query(db, filter with { AsOf = query.EndMoment }, chunk), query)
                    .Select(d => d.Id).ToListAsync(ct));
            }
        }

        var enteredIds = end.Where(d => !startById.ContainsKey(d.Id)).Select(d => d.Id).ToList();
        var created = new Dictionary<Guid, DateTimeOffset>();
        foreach (var chunk in enteredIds.Chunk(1000))
        {
            foreach (var o in await OpportunityQueries.WithIds(db, chunk).Select(o => new { o.Id, o.CreatedAt }).ToListAsync(ct))
            {
                created[o.Id] = o.CreatedAt;
            }
        }

        var moves = end.Select(d => new Move(startById.GetValueOrDefault(d.Id), d, InEnd: true,
            Entered: startById.ContainsKey(d.Id) ? null : created.TryGetValue(d.Id, out var at) && at > query.StartMoment ? MovementKind.New : MovementKind.MovedIn)).ToList();

        // A deal that left is won, lost or slipped only while it is still the filter's (pipeline, owner, team); else it moved out.
        moves.AddRange(left.Select(d => new Move(startById[d.Id], d, InEnd: false, Entered: null)
        {
            Left = !stillOurs.Contains(d.Id) ? MovementKind.MovedOut : d.Status switch
            {
                OpportunityStatus.Won => MovementKind.Won,
                OpportunityStatus.Lost => MovementKind.Lost,
                _ when d.ExpectedCloseDate > query.CloseTo => MovementKind.Slipped,
                _ => MovementKind.MovedOut,
            },
        }));
        return moves;
    }

    /// <summary>
    /// Only what the waterfall reads of a deal at either end: the rest of <see cref="ReportDeal"/> (its source, its lost
    /// reason: a lookup per deal as of a moment) is left out of the statement.
    /// </summary>
    private static IQueryable<DealEnd> Ends(IQueryable<ReportDeal> deals) =>
        deals.Select(d => new DealEnd(d.Id, d.PipelineId, d.OwnerId, d.Status, d.Total, d.ExpectedCloseDate));

    private static IQueryable<ReportDeal> InWindow(IQueryable<ReportDeal> deals, MovementQuery query) =>
        InPipeline(deals, query).Where(d => d.Status == OpportunityStatus.Open && d.ExpectedCloseDate >= query.CloseFrom && d.ExpectedCloseDate <= query.CloseTo);

    private static IQueryable<ReportDeal> InPipeline(IQueryable<ReportDeal> deals, MovementQuery query) =>
        query.Filter.PipelineId is { } pipeline ? deals.Where(d => d.PipelineId == pipeline) : deals;

    /// <summary>A deal at one end of the span, as the waterfall reads it.</summary>
    private sealed record DealEnd(Guid Id, Guid PipelineId, Guid OwnerId, OpportunityStatus Status, decimal Total, DateOnly ExpectedCloseDate);

    private sealed record Move(DealEnd? Start, DealEnd End, bool InEnd, MovementKind? Entered)
    {
        public MovementKind? Left { get; init; }

        /// <summary>A deal that stayed or left carries the change of its amount between the ends.</summary>
        private decimal Change => Start is null ? 0m : End.Total - Start.Total;

        public IEnumerable<MovementKind> Kinds
        {
            get
            {
                if (Entered is { } entered)
                {
                    yield return entered;
                }

                if (Change > 0)
                {
                    yield return MovementKind.Increased;
                }
                else if (Change < 0)
                {
                    yield return MovementKind.Decreased;
                }

                if (Left is { } left)
                {
                    yield return left;
                }
            }
        }

        public decimal AmountOf(MovementKind kind) => kind switch
        {
            MovementKind.New or MovementKind.MovedIn => End.Total,
            MovementKind.Increased or MovementKind.Decreased => Change,
            _ => -End.Total,
        };
    }
}

/// <summary>
/// The span (<see cref="From"/> to <see cref="To"/>, organization days) and the close window of a waterfall. The start
/// is the moment <see cref="From"/> began; the end is the end of <see cref="To"/>, or now (the live rows) when that is
/// today or later.
/// </summary>
public sealed record MovementQuery(ReportFilter Filter, DateOnly From, DateOnly To, DateOnly CloseFrom, DateOnly CloseTo, DateTimeOffset StartMoment, DateTimeOffset? EndMoment)
{
    /// <summary>
    /// The span and window from what the caller gave: the span defaults to this quarter so far, the close window to the
    /// quarter the span starts in. Field errors when a span runs backwards or is longer than five years.
    /// </summary>
    public static Outcome<MovementQuery> Create(ReportFilter filter, DateOnly? from, DateOnly? to, DateOnly? closeFrom, DateOnly? closeTo, OrganizationTime time)
    {
        var today = time.Today;
        var start = from ?? ForecastReports.PeriodStart(today, ForecastPeriod.Quarter);
        var end = to ?? (start > today ? start : today);
        var quarter = ForecastReports.PeriodStart(start, ForecastPeriod.Quarter);
        var (windowFrom, windowTo) = (closeFrom ?? quarter, closeTo ?? (closeFrom is null ? quarter.AddMonths(3).AddDays(-1) : closeFrom.Value.AddMonths(3).AddDays(-1)));
        var errors = new Dictionary<string, string[]>();
        if (end < start || end.DayNumber - start.DayNumber > MovementReports.MaxDays)
        {
            errors["to"] = [$"to is on or after from, at most {MovementReports.MaxDays} days later."];
        }

        if (windowTo < windowFrom || windowTo.DayNumber - windowFrom.DayNumber > MovementReports.MaxDays)
        {
            errors["closeTo"] = [$"closeTo is on or after closeFrom, at most {MovementReports.MaxDays} days later."];
        }

        if (errors.Count > 0)
        {
            return Outcome.Invalid(errors);
        }

        return new MovementQuery(filter with { AsOf = null }, start, end, windowFrom, windowTo, time.EndOf(start.AddDays(-1)), end >= today ? null : time.EndOf(end));
    }
}
