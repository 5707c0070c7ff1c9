using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Reports;

/// <summary>
/// The funnel and velocity reports of one pipeline over a period (<c>from</c>, <c>to</c>: days of the organization,
/// the last 12 months by default, at most five years), under the owner, team and mine filters and the lists' visibility.
/// </summary>
public static class FunnelVelocityApi
{
    public static RouteGroupBuilder MapFunnelAndVelocity(this RouteGroupBuilder group)
    {
        group.MapGet("/funnel", Funnel)
            .WithSummary("Deals created in a period: how many reached each stage, the conversion to the next, where the lost ones dropped out; format=csv or xlsx.");
        group.MapGet("/funnel/deals", FunnelDeals).WithSummary("The deals behind a funnel row: those that reached the stage (drill=reached) or were lost in it (drill=lost).");
        group.MapGet("/velocity", Velocity)
            .WithSummary("Average and median days in each stage, the created → won cycle and the sales velocity with its four inputs; format=csv or xlsx.");
        group.MapGet("/velocity/deals", VelocityDeals).WithSummary("The stays in one stage that ended in the period, longest first: the drill-down.");
        return group;
    }

    private static async Task<Results<Ok<FunnelReport>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Funnel(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, string? format, CancellationToken ct)
    {
        var (period, errors) = StageReportPeriod.Read(from, to, time.Today);
        ReportsApi.CheckFormat(format, errors);
        if (period is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var report = await FunnelReports.FunnelAsync(db, time, Filter(me, pipelineId, ownerId, teamId, mine), period, ct);
        if (report is null)
        {
            return Problems.NotFound("Pipeline");
        }

        return format is null or "json" ? TypedResults.Ok(report) : ReportsApi.File(FunnelReports.Table(report, key => l[key].Value), format, "funnel");
    }

    private static async Task<Results<Ok<List<FunnelDeal>>, ValidationProblem, ProblemHttpResult>> FunnelDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? stageId, string? drill, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var (period, errors) = StageReportPeriod.Read(from, to, time.Today);
        var kind = ReportsApi.Named(drill, FunnelDrill.Reached);
        if (kind is null)
        {
            errors["drill"] = ["drill is reached (the default) or lost."];
        }

        if (stageId is null)
        {
            errors["stageId"] = ["stageId is required."];
        }

        if (period is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = Filter(me, pipelineId, ownerId, teamId, mine);
        var pipeline = await FunnelReports.PipelineOf(db, filter, ct);
        if (pipeline is null || !pipeline.HasStage(stageId!.Value))
        {
            return Problems.NotFound(pipeline is null ? "Pipeline" : "Stage");
        }

        return TypedResults.Ok(await FunnelReports.DealsAsync(db, time, pipeline, stageId.Value, kind!.Value, filter, period, ct));
    }

    private static async Task<Results<Ok<VelocityReport>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Velocity(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, string? format, CancellationToken ct)
    {
        var (period, errors) = StageReportPeriod.Read(from, to, time.Today);
        ReportsApi.CheckFormat(format, errors);
        if (period is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var report = await VelocityReports.VelocityAsync(db, time, Filter(me, pipelineId, ownerId, teamId, mine), period, ct);
        if (report is null)
        {
            return Problems.NotFound("Pipeline");
        }

        return format is null or "json" ? TypedResults.Ok(report) : ReportsApi.File(VelocityReports.Table(report, key => l[key].Value), format, "velocity");
    }

    private static async Task<Results<Ok<List<VelocityStay>>, ValidationProblem, ProblemHttpResult>> VelocityDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? stageId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var (period, errors) = StageReportPeriod.Read(from, to, time.Today);
        if (stageId is null)
        {
            errors["stageId"] = ["stageId is required."];
        }

        if (period is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = Filter(me, pipelineId, ownerId, teamId, mine);
        var pipeline = await FunnelReports.PipelineOf(db, filter, ct);
        if (pipeline is null || !pipeline.HasStage(stageId!.Value))
        {
            return Problems.NotFound(pipeline is null ? "Pipeline" : "Stage");
        }

        return TypedResults.Ok(await VelocityReports.StaysAsync(db, time, pipeline.Id, stageId.Value, filter, period, ct));
    }

    private static ReportFilter Filter(CurrentUser me, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine) =>
        ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, null);
}
