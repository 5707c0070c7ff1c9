using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Activities;

public sealed record CreateActivityRequest(
    [Required] ActivityKind? Kind,
    [Required, StringLength(300, MinimumLength = 1)] string Subject,
    [StringLength(4000)] string? Notes,
    [Required] Guid? AccountId,
    Guid? OpportunityId,
    [MaxLength(50)] IReadOnlyList<Guid>? ContactIds,
    DateTimeOffset? DueAt,
    Guid? OwnerId,
    bool? Done = null,
    DateTimeOffset? DoneAt = null,
    ActivityOutcome? Outcome = null);

public sealed record UpdateActivityRequest(
    [Required, StringLength(300, MinimumLength = 1)] string Subject,
    [StringLength(4000)] string? Notes,
    Guid? OpportunityId,
    [MaxLength(50)] IReadOnlyList<Guid>? ContactIds,
    DateTimeOffset? DueAt,
    Guid? OwnerId);

/// <summary>How a done call or meeting went, and what was said (null notes keep the notes there are).</summary>
public sealed record CompleteActivityRequest(ActivityOutcome? Outcome, [property: StringLength(4000)] string? Notes);

/// <summary>The new due time of an open activity; null makes it undated.</summary>
public sealed record RescheduleActivityRequest(DateTimeOffset? DueAt);

/// <summary>Put an open activity off by this many days (1 to 365) from its due day or today, whichever is later.</summary>
public sealed record SnoozeActivityRequest([property: Range(1, 365)] int Days);

/// <summary>
/// Tasks, calls, meetings and notes. Reads carry an ETag; PUT and DELETE need If-Match. Marking done / not done is an
/// idempotent command: If-Match is checked when sent and not required (ticking a box overwrites nothing else).
/// Removing an activity deletes it (no "cancelled" state): a cancelled meeting is simply gone from the plan, and the
/// audit trail keeps what was deleted, by whom and when.
/// </summary>
public static class ActivitiesApi
{
    public static IEndpointRouteBuilder MapActivities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/activities").WithTags("Activities").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("Activities by due time (earliest first, undated last), filtered, keyset paged.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).WithSummary("Plan a task, call or meeting, or write a note, on an account the caller can see.");
        group.MapPut("/{id:guid}", Update).WithSummary("Change subject, notes, due time, opportunity, contacts or owner (If-Match).");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete an activity (If-Match).");
        group.MapPost("/{id:guid}/done", MarkDone).WithSummary("Mark done (idempotent), optionally with the outcome of a call or meeting and notes; touches its opportunity.");
        group.MapPost("/{id:guid}/reschedule", Reschedule).WithSummary("Move an open activity to a new due time (If-Match).");
        group.MapPost("/{id:guid}/snooze", Snooze).WithSummary("Put an open activity off by some days from its due day or today, whichever is later (If-Match).");
        group.MapPost("/{id:guid}/undone", MarkNotDone).WithSummary("Mark not done again (not for notes).");

        app.MapGet("/api/v1/my-day", MyDay).WithTags("Activities").RequireAuthorization(Policies.Member)
            .WithSummary("The caller's overdue and today's open activities, in Turkey's day (Europe/Istanbul).");
        return app;
    }

    private static async Task<Results<Ok<Page<ActivityResponse>>, ValidationProblem>> List(
        KazanDbContext db, TimeProvider clock, Guid? accountId, Guid? opportunityId, Guid? ownerId, bool? done,
        DateTimeOffset? dueFrom, DateTimeOffset? dueTo, bool? overdue, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (dueFrom is { } f && dueTo is { } t && t < f)
        {
            return Problems.Validation("dueTo", "dueTo must not be before dueFrom.");
        }

        var filter = new ActivityFilter(accountId, opportunityId, ownerId, done, dueFrom, dueTo, overdue);
        return TypedResults.Ok(await ActivityQueries.ListAsync(db, filter, limit ?? Paging.DefaultLimit, cursor, clock, ct));
    }

    private static async Task<Results<Ok<ActivityResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var activity = await ActivityQueries.GetAsync(db, id, clock, ct);
        if (activity is null)
        {
            return Problems.NotFound("Activity");
        }

        ETags.Set(http, activity.Version);
        return TypedResults.Ok(activity);
    }

    private static async Task<Results<Created<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateActivityRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var input = new ActivityInput(request.Kind!.Value, request.Subject, request.Notes, request.AccountId!.Value, request.OpportunityId, request.ContactIds,
            request.DueAt, request.OwnerId, request.Done == true, request.DoneAt, request.Outcome);
        var (activity, error) = await ActivityCommands.CreateAsync(db, me, clock, input, ct);
        if (error is not null)
        {
            return error.IsRule ? RuleProblem(error) : Problems.Validation(error.Field, error.Message);
        }

        var response = (await ActivityQueries.GetAsync(db, activity!.Id, clock, ct))!;
        ETags.Set(http, response.Version);
        return TypedResults.Created($"/api/v1/activities/{response.Id}", response);
    }

    private static async Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateActivityRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var activity = await db.Activities.Include(a => a.Contacts).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return Problems.NotFound("Activity");
        }

        var (version, problem) = ETags.Check(http, activity.Version);
        if (problem is not null)
        {
            return problem;
        }

        db.ExpectVersion(activity, version);
        var changes = new ActivityChanges(request.Subject, request.Notes, request.OpportunityId, request.ContactIds, request.DueAt, request.OwnerId);
        if (await ActivityCommands.UpdateAsync(db, me, activity, changes, ct) is { } error)
        {
            return error.IsRule ? RuleProblem(error) : Problems.Validation(error.Field, error.Message);
        }

        return await Reply(id, db, clock, http, ct);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var activity = await db.Activities.Include(a => a.Contacts).FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return Problems.NotFound("Activity");
        }

        var (version, problem) = ETags.Check(http, activity.Version);
        if (problem is not null)
        {
            return problem;
        }

        db.ExpectVersion(activity, version);
        db.Activities.Remove(activity);
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> MarkDone(
        Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CompleteActivityRequest? request,
        KazanDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(id, db, clock, http, required: false,
            activity => ActivityCommands.CompleteAsync(db, activity, request?.Outcome, request?.Notes, clock, ct), ct);

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> MarkNotDone(Guid id, KazanDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(id, db, clock, http, required: false, activity => ActivityCommands.SetDoneAsync(db, activity, false, clock, ct), ct);

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Reschedule(
        Guid id, RescheduleActivityRequest request, KazanDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(id, db, clock, http, required: true, activity => ActivityCommands.RescheduleAsync(db, activity, request.DueAt, ct), ct);

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Snooze(
        Guid id, SnoozeActivityRequest request, KazanDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Change(id, db, clock, http, required: true, activity => ActivityCommands.SnoozeAsync(db, activity, request.Days, clock, ct), ct);

    /// <summary>
    /// Loads the activity, checks If-Match (required for planning changes; for done / not done only when sent: ticking a
    /// box overwrites nothing else), applies the command and answers with the activity as it now is.
    /// </summary>
    private static async Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Change(
        Guid id, KazanDbContext db, TimeProvider clock, HttpContext http, bool required, Func<Activity, Task> command, CancellationToken ct)
    {
        var activity = await db.Activities.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (activity is null)
        {
            return Problems.NotFound("Activity");
        }

        if (required || !string.IsNullOrWhiteSpace(http.Request.Headers.IfMatch))
        {
            var (version, problem) = ETags.Check(http, activity.Version);
            if (problem is not null)
            {
                return problem;
            }

            db.ExpectVersion(activity, version);
        }

        await command(activity);
        return await Reply(id, db, clock, http, ct);
    }

    private static async Task<Ok<MyDayResponse>> MyDay(KazanDbContext db, CurrentUser me, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await ActivityQueries.MyDayAsync(db, me.RequiredUserId, clock, ct));

    private static async Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Reply(Guid id, KazanDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var response = await ActivityQueries.GetAsync(db, id, clock, ct);
        if (response is null)
        {
            // Saved, but no longer visible to the caller (given to another user under the owner filter).
            return Problems.NotFound("Activity");
        }

        ETags.Set(http, response.Version);
        return TypedResults.Ok(response);
    }

    /// <summary>A refused rule as a 422 problem with a stable code and the field it concerns.</summary>
    private static ProblemHttpResult RuleProblem(ActivityError error) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "A business rule was violated.",
        Detail = error.Message,
        Extensions = { ["code"] = "activity." + error.Code, ["field"] = error.Field },
    });
}
