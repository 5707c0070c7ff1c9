using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Opportunities;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Pipelines;

public sealed class PipelinesApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object NewPipeline(string name, bool isDefault = false) => new
    {
        name,
        isDefault,
        stages = new object[]
        {
            new { name = "İlk temas", probability = 10, rottingDays = 14 },
            new { name = "Demo", probability = 30, rottingDays = (int?)null },
            new { name = "Teklif", probability = 60, rottingDays = 10 },
        },
    };

    [Fact]
    public async Task A_new_organization_has_one_default_pipeline_that_everyone_reads_and_only_admins_change()
    {
        var org = await factory.CreateOrganizationAsync("Okuma A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);

        var pipelines = await rep.Client.GetFromJsonAsync<List<PipelineDto>>("/api/v1/pipelines", Sales.Json, Ct);
        var only = Assert.Single(pipelines!);
        Assert.True(only.IsDefault);
        Assert.Equal(["Yeni", "Görüşme", "İhtiyaç analizi", "Teklif", "Pazarlık"], only.Stages.Select(s => s.Name));
        var reasons = await rep.Client.GetFromJsonAsync<List<LostReasonDto>>("/api/v1/lost-reasons", Sales.Json, Ct);
        Assert.Contains(reasons!, r => r.Name == "Fiyat");

        Assert.Equal(HttpStatusCode.Forbidden, (await Sales.SendAsync(rep.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Bayi"))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Sales.SendAsync(rep.Client, HttpMethod.Put, $"/api/v1/pipelines/{only.Id}", new { name = "X" }, Sales.ETag(only.Version))).StatusCode);
    }

    [Fact]
    public async Task Renaming_needs_the_current_etag_and_a_stale_one_changes_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Ad A.Ş.");
        var (created, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Bayi satışı"));
        Assert.Equal(3, created.Stages.Count);
        Assert.False(created.IsDefault);

        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/pipelines/{created.Id}", new { name = "Bayi" })).ProblemAsync(428);
        var (renamed, newEtag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Put, $"/api/v1/pipelines/{created.Id}", new { name = "Bayi kanalı" }, etag);
        Assert.NotEqual(etag, newEtag);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/pipelines/{created.Id}", new { name = "Eski" }, etag)).ProblemAsync(412);

        var stored = await org.Admin.Client.GetFromJsonAsync<PipelineDto>($"/api/v1/pipelines/{created.Id}", Sales.Json, Ct);
        Assert.Equal("Bayi kanalı", stored!.Name);
        Assert.Equal(renamed.Version, stored.Version);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Bayi kanalı"))).ProblemAsync(400);
    }

    [Fact]
    public async Task Making_a_pipeline_the_default_leaves_exactly_one_default_and_the_default_cannot_be_archived()
    {
        var org = await factory.CreateOrganizationAsync("Varsayılan A.Ş.");
        var first = await Sales.DefaultPipelineAsync(org.Admin.Client);
        var (second, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Proje"));

        var (made, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{second.Id}/default", null, etag);
        Assert.True(made.IsDefault);
        var all = await org.Admin.Client.GetFromJsonAsync<List<PipelineDto>>("/api/v1/pipelines", Sales.Json, Ct);
        Assert.Equal(second.Id, Assert.Single(all!, p => p.IsDefault).Id);

        var current = await org.Admin.Client.GetFromJsonAsync<PipelineDto>($"/api/v1/pipelines/{second.Id}", Sales.Json, Ct);
        var refused = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{second.Id}/archive", null, Sales.ETag(current!.Version))).ProblemAsync(422);
        Assert.Equal("pipeline.default", refused.GetProperty("code").GetString());

        var old = await org.Admin.Client.GetFromJsonAsync<PipelineDto>($"/api/v1/pipelines/{first.Id}", Sales.Json, Ct);
        await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{first.Id}/archive", null, Sales.ETag(old!.Version));
        var active = await org.Admin.Client.GetFromJsonAsync<List<PipelineDto>>("/api/v1/pipelines", Sales.Json, Ct);
        Assert.Equal([second.Id], active!.Select(p => p.Id));
        var withArchived = await org.Admin.Client.GetFromJsonAsync<List<PipelineDto>>("/api/v1/pipelines?includeArchived=true", Sales.Json, Ct);
        var archived = withArchived!.Single(p => p.Id == first.Id);
        Assert.True(archived.IsArchived);
        var archivedDefault = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{first.Id}/default", null, Sales.ETag(archived.Version))).ProblemAsync(422);
        Assert.Equal("pipeline.archived", archivedDefault.GetProperty("code").GetString());

        var (restored, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{first.Id}/restore", null, Sales.ETag(archived.Version));
        Assert.False(restored.IsArchived);
        Assert.Equal(2, (await org.Admin.Client.GetFromJsonAsync<List<PipelineDto>>("/api/v1/pipelines", Sales.Json, Ct))!.Count);
    }

    [Fact]
    public async Task Stages_are_added_updated_and_reordered_and_each_change_moves_the_pipeline_etag()
    {
        var org = await factory.CreateOrganizationAsync("Aşama A.Ş.");
        var (p, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Proje"));

        (p, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{p.Id}/stages",
            new { name = "Keşif", probability = 20, rottingDays = 21, position = 1 }, etag);
        Assert.Equal(["İlk temas", "Keşif", "Demo", "Teklif"], p.Stages.Select(s => s.Name));

        var demo = p.Stages.Single(s => s.Name == "Demo");
        (p, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Put, $"/api/v1/pipelines/{p.Id}/stages/{demo.Id}",
            new { name = "Ürün demosu", probability = 35, rottingDays = 5 }, etag);
        Assert.Equal(("Ürün demosu", 35, (int?)5), p.Stages.Where(s => s.Id == demo.Id).Select(s => (s.Name, s.Probability, s.RottingDays)).Single());

        var reversed = p.Stages.Select(s => s.Id).Reverse().ToList();
        (p, var afterReorder) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Put, $"/api/v1/pipelines/{p.Id}/stage-order", new { stageIds = reversed }, etag);
        Assert.Equal(reversed, p.Stages.Select(s => s.Id));

        // The old ETag is stale now: a second admin working from it is told so.
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{p.Id}/stages", new { name = "Geç", probability = 5 }, etag)).ProblemAsync(412);
        var outcome = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{p.Id}/stages", new { name = "Kazanıldı", probability = 100 }, afterReorder)).ProblemAsync(422);
        Assert.Equal("stage.outcome-name", outcome.GetProperty("code").GetString());
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/pipelines/{p.Id}/stage-order", new { stageIds = reversed.Take(2) }, afterReorder)).ProblemAsync(422);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/pipelines/{p.Id}/stages", new { name = "Fazla", probability = 101 }, afterReorder)).ProblemAsync(400);

        var stored = await org.Admin.Client.GetFromJsonAsync<PipelineDto>($"/api/v1/pipelines/{p.Id}", Sales.Json, Ct);
        Assert.Equal(reversed, stored!.Stages.Select(s => s.Id));
    }

    [Fact]
    public async Task Removing_a_stage_with_opportunities_needs_a_target_and_moves_every_deal_there_with_history()
    {
        var org = await factory.CreateOrganizationAsync("Kaldırma A.Ş.");
        var (p, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Proje"));
        var (first, demo, offer) = (p.Stages[0], p.Stages[1], p.Stages[2]);
        var account = await factory.AccountAsync(org, "Yıldız Makina", org.Admin.Id, city: null);

        // More deals than one batch, one of them already won: all of them point at the stage.
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = await db.Stages.SingleAsync(s => s.Id == demo.Id, Ct);
            var deals = Enumerable.Range(0, Kazan.Features.Pipelines.PipelineCommands.MoveBatchSize + 20)
                .Select(i => new Opportunity(org.Id, org.Admin.Id, account, stage, $"Hat {i}", 1000m + i, "TRY", 1m, new DateOnly(2026, 6, 1), org.Admin.Id, DateTimeOffset.UtcNow))
                .ToList();
            deals[0].MarkWon(org.Admin.Id, DateTimeOffset.UtcNow, new DateOnly(2026, 5, 1));
            db.Opportunities.AddRange(deals);
            await db.SaveChangesAsync(Ct);
        }

        var refused = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Delete, $"/api/v1/pipelines/{p.Id}/stages/{demo.Id}", null, etag)).ProblemAsync(422);
        Assert.Equal("pipeline.stage-not-empty", refused.GetProperty("code").GetString());
        var other = await Sales.DefaultPipelineAsync(org.Admin.Client);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Delete, $"/api/v1/pipelines/{p.Id}/stages/{demo.Id}?moveTo={other.Stages[0].Id}", null, etag)).ProblemAsync(422);

        var (after, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Delete, $"/api/v1/pipelines/{p.Id}/stages/{demo.Id}?moveTo={offer.Id}", null, etag);

        Assert.Equal([(first.Id, 0), (offer.Id, 1)], after.Stages.Select(s => (s.Id, s.Position)));
        (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var deals = await db.Opportunities.Where(o => o.PipelineId == p.Id).ToListAsync(Ct);
            Assert.Equal(PipelineCommandsBatch + 20, deals.Count);
            Assert.All(deals, o => Assert.Equal(offer.Id, o.StageId));
            Assert.All(deals.Where(o => o.Status == OpportunityStatus.Open), o => Assert.Equal(60, o.Probability));
            Assert.Equal(OpportunityStatus.Won, deals.Single(o => o.Title == "Hat 0").Status);
            var moves = await db.OpportunityEvents.Where(e => e.Kind == OpportunityEventKind.StageChanged && e.FromStageId == demo.Id).ToListAsync(Ct);
            Assert.Equal(deals.Select(d => d.Id).Order(), moves.Select(m => m.OpportunityId).Order());
            Assert.All(moves, m => Assert.Equal((offer.Id, org.Admin.Id, Opportunity.StageRemovedNote), (m.ToStageId!.Value, m.UserId, m.Note)));
            Assert.False(await db.Stages.AnyAsync(s => s.Id == demo.Id, Ct));
        }
    }

    private const int PipelineCommandsBatch = Kazan.Features.Pipelines.PipelineCommands.MoveBatchSize;

    [Fact]
    public async Task An_empty_stage_is_removed_without_a_target_but_the_last_stage_stays()
    {
        var org = await factory.CreateOrganizationAsync("Boş Aşama A.Ş.");
        var (p, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "Tek", stages = new[] { new { name = "A", probability = 10 }, new { name = "B", probability = 20 } } });

        (p, etag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Delete, $"/api/v1/pipelines/{p.Id}/stages/{p.Stages[1].Id}", null, etag);
        var last = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Delete, $"/api/v1/pipelines/{p.Id}/stages/{p.Stages[0].Id}", null, etag)).ProblemAsync(422);

        Assert.Equal("pipeline.last-stage", last.GetProperty("code").GetString());
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", new { name = "Boş", stages = Array.Empty<object>() })).ProblemAsync(400);
    }

    [Fact]
    public async Task Lost_reasons_are_added_renamed_deactivated_and_reordered_by_admins()
    {
        var org = await factory.CreateOrganizationAsync("Neden A.Ş.");
        var (added, etag) = await Sales.OkAsync<LostReasonDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/lost-reasons", new { name = "Teslim süresi" });
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/lost-reasons", new { name = "Teslim süresi" })).ProblemAsync(400);

        var (renamed, _) = await Sales.OkAsync<LostReasonDto>(org.Admin.Client, HttpMethod.Put, $"/api/v1/lost-reasons/{added.Id}", new { name = "Uzun teslim süresi" }, etag);
        Assert.Equal("Uzun teslim süresi", renamed.Name);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/lost-reasons/{added.Id}", new { name = "Eski" }, etag)).ProblemAsync(412);

        var price = (await org.Admin.Client.GetFromJsonAsync<List<LostReasonDto>>("/api/v1/lost-reasons", Sales.Json, Ct))!.Single(r => r.Name == "Fiyat");
        await Sales.OkAsync<LostReasonDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/lost-reasons/{price.Id}/deactivate");
        var offered = await org.Admin.Client.GetFromJsonAsync<List<LostReasonDto>>("/api/v1/lost-reasons", Sales.Json, Ct);
        Assert.DoesNotContain(offered!, r => r.Id == price.Id);

        var all = (await org.Admin.Client.GetFromJsonAsync<List<LostReasonDto>>("/api/v1/lost-reasons?includeInactive=true", Sales.Json, Ct))!;
        var order = all.Select(r => r.Id).Reverse().ToList();
        var (reordered, _) = await Sales.OkAsync<List<LostReasonDto>>(org.Admin.Client, HttpMethod.Put, "/api/v1/lost-reasons/order", new { ids = order });
        Assert.Equal(order, reordered.Select(r => r.Id));
        Assert.False(reordered.Single(r => r.Id == price.Id).IsActive);

        var rep = await org.AddUserAsync(UserRole.Rep);
        Assert.Equal(HttpStatusCode.Forbidden, (await Sales.SendAsync(rep.Client, HttpMethod.Post, $"/api/v1/lost-reasons/{price.Id}/activate")).StatusCode);
        var (again, _) = await Sales.OkAsync<LostReasonDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/lost-reasons/{price.Id}/activate");
        Assert.True(again.IsActive);
        Assert.Contains((await rep.Client.GetFromJsonAsync<List<LostReasonDto>>("/api/v1/lost-reasons", Sales.Json, Ct))!, r => r.Id == price.Id);
    }
}
