using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Reports;

/// <summary>
/// The manager's reports. Every member may read them; reps see only the deals they may see in lists. Amounts are in
/// the organization's base currency; <c>asOf</c> rebuilds the figures as they stood at that moment from the history.
/// </summary>
public static class ReportsApi
{
    public static IEndpointRouteBuilder MapReports(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/reports").WithTags("Reports").RequireAuthorization(Policies.Member);
        group.MapGet("/pipeline", Pipeline)
            .WithSummary("Open pipeline per stage and per owner: count, total and weighted (base currency); now or as of a past moment; format=csv or xlsx for a file.");
        group.MapGet("/forecast", Forecast)
            .WithSummary("Won and open deals by close month or quarter, the open split by forecast category; committed, best case and weighted forecast (probabilities=configured or observed); now or as of a moment; format=csv or xlsx.");
        group.MapGet("/pipeline/deals", PipelineDeals).WithSummary("The open deals behind the pipeline report (one stage or all), largest first: the drill-down.");
        group.MapGet("/dashboard", (KazanDbContext db, CurrentUser me, OrganizationTime time, CancellationToken ct) => Dashboards.ForAsync(db, me, time, ct)).WithName("Reports_Dashboard")
            .WithSummary("The home page's figures for the caller's role (a rep's own deals, a manager's team, else everyone's): the default pipeline by stage, this month's forecast, open deals past their close date.");
        group.MapGet("/movement", Movement)
            .WithSummary("The pipeline movement (waterfall) between two days for deals closing in a window: start, new, moved in, increased, decreased, slipped, won, lost, moved out, end; format=csv or xlsx.");
        group.MapGet("/movement/deals", MovementDeals).WithSummary("The deals behind one line of the movement report (kind=New, Won, Slipped…), largest change first: the drill-down.");
        group.MapGet("/forecast/slipped", ForecastSlipped)
            .WithSummary("The deals that slipped out of the month or quarter holding `from` (default: today): expected in it when it began, now open and expected after it; largest first.");
        group.MapGet("/forecast/deals", ForecastDeals)
            .WithSummary("The deals behind one forecast cell: the period holding `from` (default: today) and a column (won, commit, bestCase, pipeline, omitted); largest first.");
        group.MapWinRate();
        group.MapReconciliation();
        group.MapFunnelAndVelocity();
        group.MapStageProbability();
        return app;
    }

    private static async Task<Results<Ok<PipelineReport>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Pipeline(
        KazanDbContext db, CurrentUser me, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateTimeOffset? asOf, string? format, CancellationToken ct)
    {
        if (CheckFormat(format, []) is { Count: > 0 } wrong)
        {
            return Problems.Validation(wrong);
        }

        var report = await PipelineReports.PipelineAsync(db, Filter(me, pipelineId, ownerId, teamId, mine, asOf), ct);
        if (report is null)
        {
            return Problems.NotFound("Pipeline");
        }

        return format is null or "json" ? TypedResults.Ok(report) : File(PipelineReports.Table(report, key => l[key].Value), format, "pipeline");
    }

    private static async Task<Results<Ok<ForecastReport>, FileContentHttpResult, ValidationProblem>> Forecast(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateTimeOffset? asOf, string? period, DateOnly? from, int? count, string? format, string? probabilities, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var weights = ForecastReports.ReadProbabilities(probabilities);
        if (weights is null)
        {
            errors["probabilities"] = ["probabilities is configured (the default) or observed."];
        }

        var by = Named(period, ForecastPeriod.Month);
        if (by is null)
        {
            errors["period"] = ["period is month (the default) or quarter."];
        }

        if (count is < 1 or > ForecastReports.MaxPeriods)
        {
            errors["count"] = [$"count is 1 to {ForecastReports.MaxPeriods} periods."];
        }

        CheckFormat(format, errors);

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = Filter(me, pipelineId, ownerId, teamId, mine, asOf);
        var report = await ForecastReports.ForecastAsync(db, filter, by!.Value, from ?? time.Today, count ?? (by == ForecastPeriod.Month ? 3 : 4), time.Now,
            await ForecastReports.ObservedIfAskedAsync(db, filter, weights!.Value, time.Today, ct), ct);
        return format is null or "json" ? TypedResults.Ok(report) : File(ForecastReports.Table(report, key => l[key].Value), format, "forecast");
    }

    private static async Task<Results<Ok<List<PipelineReportDeal>>, ProblemHttpResult>> PipelineDeals(
        KazanDbContext db, CurrentUser me, Guid? pipelineId, Guid? stageId, Guid? ownerId, Guid? teamId, bool? mine, DateTimeOffset? asOf, CancellationToken ct)
    {
        var pipeline = pipelineId is { } id ? await PipelineQueries.GetAsync(db, id, ct) : await PipelineQueries.DefaultAsync(db, ct);
        if (pipeline is null || (stageId is { } stage && !pipeline.HasStage(stage)))
        {
            return Problems.NotFound(pipeline is null ? "Pipeline" : "Stage");
        }

        return TypedResults.Ok(await PipelineReports.DealsAsync(db, pipeline.Id, stageId, Filter(me, pipelineId, ownerId, teamId, mine, asOf), ct));
    }

    private static async Task<Results<Ok<MovementReport>, FileContentHttpResult, ValidationProblem>> Movement(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, DateOnly? closeFrom, DateOnly? closeTo, string? format, CancellationToken ct)
    {
        if (CheckFormat(format, []) is { Count: > 0 } wrong)
        {
            return Problems.Validation(wrong);
        }

        var query = MovementQuery.Create(Filter(me, pipelineId, ownerId, teamId, mine, null), from, to, closeFrom, closeTo, time);
        if (!query.IsOk)
        {
            return Problems.Validation(query.Errors!.ToDictionary());
        }

        var report = await MovementReports.MovementAsync(db, query.Value, ct);
        return format is null or "json" ? TypedResults.Ok(report) : File(MovementReports.Table(report, key => l[key].Value), format, "movement");
    }

    private static async Task<Results<Ok<List<MovementDeal>>, ValidationProblem>> MovementDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, DateOnly? closeFrom, DateOnly? closeTo, string? kind, CancellationToken ct)
    {
        var query = MovementQuery.Create(Filter(me, pipelineId, ownerId, teamId, mine, null), from, to, closeFrom, closeTo, time);
        var errors = query.IsOk ? [] : query.Errors!.ToDictionary();
        var line = Named<MovementKind>(kind);
        if (line is null)
        {
            errors["kind"] = [$"kind is one of {string.Join(", ", Enum.GetNames<MovementKind>())}."];
        }

        return errors.Count > 0 ? Problems.Validation(errors) : TypedResults.Ok(await MovementReports.DealsAsync(db, query.Value!, line!.Value, ct));
    }

    private static async Task<Results<Ok<List<SlippedDeal>>, ValidationProblem>> ForecastSlipped(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateTimeOffset? asOf, string? period, DateOnly? from, CancellationToken ct)
    {
        var by = Named(period, ForecastPeriod.Month);
        if (by is null)
        {
            return Problems.Validation("period", "period is month (the default) or quarter.");
        }

        return TypedResults.Ok(await ForecastReports.SlippedDealsAsync(db, Filter(me, pipelineId, ownerId, teamId, mine, asOf), by.Value, from ?? time.Today, time.Now, ct));
    }

    private static async Task<Results<Ok<List<ForecastDeal>>, ValidationProblem>> ForecastDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateTimeOffset? asOf, string? period, DateOnly? from, string? column, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var by = Named(period, ForecastPeriod.Month);
        if (by is null)
        {
            errors["period"] = ["period is month (the default) or quarter."];
        }

        var cell = Named<ForecastColumn>(column);
        if (cell is null)
        {
            errors["column"] = [$"column is one of {string.Join(", ", Enum.GetNames<ForecastColumn>())}."];
        }

        return errors.Count > 0 ? Problems.Validation(errors)
            : TypedResults.Ok(await ForecastReports.DealsAsync(db, Filter(me, pipelineId, ownerId, teamId, mine, asOf), by!.Value, from ?? time.Today, cell!.Value, ct));
    }

    /// <summary>The one check of a report's <c>format</c> (json, csv or xlsx); the errors, for chaining.</summary>
    internal static Dictionary<string, string[]> CheckFormat(string? format, Dictionary<string, string[]> errors)
    {
        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            errors["format"] = ["format is json (the default), csv or xlsx."];
        }

        return errors;
    }

    /// <summary>
    /// An option named in the query string (<c>period=quarter</c>): its name in any case, never its number; the fallback
    /// when the option is absent, null when the text names nothing.
    /// </summary>
    internal static T? Named<T>(string? text, T fallback)
        where T : struct, Enum => text is null ? fallback : Named<T>(text);

    /// <summary>An option that must be named: null when absent or when the text names nothing.</summary>
    internal static T? Named<T>(string? text)
        where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name ? Enum.Parse<T>(name) : null;

    /// <summary>A report's table as a download: CSV or XLSX.</summary>
    internal static FileContentHttpResult File(ReportTable table, string format, string name) => format == "csv"
        ? TypedResults.File(table.Csv(), "text/csv; charset=utf-8", name + ".csv")
        : TypedResults.File(table.Xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");

    internal static ReportFilter Filter(CurrentUser me, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine, DateTimeOffset? asOf) =>
        new(pipelineId, mine == true ? me.RequiredUserId : ownerId, teamId, asOf);
}
