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

    private static Task<Results<Ok<FunnelReport>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Funnel(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, string? format, CancellationToken ct) =>
        StageReportEndpoints.ReportAsync(time, from, to, format, "funnel",
            period => FunnelReports.FunnelAsync(db, time, Filter(me, pipelineId, ownerId, teamId, mine), period, ct), report => FunnelReports.Table(report, key => l[key].Value));

    private static Task<Results<Ok<List<FunnelDeal>>, ValidationProblem, ProblemHttpResult>> FunnelDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? stageId, string? drill, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var kind = ReportsApi.Named(drill, FunnelDrill.Reached);
        if (kind is null)
        {
            errors["drill"] = ["drill is reached (the default) or lost."];
        }

        var filter = Filter(me, pipelineId, ownerId, teamId, mine);
        return StageReportEndpoints.DealsAsync(db, time, filter, stageId, from, to, errors,
            (pipeline, stage, period) => FunnelReports.DealsAsync(db, time, pipeline, stage, kind!.Value, filter, period, ct), ct);
    }

    private static Task<Results<Ok<VelocityReport>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Velocity(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, string? format, CancellationToken ct) =>
        StageReportEndpoints.ReportAsync(time, from, to, format, "velocity",
            period => VelocityReports.VelocityAsync(db, time, Filter(me, pipelineId, ownerId, teamId, mine), period, ct), report => VelocityReports.Table(report, key => l[key].Value));

    private static Task<Results<Ok<List<VelocityStay>>, ValidationProblem, ProblemHttpResult>> VelocityDeals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? stageId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var filter = Filter(me, pipelineId, ownerId, teamId, mine);
        return StageReportEndpoints.DealsAsync(db, time, filter, stageId, from, to, [],
            (pipeline, stage, period) => VelocityReports.StaysAsync(db, time, pipeline.Id, stage, filter, period, ct), ct);
    }

    private static ReportFilter Filter(CurrentUser me, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine) =>
        ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, null);
}
