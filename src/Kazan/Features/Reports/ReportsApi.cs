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
            .WithSummary("Won and open deals by close month or quarter, the open split by forecast category; committed, best case and weighted forecast; now or as of a moment; format=csv or xlsx.");
        group.MapGet("/pipeline/deals", PipelineDeals).WithSummary("The open deals behind the pipeline report (one stage or all), largest first: the drill-down.");
        group.MapFunnelAndVelocity();
        return app;
    }

    private static async Task<Results<Ok<PipelineReport>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Pipeline(
        KazanDbContext db, CurrentUser me, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateTimeOffset? asOf, string? format, CancellationToken ct)
    {
        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["format is json (the default), csv or xlsx."] });
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
        DateTimeOffset? asOf, string? period, DateOnly? from, int? count, string? format, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var by = period is null ? ForecastPeriod.Month : Enum.TryParse<ForecastPeriod>(period, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : (ForecastPeriod?)null;
        if (by is null)
        {
            errors["period"] = ["period is month (the default) or quarter."];
        }

        if (count is < 1 or > ForecastReports.MaxPeriods)
        {
            errors["count"] = [$"count is 1 to {ForecastReports.MaxPeriods} periods."];
        }

        if (format is not (null or "json" or "csv" or "xlsx"))
        {
            errors["format"] = ["format is json (the default), csv or xlsx."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var report = await ForecastReports.ForecastAsync(db, Filter(me, pipelineId, ownerId, teamId, mine, asOf), by!.Value,
            from ?? time.Today, count ?? (by == ForecastPeriod.Month ? 3 : 4), ct);
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

    /// <summary>A report's table as a download: CSV or XLSX.</summary>
    private static FileContentHttpResult File(ReportTable table, string format, string name) => format == "csv"
        ? TypedResults.File(table.Csv(), "text/csv; charset=utf-8", name + ".csv")
        : TypedResults.File(table.Xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");

    private static ReportFilter Filter(CurrentUser me, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine, DateTimeOffset? asOf) =>
        new(pipelineId, mine == true ? me.RequiredUserId : ownerId, teamId, asOf);
}
