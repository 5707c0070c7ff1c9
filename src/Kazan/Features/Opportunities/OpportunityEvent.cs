using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Opportunities;

public enum OpportunityEventKind
{
    Created,
    StageChanged,
    Won,
    Lost,
    Reopened,
    OwnerChanged,

    /// <summary>Anything else that moves the forecast: an amount, the currency or rate, the close date, the probability or category.</summary>
    Changed,
}

/// <summary>
/// One step in an opportunity's life: what changed (from, to), when, who, and the deal's whole forecast state right
/// after it (<see cref="DealState"/>; the state before is the previous event's). Append-only; the as-of pipeline,
/// funnel, velocity and win-rate reports read these.
/// </summary>
public sealed class OpportunityEvent : ITenantEntity
{
    private OpportunityEvent()
    {
        State = null!; // set by the constructor, read back by EF Core
    }

    internal OpportunityEvent(
        Opportunity o, OpportunityEventKind kind, Guid userId, DateTimeOffset at, Guid? fromStageId, Guid? toStageId,
        OpportunityStatus? fromStatus, OpportunityStatus? toStatus, Guid? fromOwnerId, Guid? toOwnerId, Guid? lostReasonId, string? note) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = o.OrganizationId;
        OpportunityId = o.Id;
        Kind = kind;
        UserId = userId;
        At = at;
        FromStageId = fromStageId;
        ToStageId = toStageId;
        FromStatus = fromStatus;
        ToStatus = toStatus;
        FromOwnerId = fromOwnerId;
        ToOwnerId = toOwnerId;
        LostReasonId = lostReasonId;
        Note = note;
        State = DealState.Of(o);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OpportunityId { get; private set; }
    public OpportunityEventKind Kind { get; private set; }
    public Guid UserId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public Guid? FromStageId { get; private set; }
    public Guid? ToStageId { get; private set; }
    public OpportunityStatus? FromStatus { get; private set; }
    public OpportunityStatus? ToStatus { get; private set; }
    public Guid? FromOwnerId { get; private set; }
    public Guid? ToOwnerId { get; private set; }
    public Guid? LostReasonId { get; private set; }
    public string? Note { get; private set; }
    public DealState State { get; private set; }

    /// <summary>The deal's version this event was saved with: orders events of the same instant.</summary>
    public int Sequence { get; private set; }

    /// <summary>
    /// When the state this event left was replaced: the moment of the deal's next event, null while it is the deal's
    /// current state. The database keeps it (<see cref="EventValidity"/>); the app never sets it.
    /// </summary>
    public DateTimeOffset? Until { get; private set; }

    /// <summary>The state the save leaves the deal in (every event of one save carries the same).</summary>
    internal void Stamp(DealState state, int sequence)
    {
        State = state;
        Sequence = sequence;
    }
}
