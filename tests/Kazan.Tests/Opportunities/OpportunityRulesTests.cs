using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Opportunities;

/// <summary>The opportunity's rules, on the entity alone.</summary>
public sealed class OpportunityRulesTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Rep = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 3, 2);

    private static (Pipeline Pipeline, Stage[] Stages) Process()
    {
        var pipeline = new Pipeline(Org, "Proje satışı", isDefault: true);
        var stages = new[]
        {
            pipeline.AddStage("Yeni", 10, 14),
            pipeline.AddStage("Görüşme", 20, 14),
            pipeline.AddStage("Teklif", 60, 7),
            pipeline.AddStage("Pazarlık", 80),
        };
        return (pipeline, stages);
    }

    private static Opportunity Deal(Stage stage, decimal amount = 10_000m, string currency = "TRY", decimal rate = 1m) =>
        new(Org, Rep, Guid.NewGuid(), stage, "Fabrika otomasyonu", amount, currency, rate, new DateOnly(2026, 4, 30), Rep, Now);

    private static List<OpportunityEvent> History(Opportunity o) => o.TakeHistory(Rep, Now).Cast<OpportunityEvent>().ToList();

    [Theory]
    [InlineData(0.00004)]   // rounds to 0.0000 at four decimals: no rate at all
    [InlineData(-1)]
    [InlineData(1_000_000.0001)]
    public void A_rate_is_rounded_to_four_decimals_before_it_is_checked_so_a_rate_that_stores_as_zero_is_refused(double typed)
    {
        var (_, stages) = Process();
        var deal = Deal(stages[0]);

        var refused = Assert.Throws<DomainRuleException>(() => deal.SetAmount(5_000m, "USD", (decimal)typed));

        Assert.Equal("opportunity.exchange-rate", refused.Code);
        Assert.Equal(("TRY", 1m), (deal.Currency.Code, deal.Currency.Rate));
    }

    [Fact]
    public void A_rate_is_kept_to_four_decimals_half_away_from_zero()
    {
        var (_, stages) = Process();
        var deal = Deal(stages[0]);

        deal.SetAmount(1_000m, "USD", 34.12345m);

        Assert.Equal(34.1235m, deal.Currency.Rate);
        Assert.Equal(34_123.50m, deal.ForecastAmountBase); // 1 000 × 34.1235 (the forecast is the expected amount while nothing is quoted)
    }

    [Fact]
    public void A_new_deal_takes_the_stage_probability_and_records_its_creation()
    {
        var (_, s) = Process();
        var deal = Deal(s[0]);

        Assert.Equal(10, deal.Probability);
        Assert.Equal(OpportunityStatus.Open, deal.Status);
        var created = Assert.Single(History(deal));
        Assert.Equal(OpportunityEventKind.Created, created.Kind);
        Assert.Equal(s[0].Id, created.ToStageId);
    }

    [Fact]
    public void Moving_forward_skipping_and_backward_is_allowed_and_every_move_is_recorded()
    {
        var (_, s) = Process();
        var deal = Deal(s[0]);
        History(deal);

        deal.MoveTo(s[2], Rep, Now.AddDays(1));   // skips Görüşme
        deal.MoveTo(s[1], Rep, Now.AddDays(2));   // backwards
        deal.MoveTo(s[1], Rep, Now.AddDays(3));   // same stage: nothing happens

        var moves = History(deal);
        Assert.Equal([(s[0].Id, s[2].Id), (s[2].Id, s[1].Id)], moves.Select(e => (e.FromStageId!.Value, e.ToStageId!.Value)));
        Assert.All(moves, e => Assert.Equal(OpportunityEventKind.StageChanged, e.Kind));
        Assert.Equal(20, deal.Probability);
        Assert.Equal(Now.AddDays(2), deal.StageEnteredAt);
    }

    [Fact]
    public void A_stage_of_another_pipeline_is_rejected_and_the_deal_stays_where_it_was()
    {
        var (_, s) = Process();
        var other = new Pipeline(Org, "Bayi satışı", isDefault: false).AddStage("Yeni", 30);
        var deal = Deal(s[1]);
        History(deal);

        var error = Assert.Throws<DomainRuleException>(() => deal.MoveTo(other, Rep, Now));

        Assert.Equal("opportunity.stage-of-other-pipeline", error.Code);
        Assert.Equal(s[1].Id, deal.StageId);
        Assert.Empty(History(deal));
    }

    [Fact]
    public void Won_means_100_percent_lost_means_0_and_both_are_recorded_with_the_date()
    {
        var (_, s) = Process();
        var won = Deal(s[2]);
        var lost = Deal(s[2]);
        var price = new LostReason(Org, "Fiyat", 0);

        won.MarkWon(Rep, Now, new DateOnly(2026, 3, 1));
        lost.MarkLost(price, "  Rakip %15 ucuz  ", Rep, Now, Today);

        Assert.Equal((OpportunityStatus.Won, 100, new DateOnly(2026, 3, 1)), (won.Status, won.Probability, won.ClosedOn!.Value));
        Assert.Equal(10_000m, won.WeightedAmountBase);
        Assert.Equal((OpportunityStatus.Lost, 0, 0m), (lost.Status, lost.Probability, lost.WeightedAmountBase));
        Assert.Equal((price.Id, "Rakip %15 ucuz"), (lost.LostReasonId!.Value, lost.LostNote));
        Assert.Equal(OpportunityEventKind.Won, History(won).Last().Kind);
        var lostEvent = History(lost).Last();
        Assert.Equal((OpportunityEventKind.Lost, price.Id, OpportunityStatus.Open, OpportunityStatus.Lost), (lostEvent.Kind, lostEvent.LostReasonId!.Value, lostEvent.FromStatus!.Value, lostEvent.ToStatus!.Value));
    }

    [Fact]
    public void Losing_without_a_reason_or_with_a_retired_reason_is_rejected_and_the_deal_stays_open()
    {
        var (_, s) = Process();
        var deal = Deal(s[1]);
        History(deal);
        var retired = new LostReason(Org, "Eski neden", 3);
        retired.Deactivate();

        Assert.Equal("opportunity.lost-reason-required", Assert.Throws<DomainRuleException>(() => deal.MarkLost(null, "yok", Rep, Now, Today)).Code);
        Assert.Throws<DomainRuleException>(() => deal.MarkLost(retired, null, Rep, Now, Today));

        Assert.Equal(OpportunityStatus.Open, deal.Status);
        Assert.Null(deal.LostReasonId);
        Assert.Empty(History(deal));
    }

    [Fact]
    public void A_closed_deal_cannot_move_until_it_is_reopened_and_reopening_is_recorded()
    {
        var (_, s) = Process();
        var deal = Deal(s[1]);
        deal.MarkLost(new LostReason(Org, "Bütçe yok", 0), null, Rep, Now, Today);

        Assert.Equal("opportunity.closed", Assert.Throws<DomainRuleException>(() => deal.MoveTo(s[2], Rep, Now)).Code);
        Assert.Throws<DomainRuleException>(() => deal.MarkWon(Rep, Now, Today));

        deal.Reopen(Rep, Now.AddDays(5), "Bütçe çıktı");
        Assert.Equal((OpportunityStatus.Open, 20, (Guid?)null, (DateOnly?)null), (deal.Status, deal.Probability, deal.LostReasonId, deal.ClosedOn));
        var reopened = History(deal).Last();
        Assert.Equal((OpportunityEventKind.Reopened, OpportunityStatus.Lost, OpportunityStatus.Open, "Bütçe çıktı"), (reopened.Kind, reopened.FromStatus!.Value, reopened.ToStatus!.Value, reopened.Note));
        Assert.Equal("opportunity.already-open", Assert.Throws<DomainRuleException>(() => deal.Reopen(Rep, Now)).Code);
        deal.MoveTo(s[2], Rep, Now.AddDays(6));
        Assert.Equal(s[2].Id, deal.StageId);
    }

    [Fact]
    public void A_probability_override_replaces_the_stage_default_across_moves_until_cleared()
    {
        var (_, s) = Process();
        var deal = Deal(s[0], amount: 50_000m);

        deal.SetProbability(35);
        Assert.Equal((35, 17_500m), (deal.Probability, deal.WeightedAmountBase));
        deal.MoveTo(s[3], Rep, Now);
        Assert.Equal(35, deal.Probability);

        deal.SetProbability(null);
        Assert.Equal((80, 40_000m), (deal.Probability, deal.WeightedAmountBase));
        Assert.Throws<DomainRuleException>(() => deal.SetProbability(101));
        Assert.Throws<DomainRuleException>(() => deal.SetProbability(-1));
    }

    [Fact]
    public void The_weighted_amount_is_the_base_currency_forecast_times_the_probability()
    {
        var (_, s) = Process();
        var deal = Deal(s[2], amount: 12_345.67m, currency: "usd", rate: 41.2345m);

        Assert.Equal("USD", deal.Currency.Code);
        Assert.Equal(509_067.53m, deal.ForecastAmountBase);        // 12 345,67 × 41,2345 = 509 067,5296…
        Assert.Equal(305_440.52m, deal.WeightedAmountBase);       // × 60 %
    }

    [Fact]
    public void The_forecast_uses_the_ordered_amount_then_the_quoted_one_then_the_expected_one()
    {
        var (_, s) = Process();
        var deal = Deal(s[3], amount: 100_000m);
        Assert.Equal((ForecastSource.Expected, 100_000m), (deal.ForecastSource, deal.ForecastAmount));

        deal.SetQuotedAmount(90_000m);
        Assert.Equal((ForecastSource.Quoted, 90_000m, 72_000m), (deal.ForecastSource, deal.ForecastAmount, deal.WeightedAmountBase));

        deal.SetOrderAmounts(85_000m, 0m);
        Assert.Equal((ForecastSource.Ordered, 85_000m), (deal.ForecastSource, deal.ForecastAmount));

        deal.SetOrderAmounts(null, null);
        Assert.Equal(ForecastSource.Quoted, deal.ForecastSource);
        Assert.Throws<DomainRuleException>(() => deal.SetAmount(100_000m, "EUR", 45m)); // currency is locked by the quote
    }

    [Fact]
    public void Only_an_open_deal_past_its_close_date_is_overdue()
    {
        var (_, s) = Process();
        var deal = Deal(s[0]);

        Assert.False(deal.IsOverdue(new DateOnly(2026, 4, 30)));
        Assert.True(deal.IsOverdue(new DateOnly(2026, 5, 1)));
        deal.MarkWon(Rep, Now, Today);
        Assert.False(deal.IsOverdue(new DateOnly(2026, 5, 1)));
    }

    [Fact]
    public void A_deal_rots_after_the_stage_days_without_activity_counted_from_the_later_of_entry_and_last_activity()
    {
        var (_, s) = Process();
        var deal = Deal(s[2]); // Teklif rots after 7 days

        Assert.False(deal.IsRotting(7, Now.AddDays(7)));
        Assert.True(deal.IsRotting(7, Now.AddDays(7).AddMinutes(1)));

        deal.TouchActivity(Now.AddDays(5));
        Assert.False(deal.IsRotting(7, Now.AddDays(10)));
        Assert.True(deal.IsRotting(7, Now.AddDays(12).AddMinutes(1)));

        Assert.False(deal.IsRotting(null, Now.AddYears(1))); // a stage without rotting days never rots
        deal.MarkWon(Rep, Now.AddDays(20), Today.AddDays(20));
        Assert.False(deal.IsRotting(7, Now.AddYears(1)));
    }

    [Fact]
    public void A_transfer_changes_the_owner_and_is_recorded()
    {
        var (_, s) = Process();
        var deal = Deal(s[0]);
        History(deal);
        var colleague = Guid.NewGuid();

        deal.TransferTo(colleague, Rep, Now);
        deal.TransferTo(colleague, Rep, Now);

        var transfer = Assert.Single(History(deal));
        Assert.Equal((OpportunityEventKind.OwnerChanged, Rep, colleague), (transfer.Kind, transfer.FromOwnerId!.Value, transfer.ToOwnerId!.Value));
        Assert.Equal(colleague, deal.OwnerId);
    }

    [Fact]
    public void Reassigning_a_removed_stage_moves_closed_deals_too_and_records_it()
    {
        var (_, s) = Process();
        var deal = Deal(s[1]);
        deal.MarkWon(Rep, Now, Today);
        History(deal);

        deal.ReassignStage(s[2], Rep, Now.AddDays(1));

        Assert.Equal((s[2].Id, OpportunityStatus.Won, 100), (deal.StageId, deal.Status, deal.Probability));
        var moved = Assert.Single(History(deal));
        Assert.Equal((OpportunityEventKind.StageChanged, Opportunity.StageRemovedNote), (moved.Kind, moved.Note));
    }
}
