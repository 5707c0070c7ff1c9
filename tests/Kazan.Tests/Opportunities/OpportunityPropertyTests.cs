using CsCheck;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Opportunities;

/// <summary>
/// The deal's life as a property, on the entity alone (no HTTP, no database): any sequence of stage moves, pipeline
/// moves, wins, losses, reopenings and probability overrides keeps the deal's numbers and history consistent.
/// </summary>
public sealed class OpportunityPropertyTests
{
    private static readonly Guid Org = Guid.NewGuid();
    private static readonly Guid Rep = Guid.NewGuid();
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private enum Step
    {
        Move,
        MovePipeline,
        Win,
        Lose,
        Reopen,
        Override,
        ClearOverride,
    }

    private static Pipeline NewPipeline(string name, params int[] probabilities)
    {
        var pipeline = new Pipeline(Org, name, isDefault: false);
        for (var i = 0; i < probabilities.Length; i++)
        {
            pipeline.AddStage($"{name} {i}", probabilities[i]);
        }

        return pipeline;
    }

    [Fact]
    public void Moving_to_another_pipeline_takes_its_stage_and_probability_and_is_recorded_as_a_stage_change()
    {
        var sales = NewPipeline("Satış", 10, 50);
        var dealers = NewPipeline("Bayi", 20, 70);
        var deal = new Opportunity(Org, Rep, Guid.NewGuid(), sales.Stages[0], "Yanlış süreçte", 10_000m, "TRY", 1m, new DateOnly(2026, 4, 30), Rep, Start);
        deal.TakeHistory(Rep, Start);

        deal.MoveToPipeline(dealers.Stages[1], Rep, Start.AddDays(1));

        Assert.Equal((dealers.Id, dealers.Stages[1].Id, 70, 7_000m, Start.AddDays(1)), (deal.PipelineId, deal.StageId, deal.Probability, deal.WeightedAmountBase, deal.StageEnteredAt));
        var moved = Assert.IsType<OpportunityEvent>(Assert.Single(deal.TakeHistory(Rep, Start.AddDays(1))));
        Assert.Equal((OpportunityEventKind.StageChanged, sales.Stages[0].Id, dealers.Stages[1].Id, "pipeline"), (moved.Kind, moved.FromStageId, moved.ToStageId, moved.Note));

        deal.MarkWon(Rep, Start.AddDays(2), new DateOnly(2026, 3, 4));
        Assert.Equal("opportunity.closed", Assert.Throws<DomainRuleException>(() => deal.MoveToPipeline(sales.Stages[0], Rep, Start.AddDays(3))).Code);
        Assert.Equal(dealers.Id, deal.PipelineId);
    }

    [Fact]
    public void Any_sequence_of_verbs_keeps_probability_weighted_amount_pipeline_and_history_consistent()
    {
        var pipelines = new[] { NewPipeline("Satış", 10, 30, 60, 90), NewPipeline("Bayi", 5, 45, 100) };
        var reason = new LostReason(Org, "Fiyat", 0);
        var genStep = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 1], Gen.Int[0, 3], Gen.Int[0, 100]);
        Gen.Select(genStep.List[0, 40], Gen.Int[0, 1_000_000].Select(i => i / 100m)).Sample((steps, amount) =>
        {
            var deal = new Opportunity(Org, Rep, Guid.NewGuid(), pipelines[0].Stages[0], "Özellik", amount, "EUR", 48.5m, new DateOnly(2026, 4, 30), Rep, Start);
            var recorded = deal.TakeHistory(Rep, Start).Count();
            var at = Start;
            foreach (var (step, p, s, probability) in steps)
            {
                at = at.AddHours(1);
                var before = (deal.Status, deal.StageId, deal.PipelineId, deal.Probability);
                var stage = pipelines[p].Stages[s % pipelines[p].Stages.Count];
                try
                {
                    switch (step)
                    {
                        case Step.Move:
                            deal.MoveTo(stage, Rep, at);
                            break;
                        case Step.MovePipeline:
                            deal.MoveToPipeline(stage, Rep, at);
                            break;
                        case Step.Win:
                            deal.MarkWon(Rep, at, DateOnly.FromDateTime(at.UtcDateTime));
                            break;
                        case Step.Lose:
                            deal.MarkLost(reason, null, Rep, at, DateOnly.FromDateTime(at.UtcDateTime));
                            break;
                        case Step.Reopen:
                            deal.Reopen(Rep, at);
                            break;
                        case Step.Override:
                            deal.SetProbability(probability);
                            break;
                        case Step.ClearOverride:
                            deal.SetProbability(null);
                            break;
                    }
                }
                catch (DomainRuleException)
                {
                    // A refused verb changes nothing.
                    Assert.Equal(before, (deal.Status, deal.StageId, deal.PipelineId, deal.Probability));
                }

                var events = deal.TakeHistory(Rep, at).Cast<OpportunityEvent>().ToList();
                recorded += events.Count;
                Assert.True(events.Count <= 1, "one verb, at most one history row");
                if (events.Count == 1)
                {
                    Assert.Equal(deal.StageId, events[0].ToStageId ?? deal.StageId);
                    Assert.Equal(DealState.Of(deal), events[0].State); // every row carries the state the deal is left in
                }

                var current = pipelines.SelectMany(x => x.Stages).Single(x => x.Id == deal.StageId);
                Assert.Equal(current.PipelineId, deal.PipelineId);
                Assert.Equal(
                    deal.Status switch { OpportunityStatus.Won => 100, OpportunityStatus.Lost => 0, _ => deal.ProbabilityOverride ?? current.Probability },
                    deal.Probability);
                Assert.Equal(decimal.Round(deal.ForecastAmountBase * deal.Probability / 100m, 2, MidpointRounding.AwayFromZero), deal.WeightedAmountBase);
                Assert.Equal(deal.Status == OpportunityStatus.Open, deal.ClosedOn is null);
            }

            Assert.True(recorded >= 1);
        });
    }
}
