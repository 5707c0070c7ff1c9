using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Reports;

/// <summary>The win-rate report's endpoints, under the reports' group (members; reps see their own deals).</summary>
public static class WinRateApi
{
    public static RouteGroupBuilder MapWinRate(this RouteGroupBuilder group)
    {
        group.MapGet("/win-rate", WinRate)
            .WithSummary("Deals won and lost by closed date, per month or quarter, owner, source or pipeline: counts, values at closing (base currency), win rate by count and by value; the lost reasons; now or as of a moment; format=csv or xlsx (table=reasons for the reasons).");
        group.MapGet("/win-rate/deals", WinRateDeals)
            .WithSummary("The won or lost deals behind a cell of the win-rate report (by and key of its row, outcome, lostReasonId), largest first: the drill-down.");
        return group;
    }

    private static async Task<Results<Ok<WinRateReport>, FileContentHttpResult, ValidationProblem>> WinRate(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateTimeOffset? asOf, string? period, DateOnly? from, int? count, string? by, string? format, string? table, CancellationToken ct)
    {
        var (query, errors) = Read(time, period, from, count, by, asOf);
        ReportsApi.CheckFormat(format, errors);

        if (table is not (null or "rows" or "reasons"))
        {
            errors["table"] = ["table is rows (the default) or reasons: which table the file holds."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var report = await WinRates.WinRateAsync(db, ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, asOf), query.Period, query.From, query.Count, query.By, ct);
        if (format is null or "json")
        {
            return TypedResults.Ok(report);
        }

        return table == "reasons"
            ? ReportsApi.File(WinRates.ReasonsTable(report, key => l[key].Value), format, "win-rate-lost-reasons")
            : ReportsApi.File(WinRates.Table(report, key => l[key].Value), format, "win-rate");
    }

    private static async Task<Results<Ok<List<WinRateDeal>>, ValidationProblem>> WinRateDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine, DateTimeOffset? asOf,
        string? period, DateOnly? from, int? count, string? by, string? key, string? outcome, Guid? lostReasonId, CancellationToken ct)
    {
        var (query, errors) = Read(time, period, from, count, by, asOf);
        var status = outcome switch
        {
            null => (OpportunityStatus?)null,
            "won" => OpportunityStatus.Won,
            "lost" => OpportunityStatus.Lost,
            _ => null,
        };
        if (outcome is not (null or "won" or "lost"))
        {
            errors["outcome"] = ["outcome is won or lost (none: both)."];
        }

        if (key is not null && !errors.ContainsKey("by") && !WinRates.IsKey(query.By, key))
        {
            errors["key"] = [query.By switch
            {
                WinRateBreakdown.Period => "A period's key is its first day (yyyy-MM-dd).",
                WinRateBreakdown.Source => "A source's key is the source itself (at most 100 characters; empty for none).",
                _ => "An owner's or pipeline's key is its id.",
            }];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await WinRates.DealsAsync(db, ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, asOf), query.Period, query.From, query.Count,
            new WinRateCell(query.By, key, status, lostReasonId), ct));
    }

    private sealed record Query(ForecastPeriod Period, DateOnly From, int Count, WinRateBreakdown By);

    /// <summary>
    /// The span and breakdown both endpoints take. Without <c>from</c> the span ends with the period of today (or of the
    /// as-of day): 6 months or 4 quarters by default.
    /// </summary>
    private static (Query Query, Dictionary<string, string[]> Errors) Read(OrganizationTime time, string? period, DateOnly? from, int? count, string? by, DateTimeOffset? asOf)
    {
        var errors = new Dictionary<string, string[]>();
        var each = ReportsApi.Named(period, ForecastPeriod.Month);
        if (each is null)
        {
            errors["period"] = ["period is month (the default) or quarter."];
        }

        if (count is < 1 or > ForecastReports.MaxPeriods)
        {
            errors["count"] = [$"count is 1 to {ForecastReports.MaxPeriods} periods."];
        }

        var rows = ReportsApi.Named(by, WinRateBreakdown.Period);
        if (rows is null)
        {
            errors["by"] = ["by is period (the default), owner, source or pipeline."];
        }

        var span = each ?? ForecastPeriod.Month;
        var periods = count is >= 1 and <= ForecastReports.MaxPeriods ? count.Value : span == ForecastPeriod.Month ? 6 : 4;
        var start = from ?? WinRates.DefaultFrom(asOf is { } at ? time.DayOf(at) : time.Today, span, periods);
        return (new Query(span, start, periods, rows ?? WinRateBreakdown.Period), errors);
    }
}
