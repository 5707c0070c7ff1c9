using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Reports;

/// <summary>The stages to adopt the observed probability for (of one pipeline) and the period it is measured over (default: the last 12 months).</summary>
public sealed record AdoptStageProbabilityRequest(IReadOnlyList<Guid>? StageIds, DateOnly? From, DateOnly? To);

/// <summary>
/// Configured vs observed stage probabilities of one pipeline over a period (<c>from</c>, <c>to</c>: days of the
/// organization, the last 12 months by default, at most five years), under the owner, team and mine filters and the
/// lists' visibility; and the admin's adopting of the observed values.
/// </summary>
public static class StageProbabilityApi
{
    public static RouteGroupBuilder MapStageProbability(this RouteGroupBuilder group)
    {
        group.MapGet("/stage-probability", Report)
            .WithSummary("Per stage: the share of the deals that reached it and closed in the period that were won (observed), the sample, beside the configured probability; format=csv or xlsx.");
        group.MapGet("/stage-probability/deals", Deals).WithSummary("The closed deals behind a stage's observed probability (its sample), largest first: the drill-down.");
        group.MapPost("/stage-probability/adopt", Adopt).RequireAuthorization(Policies.Admin)
            .WithSummary($"Set the stages' configured probability to the observed value, recomputed over the period (admin; at least {StageProbabilityReports.MinSample} closed deals per stage; audited).");
        return group;
    }

    private static Task<Results<Ok<StageProbabilityReport>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Report(
        KazanDbContext db, CurrentUser me, OrganizationTime time, IStringLocalizer<SharedResource> l, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, string? format, CancellationToken ct) =>
        StageReportEndpoints.ReportAsync(time, from, to, format, "stage-probability",
            period => StageProbabilityReports.ReportAsync(db, ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, null), period, ct),
            report => StageProbabilityReports.Table(report, key => l[key].Value));

    private static Task<Results<Ok<List<StageProbabilityDeal>>, ValidationProblem, ProblemHttpResult>> Deals(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? stageId, Guid? ownerId, Guid? teamId, bool? mine,
        DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        var filter = ReportsApi.Filter(me, pipelineId, ownerId, teamId, mine, null);
        return StageReportEndpoints.DealsAsync(db, time, filter, stageId, from, to, [],
            (pipeline, stage, period) => StageProbabilityReports.DealsAsync(db, pipeline, stage, filter, period, ct), ct);
    }

    private static async Task<Results<Ok<StageProbabilityAdoption>, ValidationProblem, ProblemHttpResult>> Adopt(
        AdoptStageProbabilityRequest request, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct)
    {
        var (period, errors) = StageReportPeriod.Read(request.From, request.To, time.Today);
        if (period is null || errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return ApiOutcomes.Ok(await StageProbabilityReports.AdoptAsync(db, request.StageIds ?? [], period, ct), http, a => a);
    }
}
