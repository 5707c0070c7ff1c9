using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Opportunities;

/// <summary>
/// Everything about a deal that moves the forecast, as it stood right after one change: where it is (pipeline, stage,
/// status, owner), what it is worth (the four amounts, the forecast amount and its base-currency figures, the currency
/// and rate), when it closes, how likely and how committed. Every <see cref="OpportunityEvent"/> carries one, so the
/// pipeline as it stood at any past moment is each deal's state from its last event before that moment.
/// </summary>
public sealed record DealState
{
    private DealState()
    {
        Currency = null!; // read back by EF Core
    }

    public Guid PipelineId { get; internal init; }
    public Guid StageId { get; internal init; }
    public OpportunityStatus Status { get; internal init; }
    public Guid OwnerId { get; internal init; }
    public decimal ExpectedAmount { get; internal init; }
    public decimal? QuotedAmount { get; internal init; }
    public decimal? OrderedAmount { get; internal init; }
    public decimal? DeliveredAmount { get; internal init; }
    public decimal ForecastAmount { get; internal init; }
    public decimal ForecastAmountBase { get; internal init; }
    public decimal WeightedAmountBase { get; internal init; }
    public CurrencyRate Currency { get; internal init; }
    public DateOnly ExpectedCloseDate { get; internal init; }
    public int Probability { get; internal init; }
    public ForecastCategory ForecastCategory { get; internal init; }
    public DateOnly? ClosedOn { get; internal init; }

    public static DealState Of(Opportunity o) => new()
    {
        PipelineId = o.PipelineId,
        StageId = o.StageId,
        Status = o.Status,
        OwnerId = o.OwnerId,
        ExpectedAmount = o.ExpectedAmount,
        QuotedAmount = o.QuotedAmount,
        OrderedAmount = o.OrderedAmount,
        DeliveredAmount = o.DeliveredAmount,
        ForecastAmount = o.ForecastAmount,
        ForecastAmountBase = o.ForecastAmountBase,
        WeightedAmountBase = o.WeightedAmountBase,
        Currency = o.Currency,
        ExpectedCloseDate = o.ExpectedCloseDate,
        Probability = o.Probability,
        ForecastCategory = o.ForecastCategory,
        ClosedOn = o.ClosedOn,
    };
}

/// <summary>The one mapping of <see cref="DealState"/> on the history table (earlier columns keep their names).</summary>
public static class DealStateConfiguration
{
    public static void Map(ComplexPropertyBuilder<DealState> state)
    {
        state.Property(s => s.PipelineId).HasColumnName(nameof(DealState.PipelineId));
        state.Property(s => s.StageId).HasColumnName(nameof(DealState.StageId));
        state.Property(s => s.Status).HasColumnName(nameof(DealState.Status)).HasConversion<string>().HasMaxLength(10);
        state.Property(s => s.OwnerId).HasColumnName(nameof(DealState.OwnerId));
        state.Property(s => s.ExpectedAmount).HasColumnName(nameof(DealState.ExpectedAmount));
        state.Property(s => s.QuotedAmount).HasColumnName(nameof(DealState.QuotedAmount));
        state.Property(s => s.OrderedAmount).HasColumnName(nameof(DealState.OrderedAmount));
        state.Property(s => s.DeliveredAmount).HasColumnName(nameof(DealState.DeliveredAmount));
        state.Property(s => s.ForecastAmount).HasColumnName("Amount");
        state.Property(s => s.ForecastAmountBase).HasColumnName(nameof(DealState.ForecastAmountBase));
        state.Property(s => s.WeightedAmountBase).HasColumnName(nameof(DealState.WeightedAmountBase));
        state.ComplexProperty(s => s.Currency, CurrencyRateConfiguration.Map);
        state.Property(s => s.ExpectedCloseDate).HasColumnName(nameof(DealState.ExpectedCloseDate));
        state.Property(s => s.Probability).HasColumnName(nameof(DealState.Probability));
        state.Property(s => s.ForecastCategory).HasColumnName(nameof(DealState.ForecastCategory)).HasConversion<string>().HasMaxLength(10);
        state.Property(s => s.ClosedOn).HasColumnName(nameof(DealState.ClosedOn));
    }
}
