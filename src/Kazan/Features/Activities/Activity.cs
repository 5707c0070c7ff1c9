using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;

namespace Kazan.Features.Activities;

public enum ActivityKind
{
    Task,
    Call,
    Meeting,
    Note,
}

/// <summary>
/// How a call or meeting went, recorded when it is done: a call reached the person, got no answer, left a message or
/// found a wrong number; a meeting was held or the other side did not come. Tasks and notes have no outcome.
/// </summary>
public enum ActivityOutcome
{
    Reached,
    NoAnswer,
    LeftMessage,
    WrongNumber,
    Held,
    NoShow,
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

    /// <summary>What was said or agreed (at most <see cref="MaxNotes"/> characters); see <see cref="WriteNotes"/>.</summary>
    public string? Notes { get; private set; }

    /// <summary>How a done call or meeting went; null while open, and for tasks and notes.</summary>
    public ActivityOutcome? Outcome { get; private set; }
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

    public const int MaxNotes = 4000;

    /// <summary>The outcomes a kind of activity can have: calls and meetings have their own; tasks and notes none.</summary>
    public static IReadOnlyList<ActivityOutcome> OutcomesOf(ActivityKind kind) => kind switch
    {
        ActivityKind.Call => [ActivityOutcome.Reached, ActivityOutcome.NoAnswer, ActivityOutcome.LeftMessage, ActivityOutcome.WrongNumber],
        ActivityKind.Meeting => [ActivityOutcome.Held, ActivityOutcome.NoShow],
        _ => [],
    };

    /// <summary>
    /// A call or meeting that already happened, written in one step: done at <paramref name="at"/> (which is also its
    /// due time, so it sits where it happened in lists and the timeline), with its outcome and notes. It cannot lie in
    /// the future: what has not happened yet is planned, not logged.
    /// </summary>
    public static Activity Logged(
        Guid organizationId, Guid ownerId, ActivityKind kind, string subject, Guid accountId, Guid? opportunityId,
        DateTimeOffset at, ActivityOutcome? outcome, string? notes, DateTimeOffset now)
    {
        if (at > now.AddMinutes(5))
        {
            throw new DomainRuleException("A logged activity has already happened: its time cannot be in the future. Plan it instead.", "activity.logged-in-future");
        }

        var activity = new Activity(organizationId, ownerId, kind, subject, accountId, opportunityId, at, now);
        activity.WriteNotes(notes);
        activity.Complete(at, outcome);
        return activity;
    }

    /// <summary>Notes are free text of at most <see cref="MaxNotes"/> characters; blank clears them.</summary>
    public void WriteNotes(string? notes)
    {
        notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        Notes = notes is null || notes.Length <= MaxNotes
            ? notes
            : throw new DomainRuleException($"Notes are at most {MaxNotes} characters.", "activity.notes", MaxNotes);
    }

    /// <summary>
    /// Marks the activity done (at <paramref name="at"/> unless it was done already) with how it went. The outcome must be
    /// one of its kind's (<see cref="OutcomesOf"/>); null leaves a recorded outcome as it was.
    /// </summary>
    public void Complete(DateTimeOffset at, ActivityOutcome? outcome)
    {
        if (outcome is { } o && !OutcomesOf(Kind).Contains(o))
        {
            throw new DomainRuleException($"A {Kind.ToString().ToLowerInvariant()} cannot have the outcome {o}.", "activity.outcome");
        }

        MarkDone(at);
        Outcome = outcome ?? Outcome;
    }

    /// <summary>Moves an open activity to a new due time (null: undated). A done one is history: it stays where it happened.</summary>
    public void Reschedule(DateTimeOffset? dueAt)
    {
        EnsureOpen();
        DueAt = dueAt;
    }

    /// <summary>
    /// Puts an open activity off by <paramref name="days"/> (1 to 365): to that many days after its due day or after
    /// today on <paramref name="time"/>, whichever is later — snoozing an overdue call a day moves it to tomorrow, not to another
    /// day in the past — keeping its time of day (an undated one becomes due that day). Days are the organization's (<see cref="OrganizationTime"/>).
    /// </summary>
    public void Snooze(int days, OrganizationTime time)
    {
        EnsureOpen();
        if (days is < 1 or > 365)
        {
            throw new DomainRuleException("An activity can be put off by 1 to 365 days.", "activity.snooze-days", 1, 365);
        }

        var today = time.Today;
        var local = DueAt is { } due ? time.ToLocal(due) : (DateTimeOffset?)null;
        var dueDay = local is { } l ? DateOnly.FromDateTime(l.DateTime) : today;
        var from = dueDay > today ? dueDay : today;
        DueAt = time.At(from.AddDays(days), local is { } t ? TimeOnly.FromTimeSpan(t.TimeOfDay) : TimeOnly.MinValue);
    }

    private void EnsureOpen()
    {
        if (Done)
        {
            throw new DomainRuleException("This activity is done; mark it not done before planning it again.", "activity.done");
        }
    }

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
        Outcome = null;
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
