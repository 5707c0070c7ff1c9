using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Kazan.Features.Search;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Opportunities;

public enum OpportunityStatus
{
    Open,
    Won,
    Lost,
}

/// <summary>Which of the opportunity's amounts the forecast uses (DOMAIN.md "The amounts of an opportunity").</summary>
public enum ForecastSource
{
    Expected,
    Quoted,
    Ordered,
}

/// <summary>
/// A sale hoped for. It moves through the stages of its pipeline (forward, backward, skipping: all allowed and recorded),
/// ends Won or Lost (lost needs a reason) and can be reopened. Every stage, status and owner change becomes an
/// <see cref="OpportunityEvent"/> written in the same SaveChanges.
/// Amounts are net of VAT. The forecast amount is the ordered amount once there are orders, else the quoted amount of
/// the primary quote, else the expected amount; base-currency copies of it (and of its weighted value) are stored so
/// boards and reports aggregate in SQL.
/// </summary>
public sealed class Opportunity : ISearchable, IVersioned, IRecordsHistory, IHasExternalId
{
    /// <summary>The note on a history row written because the deal's stage was removed from the pipeline.</summary>
    public const string StageRemovedNote = "stage-removed";

    /// <summary>The note of a stage change that moved the deal to another pipeline.</summary>
    public const string PipelineMovedNote = "pipeline";

    private readonly List<OpportunityEvent> _pendingHistory = [];

    /// <summary>The state last read or saved; history records what a save moves away from it (null: never saved).</summary>
    private DealState? _recorded;

    private Opportunity()
    {
        Title = "";
        Currency = null!; // set by every constructor, read back by EF Core
    }

    public Opportunity(
        Guid organizationId, Guid ownerId, Guid accountId, Stage stage, string title, decimal expectedAmount, string currency,
        decimal exchangeRate, DateOnly expectedCloseDate, Guid actorId, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        OwnerId = ownerId;
        AccountId = accountId;
        PipelineId = stage.PipelineId;
        EnterStage(stage);
        Status = OpportunityStatus.Open;
        CreatedAt = now;
        StageEnteredAt = now;
        Rename(title);
        SetAmount(expectedAmount, currency, exchangeRate);
        ExpectedCloseDate = expectedCloseDate;
        Recalculate();
        Record(OpportunityEventKind.Created, actorId, now, toStageId: stage.Id, toStatus: OpportunityStatus.Open);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OwnerId { get; private set; }
    public Guid AccountId { get; private set; }
    public Guid PipelineId { get; private set; }
    public Guid StageId { get; private set; }
    public string Title { get; private set; }

    /// <summary>Amount the rep expects, net of VAT, in <see cref="Currency"/>.</summary>
    public decimal ExpectedAmount { get; private set; }

    /// <summary>Net total of the primary quote, in the opportunity currency; null without one.</summary>
    public decimal? QuotedAmount { get; private set; }

    /// <summary>Net total of the non-cancelled orders, in the opportunity currency; null without orders.</summary>
    public decimal? OrderedAmount { get; private set; }

    /// <summary>Net value delivered of those orders, in the opportunity currency; null without orders.</summary>
    public decimal? DeliveredAmount { get; private set; }

    /// <summary>The currency of every amount above and its rate to the organization's base currency (1 for the base itself).</summary>
    public CurrencyRate Currency { get; private set; }

    public ForecastSource ForecastSource { get; private set; }
    public decimal ForecastAmount { get; private set; }
    public decimal ForecastAmountBase { get; private set; }
    public decimal WeightedAmountBase { get; private set; }

    public DateOnly ExpectedCloseDate { get; private set; }

    /// <summary>Effective win probability: the override, else the stage's default; 100 when won, 0 when lost.</summary>
    public int Probability { get; private set; }

    /// <summary>The rep's own probability, replacing the stage default while set.</summary>
    public int? ProbabilityOverride { get; private set; }

    /// <summary>The current stage's default probability, kept so the effective one can be recomputed without the stage.</summary>
    public int StageProbability { get; private set; }

    /// <summary>Commit, Best case, Pipeline or Omitted: the override, else the stage's; Commit when won, Omitted when lost.</summary>
    public ForecastCategory ForecastCategory { get; private set; }

    /// <summary>The rep's own forecast category, replacing the stage's while set.</summary>
    public ForecastCategory? ForecastCategoryOverride { get; private set; }

    /// <summary>The current stage's forecast category, kept like <see cref="StageProbability"/>.</summary>
    public ForecastCategory StageForecastCategory { get; private set; }

    public string? Source { get; set; }
    public string? NextStep { get; set; }
    public OpportunityStatus Status { get; private set; }
    public Guid? LostReasonId { get; private set; }
    public string? LostNote { get; private set; }

    /// <summary>The won or lost date.</summary>
    public DateOnly? ClosedOn { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset StageEnteredAt { get; private set; }
    public DateTimeOffset? LastActivityAt { get; private set; }
    /// <summary>The record's id in the company's old system (unique in the organization when set): imports match on it.</summary>
    public string? ExternalId { get; private set; }

    public int Version { get; private set; }

    public static string[] SearchProperties => ["Title"];

    /// <summary>
    /// The events of this save, each stamped with the state the save leaves the deal in; a save that moved the forecast
    /// state without a named step (an amount, the close date, the probability…) is one <see cref="OpportunityEventKind.Changed"/> event.
    /// </summary>
    public IEnumerable<object> TakeHistory(Guid? actorId, DateTimeOffset now)
    {
        var state = DealState.Of(this);
        var events = _pendingHistory.ToList();
        _pendingHistory.Clear();
        if (events.Count == 0 && state != _recorded)
        {
            events.Add(new OpportunityEvent(this, OpportunityEventKind.Changed, actorId ?? Guid.Empty, now, null, null, null, null, null, null, null, null));
        }

        foreach (var e in events)
        {
            e.Stamp(state, Version);
        }

        _recorded = state;
        return events;
    }

    public void Loaded() => _recorded = DealState.Of(this);

    /// <summary>Overrides the stage's forecast category (null: back to the stage's).</summary>
    public void SetForecastCategory(ForecastCategory? category)
    {
        if (category is { } c && !Enum.IsDefined(c))
        {
            throw new DomainRuleException("Choose Commit, Best case, Pipeline or Omitted.", "opportunity.forecast-category");
        }

        ForecastCategoryOverride = category;
        Recalculate();
    }

    public void Rename(string title)
    {
        title = title.Trim();
        Title = title.Length is > 0 and <= 200
            ? title
            : throw new DomainRuleException("An opportunity title must be 1 to 200 characters.", "opportunity.title");
    }

    public void SetExpectedCloseDate(DateOnly date) => ExpectedCloseDate = date;

    /// <summary>Sets the expected amount and the currency (with its rate to the base currency).</summary>
    public void SetAmount(decimal expectedAmount, string currency, decimal exchangeRate)
    {
        if (expectedAmount < 0 || expectedAmount > 1_000_000_000_000m)
        {
            throw new DomainRuleException("The expected amount must be between 0 and 1 000 000 000 000.", "opportunity.amount");
        }

        var money = CurrencyRate.Create(currency, exchangeRate, "opportunity");
        if (money.Code != Currency?.Code && (QuotedAmount is not null || OrderedAmount is not null))
        {
            throw new DomainRuleException("The currency cannot change once the opportunity has a primary quote or orders.", "opportunity.currency-locked");
        }

        ExpectedAmount = Pricing.Pricing.Round2(expectedAmount);
        Currency = money;
        Recalculate();
    }

    /// <summary>Overrides the stage's default probability (null: back to the stage default).</summary>
    public void SetProbability(int? probability)
    {
        if (probability is < 0 or > 100)
        {
            throw new DomainRuleException("A probability is between 0 and 100.", "opportunity.probability");
        }

        ProbabilityOverride = probability;
        Recalculate();
    }

    /// <summary>Moves to another stage of the same pipeline: forward, backward or skipping, all recorded.</summary>
    public void MoveTo(Stage stage, Guid actorId, DateTimeOffset now)
    {
        EnsureOpen("moved to another stage");
        if (stage.PipelineId != PipelineId)
        {
            throw new DomainRuleException("That stage belongs to another pipeline.", "opportunity.stage-of-other-pipeline");
        }

        if (stage.Id == StageId)
        {
            return;
        }

        var from = StageId;
        EnterStage(stage);
        StageEnteredAt = now;
        Recalculate();
        Record(OpportunityEventKind.StageChanged, actorId, now, fromStageId: from, toStageId: stage.Id);
    }

    /// <summary>Moves to a stage of another pipeline (a deal re-classified).</summary>
    public void MoveToPipeline(Stage stage, Guid actorId, DateTimeOffset now)
    {
        EnsureOpen("moved to another pipeline");
        var from = StageId;
        PipelineId = stage.PipelineId;
        EnterStage(stage);
        StageEnteredAt = now;
        Recalculate();
        Record(OpportunityEventKind.StageChanged, actorId, now, fromStageId: from, toStageId: stage.Id, note: PipelineMovedNote);
    }

    /// <summary>
    /// Moves the deal to another stage of its pipeline because its stage is being removed. Unlike <see cref="MoveTo"/>
    /// this applies to won and lost deals too (their stage row is going away); it is recorded like any stage change.
    /// </summary>
    public void ReassignStage(Stage stage, Guid actorId, DateTimeOffset now)
    {
        if (stage.PipelineId != PipelineId)
        {
            throw new DomainRuleException("That stage belongs to another pipeline.", "opportunity.stage-of-other-pipeline");
        }

        if (stage.Id == StageId)
        {
            return;
        }

        var from = StageId;
        EnterStage(stage);
        if (Status == OpportunityStatus.Open)
        {
            StageEnteredAt = now;
        }

        Recalculate();
        Record(OpportunityEventKind.StageChanged, actorId, now, fromStageId: from, toStageId: stage.Id, note: StageRemovedNote);
    }

    /// <summary>
    /// Marks the deal won on <paramref name="on"/> (the organization's day: the caller knows its calendar, the entity
    /// does not); <paramref name="cause"/> names what caused it (e.g. an order number).
    /// </summary>
    public void MarkWon(Guid actorId, DateTimeOffset now, DateOnly on, string? cause = null)
    {
        EnsureOpen("won");
        Status = OpportunityStatus.Won;
        ClosedOn = on;
        LostReasonId = null;
        LostNote = null;
        Recalculate();
        Record(OpportunityEventKind.Won, actorId, now, fromStatus: OpportunityStatus.Open, toStatus: OpportunityStatus.Won, note: cause);
    }

    /// <summary>Marks the deal lost on <paramref name="on"/> (the organization's day). A reason from the organization's list is required.</summary>
    public void MarkLost(LostReason? reason, string? note, Guid actorId, DateTimeOffset now, DateOnly on)
    {
        EnsureOpen("lost");
        if (reason is null || !reason.IsActive)
        {
            throw new DomainRuleException("Choose a lost reason to mark an opportunity lost.", "opportunity.lost-reason-required");
        }

        Status = OpportunityStatus.Lost;
        ClosedOn = on;
        LostReasonId = reason.Id;
        LostNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        Recalculate();
        Record(OpportunityEventKind.Lost, actorId, now, fromStatus: OpportunityStatus.Open, toStatus: OpportunityStatus.Lost, lostReasonId: reason.Id, note: LostNote);
    }

    /// <summary>
    /// Rewrites the note of a lost deal, in place: its reason, date and forecast state stay, so its history gets no step
    /// (the audit trail keeps the note's change, as for any edited field). Another reason is a new loss: reopen, then lose.
    /// </summary>
    public void ReviseLostNote(string? note)
    {
        if (Status != OpportunityStatus.Lost)
        {
            throw new DomainRuleException("Only a lost opportunity has a lost note.", "opportunity.not-lost");
        }

        LostNote = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
    }

    /// <summary>Opens a won or lost deal again, in its current stage.</summary>
    public void Reopen(Guid actorId, DateTimeOffset now, string? cause = null)
    {
        if (Status == OpportunityStatus.Open)
        {
            throw new DomainRuleException("This opportunity is already open.", "opportunity.already-open");
        }

        var from = Status;
        Status = OpportunityStatus.Open;
        ClosedOn = null;
        LostReasonId = null;
        LostNote = null;
        StageEnteredAt = now;
        Recalculate();
        Record(OpportunityEventKind.Reopened, actorId, now, fromStatus: from, toStatus: OpportunityStatus.Open, note: cause);
    }

    /// <summary>Sets the id in the old system (trimmed; blank is none; at most 100 characters). Uniqueness is the commands' check.</summary>
    public void SetExternalId(string? externalId) => ExternalId = ExternalIds.Clean(externalId);

    public void TransferTo(Guid newOwnerId, Guid actorId, DateTimeOffset now)
    {
        if (newOwnerId == Guid.Empty)
        {
            throw new DomainRuleException("Choose the user who takes the opportunity over.", "opportunity.owner");
        }

        if (newOwnerId == OwnerId)
        {
            return;
        }

        var from = OwnerId;
        OwnerId = newOwnerId;
        Record(OpportunityEventKind.OwnerChanged, actorId, now, fromOwnerId: from, toOwnerId: newOwnerId);
    }

    /// <summary>An activity was logged or done: the deal is not rotting.</summary>
    public void TouchActivity(DateTimeOffset at)
    {
        if (LastActivityAt is null || at > LastActivityAt)
        {
            LastActivityAt = at;
        }
    }

    /// <summary>Sets the primary quote's net total (null: no primary quote). Called by the quotes feature.</summary>
    public void SetQuotedAmount(decimal? amount)
    {
        QuotedAmount = amount;
        Recalculate();
    }

    /// <summary>Sets the ordered and delivered totals (null: no orders). Called by the orders feature.</summary>
    public void SetOrderAmounts(decimal? ordered, decimal? delivered)
    {
        OrderedAmount = ordered;
        DeliveredAmount = delivered;
        Recalculate();
    }

    public bool IsOverdue(DateOnly today) => IsOverdueOn(Status, ExpectedCloseDate, today);

    /// <summary>No activity for the stage's rotting days (counted from the last activity, or from entering the stage).</summary>
    public bool IsRotting(int? stageRottingDays, DateTimeOffset now) => IsRottingAt(Status, StageEnteredAt, LastActivityAt, stageRottingDays, now);

    /// <summary>An open deal past its expected close date. The same rule as a predicate: <c>OpportunityQueries.Overdue</c>.</summary>
    public static bool IsOverdueOn(OpportunityStatus status, DateOnly expectedCloseDate, DateOnly today) =>
        status == OpportunityStatus.Open && expectedCloseDate < today;

    /// <summary>The rotting rule on projected columns (lists and boards read rows, not entities).</summary>
    public static bool IsRottingAt(OpportunityStatus status, DateTimeOffset stageEnteredAt, DateTimeOffset? lastActivityAt, int? stageRottingDays, DateTimeOffset now) =>
        status == OpportunityStatus.Open && stageRottingDays is { } days
        && (lastActivityAt is { } last && last > stageEnteredAt ? last : stageEnteredAt) < now.AddDays(-days);

    private void EnsureOpen(string what)
    {
        if (Status != OpportunityStatus.Open)
        {
            throw new DomainRuleException($"A {Status.ToString().ToLowerInvariant()} opportunity cannot be {what}; reopen it first.", "opportunity.closed");
        }
    }

    private void EnterStage(Stage stage)
    {
        StageId = stage.Id;
        StageProbability = stage.Probability;
        StageForecastCategory = stage.ForecastCategory;
    }

    private void Recalculate()
    {
        (ForecastSource, ForecastAmount) = OrderedAmount is { } ordered ? (ForecastSource.Ordered, ordered)
            : QuotedAmount is { } quoted ? (ForecastSource.Quoted, quoted)
            : (ForecastSource.Expected, ExpectedAmount);
        Probability = Status switch
        {
            OpportunityStatus.Won => 100,
            OpportunityStatus.Lost => 0,
            _ => ProbabilityOverride ?? StageProbability,
        };
        ForecastCategory = Status switch
        {
            OpportunityStatus.Won => ForecastCategory.Commit,
            OpportunityStatus.Lost => ForecastCategory.Omitted,
            _ => ForecastCategoryOverride ?? StageForecastCategory,
        };
        ForecastAmountBase = Pricing.ExchangeRate.ToBase(ForecastAmount, Currency.Rate);
        WeightedAmountBase = Pricing.Pricing.Round2(ForecastAmountBase * Probability / 100m);
    }

    private void Record(
        OpportunityEventKind kind, Guid actorId, DateTimeOffset now, Guid? fromStageId = null, Guid? toStageId = null,
        OpportunityStatus? fromStatus = null, OpportunityStatus? toStatus = null, Guid? fromOwnerId = null, Guid? toOwnerId = null,
        Guid? lostReasonId = null, string? note = null) =>
        _pendingHistory.Add(new OpportunityEvent(this, kind, actorId, now, fromStageId, toStageId, fromStatus, toStatus, fromOwnerId, toOwnerId, lostReasonId, note));
}
