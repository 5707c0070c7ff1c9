using System.Net.Http.Json;
using Kazan.Features.Opportunities;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Opportunities;

/// <summary>A deal followed end to end through a pipeline an admin shapes first.</summary>
public sealed class LifecycleTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_deal_moves_1_3_2_then_won_its_history_tells_it_and_it_reached_stages_1_to_3()
    {
        var org = await factory.CreateOrganizationAsync("Süreç A.Ş.");
        var admin = org.Admin.Client;
        var account = await factory.AccountAsync(org, "Karadeniz Çelik", org.Admin.Id, city: null);

        // The admin sets the process up, then puts "Keşif" first.
        var (p, etag) = await Sales.OkAsync<PipelineDto>(admin, HttpMethod.Post, "/api/v1/pipelines", new
        {
            name = "Proje satışı 2",
            stages = new[]
            {
                new { name = "Demo", probability = 25 },
                new { name = "Keşif", probability = 10 },
                new { name = "Teklif", probability = 50 },
                new { name = "Sözleşme", probability = 90 },
            },
        });
        var byName = p.Stages.ToDictionary(s => s.Name, s => s.Id);
        (p, _) = await Sales.OkAsync<PipelineDto>(admin, HttpMethod.Put, $"/api/v1/pipelines/{p.Id}/stage-order",
            new { stageIds = new[] { byName["Keşif"], byName["Demo"], byName["Teklif"], byName["Sözleşme"] } }, etag);
        var (s1, s2, s3) = (p.Stages[0], p.Stages[1], p.Stages[2]);
        Assert.Equal(("Keşif", "Demo", "Teklif"), (s1.Name, s2.Name, s3.Name));

        var (o, oEtag) = await Sales.CreateAsync(admin, account, "Haddehane modernizasyonu", 2_000_000m, pipelineId: p.Id);
        Assert.Equal((s1.Id, 10), (o.Stage.Id, o.Probability));
        var url = $"/api/v1/opportunities/{o.Id}";

        (o, oEtag) = await Sales.OkAsync<OpportunityDto>(admin, HttpMethod.Post, url + "/stage", new { stageId = s3.Id }, oEtag);
        Assert.Equal((50, 1_000_000m), (o.Probability, o.WeightedAmountBase));
        (o, oEtag) = await Sales.OkAsync<OpportunityDto>(admin, HttpMethod.Post, url + "/stage", new { stageId = s2.Id }, oEtag);
        Assert.Equal((25, 500_000m), (o.Probability, o.WeightedAmountBase));
        (o, _) = await Sales.OkAsync<OpportunityDto>(admin, HttpMethod.Post, url + "/won", new { }, oEtag);
        Assert.Equal(("Won", 100, 2_000_000m, s2.Id), (o.Status, o.Probability, o.WeightedAmountBase, o.Stage.Id));

        var history = (await admin.GetFromJsonAsync<PageDto<EventDto>>(url + "/history", Sales.Json, Ct))!.Items;
        Assert.Equal(
            [("Created", null, "Keşif", null, "Open"), ("StageChanged", "Keşif", "Teklif", null, null), ("StageChanged", "Teklif", "Demo", null, null), ("Won", null, null, "Open", "Won")],
            history.Select(e => (e.Kind, e.FromStage?.Name, e.ToStage?.Name, e.FromStatus, e.ToStatus)));
        Assert.Equal([10, 50, 25, 100], history.Select(e => e.Probability));
        Assert.True(history.Zip(history.Skip(1)).All(pair => pair.First.At <= pair.Second.At));

        // Reached: the furthest stage ever entered, by the stages' current positions.
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(s3.Position, await OpportunityQueries.ReachedAsync(db, o.Id, Ct));
        }

        // Moving "Teklif" to the end changes what "reached" means for this deal: it now reached all four.
        var current = await admin.GetFromJsonAsync<PipelineDto>($"/api/v1/pipelines/{p.Id}", Sales.Json, Ct);
        await Sales.OkAsync<PipelineDto>(admin, HttpMethod.Put, $"/api/v1/pipelines/{p.Id}/stage-order",
            new { stageIds = new[] { s1.Id, s2.Id, byName["Sözleşme"], s3.Id } }, Sales.ETag(current!.Version));
        (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(3, await OpportunityQueries.ReachedAsync(db, o.Id, Ct));
        }
    }
}
