using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Activities;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Activities;

// Its own host: the tests set and move the clock, which every class sharing the host would see.
public sealed class ActivitiesApiTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private FakeClock Clock => factory.Clock;

    private async Task<(TestOrganization Org, SalesArrange Sales)> OrganizationAsync(string name)
    {
        var org = await factory.CreateOrganizationAsync(name);
        return (org, new SalesArrange(factory, org, Clock));
    }

    private static async Task<(ActivityDto Activity, string ETag)> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/activities", body, Ct);
        await response.EnsureSuccessAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return ((await response.Content.ReadFromJsonAsync<ActivityDto>(Ct))!, response.Headers.ETag!.ToString());
    }

    private static HttpRequestMessage Send(HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    private static async Task<int> CountAsync(SalesArrange sales) => await sales.ReadAsync(db => db.Activities.CountAsync(Ct));

    [Fact]
    public async Task A_task_is_created_on_an_account_with_the_caller_as_owner_and_read_back_with_its_etag()
    {
        var (org, sales) = await OrganizationAsync("Görev A.Ş.");
        var account = await sales.AccountAsync("Marmara Boya");
        var contact = await sales.ContactAsync(account, "Elif", "Kaya");
        var opportunity = await sales.OpportunityAsync(account, "Boya hattı");
        var due = new DateTimeOffset(2026, 3, 12, 10, 0, 0, TimeSpan.FromHours(3));

        var (created, etag) = await CreateAsync(org.Admin.Client, new
        {
            kind = "Call",
            subject = "  Fiyatı konuş  ",
            notes = "İskonto sorulacak",
            accountId = account,
            opportunityId = opportunity,
            contactIds = new[] { contact },
            dueAt = due,
        });

        Assert.Equal("Call", created.Kind);
        Assert.Equal("Fiyatı konuş", created.Subject);
        Assert.Equal(org.Admin.Id, created.OwnerId);
        Assert.Equal("Admin Görev A.Ş.", created.OwnerName);
        Assert.Equal("Marmara Boya", created.AccountName);
        Assert.Equal("Boya hattı", created.OpportunityTitle);
        Assert.Equal([contact], created.ContactIds);
        Assert.Equal(due, created.DueAt);
        Assert.False(created.Done);

        var get = await org.Admin.Client.GetAsync($"/api/v1/activities/{created.Id}", Ct);
        await get.EnsureSuccessAsync();
        Assert.Equal(etag, get.Headers.ETag!.ToString());
        Assert.Equal("İskonto sorulacak", (await get.Content.ReadFromJsonAsync<ActivityDto>(Ct))!.Notes);
    }

    [Fact]
    public async Task An_update_needs_the_current_etag_and_a_stale_one_changes_nothing()
    {
        var (org, sales) = await OrganizationAsync("Sürüm A.Ş.");
        var account = await sales.AccountAsync("Ege Kimya");
        var (created, etag) = await CreateAsync(org.Admin.Client, new { kind = "Task", subject = "Numune gönder", accountId = account });
        var url = $"/api/v1/activities/{created.Id}";
        var body = new { subject = "Numuneyi kargola", dueAt = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.FromHours(3)) };

        var missing = await org.Admin.Client.SendAsync(Send(HttpMethod.Put, url, body), Ct);
        await missing.ProblemAsync(428);

        var updated = await org.Admin.Client.SendAsync(Send(HttpMethod.Put, url, body, etag), Ct);
        await updated.EnsureSuccessAsync();
        Assert.NotEqual(etag, updated.Headers.ETag!.ToString());

        var stale = await org.Admin.Client.SendAsync(Send(HttpMethod.Put, url, new { subject = "Eski sürümden" }, etag), Ct);
        await stale.ProblemAsync(412);

        var now = await org.Admin.Client.GetFromJsonAsync<ActivityDto>(url, Ct);
        Assert.Equal("Numuneyi kargola", now!.Subject);
        Assert.Equal(body.dueAt, now.DueAt);
    }

    [Fact]
    public async Task Links_to_another_accounts_opportunity_or_contact_and_overlong_subjects_are_refused_and_nothing_changes()
    {
        var (org, sales) = await OrganizationAsync("Kural A.Ş.");
        var account = await sales.AccountAsync("Anadolu Un");
        var other = await sales.AccountAsync("Trakya Un");
        var othersDeal = await sales.OpportunityAsync(other, "Trakya değirmen");
        var othersPerson = await sales.ContactAsync(other, "Murat", "Demir");
        var before = await CountAsync(sales);

        var deal = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Task", subject = "Ara", accountId = account, opportunityId = othersDeal }, Ct)).ProblemAsync(422);
        Assert.Equal("activity.opportunity-of-other-account", deal.GetProperty("code").GetString());

        var person = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Meeting", subject = "Ziyaret", accountId = account, contactIds = new[] { othersPerson } }, Ct)).ProblemAsync(422);
        Assert.Equal("activity.contact-of-other-account", person.GetProperty("code").GetString());

        var tooLong = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Task", subject = new string('a', 301), accountId = account }, Ct)).ProblemAsync(400);
        Assert.True(tooLong.GetProperty("errors").TryGetProperty("Subject", out _) || tooLong.GetProperty("errors").TryGetProperty("subject", out _));

        var unknown = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Task", subject = "Ara", accountId = Guid.NewGuid() }, Ct)).ProblemAsync(400);
        Assert.True(unknown.GetProperty("errors").TryGetProperty("accountId", out _));

        Assert.Equal(before, await CountAsync(sales));

        // The same rules hold on update, and the refused update leaves the activity as it was.
        var (created, etag) = await CreateAsync(org.Admin.Client, new { kind = "Task", subject = "Asıl görev", accountId = account });
        var move = await org.Admin.Client.SendAsync(Send(HttpMethod.Put, $"/api/v1/activities/{created.Id}", new { subject = "Değişmemeli", opportunityId = othersDeal }, etag), Ct);
        await move.ProblemAsync(422);
        var after = await org.Admin.Client.GetFromJsonAsync<ActivityDto>($"/api/v1/activities/{created.Id}", Ct);
        Assert.Equal("Asıl görev", after!.Subject);
        Assert.Null(after.OpportunityId);
    }

    [Fact]
    public async Task Done_and_not_done_are_idempotent_and_a_note_stays_done()
    {
        var (org, sales) = await OrganizationAsync("Bitti A.Ş.");
        var account = await sales.AccountAsync("Karadeniz Fındık");
        var (task, _) = await CreateAsync(org.Admin.Client, new { kind = "Task", subject = "Sözleşme taslağı", accountId = account });

        var first = await org.Admin.Client.PostAsync($"/api/v1/activities/{task.Id}/done", null, Ct);
        await first.EnsureSuccessAsync();
        var done = (await first.Content.ReadFromJsonAsync<ActivityDto>(Ct))!;
        Clock.Advance(TimeSpan.FromHours(1));
        var again = (await (await org.Admin.Client.PostAsync($"/api/v1/activities/{task.Id}/done", null, Ct)).Content.ReadFromJsonAsync<ActivityDto>(Ct))!;
        Assert.True(again.Done);
        Assert.Equal(done.DoneAt, again.DoneAt);

        var undone = (await (await org.Admin.Client.PostAsync($"/api/v1/activities/{task.Id}/undone", null, Ct)).Content.ReadFromJsonAsync<ActivityDto>(Ct))!;
        Assert.False(undone.Done);
        Assert.Null(undone.DoneAt);

        var stale = await org.Admin.Client.SendAsync(Send(HttpMethod.Post, $"/api/v1/activities/{task.Id}/done", ifMatch: "\"0\""), Ct);
        await stale.ProblemAsync(412);

        var (note, _) = await CreateAsync(org.Admin.Client, new { kind = "Note", subject = "Bütçe onaylandı", accountId = account });
        Assert.True(note.Done);
        var problem = await (await org.Admin.Client.PostAsync($"/api/v1/activities/{note.Id}/undone", null, Ct)).ProblemAsync(422);
        Assert.Equal("activity.note-always-done", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Delete_needs_the_etag_removes_the_activity_and_leaves_an_audit_entry()
    {
        var (org, sales) = await OrganizationAsync("Silme A.Ş.");
        var account = await sales.AccountAsync("İç Anadolu Tarım");
        var contact = await sales.ContactAsync(account, "Ayten", "Çelik");
        var (created, etag) = await CreateAsync(org.Admin.Client, new { kind = "Meeting", subject = "İptal edilen toplantı", accountId = account, contactIds = new[] { contact } });
        var url = $"/api/v1/activities/{created.Id}";

        await (await org.Admin.Client.SendAsync(Send(HttpMethod.Delete, url), Ct)).ProblemAsync(428);
        await (await org.Admin.Client.SendAsync(Send(HttpMethod.Delete, url, ifMatch: "\"7\""), Ct)).ProblemAsync(412);
        var deleted = await org.Admin.Client.SendAsync(Send(HttpMethod.Delete, url, ifMatch: etag), Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        await (await org.Admin.Client.GetAsync(url, Ct)).ProblemAsync(404);
        var audit = await sales.ReadAsync(db => db.AuditEntries.Where(a => a.EntityType == "Activity" && a.EntityId == created.Id.ToString()).Select(a => a.Action).ToListAsync(Ct));
        Assert.Contains(Kazan.Infrastructure.Auditing.AuditAction.Delete, audit);
    }

    [Fact]
    public async Task The_list_filters_by_account_opportunity_owner_done_and_due_and_pages_by_due_time_without_gaps()
    {
        var (org, sales) = await OrganizationAsync("Liste A.Ş.");
        var manager = await org.AddUserAsync(UserRole.Manager, "Selin Yurt");
        var account = await sales.AccountAsync("Akdeniz Narenciye");
        var other = await sales.AccountAsync("Başka Müşteri");
        var deal = await sales.OpportunityAsync(account, "Soğuk hava deposu");
        var start = ClockedKazanFactory.Start;
        var yesterday = await sales.ActivityAsync(account, "Dün", start.AddDays(-1));
        var today = await sales.ActivityAsync(account, "Bugün", start.AddHours(2), opportunityId: deal);
        var tomorrow = await sales.ActivityAsync(account, "Yarın", start.AddDays(1), ownerId: manager.Id);
        var sameTime = await sales.ActivityAsync(account, "Yarın ikinci", start.AddDays(1));
        var undated = await sales.ActivityAsync(account, "Tarihsiz", null);
        var undated2 = await sales.ActivityAsync(account, "Tarihsiz iki", null);
        var done = await sales.ActivityAsync(account, "Bitmiş", start.AddDays(-2), done: true);
        await sales.ActivityAsync(other, "Başka müşterinin", start);

        async Task<List<string>> AllAsync(string query, int limit)
        {
            var subjects = new List<string>();
            string? cursor = null;
            do
            {
                var page = await org.Admin.Client.GetFromJsonAsync<PageDto>($"/api/v1/activities?{query}&limit={limit}" + (cursor is null ? "" : $"&cursor={cursor}"), Ct);
                subjects.AddRange(page!.Items.Select(i => i.Subject));
                cursor = page.Next;
            }
            while (cursor is not null);
            return subjects;
        }

        var byDue = await AllAsync($"accountId={account}", 2);
        var expectedSameDay = new[] { tomorrow, sameTime }.OrderBy(a => a.Id).Select(a => a.Subject);
        var expectedUndated = new[] { undated, undated2 }.OrderBy(a => a.Id).Select(a => a.Subject);
        Assert.Equal(8 - 1, byDue.Count);
        Assert.Equal(["Bitmiş", "Dün", "Bugün"], byDue.Take(3));
        Assert.Equal(expectedSameDay.Order(), byDue.Skip(3).Take(2).Order());
        Assert.Equal(expectedUndated.Order(), byDue.Skip(5).Order());
        Assert.Equal(byDue, await AllAsync($"accountId={account}", 200));

        Assert.Equal(["Bugün"], await AllAsync($"opportunityId={deal}", 10));
        Assert.Equal(["Yarın"], await AllAsync($"ownerId={manager.Id}", 10));
        Assert.Equal(["Bitmiş"], await AllAsync($"accountId={account}&done=true", 10));
        Assert.Equal(["Dün"], await AllAsync($"accountId={account}&overdue=true", 10));
        var from = Uri.EscapeDataString(start.ToString("O"));
        var to = Uri.EscapeDataString(start.AddDays(1).ToString("O"));
        Assert.Equal(["Bugün"], await AllAsync($"accountId={account}&dueFrom={from}&dueTo={to}", 10));

        await (await org.Admin.Client.GetAsync("/api/v1/activities?limit=0", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync($"/api/v1/activities?dueFrom={to}&dueTo={from}", Ct)).ProblemAsync(400);
    }

    [Fact]
    public async Task A_rep_cannot_see_or_add_activities_on_another_reps_account_unless_reps_see_all()
    {
        var (org, sales) = await OrganizationAsync("Görünürlük A.Ş.");
        var ali = await org.AddUserAsync(UserRole.Rep, "Ali Rep");
        var veli = await org.AddUserAsync(UserRole.Rep, "Veli Rep");
        var alis = await sales.AccountAsync("Ali'nin müşterisi", ali.Id);
        var velis = await sales.AccountAsync("Veli'nin müşterisi", veli.Id);
        var velisTask = await sales.ActivityAsync(velis, "Veli'nin görevi", ClockedKazanFactory.Start, ownerId: veli.Id);

        await (await ali.Client.GetAsync($"/api/v1/activities/{velisTask.Id}", Ct)).ProblemAsync(404);
        Assert.Empty((await ali.Client.GetFromJsonAsync<PageDto>($"/api/v1/activities?accountId={velis}", Ct))!.Items);
        await (await ali.Client.PostAsync($"/api/v1/activities/{velisTask.Id}/done", null, Ct)).ProblemAsync(404);
        var refused = await (await ali.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Task", subject = "Sızma", accountId = velis }, Ct)).ProblemAsync(400);
        Assert.True(refused.GetProperty("errors").TryGetProperty("accountId", out _));
        var giveAway = await (await ali.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Task", subject = "Veli yapsın", accountId = alis, ownerId = veli.Id }, Ct)).ProblemAsync(422);
        Assert.Equal("activity.owner-not-allowed", giveAway.GetProperty("code").GetString());
        await CreateAsync(ali.Client, new { kind = "Task", subject = "Kendi müşterim", accountId = alis });

        var organization = await org.Admin.Client.GetAsync("/api/v1/organization", Ct);
        var settings = new HttpRequestMessage(HttpMethod.Put, "/api/v1/organization")
        {
            Content = JsonContent.Create(new { name = org.Name, baseCurrency = "TRY", defaultCulture = "tr-TR", repsSeeAll = true }),
        };
        settings.Headers.TryAddWithoutValidation("If-Match", organization.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(settings, Ct)).EnsureSuccessAsync();

        await (await ali.Client.GetAsync($"/api/v1/activities/{velisTask.Id}", Ct)).EnsureSuccessAsync();
        await CreateAsync(ali.Client, new { kind = "Call", subject = "Veli izinli", accountId = velis });
        Assert.Equal(2, (await ali.Client.GetFromJsonAsync<PageDto>($"/api/v1/activities?accountId={velis}", Ct))!.Items.Count);
    }

    [Fact]
    public async Task My_day_lists_overdue_and_todays_open_activities_by_the_day_in_Turkey()
    {
        var (org, sales) = await OrganizationAsync("Günüm A.Ş.");
        var colleague = await org.AddUserAsync(UserRole.Manager);
        var account = await sales.AccountAsync("Gün Dönümü Ltd.");
        Clock.Now = new DateTimeOffset(2026, 3, 10, 20, 30, 0, TimeSpan.Zero); // 23:30 on 10 March in İstanbul
        var lastMinuteYesterday = new DateTimeOffset(2026, 3, 9, 23, 59, 0, TimeSpan.FromHours(3));
        var firstMinuteToday = new DateTimeOffset(2026, 3, 10, 0, 0, 0, TimeSpan.FromHours(3));
        var lastMinuteToday = new DateTimeOffset(2026, 3, 10, 23, 59, 0, TimeSpan.FromHours(3));
        var firstMinuteTomorrow = new DateTimeOffset(2026, 3, 11, 0, 0, 0, TimeSpan.FromHours(3));

        await sales.ActivityAsync(account, "Dün gece yarısından önce", lastMinuteYesterday);
        await sales.ActivityAsync(account, "Geçen hafta", lastMinuteYesterday.AddDays(-7));
        await sales.ActivityAsync(account, "Bugünün ilk dakikası", firstMinuteToday);
        await sales.ActivityAsync(account, "Bugünün son dakikası", lastMinuteToday);
        await sales.ActivityAsync(account, "Yarın", firstMinuteTomorrow);
        await sales.ActivityAsync(account, "Tarihsiz", null);
        await sales.ActivityAsync(account, "Yapılmış gecikmiş", lastMinuteYesterday, done: true);
        await sales.ActivityAsync(account, "Başkasının", firstMinuteToday, ownerId: colleague.Id);

        var day = await org.Admin.Client.GetFromJsonAsync<MyDayDto>("/api/v1/my-day", Ct);

        Assert.Equal(new DateOnly(2026, 3, 10), day!.Date);
        Assert.Equal("Europe/Istanbul", day.TimeZone);
        Assert.Equal(["Geçen hafta", "Dün gece yarısından önce"], day.Overdue.Select(a => a.Subject));
        Assert.All(day.Overdue, a => Assert.True(a.Overdue));
        Assert.Equal(["Bugünün ilk dakikası", "Bugünün son dakikası"], day.Today.Select(a => a.Subject));
        Assert.All(day.Today, a => Assert.False(a.Overdue));

        // Half an hour later it is 11 March in Turkey: today's work became overdue, tomorrow's is today's.
        Clock.Advance(TimeSpan.FromMinutes(30));
        var next = await org.Admin.Client.GetFromJsonAsync<MyDayDto>("/api/v1/my-day", Ct);
        Assert.Equal(new DateOnly(2026, 3, 11), next!.Date);
        Assert.Equal(4, next.Overdue.Count);
        Assert.Equal(["Yarın"], next.Today.Select(a => a.Subject));
        Clock.Now = ClockedKazanFactory.Start;
    }

    [Fact]
    public async Task Logging_or_completing_an_activity_on_an_opportunity_clears_its_rotting_flag()
    {
        var (org, sales) = await OrganizationAsync("Çürüme A.Ş.");
        Clock.Now = ClockedKazanFactory.Start;
        var account = await sales.AccountAsync("Durgun Müşteri");
        var deal = await sales.OpportunityAsync(account, "Unutulan fırsat");

        async Task<bool> RottingAsync() => await sales.ReadAsync(async db =>
        {
            var o = await db.Opportunities.AsNoTracking().FirstAsync(x => x.Id == deal, Ct);
            var days = await db.Stages.Where(s => s.Id == o.StageId).Select(s => s.RottingDays).FirstAsync(Ct);
            return o.IsRotting(days, Clock.GetUtcNow());
        });

        Clock.Advance(TimeSpan.FromDays(20)); // the first stage rots after 14 idle days
        Assert.True(await RottingAsync());

        var (planned, _) = await CreateAsync(org.Admin.Client, new { kind = "Call", subject = "Hatırlatma araması", accountId = account, opportunityId = deal, dueAt = Clock.Now.AddDays(3) });
        Assert.False(await RottingAsync());

        Clock.Advance(TimeSpan.FromDays(20));
        Assert.True(await RottingAsync());
        await (await org.Admin.Client.PostAsync($"/api/v1/activities/{planned.Id}/done", null, Ct)).EnsureSuccessAsync();
        Assert.False(await RottingAsync());
        Assert.Equal(Clock.Now, await sales.ReadAsync(db => db.Opportunities.Where(o => o.Id == deal).Select(o => o.LastActivityAt).FirstAsync(Ct)));
        Clock.Now = ClockedKazanFactory.Start;
    }

    [Fact]
    public async Task The_next_activity_of_many_opportunities_is_their_earliest_due_open_one()
    {
        var (org, sales) = await OrganizationAsync("Sonraki A.Ş.");
        var account = await sales.AccountAsync("Çok Fırsatlı Holding");
        var busy = await sales.OpportunityAsync(account, "Yoğun");
        var vague = await sales.OpportunityAsync(account, "Belirsiz");
        var idle = await sales.OpportunityAsync(account, "Boşta");
        var start = ClockedKazanFactory.Start;
        await sales.ActivityAsync(account, "Üç gün sonra", start.AddDays(3), opportunityId: busy);
        var soonest = await sales.ActivityAsync(account, "Yarın", start.AddDays(1), opportunityId: busy);
        await sales.ActivityAsync(account, "Dün yapıldı", start.AddDays(-1), opportunityId: busy, done: true);
        await sales.ActivityAsync(account, "Tarihsiz", null, opportunityId: busy);
        var undated = await sales.ActivityAsync(account, "Bir ara", null, opportunityId: vague);
        await sales.ActivityAsync(account, "Not", null, kind: ActivityKind.Note, opportunityId: idle);

        var next = await sales.ReadAsync(db => ActivityQueries.NextForOpportunitiesAsync(db, [busy, vague, idle, Guid.NewGuid()], Ct));

        Assert.Equal(2, next.Count);
        Assert.Equal(soonest.Id, next[busy].Id);
        Assert.Equal("Yarın", next[busy].Subject);
        Assert.Equal(undated.Id, next[vague].Id);
        Assert.False(next.ContainsKey(idle));
        Assert.Empty(await sales.ReadAsync(db => ActivityQueries.NextForOpportunitiesAsync(db, [], Ct)));
    }

    private sealed record ActivityDto(
        Guid Id, string Kind, string Subject, string? Notes, Guid AccountId, string? AccountName, Guid? OpportunityId, string? OpportunityTitle,
        List<Guid> ContactIds, Guid OwnerId, string? OwnerName, DateTimeOffset? DueAt, bool Done, DateTimeOffset? DoneAt, bool Overdue, int Version);

    private sealed record PageDto(List<ActivityDto> Items, string? Next);

    private sealed record MyDayDto(DateOnly Date, string TimeZone, List<ActivityDto> Overdue, List<ActivityDto> Today, bool MoreOverdue);
}
