using Kazan.Features.Mail;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Notifications;

/// <summary>
/// E-mail copies of notifications, for users who ask for them (Profile → "E-mail me a copy"). The outbox worker runs
/// this before each delivery round: every notification made since is looked at once; a copy goes to the outbox in the
/// recipient's language, through their organization's mail route, with the link made absolute by
/// <c>Kazan:PublicUrl</c>.
/// </summary>
public static class NotificationCopies
{
    public const int Batch = 100;

    /// <summary>Writes the copies of pending notifications to the outbox; returns how many notifications were looked at.</summary>
    public static async Task<int> EnqueueAsync(KazanDbContext db, IStringLocalizer l, IConfiguration config, DateTimeOffset now, CancellationToken ct)
    {
        var pending = await db.Set<Notification>().IgnoreQueryFilters().AsNoTracking().Where(n => n.CopyPending)
            .OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).Take(Batch).ToListAsync(ct);
        if (pending.Count == 0)
        {
            return 0;
        }

        var recipientIds = pending.Select(n => n.RecipientId).Distinct().ToList();
        var wanting = await db.Users.IgnoreQueryFilters()
            .Where(u => recipientIds.Contains(u.Id) && u.EmailNotificationCopies && u.IsActive && u.Email != null)
            .Select(u => new { u.Id, Email = u.Email!, u.Culture }).ToDictionaryAsync(u => u.Id, ct);
        var linkBase = (config["Kazan:PublicUrl"] ?? "").TrimEnd('/');
        await using var tx = await db.Database.BeginOrJoinAsync(ct);
        foreach (var n in pending)
        {
            // Taking the flag is the claim: of two workers, the second finds it cleared (it waited for the first's commit).
            var taken = await db.Set<Notification>().IgnoreQueryFilters().Where(x => x.Id == n.Id && x.CopyPending)
                .ExecuteUpdateAsync(x => x.SetProperty(p => p.CopyPending, false), ct) == 1;
            if (!taken || !wanting.TryGetValue(n.RecipientId, out var user) || !MailSettings.IsAddress(user.Email))
            {
                continue;
            }

            var sentence = MailSetup.InCulture(user.Culture, () => NotificationText.Sentence(l, n.Kind, n.Title));
            var footer = MailSetup.InCulture(user.Culture, () => l["Notifications.CopyFooter"].Value);
            db.Add(new OutboxMail(n.OrganizationId, null, "notification", null, [user.Email], [], Line(sentence),
                $"{sentence}\n\n{linkBase}{n.Link}\n\n{footer}\n", now));
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return pending.Count;
    }

    private static string Line(string text)
    {
        var one = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
        return one.Length > 300 ? one[..300] : one;
    }
}
