using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kazan.Features.Reports;

/// <summary>
/// The one shape of the stage reports' endpoints (funnel, velocity, stage probability): the period read the same way,
/// 404 for an unknown pipeline or stage, the report as JSON or its table as a file, a drill-down to one stage.
/// </summary>
internal static class StageReportEndpoints
{
    /// <summary>A report of one pipeline over a period; <paramref name="build"/> answers null for an unknown pipeline.</summary>
    public static async Task<Results<Ok<T>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> ReportAsync<T>(
        OrganizationTime time, DateOnly? from, DateOnly? to, string? format, string name, Func<StageReportPeriod, Task<T?>> build, Func<T, ReportTable> table)
        where T : class
    {
        var (period, errors) = StageReportPeriod.Read(from, to, time.Today);
        ReportsApi.CheckFormat(format, errors);
        if (period is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var report = await build(period);
        if (report is null)
        {
            return Problems.NotFound("Pipeline");
        }

        return format is null or "json" ? TypedResults.Ok(report) : ReportsApi.File(table(report), format, name);
    }

    /// <summary>
    /// The deals behind one stage of a report: <c>stageId</c> required, the period read as the report's, the endpoint's
    /// own <paramref name="errors"/> (an option it checked) added; 404 for an unknown pipeline or a stage not in it.
    /// </summary>
    public static async Task<Results<Ok<List<T>>, ValidationProblem, ProblemHttpResult>> DealsAsync<T>(
        KazanDbContext db, OrganizationTime time, ReportFilter filter, Guid? stageId, DateOnly? from, DateOnly? to, Dictionary<string, string[]> errors,
        Func<Pipeline, Guid, StageReportPeriod, Task<List<T>>> list, CancellationToken ct)
    {
        var (period, periodErrors) = StageReportPeriod.Read(from, to, time.Today);
        foreach (var (key, value) in periodErrors)
        {
            errors[key] = value;
        }

        if (stageId is null)
        {
            errors["stageId"] = ["stageId is required."];
        }

        if (period is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var pipeline = await FunnelReports.PipelineOf(db, filter, ct);
        if (pipeline is null || !pipeline.HasStage(stageId!.Value))
        {
            return Problems.NotFound(pipeline is null ? "Pipeline" : "Stage");
        }

        return TypedResults.Ok(await list(pipeline, stageId.Value, period));
    }
}
