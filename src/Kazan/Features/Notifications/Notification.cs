using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Notifications;

/// <summary>What happened. The text a user reads is composed from this and the notification's title, in their language.</summary>
public enum NotificationKind
{
    /// <summary>The customer opened the online quote.</summary>
    QuoteViewed,

    /// <summary>The customer accepted the quote online.</summary>
    QuoteAccepted,

    /// <summary>The customer rejected the quote online.</summary>
    QuoteRejected,

    /// <summary>A sent quote with no answer is valid for three more days at most (QuoteExpiryReminders).</summary>
    QuoteExpiringSoon,
}

/// <summary>
/// One in-app notification for one user: something happened to a record (<see cref="SubjectType"/> +
/// <see cref="SubjectId"/>) that they should look at. Only the recipient ever sees it (the <c>Recipient</c> query
/// filter, beside the tenant one). The words are not stored: <see cref="Kind"/> and a short <see cref="Title"/> (the
/// record's name as it was, e.g. a quote's number and account) are, and the reader's language makes the sentence.
/// </summary>
public sealed class Notification : ITenantEntity
{
    public const int TitleMaxLength = 300;
    public const int LinkMaxLength = 300;

    private Notification()
    {
        SubjectType = "";
        Title = "";
        Link = "";
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid RecipientId { get; private set; }
    public NotificationKind Kind { get; private set; }

    /// <summary>The kind of record it is about ("Quote").</summary>
    public string SubjectType { get; private set; }

    public Guid SubjectId { get; private set; }

    /// <summary>The record's name when the notification was made (a quote's display number and account name).</summary>
    public string Title { get; private set; }

    /// <summary>Where it leads in the app: an app-relative address such as <c>/quotes/{id}</c>.</summary>
    public string Link { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>When the recipient read it (opened it or marked it read); null while unread.</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    public bool IsRead => ReadAt is not null;

    /// <summary>
    /// True until the outbox worker has looked at it: it then mails a copy when the recipient asked for copies
    /// (<c>EmailNotificationCopies</c>) and clears the flag either way.
    /// </summary>
    public bool CopyPending { get; private set; }

    public static Notification Create(Guid organizationId, Guid recipientId, NotificationKind kind, string subjectType, Guid subjectId, string title, string link,
        DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(subjectType);
        if (!IsAppLink(link))
        {
            throw new ArgumentException($"A notification links inside the app (\"/quotes/…\"), not to \"{link}\".", nameof(link));
        }

        title = (title ?? "").Trim();
        return new Notification
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            RecipientId = recipientId,
            Kind = kind,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Title = title.Length > TitleMaxLength ? title[..TitleMaxLength] : title,
            Link = link,
            CreatedAt = now,
            CopyPending = true,
        };
    }

    /// <summary>Marks it read; reading it again keeps the first time.</summary>
    public void MarkRead(DateTimeOffset now) => ReadAt ??= now;

    /// <summary>An address inside Kazan: starts with one slash (not "//host", not "/\host"), so following it never leaves the app.</summary>
    public static bool IsAppLink(string? link) =>
        link is { Length: > 0 and <= LinkMaxLength } && link[0] == '/' && (link.Length == 1 || (link[1] != '/' && link[1] != '\\'))
        && !link.Any(char.IsControl);
}
