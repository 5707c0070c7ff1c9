using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Pipelines;

/// <summary>The pipeline's rules, on the entity alone.</summary>
public sealed class PipelineRulesTests
{
    private static readonly Guid Org = Guid.NewGuid();

    private static Pipeline ThreeStages(out Stage a, out Stage b, out Stage c)
    {
        var p = new Pipeline(Org, "Proje satışı", isDefault: false);
        a = p.AddStage("Yeni", 10);
        b = p.AddStage("Teklif", 50, 14);
        c = p.AddStage("Pazarlık", 80, 7);
        return p;
    }

    [Fact]
    public void Stages_keep_their_order_and_a_stage_can_be_inserted_at_a_position()
    {
        var p = ThreeStages(out var a, out var b, out var c);

        var d = p.AddStage("İhtiyaç analizi", 30, position: 1);

        Assert.Equal([a.Id, d.Id, b.Id, c.Id], p.Stages.Select(s => s.Id));
        Assert.Equal([0, 1, 2, 3], p.Stages.Select(s => s.Position));
    }

    [Fact]
    public void A_new_order_must_name_every_stage_exactly_once()
    {
        var p = ThreeStages(out var a, out var b, out var c);

        p.Reorder([c.Id, a.Id, b.Id]);
        Assert.Equal(["Pazarlık", "Yeni", "Teklif"], p.Stages.Select(s => s.Name));

        Assert.Throws<DomainRuleException>(() => p.Reorder([a.Id, b.Id]));
        Assert.Throws<DomainRuleException>(() => p.Reorder([a.Id, a.Id, b.Id]));
        Assert.Throws<DomainRuleException>(() => p.Reorder([a.Id, b.Id, Guid.NewGuid()]));
        Assert.Equal(["Pazarlık", "Yeni", "Teklif"], p.Stages.Select(s => s.Name));
    }

    [Theory]
    [InlineData("Won")]
    [InlineData("LOST")]
    [InlineData("Kazanıldı")]
    [InlineData("KAYBEDİLDİ")]
    [InlineData(" kaybedildi ")]
    public void Won_and_lost_are_outcomes_and_are_rejected_as_stage_names(string name)
    {
        var p = ThreeStages(out var a, out _, out _);

        Assert.Equal("stage.outcome-name", Assert.Throws<DomainRuleException>(() => p.AddStage(name, 100)).Code);
        Assert.Throws<DomainRuleException>(() => p.UpdateStage(a.Id, name, 100, null));
        Assert.Equal(3, p.Stages.Count);
    }

    [Fact]
    public void Stage_names_are_unique_in_a_pipeline_the_turkish_way_and_probabilities_stay_within_0_to_100()
    {
        var p = ThreeStages(out var a, out _, out _);

        Assert.Equal("stage.duplicate", Assert.Throws<DomainRuleException>(() => p.AddStage("PAZARLIK", 90)).Code);
        Assert.Throws<DomainRuleException>(() => p.AddStage("Sözleşme", 101));
        Assert.Throws<DomainRuleException>(() => p.AddStage("Sözleşme", -1));
        Assert.Throws<DomainRuleException>(() => p.AddStage("Sözleşme", 90, rottingDays: 0));

        p.UpdateStage(a.Id, "yeni", 5, 30); // its own name in another case is fine
        Assert.Equal(("yeni", 5, (int?)30), (a.Name, a.Probability, a.RottingDays));
    }

    [Fact]
    public void A_stage_holding_opportunities_is_removed_only_by_naming_another_stage_of_the_pipeline()
    {
        var p = ThreeStages(out var a, out var b, out var c);
        var foreign = new Pipeline(Org, "Bayi", isDefault: false).AddStage("Yeni", 10);

        Assert.Equal("pipeline.stage-not-empty", Assert.Throws<DomainRuleException>(() => p.RemoveStage(b.Id, true, null)).Code);
        Assert.Throws<DomainRuleException>(() => p.RemoveStage(b.Id, true, b.Id));
        Assert.Throws<DomainRuleException>(() => p.RemoveStage(b.Id, true, foreign.Id));
        Assert.Equal(3, p.Stages.Count);

        p.RemoveStage(b.Id, true, c.Id);
        Assert.Equal([(a.Id, 0), (c.Id, 1)], p.Stages.Select(s => (s.Id, s.Position)));

        p.RemoveStage(c.Id, false, null); // an empty stage needs no target
        Assert.Equal("pipeline.last-stage", Assert.Throws<DomainRuleException>(() => p.RemoveStage(a.Id, false, null)).Code);
    }

    [Fact]
    public void One_pipeline_is_the_default_and_the_default_cannot_be_archived()
    {
        var first = new Pipeline(Org, "Proje satışı", isDefault: true);
        var second = new Pipeline(Org, "Bayi satışı", isDefault: false);
        var all = new[] { first, second };

        Assert.Equal("pipeline.default", Assert.Throws<DomainRuleException>(first.Archive).Code);
        second.MakeDefault(all);
        Assert.Equal([false, true], all.Select(p => p.IsDefault));

        first.Archive();
        Assert.Equal("pipeline.archived", Assert.Throws<DomainRuleException>(() => first.MakeDefault(all)).Code);
        Assert.Equal([false, true], all.Select(p => p.IsDefault));
    }

    [Fact]
    public void A_pipeline_has_at_most_thirty_stages()
    {
        var p = new Pipeline(Org, "Uzun", isDefault: false);
        for (var i = 0; i < Pipeline.MaxStages; i++)
        {
            p.AddStage($"Aşama {i}", 10);
        }

        Assert.Equal("pipeline.too-many-stages", Assert.Throws<DomainRuleException>(() => p.AddStage("Bir fazla", 10)).Code);
    }

    [Fact]
    public void Lost_reasons_are_reordered_only_by_a_list_naming_each_once()
    {
        var reasons = new List<LostReason> { new(Org, "Fiyat", 0), new(Org, "Rakip", 1), new(Org, "Zamanlama", 2) };

        LostReason.Reorder(reasons, [reasons[2].Id, reasons[0].Id, reasons[1].Id]);

        Assert.Equal(["Zamanlama", "Fiyat", "Rakip"], reasons.OrderBy(r => r.Position).Select(r => r.Name));
        Assert.Throws<DomainRuleException>(() => LostReason.Reorder(reasons, [reasons[0].Id, reasons[1].Id]));
    }
}
