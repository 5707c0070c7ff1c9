using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kazan.Features.Targets;

/// <summary>
/// Sales targets: one amount per user or team and month. Every member reads (a rep limited to their own deals reads
/// their own and their team's targets); admins and managers set them. A PUT sets the listed months of one year for
/// one user or team as sent (last writer wins, like a settings form: no If-Match).
/// </summary>
public static class TargetsApi
{
    public static IEndpointRouteBuilder MapTargets(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/targets").WithTags("Targets").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("A year's targets (default: this year) of every user and team the caller may see, or of one userId or teamId.");
        group.MapPut("/", Set).RequireAuthorization(Policies.Manager)
            .WithSummary("Set one user's or one team's targets for months of one year in one call (admins and managers); an amount of null clears the month.");
        group.MapDelete("/{id:guid}", Delete).RequireAuthorization(Policies.Manager).WithSummary("Clear one month's target (admins and managers).");
        return app;
    }

    private static async Task<Results<Ok<List<TargetResponse>>, ValidationProblem>> List(
        KazanDbContext db, OrganizationTime time, int? year, Guid? userId, Guid? teamId, CancellationToken ct)
    {
        if (year is < 2000 or > 2100)
        {
            return Problems.Validation("year", "The year is 2000 to 2100.");
        }

        return TypedResults.Ok(await TargetQueries.YearAsync(db, year ?? time.Today.Year, userId, teamId, ct));
    }

    private static async Task<Results<Ok<List<TargetResponse>>, ValidationProblem, ProblemHttpResult>> Set(
        SetTargetsRequest request, KazanDbContext db, CurrentUser me, CancellationToken ct)
    {
        var outcome = await TargetCommands.SetYearAsync(db, me, request, ct);
        if (!outcome.IsOk)
        {
            return outcome.Status == OutcomeStatus.Invalid ? ApiOutcomes.Invalid(outcome) : ApiOutcomes.Problem(outcome);
        }

        return TypedResults.Ok(await TargetQueries.YearAsync(db, request.Year, request.UserId, request.TeamId, ct));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Delete(Guid id, KazanDbContext db, CancellationToken ct) =>
        ApiOutcomes.NoContent(await TargetCommands.DeleteAsync(db, id, ct));
}
