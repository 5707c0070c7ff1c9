using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Reports;

/// <summary>One deal as the reports count it: where it is, whose it is, what it is worth in the base currency, when it closes.</summary>
public sealed class ReportDeal : IOwned
{
    // Built with an initializer (not a constructor) so that EF Core can keep composing queries over it.
    public Guid Id { get; init; }
    public Guid PipelineId { get; init; }
    public Guid StageId { get; init; }
    public Guid OwnerId { get; init; }
    public OpportunityStatus Status { get; init; }
    public ForecastCategory Category { get; init; }
    public decimal Total { get; init; }
    public decimal Weighted { get; init; }

    /// <summary>The four amounts in the deal's own currency (net of VAT) and its rate to the base currency: the amounts reconciliation converts them.</summary>
    public decimal ExpectedAmount { get; init; }
    public decimal? QuotedAmount { get; init; }
    public decimal? OrderedAmount { get; init; }
    public decimal? DeliveredAmount { get; init; }
    public decimal Rate { get; init; }
    public DateOnly ExpectedCloseDate { get; init; }
    public DateOnly? ClosedOn { get; init; }

    /// <summary>Where the deal came from (free text). Not part of the history: as of a moment it is the deal's source today.</summary>
    public string? Source { get; init; }

    /// <summary>Why a lost deal was lost (the reason its last Lost event gave, as of a moment); null unless lost.</summary>
    public Guid? LostReasonId { get; init; }
}

/// <summary>
/// The one source of every report's deals: the live rows now, or each deal's state from its history as of a moment
/// (<see cref="DealHistory.AsOf"/>), under the owner and team filters and the lists' visibility.
/// </summary>
public static class ReportDeals
{
    /// <summary>The deals of <paramref name="filter"/>; with <paramref name="ids"/>, only those (a chunk of a report's own), each read by its key.</summary>
    public static IQueryable<ReportDeal> Query(KazanDbContext db, ReportFilter filter, IReadOnlyCollection<Guid>? ids = null)
    {
        var live = ids is null ? db.Opportunities : OpportunityQueries.WithIds(db, ids);
        var deals = filter.AsOf is { } at
            ? (ids is null ? DealHistory.AsOf(db, at) : DealHistory.AsOf(db, at).Where(e => ids.Contains(e.OpportunityId))).Select(e => new ReportDeal
            {
                Id = e.OpportunityId,
                PipelineId = e.State.PipelineId,
                StageId = e.State.StageId,
                OwnerId = e.State.OwnerId,
                Status = e.State.Status,
                Category = e.State.ForecastCategory,
                Total = e.State.ForecastAmountBase,
                Weighted = e.State.WeightedAmountBase,
                ExpectedAmount = e.State.ExpectedAmount,
                QuotedAmount = e.State.QuotedAmount,
                OrderedAmount = e.State.OrderedAmount,
                DeliveredAmount = e.State.DeliveredAmount,
                Rate = e.State.Currency.Rate,
                ExpectedCloseDate = e.State.ExpectedCloseDate,
                ClosedOn = e.State.ClosedOn,
                Source = db.Opportunities.Where(o => o.Id == e.OpportunityId).Select(o => o.Source).FirstOrDefault(),
                LostReasonId = e.State.Status == OpportunityStatus.Lost
                    ? db.OpportunityEvents.Where(l => l.OpportunityId == e.OpportunityId && l.Kind == OpportunityEventKind.Lost && l.At <= at)
                        .OrderByDescending(l => l.At).ThenByDescending(l => l.Sequence).Select(l => l.LostReasonId).FirstOrDefault()
                    : null,
            })
            : live.Select(o => new ReportDeal
            {
                Id = o.Id,
                PipelineId = o.PipelineId,
                StageId = o.StageId,
                OwnerId = o.OwnerId,
                Status = o.Status,
                Category = o.ForecastCategory,
                Total = o.ForecastAmountBase,
                Weighted = o.WeightedAmountBase,
                ExpectedAmount = o.ExpectedAmount,
                QuotedAmount = o.QuotedAmount,
                OrderedAmount = o.OrderedAmount,
                DeliveredAmount = o.DeliveredAmount,
                Rate = o.Currency.Rate,
                ExpectedCloseDate = o.ExpectedCloseDate,
                ClosedOn = o.ClosedOn,
                Source = o.Source,
                LostReasonId = o.LostReasonId,
            });
        return deals.OwnedBy(db, filter.OwnerId, filter.TeamId);
    }
}
