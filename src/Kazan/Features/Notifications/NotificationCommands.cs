using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Notifications;

/// <summary>Notifying a user, and a user reading their notifications (ADR 0014: one use case, one function).</summary>
public static class NotificationCommands
{
    /// <summary>
    /// The one way anything in Kazan notifies a user: adds the notification to <paramref name="db"/> and does NOT save,
    /// so it commits with the change that caused it (a quote accepted and its notification, or neither). The user's
    /// "e-mail me a copy" preference (<see cref="User.EmailNotificationCopies"/>) is to be honoured here too, by
    /// writing the copy to the mail outbox in the same transaction — this is the single place to add it.
    /// The title is the record's short name as it is now (a quote's display number and account name); the link is
    /// where the notification leads, app-relative (<c>/quotes/{id}</c>).
    /// </summary>
    public static Notification Notify(KazanDbContext db, Guid organizationId, Guid recipientId, NotificationKind kind,
        string subjectType, Guid subjectId, string title, string link, DateTimeOffset now)
    {
        var notification = Notification.Create(organizationId, recipientId, kind, subjectType, subjectId, title, link, now);
        db.Notifications.Add(notification);
        return notification;
    }

    /// <summary>Marks one of the caller's notifications read (someone else's is not found). Reading it twice keeps the first time.</summary>
    public static Task<Outcome<Notification>> MarkReadAsync(KazanDbContext db, CurrentUser me, TimeProvider clock, Guid id, CancellationToken ct) =>
        UseCase.RunAsync<Notification>(db, async () =>
        {
            var notification = await NotificationQueries.Mine(db, me).FirstOrDefaultAsync(n => n.Id == id, ct);
            if (notification is null)
            {
                return Outcome.NotFound(What);
            }

            if (!notification.IsRead)
            {
                notification.MarkRead(clock.GetUtcNow());
                await db.SaveChangesAsync(ct);
            }

            return notification;
        });

    /// <summary>
    /// Marks every unread notification of the caller made up to now read, in one statement; returns how many it
    /// marked. One that arrives while this runs stays unread.
    /// </summary>
    public static Task<Outcome<int>> MarkAllReadAsync(KazanDbContext db, CurrentUser me, TimeProvider clock, CancellationToken ct) =>
        UseCase.RunAsync<int>(db, async () =>
        {
            var now = clock.GetUtcNow();
            return await NotificationQueries.Mine(db, me).Where(n => n.ReadAt == null && n.CreatedAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, (DateTimeOffset?)now), ct);
        });

    /// <summary>The caller's own "e-mail me a copy of notifications" setting.</summary>
    public static Task<Outcome<User>> SetEmailCopiesAsync(KazanDbContext db, CurrentUser me, bool emailCopies, CancellationToken ct) =>
        UseCase.RunAsync<User>(db, async () =>
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == me.UserId, ct);
            if (user is null)
            {
                return Outcome.NotFound("User");
            }

            if (user.EmailNotificationCopies != emailCopies)
            {
                user.EmailNotificationCopies = emailCopies;
                await db.SaveChangesAsync(ct);
            }

            return user;
        });

    private const string What = "Notification";
}
