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
}

/// <summary>
/// One step in an opportunity's life: from, to, when, who, and its forecast amount and probability at that moment.
/// Append-only; funnel, velocity and win-rate reports read these.
/// </summary>
public sealed class OpportunityEvent : ITenantEntity
{
    private OpportunityEvent()
    {
        Currency = "";
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
        Amount = o.ForecastAmount;
        Currency = o.Currency.Code;
        Probability = o.Probability;
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
    public decimal Amount { get; private set; }
    public string Currency { get; private set; }
    public int Probability { get; private set; }
}
