using System.Globalization;
using System.Linq.Expressions;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>What the rows of the win-rate report are: periods (the default), owners, sources or pipelines.</summary>
public enum WinRateBreakdown
{
    Period,
    Owner,
    Source,
    Pipeline,
}

/// <summary>
/// Deals won and lost in one row of the win-rate report: how many and their value (base currency, at the moment each
/// closed). The rates are fractions (0.6 = 60 %), rounded to four places, and null when nothing closed (by value: when
/// what closed is worth nothing).
/// </summary>
public sealed record WinRateRow(string Key, string Name, int WonCount, decimal WonValue, int LostCount, decimal LostValue)
{
    public decimal? RateByCount => WinRates.Rate(WonCount, WonCount + LostCount);

    public decimal? RateByValue => WinRates.Rate(WonValue, WonValue + LostValue);

    public WinRateRow Plus(WinRateRow other) =>
        this with { WonCount = WonCount + other.WonCount, WonValue = WonValue + other.WonValue, LostCount = LostCount + other.LostCount, LostValue = LostValue + other.LostValue };
}

/// <summary>One lost reason of the organization's list: the deals lost for it and their value. Id null: lost without a reason.</summary>
public sealed record WinRateLostReason(Guid? Id, string Name, int Count, decimal Amount);

public sealed record WinRateReport(
    DateTimeOffset? AsOf, string BaseCurrency, ForecastPeriod Period, DateOnly From, DateOnly To, WinRateBreakdown By, IReadOnlyList<WinRateRow> Rows,
    WinRateRow Total, IReadOnlyList<WinRateLostReason> LostReasons);

/// <summary>A deal behind a cell of the win-rate report: the drill-down.</summary>
public sealed record WinRateDeal(
    Guid Id, string Title, OpportunityStatus Status, DateOnly ClosedOn, decimal Value, Guid OwnerId, string OwnerName, Guid PipelineId, string? Source,
    Guid? LostReasonId, string? LostReason);

/// <summary>Which deals a drill-down lists: one row of the report (its <see cref="WinRateRow.Key"/>; null: all), won or lost (null: both), one lost reason.</summary>
public sealed record WinRateCell(WinRateBreakdown By, string? Key, OpportunityStatus? Outcome, Guid? LostReasonId);

/// <summary>
/// The win rate: deals won and lost by the day they closed (their <see cref="Opportunity.ClosedOn"/>), per month or
/// quarter, owner, source or pipeline, by count and by value; and the lost reasons. Which deals are won or lost is their
/// status now, or as of a moment (a deal reopened since is neither); a closed deal's value is its forecast amount in
/// the base currency as its closing (its last Won or Lost event, at or before that moment) left it.
/// </summary>
public static class WinRates
{
    public const int MaxDeals = 500;

    /// <summary>won ÷ all, a fraction rounded to four places; null when all is 0.</summary>
    public static decimal? Rate(decimal won, decimal all) => all == 0 ? null : Math.Round(won / all, 4, MidpointRounding.AwayFromZero);

    /// <summary>The span of <paramref name="count"/> periods starting with the one that holds <paramref name="from"/>: [start, end).</summary>
    public static (DateOnly Start, DateOnly End) Span(DateOnly from, ForecastPeriod period, int count)
    {
        var start = ForecastReports.PeriodStart(from, period);
        return (start, start.AddMonths(count * Months(period)));
    }

    /// <summary>The first day of the period that ends with the one holding <paramref name="day"/>, <paramref name="count"/> periods long.</summary>
    public static DateOnly DefaultFrom(DateOnly day, ForecastPeriod period, int count) =>
        ForecastReports.PeriodStart(day, period).AddMonths(-(count - 1) * Months(period));

    public static async Task<WinRateReport> WinRateAsync(
        KazanDbContext db, ReportFilter filter, ForecastPeriod period, DateOnly from, int count, WinRateBreakdown by, CancellationToken ct)
    {
        var (start, end) = Span(from, period, count);
        var deals = Closed(db, filter, start, end);
        // One pass over the closed deals gives both the rows and the lost reasons (grouped by row key and reason).
        List<LostPart> lostParts = [];
        async Task<List<Group<TKey>>> Rows<TKey>(Expression<Func<ClosedDeal, TKey>> key)
        {
            var (groups, lostOnes) = await Grouped(deals, key, ct);
            lostParts = lostOnes;
            return groups;
        }

        var rows = by switch
        {
            WinRateBreakdown.Period => PeriodRows(await Rows(d => d.ClosedOn), start, period, count),
            WinRateBreakdown.Owner => await NamedRows(await Rows(d => d.OwnerId), ids => db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct)),
            WinRateBreakdown.Pipeline => await NamedRows(await Rows(d => d.PipelineId), ids => db.Pipelines.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Name, ct)),
            _ => Ordered((await Rows(d => d.Source ?? "")).Select(g => g.Row(g.Key, g.Key))),
        };
        var total = rows.Aggregate(new WinRateRow("", "", 0, 0m, 0, 0m), (sum, r) => sum.Plus(r));

        var lost = lostParts.GroupBy(l => l.ReasonId).Select(g => new { Id = g.Key, Count = g.Sum(l => l.Count), Amount = g.Sum(l => l.Value) }).ToList();
        var reasons = await db.LostReasons.AsNoTracking().OrderBy(r => r.Position).Select(r => new { r.Id, r.Name, r.IsActive }).ToListAsync(ct);
        var lostReasons = reasons.Select(r => (r, counted: lost.FirstOrDefault(l => l.Id == r.Id)))
            .Where(x => x.counted is not null || x.r.IsActive)
            .Select(x => new WinRateLostReason(x.r.Id, x.r.Name, x.counted?.Count ?? 0, x.counted?.Amount ?? 0m))
            .Concat(lost.Where(l => l.Id is null || reasons.All(r => r.Id != l.Id)).Select(l => new WinRateLostReason(null, "", l.Count, l.Amount)))
            .Select((r, position) => (r, position))
            .OrderByDescending(x => x.r.Amount).ThenByDescending(x => x.r.Count).ThenBy(x => x.position).Select(x => x.r).ToList();

        return new WinRateReport(filter.AsOf, await OpportunityQueries.BaseCurrencyAsync(db, ct), period, start, end.AddDays(-1), by, rows, total, lostReasons);
    }

    /// <summary>
    /// The deals behind one cell, largest first (at most <see cref="MaxDeals"/>). A period's key is its first day
    /// (yyyy-MM-dd); an owner's or pipeline's, its id; a source's, the source itself ("" for none).
    /// </summary>
    public static async Task<List<WinRateDeal>> DealsAsync(
        KazanDbContext db, ReportFilter filter, ForecastPeriod period, DateOnly from, int count, WinRateCell cell, CancellationToken ct)
    {
        var (start, end) = Span(from, period, count);
        if (cell is { By: WinRateBreakdown.Period, Key: { } day })
        {
            start = ForecastReports.PeriodStart(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture), period);
            end = start.AddMonths(Months(period));
        }

        var deals = Closed(db, filter, start, end);
        if (cell.Key is { } key)
        {
            var id = cell.By is WinRateBreakdown.Owner or WinRateBreakdown.Pipeline ? Guid.Parse(key) : Guid.Empty;
            deals = cell.By switch
            {
                WinRateBreakdown.Owner => deals.Where(d => d.OwnerId == id),
                WinRateBreakdown.Pipeline => deals.Where(d => d.PipelineId == id),
                WinRateBreakdown.Source => key == "" ? deals.Where(d => d.Source == null) : deals.Where(d => d.Source == key),
                _ => deals,
            };
        }

        if (cell.Outcome is { } outcome)
        {
            deals = deals.Where(d => d.Status == outcome);
        }

        if (cell.LostReasonId is { } reason)
        {
            deals = deals.Where(d => d.Status == OpportunityStatus.Lost && d.LostReasonId == reason);
        }

        return await deals.OrderByDescending(d => d.Value).ThenBy(d => d.Id).Take(MaxDeals)
            .Join(db.Opportunities, d => d.Id, o => o.Id, (d, o) => new { d, o.Title })
            .Select(x => new WinRateDeal(x.d.Id, x.Title, x.d.Status, x.d.ClosedOn, x.d.Value, x.d.OwnerId,
                db.Users.Where(u => u.Id == x.d.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? "", x.d.PipelineId, x.d.Source, x.d.LostReasonId,
                db.LostReasons.Where(r => r.Id == x.d.LostReasonId).Select(r => r.Name).FirstOrDefault()))
            .ToListAsync(ct);
    }

    /// <summary>Is a row key of the given breakdown well formed (a period's first day, an id, any source)?</summary>
    public static bool IsKey(WinRateBreakdown by, string key) => by switch
    {
        WinRateBreakdown.Period => DateOnly.TryParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        WinRateBreakdown.Owner or WinRateBreakdown.Pipeline => Guid.TryParse(key, out _),
        _ => key.Length <= 100,
    };

    /// <summary>The rows for the files, a total and the headers in the reader's language; rates in per cent.</summary>
    public static ReportTable Table(WinRateReport report, Func<string, string> text)
    {
        var money = $" ({report.BaseCurrency})";
        return new ReportTable(text("Report.WinRate"),
            [ByHeader(report.By, text), text("Report.WinRate.WonCount"), text("Report.WinRate.WonValue") + money, text("Report.WinRate.LostCount"),
                text("Report.WinRate.LostValue") + money, text("Report.WinRate.ByCount") + " (%)", text("Report.WinRate.ByValue") + " (%)"],
            [.. report.Rows.Append(report.Total with { Name = text("Report.WinRate.AllRows") }).Select(r => new object[]
            {
                RowName(report.By, r.Name, text), r.WonCount, r.WonValue, r.LostCount, r.LostValue, r.RateByCount is { } c ? c * 100m : "", r.RateByValue is { } v ? v * 100m : "",
            })]);
    }

    /// <summary>The lost reasons for the files.</summary>
    public static ReportTable ReasonsTable(WinRateReport report, Func<string, string> text) => new(
        text("Report.WinRate.LostReasons"),
        [text("Opportunity.LostReason"), text("Report.Deals"), $"{text("Report.Total")} ({report.BaseCurrency})"],
        [.. report.LostReasons.Select(r => new object[] { r.Id is null ? text("Report.WinRate.NoReason") : r.Name, r.Count, r.Amount })]);

    /// <summary>The heading of the rows' first column.</summary>
    public static string ByHeader(WinRateBreakdown by, Func<string, string> text) => by switch
    {
        WinRateBreakdown.Owner => text("Opportunity.Owner"),
        WinRateBreakdown.Source => text("Opportunity.Source"),
        WinRateBreakdown.Pipeline => text("Opportunity.Pipeline"),
        _ => text("Report.Period"),
    };

    /// <summary>A row's name as shown: a source row without a source says so.</summary>
    public static string RowName(WinRateBreakdown by, string name, Func<string, string> text) =>
        by == WinRateBreakdown.Source && name == "" ? text("Report.WinRate.NoSource") : name;

    private static int Months(ForecastPeriod period) => period == ForecastPeriod.Month ? 1 : 3;

    /// <summary>
    /// The one rule of what the report counts: the deals won or lost (now, or as of the filter's moment) with their
    /// closed date in [start, end), of the filter's pipeline (all when none), each valued as its closing left it.
    /// </summary>
    private static IQueryable<ClosedDeal> Closed(KazanDbContext db, ReportFilter filter, DateOnly start, DateOnly end)
    {
        var closings = db.OpportunityEvents.Where(e => e.Kind == OpportunityEventKind.Won || e.Kind == OpportunityEventKind.Lost);
        if (filter.AsOf is { } at)
        {
            closings = closings.Where(e => e.At <= at);
        }

        var deals = ReportDeals.Query(db, filter)
            .Where(d => (d.Status == OpportunityStatus.Won || d.Status == OpportunityStatus.Lost) && d.ClosedOn >= start && d.ClosedOn < end);
        if (filter.PipelineId is { } pipeline)
        {
            deals = deals.Where(d => d.PipelineId == pipeline);
        }

        // A closed deal with no closing event (history older than the events) is valued as it stands.
        return deals.Select(d => new ClosedDeal
        {
            Id = d.Id,
            PipelineId = d.PipelineId,
            OwnerId = d.OwnerId,
            Status = d.Status,
            ClosedOn = d.ClosedOn!.Value,
            Source = d.Source,
            LostReasonId = d.LostReasonId,
            Value = closings.Where(c => c.OpportunityId == d.Id).OrderByDescending(c => c.At).ThenByDescending(c => c.Sequence)
                .Select(c => (decimal?)c.State.ForecastAmountBase).FirstOrDefault() ?? d.Total,
        });
    }

    /// <summary>
    /// Won and lost counts and values per key, summed in the database in one statement grouped by the key, the outcome
    /// and the lost reason; the lost deals per reason come back beside the rows.
    /// </summary>
    private static async Task<(List<Group<TKey>> Groups, List<LostPart> Lost)> Grouped<TKey>(
        IQueryable<ClosedDeal> deals, Expression<Func<ClosedDeal, TKey>> key, CancellationToken ct)
    {
        var parts = await deals.GroupBy(WithOutcome(new { Key = default(TKey)!, Status = default(OpportunityStatus), LostReasonId = default(Guid?) }, key))
            .Select(g => new { g.Key.Key, g.Key.Status, g.Key.LostReasonId, Count = g.Count(), Value = g.Sum(d => d.Value) })
            .ToListAsync(ct);
        var groups = parts.GroupBy(p => p.Key).Select(g => new Group<TKey>
        {
            Key = g.Key,
            WonCount = g.Where(p => p.Status == OpportunityStatus.Won).Sum(p => p.Count),
            WonValue = g.Where(p => p.Status == OpportunityStatus.Won).Sum(p => p.Value),
            LostCount = g.Where(p => p.Status == OpportunityStatus.Lost).Sum(p => p.Count),
            LostValue = g.Where(p => p.Status == OpportunityStatus.Lost).Sum(p => p.Value),
        }).ToList();
        return (groups, [.. parts.Where(p => p.Status == OpportunityStatus.Lost).Select(p => new LostPart(p.LostReasonId, p.Count, p.Value))]);
    }

    /// <summary>
    /// <c>d => new { Key = key(d), d.Status, d.LostReasonId }</c> for any row key, built as an expression so the database
    /// groups by it (the anonymous <paramref name="shape"/> only names the type).
    /// </summary>
    private static Expression<Func<ClosedDeal, T>> WithOutcome<T, TKey>(T shape, Expression<Func<ClosedDeal, TKey>> key)
    {
        _ = shape;
        var deal = key.Parameters[0];
        var constructor = typeof(T).GetConstructors()[0];
        return Expression.Lambda<Func<ClosedDeal, T>>(
            Expression.New(constructor, [key.Body, Expression.Property(deal, nameof(ClosedDeal.Status)), Expression.Property(deal, nameof(ClosedDeal.LostReasonId))],
                constructor.GetParameters().Select(p => (System.Reflection.MemberInfo)typeof(T).GetProperty(p.Name!)!)),
            deal);
    }

    private sealed record LostPart(Guid? ReasonId, int Count, decimal Value);

    /// <summary>Every period of the span, in order, empty ones too; grouped by day in the database, by period here.</summary>
    private static List<WinRateRow> PeriodRows(List<Group<DateOnly>> days, DateOnly start, ForecastPeriod period, int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var from = start.AddMonths(i * Months(period));
            var to = from.AddMonths(Months(period));
            return days.Where(d => d.Key >= from && d.Key < to)
                .Aggregate(new WinRateRow(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ForecastReports.Name(from, period), 0, 0m, 0, 0m),
                    (row, d) => row.Plus(d.Row("", "")));
        })];

    private static async Task<List<WinRateRow>> NamedRows(List<Group<Guid>> groups, Func<List<Guid>, Task<Dictionary<Guid, string>>> names)
    {
        var found = await names([.. groups.Select(g => g.Key)]);
        return Ordered(groups.Select(g => g.Row(g.Key.ToString(), found.GetValueOrDefault(g.Key) ?? "?")));
    }

    /// <summary>Owners, sources and pipelines: the most won value first, then by name.</summary>
    private static List<WinRateRow> Ordered(IEnumerable<WinRateRow> rows) =>
        [.. rows.OrderByDescending(r => r.WonValue).ThenByDescending(r => r.WonCount).ThenBy(r => r.Name, StringComparer.Create(CultureInfo.CurrentCulture, false))];

    /// <summary>A closed deal as the win rate counts it.</summary>
    private sealed class ClosedDeal
    {
        public Guid Id { get; init; }
        public Guid PipelineId { get; init; }
        public Guid OwnerId { get; init; }
        public OpportunityStatus Status { get; init; }
        public DateOnly ClosedOn { get; init; }
        public string? Source { get; init; }
        public Guid? LostReasonId { get; init; }
        public decimal Value { get; init; }
    }

    private sealed class Group<TKey>
    {
        public required TKey Key { get; init; }
        public int WonCount { get; init; }
        public decimal WonValue { get; init; }
        public int LostCount { get; init; }
        public decimal LostValue { get; init; }

        public WinRateRow Row(string key, string name) => new(key, name, WonCount, WonValue, LostCount, LostValue);
    }
}
