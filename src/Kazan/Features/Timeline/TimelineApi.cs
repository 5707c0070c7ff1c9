using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Timeline;

/// <summary>Read-only timelines of accounts and opportunities (see <see cref="TimelineQueries"/>), texts in the caller's language.</summary>
public static class TimelineApi
{
    public static IEndpointRouteBuilder MapTimeline(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Timeline").RequireAuthorization(Policies.Member);
        group.MapGet("/accounts/{id:guid}/timeline", AccountTimeline)
            .WithSummary("What happened to an account, its contacts, its opportunities and its activities; newest first, keyset paged.");
        group.MapGet("/opportunities/{id:guid}/timeline", OpportunityTimeline)
            .WithSummary("What happened to an opportunity: stage and status history, activities, field changes; newest first, keyset paged.");
        return app;
    }

    private static Task<Results<Ok<Page<TimelineItem>>, ValidationProblem, ProblemHttpResult>> AccountTimeline(
        Guid id, KazanDbContext db, IStringLocalizer<SharedResource> l, OrganizationTime time, int? limit, string? cursor, CancellationToken ct) =>
        Read(TimelineTarget.Account(id), "Account", db, l, time, limit, cursor, ct);

    private static Task<Results<Ok<Page<TimelineItem>>, ValidationProblem, ProblemHttpResult>> OpportunityTimeline(
        Guid id, KazanDbContext db, IStringLocalizer<SharedResource> l, OrganizationTime time, int? limit, string? cursor, CancellationToken ct) =>
        Read(TimelineTarget.Opportunity(id), "Opportunity", db, l, time, limit, cursor, ct);

    private static async Task<Results<Ok<Page<TimelineItem>>, ValidationProblem, ProblemHttpResult>> Read(
        TimelineTarget target, string what, KazanDbContext db, IStringLocalizer l, OrganizationTime time, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        var page = await TimelineQueries.PageAsync(db, l, time, target, limit ?? Paging.DefaultLimit, cursor, ct);
        return page is null ? Problems.NotFound(what) : TypedResults.Ok(page);
    }
}
