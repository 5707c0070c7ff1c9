using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Activities;
using Kazan.Features.Contacts;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Opportunities;

public sealed class OpportunitiesApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The organization's day (Turkey's): what a deal closed "today" is dated, also between 00:00 and 03:00 there.</summary>
    private static DateOnly OrgToday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Kazan.Infrastructure.Time.OrganizationTime.DefaultZone).DateTime);

    [Fact]
    public async Task A_deal_created_with_only_the_essentials_lands_in_the_default_pipeline_first_stage_in_the_base_currency()
    {
        var org = await factory.CreateOrganizationAsync("Temel A.Ş.");
        var account = await factory.AccountAsync(org, "Anadolu Döküm", org.Admin.Id, city: null);
        var pipeline = await Sales.DefaultPipelineAsync(org.Admin.Client);

        var (o, etag) = await Sales.CreateAsync(org.Admin.Client, account, "Pres hattı", 250_000m);

        Assert.Equal(Sales.ETag(o.Version), etag);
        Assert.Equal((pipeline.Id, pipeline.Stages[0].Id, "Yeni"), (o.Pipeline.Id, o.Stage.Id, o.Stage.Name));
        Assert.Equal(("Anadolu Döküm", org.Admin.Id, "Open"), (o.Account.Name, o.Owner.Id, o.Status));
        Assert.Equal(("TRY", 1m, "TRY"), (o.Currency, o.ExchangeRate, o.BaseCurrency));
        Assert.Equal(("Expected", 250_000m, 25_000m, 10), (o.ForecastSource, o.ForecastAmountBase, o.WeightedAmountBase, o.Probability));
        Assert.Null(o.QuotedAmount);
        Assert.False(o.IsOverdue);
    }

    [Fact]
    public async Task A_foreign_currency_needs_its_exchange_rate_and_the_base_amounts_use_it()
    {
        var org = await factory.CreateOrganizationAsync("Döviz A.Ş.");
        var account = await factory.AccountAsync(org, "Berlin GmbH", org.Admin.Id, city: null);
        var close = Today.AddDays(40);

        var missing = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/opportunities",
            new { title = "İhracat", accountId = account, expectedAmount = 10_000m, currency = "EUR", expectedCloseDate = close })).ProblemAsync(400);
        Assert.True(missing.GetProperty("errors").TryGetProperty("exchangeRate", out _));
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, "/api/v1/opportunities",
            new { title = "İhracat", accountId = account, expectedAmount = 10_000m, currency = "XYZ", exchangeRate = 2m, expectedCloseDate = close })).ProblemAsync(400);

        var (o, _) = await Sales.CreateAsync(org.Admin.Client, new { title = "İhracat", accountId = account, expectedAmount = 10_000m, currency = "eur", exchangeRate = 48.5m, expectedCloseDate = close });

        Assert.Equal(("EUR", 48.5m, 485_000m, 48_500m), (o.Currency, o.ExchangeRate, o.ForecastAmountBase, o.WeightedAmountBase));
    }

    [Fact]
    public async Task Bad_input_on_create_is_a_field_problem_and_nothing_is_stored()
    {
        var org = await factory.CreateOrganizationAsync("Hatalı Girdi A.Ş.");
        var (rep, repAccount) = await Sales.RepWithAccountAsync(factory, org, "Rep'in müşterisi");
        var adminAccount = await factory.AccountAsync(org, "Yöneticinin müşterisi", org.Admin.Id, city: null);
        var pipeline = await Sales.DefaultPipelineAsync(org.Admin.Client);
        var (other, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "Bayi", stages = new[] { new { name = "Başvuru", probability = 20 } } });
        var close = Today.AddDays(10);

        async Task Rejected(HttpClient client, object body, string field)
        {
            var problem = await (await Sales.SendAsync(client, HttpMethod.Post, "/api/v1/opportunities", body)).ProblemAsync(400);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error on {field}: {problem}");
        }

        await Rejected(rep.Client, new { title = "Görmediği müşteri", accountId = adminAccount, expectedAmount = 1m, expectedCloseDate = close }, "accountId");
        await Rejected(org.Admin.Client, new { title = "Yanlış aşama", accountId = adminAccount, pipelineId = pipeline.Id, stageId = other.Stages[0].Id, expectedAmount = 1m, expectedCloseDate = close }, "stageId");
        await Rejected(rep.Client, new { title = "Başkasına", accountId = repAccount, ownerId = org.Admin.Id, expectedAmount = 1m, expectedCloseDate = close }, "ownerId");
        await Rejected(org.Admin.Client, new { title = "", accountId = adminAccount, expectedAmount = 1m, expectedCloseDate = close }, "Title");

        var list = await org.Admin.Client.GetFromJsonAsync<PageDto<ListItemDto>>("/api/v1/opportunities", Sales.Json, Ct);
        Assert.Empty(list!.Items);

        // The stage alone is enough: its pipeline is implied.
        var (inOther, _) = await Sales.CreateAsync(org.Admin.Client, adminAccount, "Bayi fırsatı", stageId: other.Stages[0].Id);
        Assert.Equal(other.Id, inOther.Pipeline.Id);
    }

    [Fact]
    public async Task Reading_a_deal_shows_its_flags_next_activity_contacts_and_etag()
    {
        var org = await factory.CreateOrganizationAsync("Detay A.Ş.");
        var account = await factory.AccountAsync(org, "Kuzey Enerji", org.Admin.Id, city: null);
        var (o, _) = await Sales.CreateAsync(org.Admin.Client, account, "Trafo bakımı", close: Today.AddDays(-3));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        Guid contactId;
        using (scope)
        {
            var now = DateTimeOffset.UtcNow;
            var later = new Activity(org.Id, org.Admin.Id, ActivityKind.Meeting, "Saha ziyareti", account, o.Id, now.AddDays(5), now);
            var sooner = new Activity(org.Id, org.Admin.Id, ActivityKind.Call, "Fiyatı konuş", account, o.Id, now.AddDays(1), now);
            var undated = new Activity(org.Id, org.Admin.Id, ActivityKind.Task, "Katalog gönder", account, o.Id, null, now);
            var done = new Activity(org.Id, org.Admin.Id, ActivityKind.Call, "İlk arama", account, o.Id, now.AddDays(-2), now);
            done.MarkDone(now);
            var contact = new Contact(org.Id, org.Admin.Id, account, "Zeynep", "Kaya", now);
            db.AddRange(later, sooner, undated, done, contact);
            await db.SaveChangesAsync(Ct);
            contactId = contact.Id;
        }

        await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{o.Id}/contacts", new { contactId, role = "Satın alma" });
        var response = await org.Admin.Client.GetAsync($"/api/v1/opportunities/{o.Id}", Ct);
        var read = (await response.Content.ReadFromJsonAsync<OpportunityDto>(Sales.Json, Ct))!;

        Assert.Equal(Sales.ETag(read.Version), response.Headers.ETag!.ToString());
        Assert.True(read.IsOverdue);
        Assert.Equal("Fiyatı konuş", read.NextActivity!.Subject);
        Assert.Equal(("Zeynep Kaya", "Satın alma"), (read.Contacts.Single().Name, read.Contacts.Single().Role));

        Assert.Equal(HttpStatusCode.NoContent, (await Sales.SendAsync(org.Admin.Client, HttpMethod.Delete, $"/api/v1/opportunities/{o.Id}/contacts/{contactId}")).StatusCode);
        Assert.Empty((await Sales.GetAsync(org.Admin.Client, o.Id)).Contacts);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{o.Id}/contacts", new { contactId = Guid.NewGuid() })).ProblemAsync(400);
    }

    [Fact]
    public async Task Updating_details_needs_if_match_and_a_stale_version_changes_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Güncelleme A.Ş.");
        var account = await factory.AccountAsync(org, "Marmara Gıda", org.Admin.Id, city: null);
        var (o, etag) = await Sales.CreateAsync(org.Admin.Client, account, "Soğuk hava deposu", 100_000m);
        var body = new { title = "Soğuk hava deposu (2 oda)", expectedAmount = 180_000m, currency = "TRY", expectedCloseDate = Today.AddDays(60), source = "Fuar", nextStep = "Keşif" };

        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/opportunities/{o.Id}", body)).ProblemAsync(428);
        var (updated, newEtag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Put, $"/api/v1/opportunities/{o.Id}", body, etag);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/opportunities/{o.Id}", body with { }, etag)).ProblemAsync(412);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Put, $"/api/v1/opportunities/{o.Id}",
            new { title = "Dolar", expectedAmount = 1m, currency = "USD", expectedCloseDate = Today }, newEtag)).ProblemAsync(400);

        var stored = await Sales.GetAsync(org.Admin.Client, o.Id);
        Assert.Equal(("Soğuk hava deposu (2 oda)", 180_000m, "Fuar", "Keşif"), (stored.Title, stored.ExpectedAmount, stored.Source, stored.NextStep));
        Assert.Equal(updated.Version, stored.Version);
    }

    [Fact]
    public async Task Stage_moves_outcomes_and_reopening_go_through_the_verbs_and_bad_input_changes_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Yaşam Döngüsü A.Ş.");
        var account = await factory.AccountAsync(org, "Ege Tekstil", org.Admin.Id, city: null);
        var pipeline = await Sales.DefaultPipelineAsync(org.Admin.Client);
        var (other, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "Bayi", stages = new[] { new { name = "Başvuru", probability = 20 } } });
        var (o, etag) = await Sales.CreateAsync(org.Admin.Client, account, "Boya makinesi", 40_000m);
        var url = $"/api/v1/opportunities/{o.Id}";

        var foreign = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, url + "/stage", new { stageId = other.Stages[0].Id }, etag)).ProblemAsync(422);
        Assert.Equal("opportunity.stage-of-other-pipeline", foreign.GetProperty("code").GetString());
        (o, etag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, url + "/stage", new { stageId = pipeline.Stages[3].Id }, etag);
        Assert.Equal(("Teklif", 60, 24_000m), (o.Stage.Name, o.Probability, o.WeightedAmountBase));

        (o, etag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Put, url + "/probability", new { probability = 75 }, etag);
        Assert.Equal((75, (int?)75, 60), (o.Probability, o.ProbabilityOverride, o.StageProbability));
        (o, etag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Put, url + "/probability", new { probability = (int?)null }, etag);
        Assert.Equal((60, (int?)null), (o.Probability, o.ProbabilityOverride));

        var noReason = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, url + "/lost", new { note = "Sebepsiz" }, etag)).ProblemAsync(422);
        Assert.Equal("opportunity.lost-reason-required", noReason.GetProperty("code").GetString());
        Assert.Equal("Open", (await Sales.GetAsync(org.Admin.Client, o.Id)).Status);

        var reason = (await org.Admin.Client.GetFromJsonAsync<List<LostReasonDto>>("/api/v1/lost-reasons", Sales.Json, Ct))!.First(r => r.Name == "Fiyat");
        (o, etag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, url + "/lost", new { lostReasonId = reason.Id, note = "Çin malı" }, etag);
        Assert.Equal(("Lost", 0, "Fiyat", "Çin malı", OrgToday), (o.Status, o.Probability, o.LostReason!.Name, o.LostNote, o.ClosedOn!.Value));
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, url + "/won", new { }, etag)).ProblemAsync(422);

        (o, etag) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, url + "/reopen", new { reason = "Yeniden teklif istendi" }, etag);
        Assert.Equal(("Open", 60, (DateOnly?)null), (o.Status, o.Probability, o.ClosedOn));
        (o, _) = await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, url + "/won", new { closedOn = Today.AddDays(-1) }, etag);
        Assert.Equal(("Won", 100, Today.AddDays(-1)), (o.Status, o.Probability, o.ClosedOn!.Value));

        var history = await org.Admin.Client.GetFromJsonAsync<PageDto<EventDto>>(url + "/history", Sales.Json, Ct);
        // The two probability changes moved the forecast: each is in the history as a change.
        Assert.Equal(["Created", "StageChanged", "Changed", "Changed", "Lost", "Reopened", "Won"], history!.Items.Select(e => e.Kind));
        Assert.Equal(("Yeni", "Teklif"), (history.Items[1].FromStage!.Name, history.Items[1].ToStage!.Name));
        Assert.Equal("Fiyat", history.Items[4].LostReason!.Name);
        Assert.All(history.Items, e => Assert.Equal(org.Admin.Id, e.User.Id));
    }

    [Fact]
    public async Task A_move_with_a_stale_version_gets_412_and_the_deal_stays_in_its_stage()
    {
        var org = await factory.CreateOrganizationAsync("Bayat A.Ş.");
        var account = await factory.AccountAsync(org, "Trakya Cam", org.Admin.Id, city: null);
        var pipeline = await Sales.DefaultPipelineAsync(org.Admin.Client);
        var (o, etag) = await Sales.CreateAsync(org.Admin.Client, account, "Cam fırını");
        var url = $"/api/v1/opportunities/{o.Id}/stage";

        await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, url, new { stageId = pipeline.Stages[1].Id }, etag);
        var stale = await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, url, new { stageId = pipeline.Stages[4].Id }, etag)).ProblemAsync(412);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, url, new { stageId = pipeline.Stages[4].Id })).ProblemAsync(428);

        Assert.Equal("version.conflict", stale.GetProperty("code").GetString());
        Assert.Equal(pipeline.Stages[1].Id, (await Sales.GetAsync(org.Admin.Client, o.Id)).Stage.Id);
    }

    [Fact]
    public async Task A_rep_reaches_only_own_deals_and_a_transfer_hands_one_over_with_history()
    {
        var org = await factory.CreateOrganizationAsync("Görünürlük A.Ş.");
        var (ali, aliAccount) = await Sales.RepWithAccountAsync(factory, org, "Ali'nin müşterisi");
        var (ayse, ayseAccount) = await Sales.RepWithAccountAsync(factory, org, "Ayşe'nin müşterisi");
        var (mine, etag) = await Sales.CreateAsync(ali.Client, aliAccount, "Ali'nin fırsatı");
        var (hers, _) = await Sales.CreateAsync(ayse.Client, ayseAccount, "Ayşe'nin fırsatı");

        var list = await ali.Client.GetFromJsonAsync<PageDto<ListItemDto>>("/api/v1/opportunities", Sales.Json, Ct);
        Assert.Equal([mine.Id], list!.Items.Select(i => i.Id));
        await (await ali.Client.GetAsync($"/api/v1/opportunities/{hers.Id}", Ct)).ProblemAsync(404);
        await (await ali.Client.GetAsync($"/api/v1/opportunities/{hers.Id}/history", Ct)).ProblemAsync(404);
        await (await Sales.SendAsync(ali.Client, HttpMethod.Post, $"/api/v1/opportunities/{hers.Id}/won", new { }, Sales.ETag(hers.Version))).ProblemAsync(404);

        var handed = await Sales.SendAsync(ali.Client, HttpMethod.Post, $"/api/v1/opportunities/{mine.Id}/transfer", new { ownerId = ayse.Id }, etag);
        Assert.Equal(HttpStatusCode.NoContent, handed.StatusCode); // Ali no longer sees it

        var theirs = await Sales.GetAsync(ayse.Client, mine.Id);
        Assert.Equal(ayse.Id, theirs.Owner.Id);
        var history = await org.Admin.Client.GetFromJsonAsync<PageDto<EventDto>>($"/api/v1/opportunities/{mine.Id}/history", Sales.Json, Ct);
        var transfer = history!.Items.Last();
        Assert.Equal(("OwnerChanged", ali.Id, ayse.Id, ali.Id), (transfer.Kind, transfer.FromOwner!.Id, transfer.ToOwner!.Id, transfer.User.Id));
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{mine.Id}/transfer", new { ownerId = Guid.NewGuid() }, Sales.ETag(theirs.Version))).ProblemAsync(422);
    }

    [Fact]
    public async Task The_list_filters_by_owner_team_pipeline_stage_status_dates_amounts_and_flags()
    {
        var org = await factory.CreateOrganizationAsync("Filtre A.Ş.");
        var team = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Ankara" }, Ct)).Content.ReadFromJsonAsync<RefDto>(Ct);
        var (rep, repAccount) = await Sales.RepWithAccountAsync(factory, org, "Başkent Ltd.", team!.Id);
        var account = await factory.AccountAsync(org, "İzmir Liman", org.Admin.Id, city: null);
        var pipeline = await Sales.DefaultPipelineAsync(org.Admin.Client);
        var (other, _) = await Sales.OkAsync<PipelineDto>(org.Admin.Client, HttpMethod.Post, "/api/v1/pipelines",
            new { name = "Bayi", stages = new[] { new { name = "Başvuru", probability = 20 } } });

        var (small, _) = await Sales.CreateAsync(org.Admin.Client, account, "Küçük", 5_000m, close: Today.AddDays(5));
        var (late, _) = await Sales.CreateAsync(org.Admin.Client, account, "Gecikmiş", 20_000m, close: Today.AddDays(-2));
        var (big, bigEtag) = await Sales.CreateAsync(org.Admin.Client, account, "Büyük", 900_000m, stageId: pipeline.Stages[2].Id, close: Today.AddDays(90));
        var (repDeal, _) = await Sales.CreateAsync(rep.Client, repAccount, "Rep fırsatı", 50_000m, close: Today.AddDays(20));
        var (dealer, _) = await Sales.CreateAsync(org.Admin.Client, account, "Bayi başvurusu", 10_000m, pipelineId: other.Id, close: Today.AddDays(7));
        await Sales.OkAsync<OpportunityDto>(org.Admin.Client, HttpMethod.Post, $"/api/v1/opportunities/{big.Id}/won", new { }, bigEtag);

        // "Rotting": the first stage rots after 14 idle days; age one deal by moving its stage entry back.
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            await db.Opportunities.Where(o => o.Id == small.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.StageEnteredAt, DateTimeOffset.UtcNow.AddDays(-20)), Ct);
        }

        async Task<List<Guid>> Ids(string query) =>
            (await org.Admin.Client.GetFromJsonAsync<PageDto<ListItemDto>>("/api/v1/opportunities?" + query, Sales.Json, Ct))!.Items.Select(i => i.Id).ToList();

        Assert.Equal([late.Id, small.Id, dealer.Id, repDeal.Id, big.Id], await Ids(""));
        Assert.Equal([repDeal.Id], await Ids($"ownerId={rep.Id}"));
        Assert.Equal([repDeal.Id], await Ids($"teamId={team.Id}"));
        Assert.Equal([dealer.Id], await Ids($"pipelineId={other.Id}"));
        Assert.Equal([big.Id], await Ids($"stageId={pipeline.Stages[2].Id}"));
        Assert.Equal([big.Id], await Ids("status=Won"));
        Assert.Equal([small.Id, dealer.Id, repDeal.Id], await Ids($"closeFrom={Today:yyyy-MM-dd}&closeTo={Today.AddDays(30):yyyy-MM-dd}"));
        Assert.Equal([late.Id, dealer.Id, repDeal.Id], await Ids("amountMin=10000&amountMax=50000"));
        Assert.Equal([late.Id], await Ids("overdue=true"));
        Assert.Equal([small.Id], await Ids("rotting=true"));
        Assert.Equal([big.Id, repDeal.Id, late.Id, dealer.Id, small.Id], await Ids("sort=Amount&desc=true"));
        Assert.Equal([small.Id, late.Id, big.Id, repDeal.Id, dealer.Id], await Ids("sort=Created"));
        Assert.Equal([late.Id, small.Id, dealer.Id], await Ids("mine=true&status=Open"));
        await (await org.Admin.Client.GetAsync("/api/v1/opportunities?cursor=bad", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/opportunities?status=Maybe", Ct)).ProblemAsync(400);
    }

    [Fact]
    public async Task Keyset_pages_cover_every_deal_once_in_a_stable_order_even_with_equal_amounts()
    {
        var org = await factory.CreateOrganizationAsync("Sayfa A.Ş.");
        var account = await factory.AccountAsync(org, "Sayfa Müşterisi", org.Admin.Id, city: null);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync(Ct);
            db.Opportunities.AddRange(Enumerable.Range(0, 23).Select(i => new Kazan.Features.Opportunities.Opportunity(
                org.Id, org.Admin.Id, account, stage, $"Fırsat {i}", (i % 4) * 1000m, "TRY", 1m, Today.AddDays(i % 3), org.Admin.Id, DateTimeOffset.UtcNow)));
            await db.SaveChangesAsync(Ct);
        }

        foreach (var sort in new[] { "sort=Amount", "sort=Amount&desc=true", "sort=CloseDate", "sort=Created&desc=true" })
        {
            var seen = new List<ListItemDto>();
            string? cursor = null;
            do
            {
                var page = await org.Admin.Client.GetFromJsonAsync<PageDto<ListItemDto>>(
                    $"/api/v1/opportunities?{sort}&limit=5" + (cursor is null ? "" : "&cursor=" + cursor), Sales.Json, Ct);
                seen.AddRange(page!.Items);
                cursor = page.Next;
            }
            while (cursor is not null);

            Assert.Equal(23, seen.Count);
            Assert.Equal(23, seen.Select(s => s.Id).Distinct().Count());
            var all = await org.Admin.Client.GetFromJsonAsync<PageDto<ListItemDto>>($"/api/v1/opportunities?{sort}&limit=100", Sales.Json, Ct);
            Assert.Equal(all!.Items.Select(i => i.Id), seen.Select(s => s.Id));
        }

        var amounts = (await org.Admin.Client.GetFromJsonAsync<PageDto<ListItemDto>>("/api/v1/opportunities?sort=Amount&limit=100", Sales.Json, Ct))!.Items.Select(i => i.ForecastAmountBase).ToList();
        Assert.Equal(amounts.Order(), amounts);
    }

    [Fact]
    public async Task Saved_filters_belong_to_their_user()
    {
        var org = await factory.CreateOrganizationAsync("Kayıtlı Filtre A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);

        var (saved, etag) = await Sales.OkAsync<SavedFilterDto>(rep.Client, HttpMethod.Post, "/api/v1/saved-filters",
            new { area = "opportunities", name = "Bu ay kapanacaklar", query = "closeTo=2026-12-31&status=Open" });
        await (await Sales.SendAsync(rep.Client, HttpMethod.Post, "/api/v1/saved-filters", new { area = "opportunities", name = "Bu ay kapanacaklar", query = "" })).ProblemAsync(400);
        await (await Sales.SendAsync(rep.Client, HttpMethod.Post, "/api/v1/saved-filters", new { area = "quotes", name = "X", query = "" })).ProblemAsync(400);

        var (renamed, _) = await Sales.OkAsync<SavedFilterDto>(rep.Client, HttpMethod.Put, $"/api/v1/saved-filters/{saved.Id}", new { name = "Açık ve bu yıl", query = "?status=Open" }, etag);
        Assert.Equal(("Açık ve bu yıl", "status=Open"), (renamed.Name, renamed.Query));
        await (await Sales.SendAsync(rep.Client, HttpMethod.Put, $"/api/v1/saved-filters/{saved.Id}", new { name = "Eski", query = "" }, etag)).ProblemAsync(412);

        var mine = await rep.Client.GetFromJsonAsync<List<SavedFilterDto>>("/api/v1/saved-filters?area=opportunities", Sales.Json, Ct);
        Assert.Equal([saved.Id], mine!.Select(f => f.Id));
        var adminSees = await org.Admin.Client.GetFromJsonAsync<List<SavedFilterDto>>("/api/v1/saved-filters?area=opportunities", Sales.Json, Ct);
        Assert.Empty(adminSees!);
        await (await org.Admin.Client.GetAsync($"/api/v1/saved-filters/{saved.Id}", Ct)).ProblemAsync(404);
        await (await Sales.SendAsync(org.Admin.Client, HttpMethod.Delete, $"/api/v1/saved-filters/{saved.Id}")).ProblemAsync(404);

        Assert.Equal(HttpStatusCode.NoContent, (await Sales.SendAsync(rep.Client, HttpMethod.Delete, $"/api/v1/saved-filters/{saved.Id}")).StatusCode);
        Assert.Empty((await rep.Client.GetFromJsonAsync<List<SavedFilterDto>>("/api/v1/saved-filters?area=opportunities", Sales.Json, Ct))!);
    }
}
