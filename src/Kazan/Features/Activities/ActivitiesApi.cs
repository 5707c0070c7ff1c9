using System.ComponentModel.DataAnnotations;
using Kazan.Features.Exports;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

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
        group.MapGet("/export", Export).WithSummary("The list's rows for the same filters as a CSV or XLSX download (format=csv|xlsx), streamed.");
        group.MapGet("/", List).WithSummary("Activities by due time (earliest first, undated last), filtered, keyset paged.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).WithSummary("Plan a task, call or meeting, or write a note, on an account the caller can see.");
        group.MapPut("/{id:guid}", Update).WithSummary("Change subject, notes, due time, opportunity, contacts or owner (If-Match).");
        group.MapDelete("/{id:guid}", Delete).WithSummary("Delete an activity (If-Match).");
        group.MapPost("/{id:guid}/done", MarkDone).WithSummary("Mark done (idempotent), optionally with the outcome of a call or meeting and notes; touches its opportunity.").IfMatchOptional();
        group.MapPost("/{id:guid}/reschedule", Reschedule).WithSummary("Move an open activity to a new due time (If-Match).");
        group.MapPost("/{id:guid}/snooze", Snooze).WithSummary("Put an open activity off by some days from its due day or today, whichever is later (If-Match).");
        group.MapPost("/{id:guid}/undone", MarkNotDone).WithSummary("Mark not done again (not for notes).").IfMatchOptional();

        app.MapGet("/api/v1/my-day", MyDay).WithTags("Activities").RequireAuthorization(Policies.Member)
            .WithSummary("The caller's overdue and today's open activities, in Turkey's day (Europe/Istanbul).");
        return app;
    }

    private static async Task<Results<Ok<Page<ActivityResponse>>, ValidationProblem>> List(
        KazanDbContext db, OrganizationTime time, Guid? accountId, Guid? opportunityId, Guid? ownerId, bool? done,
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
        return TypedResults.Ok(await ActivityQueries.ListAsync(db, filter, limit ?? Paging.DefaultLimit, cursor, time, ct));
    }

    /// <summary>The list's filters as a file: every matching activity the caller sees, by due time.</summary>
    private static Results<TableDownload, ValidationProblem> Export(
        KazanDbContext db, OrganizationTime time, IStringLocalizer<SharedResource> l, string? format, Guid? accountId, Guid? opportunityId, Guid? ownerId,
        bool? done, DateTimeOffset? dueFrom, DateTimeOffset? dueTo, bool? overdue)
    {
        var errors = ListExport.CheckFormat(format);
        if (dueFrom is { } f && dueTo is { } t && t < f)
        {
            errors["dueTo"] = ["dueTo must not be before dueFrom."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = new ActivityFilter(accountId, opportunityId, ownerId, done, dueFrom, dueTo, overdue);
        var emails = new Dictionary<Guid, string?>();
        return ListExport.Download<ActivityResponse>(format, "activities", time, l,
            [
                new("Activity.Kind", a => l["ActivityKind." + a.Kind].Value),
                new("Activity.Subject", a => a.Subject),
                new("Activity.Account", a => a.AccountName),
                new("Export.Opportunity", a => a.OpportunityTitle),
                new("Common.Owner", a => a.OwnerName),
                new("Export.Due", a => ListExport.Local(time, a.DueAt)),
                new("Export.Done", a => ListExport.YesNo(l, a.Done)),
                new("Export.DoneAt", a => ListExport.Local(time, a.DoneAt)),
                new("Activity.Outcome", a => a.Outcome is { } o ? l["ActivityOutcome." + o].Value : null),
                new("Field.Notes", a => a.Notes),
                new("Export.OwnerEmail", a => emails.GetValueOrDefault(a.OwnerId)),
            ],
            (cursor, limit, ct) => ActivityQueries.ListAsync(db, filter, limit, cursor, time, ct),
            async (items, ct) => emails = await ListExport.OwnerEmailsAsync(db, items.Select(a => a.OwnerId), ct));
    }

    private static async Task<Results<Ok<ActivityResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await ActivityQueries.GetAsync(db, id, time, ct), "Activity", http, activity => activity.Version);

    private static async Task<Results<Created<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateActivityRequest request, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct)
    {
        var input = new ActivityInput(request.Kind!.Value, request.Subject, request.Notes, request.AccountId!.Value, request.OpportunityId, request.ContactIds,
            request.DueAt, request.OwnerId, request.Done == true, request.DoneAt, request.Outcome);
        return await ApiOutcomes.CreatedAsync(await ActivityCommands.CreateAsync(db, me, time, input, ct), http,
            a => $"/api/v1/activities/{a.Id}", async a => (await ActivityQueries.GetAsync(db, a.Id, time, ct))!);
    }

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateActivityRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(ActivityCommands.UpdateAsync(db, me, id, ifMatch.Version,
            new ActivityChanges(request.Subject, request.Notes, request.OpportunityId, request.ContactIds, request.DueAt, request.OwnerId), ct), db, time, http, ct);

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, IfMatch ifMatch, KazanDbContext db, CancellationToken ct)
    {
        var outcome = await ActivityCommands.DeleteAsync(db, id, ifMatch.Version, ct);
        return outcome.IsOk ? TypedResults.NoContent() : ApiOutcomes.Problem(outcome);
    }

    /// <summary>Done and not done take If-Match only when sent (ticking a box overwrites nothing else); planning changes require it.</summary>
    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> MarkDone(
        Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] CompleteActivityRequest? request,
        IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(ActivityCommands.CompleteAsync(db, id, ifMatch.Optional, request?.Outcome, request?.Notes, time, ct), db, time, http, ct);

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> MarkNotDone(
        Guid id, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(ActivityCommands.MarkNotDoneAsync(db, id, ifMatch.Optional, ct), db, time, http, ct);

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Reschedule(
        Guid id, RescheduleActivityRequest request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(ActivityCommands.RescheduleAsync(db, id, ifMatch.Version, request.DueAt, ct), db, time, http, ct);

    private static Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Snooze(
        Guid id, SnoozeActivityRequest request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(ActivityCommands.SnoozeAsync(db, id, ifMatch.Version, request.Days, time, ct), db, time, http, ct);

    private static async Task<Ok<MyDayResponse>> MyDay(KazanDbContext db, CurrentUser me, OrganizationTime time, CancellationToken ct) =>
        TypedResults.Ok(await ActivityQueries.MyDayAsync(db, me.RequiredUserId, time, ct));

    /// <summary>The activity as it now is; saved but no longer visible to the caller (given to another user under the owner filter) → 404.</summary>
    private static async Task<Results<Ok<ActivityResponse>, ValidationProblem, ProblemHttpResult>> Respond(
        Task<Outcome<Activity>> pending, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct)
    {
        var outcome = await pending;
        var response = outcome.IsOk ? await ActivityQueries.GetAsync(db, outcome.Value!.Id, time, ct) : null;
        return outcome.IsOk && response is null ? Problems.NotFound("Activity") : ApiOutcomes.Ok(outcome, http, _ => response!);
    }
}
