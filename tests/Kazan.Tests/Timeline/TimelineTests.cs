using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Tests.Activities;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Timeline;

// Its own host: the tests set and move the clock, which every class sharing the host would see.
public sealed class TimelineTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeClock Clock => factory.Clock;

    private void Tick() => Clock.Advance(TimeSpan.FromMinutes(1));

    private static async Task<Guid> CreateActivityAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/activities", body, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<IdDto>(Ct))!.Id;
    }

    private static async Task<List<ItemDto>> ReadAllAsync(HttpClient client, string url, int limit)
    {
        var items = new List<ItemDto>();
        string? cursor = null;
        do
        {
            var response = await client.GetAsync($"{url}?limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"), Ct);
            await response.EnsureSuccessAsync();
            var page = (await response.Content.ReadFromJsonAsync<PageDto>(Ct))!;
            Assert.True(page.Items.Count <= limit);
            items.AddRange(page.Items);
            cursor = page.Next;
        }
        while (cursor is not null);
        return items;
    }

    [Fact]
    public async Task An_opportunity_timeline_merges_its_history_activities_and_field_changes_newest_first_in_Turkish()
    {
        Clock.Now = ClockedKazanFactory.Start;
        var org = await factory.CreateOrganizationAsync("Tarihçe A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Zeynep Satış");
        var sales = new SalesArrange(factory, org, Clock);
        var account = await sales.AccountAsync("Marmara Boya");
        var deal = await sales.OpportunityAsync(account, "Boya hattı");
        Tick();
        var call = await CreateActivityAsync(org.Admin.Client, new { kind = "Call", subject = "İlk arama", accountId = account, opportunityId = deal, dueAt = Clock.Now.AddDays(1) });
        Tick();
        await sales.ChangeOpportunityAsync(deal, (o, stages, _) => o.MoveTo(stages[3], org.Admin.Id, Clock.Now));
        Tick();
        await sales.ChangeOpportunityAsync(deal, (o, _, _) => o.Rename("Boya hattı (revize)"));
        Tick();
        await (await org.Admin.Client.PostAsync($"/api/v1/activities/{call}/done", null, Ct)).EnsureSuccessAsync();
        Tick();
        await sales.ChangeOpportunityAsync(deal, (o, _, reasons) => o.MarkLost(reasons[0], null, org.Admin.Id, Clock.Now, Kazan.Infrastructure.Time.OrganizationTime.DayIn(Kazan.Infrastructure.Time.OrganizationTime.DefaultZone, Clock.Now)));
        Tick();
        await sales.ChangeOpportunityAsync(deal, (o, _, _) => o.Reopen(org.Admin.Id, Clock.Now));
        Tick();
        await sales.ChangeOpportunityAsync(deal, (o, _, _) => o.TransferTo(rep.Id, org.Admin.Id, Clock.Now));

        var items = await ReadAllAsync(org.Admin.Client, $"/api/v1/opportunities/{deal}/timeline", 50);

        Assert.Equal(
            ["OwnerChanged", "Reopened", "Lost", "ActivityDone", "RecordChanged", "StageChanged", "ActivityCreated", "OpportunityCreated"],
            items.Select(i => i.Kind));
        Assert.Equal("Sahibi değişti: Admin Tarihçe A.Ş. → Zeynep Satış", items[0].Text);
        Assert.Equal("Yeniden açıldı", items[1].Text);
        Assert.Equal("Kaybedildi olarak işaretlendi: Fiyat", items[2].Text);
        Assert.Equal("Arama tamamlandı: İlk arama", items[3].Text);
        Assert.Equal("Fırsat Boya hattı (revize) değişti: Başlık: Boya hattı → Boya hattı (revize)", items[4].Text);
        Assert.Equal("Aşama değişti: Yeni → Teklif", items[5].Text);
        Assert.StartsWith("Arama planlandı: İlk arama (son tarih 11.03.2026", items[6].Text, StringComparison.Ordinal);
        Assert.Equal("Fırsat Yeni aşamasında oluşturuldu", items[7].Text);
        Assert.All(items, i => Assert.Equal("Admin Tarihçe A.Ş.", i.UserName));
        Assert.Equal(items.OrderByDescending(i => i.At).Select(i => i.Id), items.Select(i => i.Id));
    }

    [Fact]
    public async Task An_account_timeline_adds_the_accounts_own_changes_its_contacts_and_every_deal_in_the_callers_language()
    {
        Clock.Now = ClockedKazanFactory.Start;
        var org = await factory.CreateOrganizationAsync("History Ltd.", culture: "en-US");
        var sales = new SalesArrange(factory, org, Clock);
        var account = await sales.AccountAsync("Acme Makina");
        Tick();
        var contact = await sales.ContactAsync(account, "Deniz", "Aksoy");
        Tick();
        var deal = await sales.OpportunityAsync(account, "Press line");
        Tick();
        await CreateActivityAsync(org.Admin.Client, new { kind = "Note", subject = "Budget approved", accountId = account, opportunityId = deal });
        Tick();
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            (await db.Contacts.FirstAsync(c => c.Id == contact, Ct)).Phone = "0532 111 22 33";
            (await db.Accounts.FirstAsync(a => a.Id == account, Ct)).Rename("Acme Makina A.Ş.");
            await db.SaveChangesAsync(Ct);
        }

        var unrelated = await sales.AccountAsync("Unrelated");
        await sales.OpportunityAsync(unrelated, "Not this one");

        var items = await ReadAllAsync(org.Admin.Client, $"/api/v1/accounts/{account}/timeline", 50);
        var texts = items.Select(i => i.Text).ToList();

        Assert.Contains("Account Acme Makina A.Ş. changed: Name: Acme Makina → Acme Makina A.Ş.", texts);
        Assert.Contains("Contact Deniz Aksoy changed: Phone: – → 0532 111 22 33", texts);
        Assert.Equal("Press line: Note: Budget approved", items.Single(i => i.Kind == "ActivityCreated").Text);
        Assert.Equal("Press line: Opportunity created in stage New", items.Single(i => i.Kind == "OpportunityCreated").Text);
        Assert.Equal(["Account Acme Makina A.Ş. created", "Contact Deniz Aksoy created"],
            items.Where(i => i.Kind == "RecordCreated").Select(i => i.Text).Reverse());
        Assert.DoesNotContain(texts, t => t.Contains("Not this one", StringComparison.Ordinal) || t.Contains("Unrelated", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("LastActivityAt", StringComparison.Ordinal));
        Assert.Equal(items.OrderByDescending(i => i.At).Select(i => i.Id), items.Select(i => i.Id));
    }

    [Fact]
    public async Task The_timeline_pages_newest_first_without_gaps_or_repeats_even_when_sources_share_an_instant()
    {
        Clock.Now = ClockedKazanFactory.Start;
        var org = await factory.CreateOrganizationAsync("Sayfa A.Ş.");
        var sales = new SalesArrange(factory, org, Clock);
        var account = await sales.AccountAsync("Sayfalı Müşteri");
        var deal = await sales.OpportunityAsync(account, "Sayfalı fırsat");

        // Same instant: three activities created, two of them done, a stage move and a rename.
        for (var i = 0; i < 3; i++)
        {
            var id = await CreateActivityAsync(org.Admin.Client, new { kind = "Task", subject = $"Görev {i}", accountId = account, opportunityId = deal });
            if (i > 0)
            {
                await (await org.Admin.Client.PostAsync($"/api/v1/activities/{id}/done", null, Ct)).EnsureSuccessAsync();
            }
        }

        await sales.ChangeOpportunityAsync(deal, (o, stages, _) => o.MoveTo(stages[1], org.Admin.Id, Clock.Now));
        await sales.ChangeOpportunityAsync(deal, (o, _, _) => o.Rename("Yeni ad"));
        Tick();
        for (var i = 0; i < 4; i++)
        {
            await sales.ChangeOpportunityAsync(deal, (o, _, _) => o.NextStep = $"Adım {i}");
            Tick();
        }

        foreach (var url in new[] { $"/api/v1/opportunities/{deal}/timeline", $"/api/v1/accounts/{account}/timeline" })
        {
            var all = await ReadAllAsync(org.Admin.Client, url, 200);
            Assert.True(all.Count >= 12, $"{url}: {all.Count} items");
            Assert.Equal(all.Count, all.Select(i => i.Id).Distinct().Count());
            Assert.Equal(all.OrderByDescending(i => i.At).Select(i => i.At), all.Select(i => i.At));
            foreach (var limit in new[] { 1, 2, 3, 5 })
            {
                Assert.Equal(all.Select(i => i.Id), (await ReadAllAsync(org.Admin.Client, url, limit)).Select(i => i.Id));
            }
        }
    }

    [Fact]
    public async Task An_activity_item_names_who_planned_it_and_who_completed_it()
    {
        Clock.Now = ClockedKazanFactory.Start;
        var org = await factory.CreateOrganizationAsync("Kim Yaptı A.Ş.");
        var manager = await org.AddUserAsync(UserRole.Manager, "Melike Müdür");
        var rep = await org.AddUserAsync(UserRole.Rep, "Rıza Temsilci");
        var sales = new SalesArrange(factory, org, Clock);
        var account = await sales.AccountAsync("Rıza'nın müşterisi", rep.Id);
        var task = await CreateActivityAsync(manager.Client, new { kind = "Task", subject = "Sözleşmeyi imzalat", accountId = account, ownerId = rep.Id });
        Tick();
        await (await rep.Client.PostAsync($"/api/v1/activities/{task}/done", null, Ct)).EnsureSuccessAsync();

        var items = await ReadAllAsync(rep.Client, $"/api/v1/accounts/{account}/timeline", 50);

        Assert.Equal("Rıza Temsilci", items.Single(i => i.Kind == "ActivityDone").UserName);
        Assert.Equal("Melike Müdür", items.Single(i => i.Kind == "ActivityCreated").UserName);
        Assert.Equal(task, items.Single(i => i.Kind == "ActivityDone").RecordId);
    }

    [Fact]
    public async Task A_timeline_is_404_for_a_record_the_caller_cannot_see()
    {
        var org = await factory.CreateOrganizationAsync("Gizli A.Ş.");
        var sales = new SalesArrange(factory, org, Clock);
        var ayse = await org.AddUserAsync(UserRole.Rep, "Ayşe");
        var burak = await org.AddUserAsync(UserRole.Rep, "Burak");
        var aysesAccount = await sales.AccountAsync("Ayşe'nin müşterisi", ayse.Id);
        var aysesDeal = await sales.OpportunityAsync(aysesAccount, "Ayşe'nin fırsatı", ayse.Id);
        var outsider = await factory.CreateOrganizationAsync("Dışarıdan A.Ş.");

        await (await ayse.Client.GetAsync($"/api/v1/accounts/{aysesAccount}/timeline", Ct)).EnsureSuccessAsync();
        await (await ayse.Client.GetAsync($"/api/v1/opportunities/{aysesDeal}/timeline", Ct)).EnsureSuccessAsync();
        await (await burak.Client.GetAsync($"/api/v1/accounts/{aysesAccount}/timeline", Ct)).ProblemAsync(404);
        await (await burak.Client.GetAsync($"/api/v1/opportunities/{aysesDeal}/timeline", Ct)).ProblemAsync(404);
        await (await outsider.Admin.Client.GetAsync($"/api/v1/accounts/{aysesAccount}/timeline", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.GetAsync($"/api/v1/opportunities/{Guid.NewGuid()}/timeline", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.GetAsync($"/api/v1/accounts/{aysesAccount}/timeline?cursor=bozuk!", Ct)).ProblemAsync(400);
    }

    private sealed record IdDto(Guid Id);

    private sealed record ItemDto(string Id, DateTimeOffset At, Guid? UserId, string? UserName, string Kind, string Text, string RecordType, Guid RecordId);

    private sealed record PageDto(List<ItemDto> Items, string? Next);
}
