using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Notifications;

/// <summary>A notification as the list shows it (the sentence is composed by <see cref="NotificationText"/>).</summary>
public sealed record NotificationRow(
    Guid Id, NotificationKind Kind, string SubjectType, Guid SubjectId, string Title, string Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

/// <summary>The caller's own notifications: the list (newest first, keyset paged both ways) and the unread count.</summary>
public static class NotificationQueries
{
    /// <summary>
    /// The caller's notifications. The query filters already keep to the caller's organization and to the caller as
    /// recipient; the explicit condition says so here too, so a reader (or a future filter change) cannot miss it.
    /// </summary>
    public static IQueryable<Notification> Mine(KazanDbContext db, CurrentUser me) => db.Notifications.Where(n => n.RecipientId == me.UserId);

    public static Task<int> UnreadCountAsync(KazanDbContext db, CurrentUser me, CancellationToken ct) =>
        Mine(db, me).CountAsync(n => n.ReadAt == null, ct);

    /// <summary>A page of the caller's notifications, newest first; <paramref name="unreadOnly"/> keeps the unread ones.</summary>
    public static async Task<Page<NotificationRow>> PageAsync(KazanDbContext db, CurrentUser me, bool unreadOnly, int limit, string? cursor, CancellationToken ct)
    {
        var query = Mine(db, me).AsNoTracking();
        if (unreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        var at = Cursor.Read(cursor);
        if (at is { Values: [var ticksText, var idText] } && long.TryParse(ticksText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            && ticks is >= 0 and <= 3155378975999999999 && Guid.TryParse(idText, out var id))
        {
            var created = new DateTimeOffset(ticks, TimeSpan.Zero);
            query = at.Backward
                ? query.After(db, n => n.CreatedAt, created, id).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id)
                : query.After(db, n => n.CreatedAt, created, id, descending: true).OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id);
        }
        else
        {
            at = null;
            query = query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id);
        }

        var rows = await query.Take(limit + 1)
            .Select(n => new NotificationRow(n.Id, n.Kind, n.SubjectType, n.SubjectId, n.Title, n.Link, n.CreatedAt, n.ReadAt))
            .ToListAsync(ct);
        return Paging.ToPage(rows, limit, at, n => [n.CreatedAt.UtcTicks, n.Id]);
    }

    /// <summary>True when the cursor is one this list made (time and id); the API answers 400 otherwise.</summary>
    public static bool IsCursor(string? cursor) =>
        cursor is null || (Cursor.Read(cursor) is { Values: [var ticks, var id] } && long.TryParse(ticks, System.Globalization.NumberStyles.None,
            System.Globalization.CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 3155378975999999999 && Guid.TryParse(id, out _));
}
