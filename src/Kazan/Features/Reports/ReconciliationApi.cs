using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Reports;

/// <summary>The amounts reconciliation's endpoints, under the reports' group (members; reps see their own deals).</summary>
public static class ReconciliationApi
{
    /// <summary>Months the report spans when the caller does not say: six, ending with this month.</summary>
    public const int DefaultMonths = 6;

    public static RouteGroupBuilder MapReconciliation(this RouteGroupBuilder group)
    {
        group.MapGet("/reconciliation", Reconciliation)
            .WithSummary("Expected vs quoted vs ordered vs delivered (base currency) by owner and month of the deals (closed date, or expected close date while open): the gaps (quoted not ordered, ordered not delivered), the delivery backlog, the quote acceptance rate; totals per owner, per month and in all; format=csv or xlsx.");
        group.MapGet("/reconciliation/deals", ReconciliationDeals)
            .WithSummary("The deals behind a cell of the amounts reconciliation (ownerId, month=yyyy-MM, gap=quoted-not-ordered|ordered-not-delivered) with their four amounts: the drill-down.");
        return group;
    }

    private static async Task<Results<Ok<ReconciliationReport>, FileContentHttpResult, ValidationProblem>> Reconciliation(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, int? count, string? format, CancellationToken ct)
    {
        var errors = await CheckAsync(db, pipelineId, ownerId, teamId, count, ct);
        ReportsApi.CheckFormat(format, errors);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var months = count ?? DefaultMonths;
        var report = await Reconciliations.ReconciliationAsync(db, ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, null),
            from ?? WinRates.DefaultFrom(time.Today, ForecastPeriod.Month, months), months, time.Today, ct);
        return format is null or "json" ? TypedResults.Ok(report) : ReportsApi.File(Reconciliations.Table(report, key => l[key].Value), format, "reconciliation");
    }

    private static async Task<Results<Ok<List<ReconciliationDeal>>, ValidationProblem>> ReconciliationDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, int? count, string? month, string? gap, CancellationToken ct)
    {
        var errors = await CheckAsync(db, pipelineId, ownerId, teamId, count, ct);
        var day = Reconciliations.ParseMonth(month);
        if (month is not null && day is null)
        {
            errors["month"] = ["month is a month as yyyy-MM (2026-03)."];
        }

        var which = Reconciliations.ParseGap(gap);
        if (gap is not null && which is null)
        {
            errors["gap"] = ["gap is quoted-not-ordered or ordered-not-delivered (none: every deal of the cell)."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var months = count ?? DefaultMonths;
        return TypedResults.Ok(await Reconciliations.DealsAsync(db, ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, null),
            from ?? WinRates.DefaultFrom(time.Today, ForecastPeriod.Month, months), months, day, which, time.Today, ct));
    }

    /// <summary>The span and the filters both endpoints take: an owner, team or pipeline that does not exist is a field mistake.</summary>
    private static async Task<Dictionary<string, string[]>> CheckAsync(KazanDbContext db, Guid? pipelineId, Guid? ownerId, Guid? teamId, int? count, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (count is < 1 or > ForecastReports.MaxPeriods)
        {
            errors["count"] = [$"count is 1 to {ForecastReports.MaxPeriods} months."];
        }

        if (ownerId is { } owner && !await db.Users.AnyAsync(u => u.Id == owner, ct))
        {
            errors["ownerId"] = ["No user of the organization has this id."];
        }

        if (teamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            errors["teamId"] = ["No team of the organization has this id."];
        }

        if (pipelineId is { } pipeline && !await db.Pipelines.AnyAsync(p => p.Id == pipeline, ct))
        {
            errors["pipelineId"] = ["No pipeline of the organization has this id."];
        }

        return errors;
    }
}
