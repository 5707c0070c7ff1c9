using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Notifications;

/// <summary>A notification as the API returns it; <c>Text</c> is the sentence in the caller's language.</summary>
public sealed record NotificationResponse(
    Guid Id, NotificationKind Kind, string SubjectType, Guid SubjectId, string Title, string Text, string Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

public sealed record UnreadCountResponse(int Count);

public sealed record MarkedReadResponse(int Marked);

public sealed record PreferencesResponse(bool EmailNotificationCopies);

public sealed record PreferencesRequest([Required] bool? EmailNotificationCopies);

/// <summary>The caller's own notifications (nobody sees another user's, admins included) and their notification preference.</summary>
public static class NotificationsApi
{
    public static IEndpointRouteBuilder MapNotifications(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/notifications").WithTags("Notifications").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("The caller's notifications, newest first (keyset paged; unread=true for the unread ones).");
        group.MapGet("/unread-count", UnreadCount).WithSummary("How many of the caller's notifications are unread (the bell's badge).");
        group.MapPost("/{id:guid}/read", MarkRead).WithSummary("Mark one of the caller's notifications read.");
        group.MapPost("/read-all", MarkAllRead).WithSummary("Mark all of the caller's unread notifications read; answers how many.");

        var me = app.MapGroup("/api/v1/me/preferences").WithTags("Notifications").RequireAuthorization(Policies.Member);
        me.MapGet("/", GetPreferences).WithSummary("The caller's own preferences.");
        me.MapPut("/", PutPreferences).WithSummary("Change the caller's own preferences (\"e-mail me a copy of notifications\").");

        // The list's links: following one marks it read and goes to its record (the page, not the JSON API).
        app.MapGet("/notifications/{id:guid}/open", Open).RequireAuthorization(Policies.Member).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<Page<NotificationResponse>>, ValidationProblem>> List(
        KazanDbContext db, CurrentUser me, IStringLocalizer<SharedResource> l, bool? unread, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (!NotificationQueries.IsCursor(cursor))
        {
            return Problems.Validation("cursor", "cursor is not a cursor this API returned.");
        }

        var page = await NotificationQueries.PageAsync(db, me, unread == true, limit ?? Paging.DefaultLimit, cursor, ct);
        return TypedResults.Ok(new Page<NotificationResponse>(page.Items.Select(n => ToResponse(n, l)).ToList(), page.Next, page.Previous));
    }

    private static async Task<Ok<UnreadCountResponse>> UnreadCount(KazanDbContext db, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(new UnreadCountResponse(await NotificationQueries.UnreadCountAsync(db, me, ct)));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> MarkRead(
        Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, CancellationToken ct) =>
        ApiOutcomes.NoContent(await NotificationCommands.MarkReadAsync(db, me, clock, id, ct));

    private static async Task<Results<Ok<MarkedReadResponse>, ValidationProblem, ProblemHttpResult>> MarkAllRead(
        KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await NotificationCommands.MarkAllReadAsync(db, me, clock, ct), http, marked => new MarkedReadResponse(marked));

    private static async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> GetPreferences(KazanDbContext db, CurrentUser me, CancellationToken ct)
    {
        var copies = await db.Users.AsNoTracking().Where(u => u.Id == me.UserId).Select(u => (bool?)u.EmailNotificationCopies).FirstOrDefaultAsync(ct);
        return copies is { } c ? TypedResults.Ok(new PreferencesResponse(c)) : Problems.NotFound("User");
    }

    /// <summary>A user's own setting, one flag: the last write wins, so no If-Match is asked for.</summary>
    private static async Task<Results<Ok<PreferencesResponse>, ValidationProblem, ProblemHttpResult>> PutPreferences(
        PreferencesRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        var outcome = await NotificationCommands.SetEmailCopiesAsync(db, me, request.EmailNotificationCopies!.Value, ct);
        return outcome.IsOk ? TypedResults.Ok(new PreferencesResponse(outcome.Value.EmailNotificationCopies))
            : outcome.Status == Infrastructure.Commands.OutcomeStatus.Invalid ? ApiOutcomes.Invalid(outcome) : ApiOutcomes.Problem(outcome);
    }

    private static async Task<RedirectHttpResult> Open(Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await NotificationCommands.MarkReadAsync(db, me, clock, id, ct);
        return TypedResults.LocalRedirect(outcome.IsOk && Notification.IsAppLink(outcome.Value.Link) ? outcome.Value.Link : "/notifications");
    }

    private static NotificationResponse ToResponse(NotificationRow n, IStringLocalizer l) =>
        new(n.Id, n.Kind, n.SubjectType, n.SubjectId, n.Title, NotificationText.Sentence(l, n.Kind, n.Title), n.Link, n.CreatedAt, n.ReadAt);
}
