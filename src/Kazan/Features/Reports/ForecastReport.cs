using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

public enum ForecastPeriod
{
    Month,
    Quarter,
}

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
}

public sealed record ForecastReport(DateTimeOffset? AsOf, string BaseCurrency, ForecastPeriod Period, IReadOnlyList<ForecastRow> Rows, ForecastRow Total);

/// <summary>The forecast by close month or quarter, now or as of a moment, over one pipeline or all.</summary>
public static class ForecastReports
{
    public const int MaxPeriods = 24;

    public static async Task<ForecastReport> ForecastAsync(KazanDbContext db, ReportFilter filter, ForecastPeriod period, DateOnly from, int count, CancellationToken ct)
    {
        var start = PeriodStart(from, period);
        var periods = Enumerable.Range(0, count).Select(i => period == ForecastPeriod.Month ? start.AddMonths(i) : start.AddMonths(3 * i)).ToList();
        var end = period == ForecastPeriod.Month ? periods[^1].AddMonths(1) : periods[^1].AddMonths(3);

        var deals = ReportDeals.Query(db, filter);
        if (filter.PipelineId is { } pipeline)
        {
            deals = deals.Where(d => d.PipelineId == pipeline);
        }

        // Grouped by day in the database (a few hundred rows at most), by period here.
        var won = await deals.Where(d => d.Status == OpportunityStatus.Won && d.ClosedOn >= start && d.ClosedOn < end)
            .GroupBy(d => d.ClosedOn!.Value)
            .Select(g => new { Day = g.Key, Count = g.Count(), Total = g.Sum(d => d.Total) }).ToListAsync(ct);
        var open = await deals.Where(d => d.Status == OpportunityStatus.Open && d.ExpectedCloseDate >= start && d.ExpectedCloseDate < end)
            .GroupBy(d => new { d.ExpectedCloseDate, d.Category })
            .Select(g => new { Day = g.Key.ExpectedCloseDate, g.Key.Category, Count = g.Count(), Total = g.Sum(d => d.Total), Weighted = g.Sum(d => d.Weighted) })
            .ToListAsync(ct);

        var rows = periods.Select(p =>
        {
            var to = period == ForecastPeriod.Month ? p.AddMonths(1) : p.AddMonths(3);
            ForecastCell Open(ForecastCategory category) => open.Where(o => o.Category == category && o.Day >= p && o.Day < to)
                .Aggregate(ForecastCell.Empty, (cell, o) => cell.Plus(new ForecastCell(o.Count, o.Total, o.Weighted)));
            var wonCell = won.Where(w => w.Day >= p && w.Day < to).Aggregate(ForecastCell.Empty, (cell, w) => cell.Plus(new ForecastCell(w.Count, w.Total, w.Total)));
            return new ForecastRow(Name(p, period), p, to.AddDays(-1), wonCell, Open(ForecastCategory.Commit), Open(ForecastCategory.BestCase),
                Open(ForecastCategory.Pipeline), Open(ForecastCategory.Omitted));
        }).ToList();
        var total = rows.Aggregate(new ForecastRow("", start, end.AddDays(-1), ForecastCell.Empty, ForecastCell.Empty, ForecastCell.Empty, ForecastCell.Empty, ForecastCell.Empty),
            (sum, r) => sum with
            {
                Won = sum.Won.Plus(r.Won),
                Commit = sum.Commit.Plus(r.Commit),
                BestCaseDeals = sum.BestCaseDeals.Plus(r.BestCaseDeals),
                Pipeline = sum.Pipeline.Plus(r.Pipeline),
                Omitted = sum.Omitted.Plus(r.Omitted),
            });
        return new ForecastReport(filter.AsOf, await OpportunityQueries.BaseCurrencyAsync(db, ct), period, rows, total);
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
                text("Report.BestCaseTotal") + money, text("Report.WeightedForecast") + money],
            [.. report.Rows.Append(report.Total with { Period = text("Report.AllPeriods") }).Select(r => new object[]
            {
                r.Period, r.Won.Total, r.Commit.Total, r.BestCaseDeals.Total, r.Pipeline.Total, r.Omitted.Total, r.Committed, r.BestCase, r.Weighted,
            })]);
    }
}
