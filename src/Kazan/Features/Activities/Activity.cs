using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Activities;

public enum ActivityKind
{
    Task,
    Call,
    Meeting,
    Note,
}

/// <summary>A task, call, meeting or note on an account, optionally on one of its opportunities and with some of its contacts.</summary>
public sealed class Activity : IOwnedEntity, IVersioned
{
    private readonly List<ActivityContact> _contacts = [];
    private DateTimeOffset? _dueAt;

    private Activity()
    {
        Subject = "";
    }

    public Activity(Guid organizationId, Guid ownerId, ActivityKind kind, string subject, Guid accountId, Guid? opportunityId, DateTimeOffset? dueAt, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        OwnerId = ownerId;
        Kind = kind;
        AccountId = accountId;
        OpportunityId = opportunityId;
        DueAt = dueAt;
        CreatedAt = now.ToUniversalTime();
        Resubject(subject);

        // A note is a record of something that happened: it is done when written.
        if (kind == ActivityKind.Note)
        {
            Done = true;
            DoneAt = CreatedAt;
        }
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OwnerId { get; private set; }
    public ActivityKind Kind { get; private set; }
    public string Subject { get; private set; }
    public string? Notes { get; set; }
    public Guid AccountId { get; private set; }
    public Guid? OpportunityId { get; private set; }
    /// <summary>When it is due; stored in UTC (PostgreSQL's timestamptz takes no other offset), shown in the user's zone.</summary>
    public DateTimeOffset? DueAt
    {
        get => _dueAt;
        set => _dueAt = value?.ToUniversalTime();
    }

    public bool Done { get; private set; }
    public DateTimeOffset? DoneAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int Version { get; private set; }
    public IReadOnlyList<ActivityContact> Contacts => _contacts;

    public void Resubject(string subject)
    {
        subject = subject.Trim();
        Subject = subject.Length is > 0 and <= 300
            ? subject
            : throw new DomainRuleException("An activity subject must be 1 to 300 characters.", "activity.subject");
    }

    /// <summary>Links the activity to one of its account's opportunities, or to none; the caller checks the account.</summary>
    public void LinkOpportunity(Guid? opportunityId) => OpportunityId = opportunityId;

    public void SetContacts(IEnumerable<Guid> contactIds)
    {
        var wanted = contactIds.Distinct().ToHashSet();
        _contacts.RemoveAll(c => !wanted.Contains(c.ContactId));
        foreach (var id in wanted.Where(id => _contacts.All(c => c.ContactId != id)))
        {
            _contacts.Add(new ActivityContact(OrganizationId, Id, id));
        }
    }

    public void MarkDone(DateTimeOffset now)
    {
        Done = true;
        DoneAt ??= now.ToUniversalTime();
    }

    /// <summary>Opens a done task, call or meeting again. A note records the past: it stays done.</summary>
    public void MarkNotDone()
    {
        if (Kind == ActivityKind.Note)
        {
            throw new DomainRuleException("A note records something that happened; it cannot be marked not done.", "activity.note-always-done");
        }

        Done = false;
        DoneAt = null;
    }

    public void TransferTo(Guid ownerId) => OwnerId = ownerId;

    /// <summary>Open and due before <paramref name="now"/>. "My day" passes the start of the user's today: a task due today is today's work all day.</summary>
    public bool IsOverdue(DateTimeOffset now) => !Done && DueAt is { } due && due < now;
}

public sealed class ActivityContact : ITenantEntity
{
    private ActivityContact()
    {
    }

    internal ActivityContact(Guid organizationId, Guid activityId, Guid contactId)
    {
        OrganizationId = organizationId;
        ActivityId = activityId;
        ContactId = contactId;
    }

    public Guid OrganizationId { get; private set; }
    public Guid ActivityId { get; private set; }
    public Guid ContactId { get; private set; }
}
