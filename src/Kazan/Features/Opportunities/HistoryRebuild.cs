using System.Globalization;
using System.Text.Json;
using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Auditing;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Opportunities;

/// <summary>
/// Gives the history written before events carried the deal's whole state (<see cref="DealState"/>) that state,
/// derived from the audit trail, once, at start-up after the migrations. Such events are marked by a negative
/// <see cref="OpportunityEvent.Sequence"/> (the migration's default). For each deal the audit trail's inserts and
/// updates are replayed field by field: an event takes the state of the save that wrote it (the first audited save at
/// or after its moment), and an audited save that moved the forecast without an event becomes a
/// <see cref="OpportunityEventKind.Changed"/> event. A deal with no audit trail (data loaded in bulk) keeps what its
/// events themselves say (stage, status, owner, forecast amount, currency, probability) over its current row.
/// </summary>
public static class HistoryRebuild
{
    private const int Batch = 200;

    public static async Task RunAsync(KazanDbContext db, CancellationToken ct)
    {
        Dictionary<Guid, ForecastCategory>? stageCategories = null;
        while (true)
        {
            var ids = await db.OpportunityEvents.IgnoreQueryFilters().Where(e => e.Sequence < 0)
                .Select(e => e.OpportunityId).Distinct().Take(Batch).ToListAsync(ct);
            if (ids.Count == 0)
            {
                if (stageCategories is not null)
                {
                    // Restamped and added events change the order of each deal's history: the spans follow.
                    await EventValidity.RecomputeAsync(db, ct);
                }

                return;
            }

            var deals = await db.Opportunities.IgnoreQueryFilters().Where(o => ids.Contains(o.Id)).ToListAsync(ct);
            stageCategories ??= await db.Stages.IgnoreQueryFilters().ToDictionaryAsync(s => s.Id, s => s.ForecastCategory, ct);
            var keys = ids.Select(id => id.ToString()).ToList();
            var audit = (await db.AuditEntries.IgnoreQueryFilters()
                    .Where(a => a.EntityType == nameof(Opportunity) && keys.Contains(a.EntityId))
                    .Select(a => new { a.EntityId, a.At, a.Id, a.UserId, a.Action, a.Changes }).ToListAsync(ct))
                .ToLookup(a => Guid.Parse(a.EntityId));
            var events = (await db.OpportunityEvents.IgnoreQueryFilters().Where(e => ids.Contains(e.OpportunityId)).ToListAsync(ct))
                .ToLookup(e => e.OpportunityId);

            foreach (var deal in deals)
            {
                var saves = new List<(DateTimeOffset At, Guid? UserId, DealState State)>();
                var state = DealState.Of(deal);
                foreach (var entry in audit[deal.Id].OrderBy(a => a.At).ThenBy(a => a.Id))
                {
                    // An insert names only the fields it set: the others started empty.
                    var before = entry.Action == AuditAction.Insert
                        ? state with { QuotedAmount = null, OrderedAmount = null, DeliveredAmount = null, ClosedOn = null }
                        : state;
                    state = Apply(before, entry.Changes, stageCategories);
                    saves.Add((entry.At, entry.UserId, state));
                }

                var own = events[deal.Id].OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
                var used = new HashSet<int>();
                var previous = (DealState?)null;
                for (var i = 0; i < own.Count; i++)
                {
                    var e = own[i];
                    var save = saves.FindIndex(s => s.At >= e.At);
                    DealState stamped;
                    if (saves.Count == 0)
                    {
                        stamped = FromEvent(previous ?? DealState.Of(deal), e, stageCategories);
                    }
                    else
                    {
                        save = save < 0 ? saves.Count - 1 : save;
                        used.Add(save);
                        stamped = saves[save].State;
                    }

                    e.Stamp(stamped, i);
                    previous = stamped;
                }

                // Audited saves that moved the forecast with no event of their own.
                for (var i = 0; i < saves.Count; i++)
                {
                    if (!used.Contains(i) && i > 0 && saves[i].State != saves[i - 1].State)
                    {
                        var changed = new OpportunityEvent(deal, OpportunityEventKind.Changed, saves[i].UserId ?? Guid.Empty, saves[i].At,
                            null, null, null, null, null, null, null, null);
                        changed.Stamp(saves[i].State, own.Count + i);
                        db.OpportunityEvents.Add(changed);
                    }
                }
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>The state after one audited save: its new values over the state before.</summary>
    private static DealState Apply(DealState state, string changes, IReadOnlyDictionary<Guid, ForecastCategory> stageCategories)
    {
        using var json = JsonDocument.Parse(changes);
        var fields = json.RootElement;
        JsonElement? New(string name) => fields.TryGetProperty(name, out var pair) && pair.ValueKind == JsonValueKind.Array && pair.GetArrayLength() == 2 ? pair[1] : null;
        Guid GuidOr(string name, Guid value) => New(name) is { ValueKind: JsonValueKind.String } v ? v.GetGuid() : value;
        decimal DecimalOr(string name, decimal value) => New(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDecimal() : value;
        decimal? NullableDecimal(string name, decimal? value) => New(name) switch
        {
            null => value,
            { ValueKind: JsonValueKind.Number } v => v.GetDecimal(),
            _ => null,
        };
        DateOnly? NullableDate(string name, DateOnly? value) => New(name) switch
        {
            null => value,
            { ValueKind: JsonValueKind.String } v => DateOnly.Parse(v.GetString()!, CultureInfo.InvariantCulture),
            _ => null,
        };

        var status = New(nameof(DealState.Status)) is { ValueKind: JsonValueKind.String } s && Enum.TryParse<OpportunityStatus>(s.GetString(), out var parsed)
            ? parsed : state.Status;
        var stageId = GuidOr(nameof(DealState.StageId), state.StageId);
        var currency = New("Currency") is { ValueKind: JsonValueKind.String } code ? code.GetString()! : state.Currency.Code;
        var rate = DecimalOr("ExchangeRate", state.Currency.Rate);
        var next = state with
        {
            PipelineId = GuidOr(nameof(DealState.PipelineId), state.PipelineId),
            StageId = stageId,
            Status = status,
            OwnerId = GuidOr(nameof(DealState.OwnerId), state.OwnerId),
            ExpectedAmount = DecimalOr(nameof(DealState.ExpectedAmount), state.ExpectedAmount),
            QuotedAmount = NullableDecimal(nameof(DealState.QuotedAmount), state.QuotedAmount),
            OrderedAmount = NullableDecimal(nameof(DealState.OrderedAmount), state.OrderedAmount),
            DeliveredAmount = NullableDecimal(nameof(DealState.DeliveredAmount), state.DeliveredAmount),
            ForecastAmount = DecimalOr(nameof(DealState.ForecastAmount), state.ForecastAmount),
            ForecastAmountBase = DecimalOr(nameof(DealState.ForecastAmountBase), state.ForecastAmountBase),
            WeightedAmountBase = DecimalOr(nameof(DealState.WeightedAmountBase), state.WeightedAmountBase),
            Currency = currency == state.Currency.Code && rate == state.Currency.Rate ? state.Currency : CurrencyRate.Create(currency, rate, "opportunity"),
            ExpectedCloseDate = NullableDate(nameof(DealState.ExpectedCloseDate), state.ExpectedCloseDate) ?? state.ExpectedCloseDate,
            Probability = New(nameof(DealState.Probability)) is { ValueKind: JsonValueKind.Number } p ? p.GetInt32() : state.Probability,
            ClosedOn = NullableDate(nameof(DealState.ClosedOn), state.ClosedOn),
        };
        return next with { ForecastCategory = CategoryOf(next.Status, next.StageId, stageCategories) };
    }

    /// <summary>Without an audit trail: what the event itself says, over the state before it.</summary>
    private static DealState FromEvent(DealState before, OpportunityEvent e, IReadOnlyDictionary<Guid, ForecastCategory> stageCategories)
    {
        var state = before with
        {
            StageId = e.ToStageId ?? before.StageId,
            Status = e.ToStatus ?? before.Status,
            OwnerId = e.ToOwnerId ?? before.OwnerId,
            ForecastAmount = e.State.ForecastAmount,
            Probability = e.State.Probability,
            Currency = e.State.Currency.Code == before.Currency.Code ? before.Currency : e.State.Currency,
        };
        return state with { ForecastCategory = CategoryOf(state.Status, state.StageId, stageCategories) };
    }

    private static ForecastCategory CategoryOf(OpportunityStatus status, Guid stageId, IReadOnlyDictionary<Guid, ForecastCategory> stageCategories) =>
        status switch
        {
            OpportunityStatus.Won => ForecastCategory.Commit,
            OpportunityStatus.Lost => ForecastCategory.Omitted,
            _ => stageCategories.TryGetValue(stageId, out var category) ? category : ForecastCategory.Pipeline,
        };
}
