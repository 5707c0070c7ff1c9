using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Commands;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Opportunities;

/// <summary>
/// The rules that had several homes before the deals' use cases became one command each: the same mistake gets the
/// same answer wherever it is made (docs/domain.md), one default pipeline, moving a deal to another pipeline.
/// </summary>
public sealed class DealCommandsTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static string? Code(JsonElement problem, string field) =>
        problem.TryGetProperty("codes", out var codes) && codes.TryGetProperty(field, out var code) ? code.GetString() : null;

    [Fact]
    public async Task No_such_stage_is_the_same_400_field_error_on_create_on_move_and_on_a_pipeline_move()
    {
        var org = await factory.CreateOrganizationAsync("Aşamasız A.Ş.");
        var account = await factory.AccountAsync(org, "Aşama Ltd.", org.Admin.Id, city: null);
        var (o, etag) = await Sales.CreateAsync(org.Admin.Client, account, "Aşama arayan");
        var nowhere = Guid.NewGuid();

        var onCreate = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/opportunities",
            new { title = "Yok", accountId = account, stageId = nowhere, expectedAmount = 1m, expectedCloseDate = Today })).ProblemAsync(400);
        var onMove = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{o.Id}/stage", new { stageId = nowhere }, etag)).ProblemAsync(400);
        var onPipelineMove = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{o.Id}/pipeline", new { stageId = nowhere }, etag)).ProblemAsync(400);

        Assert.All([onCreate, onMove, onPipelineMove], p => Assert.Equal("stage.unknown", Code(p, "stageId")));
    }

    [Fact]
    public async Task A_missing_exchange_rate_is_the_same_field_error_as_on_quotes_on_create_and_on_edit()
    {
        var org = await factory.CreateOrganizationAsync("Kursuz A.Ş.");
        var account = await factory.AccountAsync(org, "Kur Ltd.", org.Admin.Id, city: null);
        var (o, etag) = await Sales.CreateAsync(org.Admin.Client, account, "Dövizli olacak");

        var onCreate = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/opportunities",
            new { title = "Dolar", accountId = account, expectedAmount = 1m, currency = "USD", expectedCloseDate = Today })).ProblemAsync(400);
        var onEdit = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/opportunities/{o.Id}",
            new { title = "Dolar", expectedAmount = 1m, currency = "USD", expectedCloseDate = Today }, etag)).ProblemAsync(400);
        var unknown = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/opportunities",
            new { title = "Uydurma", accountId = account, expectedAmount = 1m, currency = "XYZ", exchangeRate = 2m, expectedCloseDate = Today })).ProblemAsync(400);

        Assert.Equal("opportunity.exchange-rate-required", Code(onCreate, "exchangeRate"));
        Assert.Equal("opportunity.exchange-rate-required", Code(onEdit, "exchangeRate"));
        Assert.Equal("currency.unknown", Code(unknown, "currency"));

        // As on quotes: a rate typed for the base currency is ignored (it can only be 1), not refused.
        var (inBase, _) = await Sales.CreateAsync(org.Admin.Client, new { title = "TL", accountId = account, expectedAmount = 5m, currency = "TRY", exchangeRate = 3m, expectedCloseDate = Today });
        Assert.Equal(("TRY", 1m), (inBase.Currency, inBase.ExchangeRate));
    }

    [Fact]
    public async Task Without_a_marked_default_the_first_active_pipeline_by_name_is_the_default_for_new_deals_and_the_board()
    {
        var org = await factory.CreateOrganizationAsync("Varsayılansız A.Ş.");
        var account = await factory.AccountAsync(org, "Süreç Ltd.", org.Admin.Id, city: null);
        var (first, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "0 Öncelikli", stages = new[] { new { name = "Başla", probability = 30 } } });
        Assert.False(first.IsDefault);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            // Against the rule, but data can get there: no pipeline is marked default.
            await db.Pipelines.ExecuteUpdateAsync(s => s.SetProperty(p => p.IsDefault, false), Ct);
            Assert.Equal(first.Id, (await PipelineQueries.DefaultAsync(db, Ct))!.Id);
        }

        var (o, _) = await Sales.CreateAsync(org.Admin.Client, account, "Varsayılana düşen");
        var board = await org.Admin.Client.GetFromJsonAsync<BoardDto>("/api/v1/board", Sales.Json, Ct);

        Assert.Equal((first.Id, first.Stages[0].Id), (o.Pipeline.Id, o.Stage.Id));
        Assert.Equal(first.Id, board!.PipelineId);
    }

    [Fact]
    public async Task A_deal_moves_to_a_stage_of_another_pipeline_with_history_and_only_while_open()
    {
        var org = await factory.CreateOrganizationAsync("Süreç Değiştiren A.Ş.");
        var account = await factory.AccountAsync(org, "Bayi Ltd.", org.Admin.Id, city: null);
        var (other, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "Bayi", stages = new[] { new { name = "Başvuru", probability = 20 }, new { name = "Sözleşme", probability = 70 } } });
        var (o, etag) = await Sales.CreateAsync(org.Admin.Client, account, "Yanlış süreçte", 10_000m);
        var url = $"/api/v1/opportunities/{o.Id}/pipeline";

        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, url, new { stageId = other.Stages[1].Id })).ProblemAsync(428);
        (o, etag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, url, new { stageId = other.Stages[1].Id }, etag);

        Assert.Equal((other.Id, other.Stages[1].Id, 70, 7_000m), (o.Pipeline.Id, o.Stage.Id, o.Probability, o.WeightedAmountBase));
        var history = (await org.Admin.Client.GetFromJsonAsync<PageDto<EventDto>>($"/api/v1/opportunities/{o.Id}/history", Sales.Json, Ct))!.Items;
        var moved = history[^1];
        Assert.Equal(("StageChanged", "Yeni", "Sözleşme", "pipeline"), (moved.Kind, moved.FromStage?.Name, moved.ToStage?.Name, moved.Note));

        (o, etag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{o.Id}/won", new { }, etag);
        var closed = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, url, new { stageId = other.Stages[0].Id }, etag)).ProblemAsync(422);
        Assert.Equal("opportunity.closed", closed.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_duplicate_pipeline_or_lost_reason_name_is_the_same_field_error_from_the_check_and_from_the_unique_index()
    {
        var org = await factory.CreateOrganizationAsync("Tekil Ad A.Ş.");
        object NewPipeline(string name) => new { name, stages = new[] { new { name = "Bir", probability = 10 } } };
        var (p, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Bayi"));
        var (q, qEtag) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Proje"));

        var created = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline(" Bayi "))).ProblemAsync(400);
        var renamed = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/pipelines/{q.Id}", new { name = "Bayi" }, qEtag)).ProblemAsync(400);
        var reason = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/lost-reasons", new { name = "Fiyat" })).ProblemAsync(400);
        Assert.Equal("pipeline.name-taken", Code(created, "name"));
        Assert.Equal("pipeline.name-taken", Code(renamed, "name"));
        Assert.Equal("lost-reason.name-taken", Code(reason, "name"));

        // Two admins at once: whichever the check does not stop, the index does, with the same answer.
        var racing = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines", NewPipeline("Aynı anda"))));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.BadRequest], racing.Select(r => r.StatusCode).Order());
        Assert.Equal("pipeline.name-taken", Code(await racing.Single(r => r.StatusCode == HttpStatusCode.BadRequest).ProblemAsync(400), "name"));

        // The index itself, past every check.
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var twin = new Pipeline(org.Id, p.Name, isDefault: false);
            twin.AddStage("Bir", 10);
            db.Pipelines.Add(twin);
            var refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
            Assert.Equal("name", UseCase.UniqueField(refused));

            db.ChangeTracker.Clear();
            db.LostReasons.Add(new LostReason(org.Id, "Fiyat", 99));
            refused = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
            Assert.Equal("name", UseCase.UniqueField(refused));
        }
    }
}
