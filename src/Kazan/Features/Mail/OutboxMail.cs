using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Mail;

public enum OutboxStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    Pending,

    /// <summary>The server accepted it.</summary>
    Sent,

    /// <summary>Every attempt failed; an admin may retry it.</summary>
    Failed,
}

/// <summary>
/// A mail Kazan will send. It is written in the same transaction as the action that causes it (sending a quote), so a
/// mail server outage loses nothing and never holds up the user; the outbox worker delivers it with retries and
/// backoff. The Message-ID is fixed when the mail is written, so a retry after an unclear failure carries the same
/// one and mail clients show one message.
/// </summary>
public sealed class OutboxMail : ITenantEntity, IVersioned
{
    /// <summary>Attempts before a mail is marked failed (about a day of retries with <see cref="Backoff"/>).</summary>
    public const int MaxAttempts = 8;

    private readonly List<OutboxAttachment> _attachments = [];

    private OutboxMail()
    {
        To = "";
        Subject = "";
        Body = "";
        MessageId = "";
        Purpose = "";
    }

    public OutboxMail(Guid organizationId, Guid? createdById, string purpose, Guid? quoteId, IReadOnlyList<string> to, IReadOnlyList<string> cc,
        string subject, string body, DateTimeOffset now, string? replyTo = null) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        CreatedById = createdById;
        Purpose = purpose;
        QuoteId = quoteId;
        To = string.Join(", ", to);
        Cc = cc.Count == 0 ? null : string.Join(", ", cc);
        Subject = subject;
        Body = body;
        ReplyTo = string.IsNullOrWhiteSpace(replyTo) ? null : replyTo;
        CreatedAt = now;
        NextAttemptAt = now;
        Status = OutboxStatus.Pending;
        MessageId = $"{Id:N}@kazan";
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid? CreatedById { get; private set; }

    /// <summary>What caused it: <c>quote</c> or <c>test</c>.</summary>
    public string Purpose { get; private set; }

    public Guid? QuoteId { get; private set; }

    /// <summary>Addresses separated by ", ".</summary>
    public string To { get; private set; }

    public string? Cc { get; private set; }

    /// <summary>Where the customer's answer goes: the rep who sent it.</summary>
    public string? ReplyTo { get; private set; }

    public string Subject { get; private set; }
    public string Body { get; private set; }
    public string MessageId { get; private set; }
    public OutboxStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }

    /// <summary>The mail server's answer to the last failed attempt.</summary>
    public string? LastError { get; private set; }

    public int Version { get; private set; }

    public IReadOnlyList<OutboxAttachment> Attachments => _attachments;

    public IReadOnlyList<string> ToList => Split(To);
    public IReadOnlyList<string> CcList => Split(Cc);

    public void Attach(string fileName, string contentType, byte[] content) =>
        _attachments.Add(new OutboxAttachment(Id, _attachments.Count, fileName, contentType, content));

    /// <summary>
    /// Takes the mail for one attempt: counts it and moves the next attempt out by a lease, so that a worker that dies
    /// mid-send leaves it to be tried again later rather than lost. Saving this change is the claim (the version token
    /// lets only one worker win it).
    /// </summary>
    public void Claim(DateTimeOffset now)
    {
        Attempts++;
        NextAttemptAt = now + Lease;
    }

    public void Delivered(DateTimeOffset now)
    {
        Status = OutboxStatus.Sent;
        SentAt = now;
        LastError = null;
    }

    public void AttemptFailed(string error, DateTimeOffset now)
    {
        LastError = error.Length > 1000 ? error[..1000] : error;
        if (Attempts >= MaxAttempts)
        {
            Status = OutboxStatus.Failed;
            return;
        }

        NextAttemptAt = now + Backoff(Attempts);
    }

    /// <summary>
    /// An admin's "retry": a failed mail is tried again now, with a fresh round of attempts. A waiting mail retries by
    /// itself, and one being sent must not be sent twice, so only failed mails can be retried.
    /// </summary>
    public void Retry(DateTimeOffset now)
    {
        if (Status != OutboxStatus.Failed)
        {
            throw new Infrastructure.Errors.DomainRuleException("Only a mail whose attempts all failed can be retried; this one is " + Status + ".", "mail.not-failed");
        }

        Status = OutboxStatus.Pending;
        Attempts = 0;
        NextAttemptAt = now;
    }

    /// <summary>How long one attempt may hold the mail before another worker may take it.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(5);

    /// <summary>The wait after the nth failed attempt: 1, 5, 15, 30 minutes, 1, 2, 4 hours.</summary>
    public static TimeSpan Backoff(int attempts) => attempts switch
    {
        <= 1 => TimeSpan.FromMinutes(1),
        2 => TimeSpan.FromMinutes(5),
        3 => TimeSpan.FromMinutes(15),
        4 => TimeSpan.FromMinutes(30),
        5 => TimeSpan.FromHours(1),
        6 => TimeSpan.FromHours(2),
        _ => TimeSpan.FromHours(4),
    };

    private static List<string> Split(string? addresses) =>
        string.IsNullOrEmpty(addresses) ? [] : [.. addresses.Split(", ", StringSplitOptions.RemoveEmptyEntries)];
}

/// <summary>A file sent with an outbox mail (the quote's frozen PDF), kept byte for byte.</summary>
public sealed class OutboxAttachment
{
    private OutboxAttachment()
    {
        FileName = "";
        ContentType = "";
        Content = [];
    }

    public OutboxAttachment(Guid outboxMailId, int position, string fileName, string contentType, byte[] content) : this()
    {
        Id = Guid.CreateVersion7();
        OutboxMailId = outboxMailId;
        Position = position;
        FileName = fileName;
        ContentType = contentType;
        Content = content;
    }

    public Guid Id { get; private set; }
    public Guid OutboxMailId { get; private set; }
    public int Position { get; private set; }
    public string FileName { get; private set; }
    public string ContentType { get; private set; }
    public byte[] Content { get; private set; }
}
