using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Activities;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Activities;

// Its own host: the tests set and move the clock, which every class sharing the host would see.
/// <summary>
/// Logging a call or meeting that already happened in one step (outcome and notes), completing with an outcome,
/// rescheduling and snoozing — through the API and through the pages' forms — and the timeline telling it.
/// </summary>
public sealed class ActivityLoggingTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DateTimeOffset Now => factory.Clock.Now;

    private OrganizationTime Time => new(factory.Clock, new CurrentUser());

    private DateOnly Today => Time.Today;

    private async Task<(TestOrganization Org, SalesArrange Sales, Guid Account, Guid Deal)> ArrangeAsync(string name)
    {
        var org = await factory.CreateOrganizationAsync(name);
        var sales = new SalesArrange(factory, org, factory.Clock);
        var account = await sales.AccountAsync(name + " Müşteri");
        var deal = await sales.OpportunityAsync(account, "Kompresör yenileme");
        return (org, sales, account, deal);
    }

    private static async Task<ActivityDto> OkAsync(HttpResponseMessage response)
    {
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<ActivityDto>(Ct))!;
    }

    private static HttpRequestMessage Post(string url, object? body, int? version)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (version is { } v)
        {
            request.Headers.TryAddWithoutValidation("If-Match", $"\"{v}\"");
        }

        return request;
    }

    [Fact]
    public async Task A_finished_call_is_logged_in_one_step_with_outcome_and_notes_and_the_timeline_tells_it_without_a_planned_item()
    {
        var (org, sales, account, deal) = await ArrangeAsync("Kayıtlı Arama A.Ş.");
        var happened = Now.AddHours(-3);

        var call = await OkAsync(await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new
        {
            kind = "Call",
            subject = "Satın alma müdürü ile görüşme",
            notes = "Bütçe onayı bekleniyor",
            accountId = account,
            opportunityId = deal,
            done = true,
            doneAt = happened,
            outcome = "LeftMessage",
        }, Ct));

        Assert.True(call.Done);
        Assert.Equal(happened, call.DoneAt);
        Assert.Equal("LeftMessage", call.Outcome);
        Assert.Equal("Bütçe onayı bekleniyor", call.Notes);
        Assert.Equal(Now, await sales.ReadAsync(db => db.Opportunities.Where(o => o.Id == deal).Select(o => o.LastActivityAt).SingleAsync(Ct)));

        var timeline = await org.Admin.Client.GetStringAsync($"/api/v1/opportunities/{deal}/timeline", Ct);
        Assert.Contains("Arama tamamlandı: Satın alma müdürü ile görüşme — Mesaj bırakıldı · not: Bütçe onayı bekleniyor", timeline, StringComparison.Ordinal);
        Assert.DoesNotContain("planlandı", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_outcome_that_does_not_fit_the_kind_or_a_log_in_the_future_is_refused_and_nothing_is_saved()
    {
        var (org, sales, account, _) = await ArrangeAsync("Uymayan Sonuç A.Ş.");

        var wrongKind = await org.Admin.Client.PostAsJsonAsync("/api/v1/activities",
            new { kind = "Task", subject = "Teklif hazırla", accountId = account, outcome = "Reached" }, Ct);
        var future = await org.Admin.Client.PostAsJsonAsync("/api/v1/activities",
            new { kind = "Meeting", subject = "Fabrika ziyareti", accountId = account, done = true, doneAt = Now.AddDays(2), outcome = "Held" }, Ct);
        var badValue = await org.Admin.Client.PostAsJsonAsync("/api/v1/activities",
            new { kind = "Call", subject = "Arama", accountId = account, outcome = "Maybe" }, Ct);

        Assert.Equal("activity.outcome", (await wrongKind.ProblemAsync(422)).GetProperty("code").GetString());
        Assert.Equal("activity.logged-in-future", (await future.ProblemAsync(422)).GetProperty("code").GetString());
        await badValue.ProblemAsync(400);
        Assert.Equal(0, await sales.ReadAsync(db => db.Activities.CountAsync(Ct)));
    }

    [Fact]
    public async Task Completing_a_planned_meeting_records_its_outcome_and_notes_and_opening_it_again_forgets_the_outcome()
    {
        var (org, sales, account, _) = await ArrangeAsync("Toplantı Sonucu A.Ş.");
        var meeting = await sales.ActivityAsync(account, "Keşif toplantısı", Now.AddHours(-1), kind: ActivityKind.Meeting);

        var done = await OkAsync(await org.Admin.Client.PostAsJsonAsync($"/api/v1/activities/{meeting.Id}/done", new { outcome = "Held", notes = "Numune istendi" }, Ct));
        var undone = await OkAsync(await org.Admin.Client.PostAsync($"/api/v1/activities/{meeting.Id}/undone", null, Ct));

        Assert.Equal("Held", done.Outcome);
        Assert.Equal("Numune istendi", done.Notes);
        Assert.Null(undone.Outcome);
        Assert.Equal("Numune istendi", undone.Notes);
        var noShow = await org.Admin.Client.PostAsJsonAsync($"/api/v1/activities/{meeting.Id}/done", new { outcome = "NoAnswer" }, Ct);
        Assert.Equal("activity.outcome", (await noShow.ProblemAsync(422)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Rescheduling_and_snoozing_need_the_current_version_and_a_done_activity_stays_where_it_happened()
    {
        var (org, sales, account, _) = await ArrangeAsync("Ertele A.Ş.");
        var overdue = await sales.ActivityAsync(account, "Numune gönder", Time.At(Today.AddDays(-2), new TimeOnly(15, 0)));
        var url = $"/api/v1/activities/{overdue.Id}";

        (await (await org.Admin.Client.SendAsync(Post(url + "/snooze", new { days = 1 }, null), Ct)).ProblemAsync(428)).ToString();
        await (await org.Admin.Client.SendAsync(Post(url + "/snooze", new { days = 1 }, overdue.Version + 1), Ct)).ProblemAsync(412);
        await (await org.Admin.Client.SendAsync(Post(url + "/snooze", new { days = 0 }, overdue.Version), Ct)).ProblemAsync(400);

        var snoozed = await OkAsync(await org.Admin.Client.SendAsync(Post(url + "/snooze", new { days = 1 }, overdue.Version), Ct));
        Assert.Equal(Time.At(Today.AddDays(1), new TimeOnly(15, 0)), snoozed.DueAt);
        Assert.False(snoozed.Overdue);

        var week = await OkAsync(await org.Admin.Client.SendAsync(Post(url + "/snooze", new { days = 7 }, snoozed.Version), Ct));
        Assert.Equal(Time.At(Today.AddDays(8), new TimeOnly(15, 0)), week.DueAt);

        var moved = await OkAsync(await org.Admin.Client.SendAsync(Post(url + "/reschedule", new { dueAt = Time.At(Today.AddDays(3), new TimeOnly(9, 30)) }, week.Version), Ct));
        Assert.Equal(Time.At(Today.AddDays(3), new TimeOnly(9, 30)), moved.DueAt);

        var done = await OkAsync(await org.Admin.Client.PostAsync(url + "/done", null, Ct));
        var late = await org.Admin.Client.SendAsync(Post(url + "/reschedule", new { dueAt = Now.AddDays(9) }, done.Version), Ct);
        Assert.Equal("activity.done", (await late.ProblemAsync(422)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task On_my_day_a_call_is_completed_with_its_outcome_and_notes_and_an_overdue_task_is_put_off_to_tomorrow()
    {
        var (org, sales, account, _) = await ArrangeAsync("Günüm Formları A.Ş.");
        var call = await sales.ActivityAsync(account, "Tedarikçiyi ara", Time.At(Today, new TimeOnly(16, 0)), kind: ActivityKind.Call);
        var task = await sales.ActivityAsync(account, "Sözleşmeyi oku", Time.At(Today.AddDays(-4), new TimeOnly(11, 0)));

        var page = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync("/my-day", Ct));
        Assert.Contains("+1 gün", page, StringComparison.Ordinal);
        Assert.Contains("Mesaj bırakıldı", page, StringComparison.Ordinal);

        await (await org.Admin.Client.PostFormAsync("/my-day", "activity-" + call.Id.ToString("N"), new()
        {
            ["Step.Id"] = call.Id.ToString(),
            ["Step.Version"] = call.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Step.Do"] = "done",
            ["Step.Outcome"] = "Reached",
            ["Step.Notes"] = "Fiyat listesi yollanacak",
        })).RedirectedAsync();
        await (await org.Admin.Client.PostFormAsync("/my-day", "activity-" + task.Id.ToString("N"), new()
        {
            ["Step.Id"] = task.Id.ToString(),
            ["Step.Version"] = task.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Step.Do"] = "snooze-1",
        })).RedirectedAsync();

        var (doneCall, movedTask) = await sales.ReadAsync(async db =>
            (await db.Activities.SingleAsync(a => a.Id == call.Id, Ct), await db.Activities.SingleAsync(a => a.Id == task.Id, Ct)));
        Assert.True(doneCall.Done);
        Assert.Equal(ActivityOutcome.Reached, doneCall.Outcome);
        Assert.Equal("Fiyat listesi yollanacak", doneCall.Notes);
        Assert.Equal(Time.At(Today.AddDays(1), new TimeOnly(11, 0)), movedTask.DueAt);
        var after = await org.Admin.Client.GetStringAsync("/my-day", Ct);
        Assert.DoesNotContain("Sözleşmeyi oku", after, StringComparison.Ordinal);
        Assert.DoesNotContain("Tedarikçiyi ara", after, StringComparison.Ordinal);
    }

    [Fact]
    public async Task On_the_account_page_a_meeting_that_happened_is_logged_with_its_outcome_and_shows_in_the_done_list()
    {
        var (org, sales, account, _) = await ArrangeAsync("Hesap Kaydı A.Ş.");

        await (await org.Admin.Client.PostFormAsync($"/accounts/{account}/activities", "activity-panel-add", new()
        {
            ["Input.Kind"] = "Meeting",
            ["Input.Subject"] = "Fabrikada tanışma",
            ["Input.DueDate"] = Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Input.DueTime"] = "10:00",
            ["Input.Notes"] = "Üç hat için teklif istediler",
            ["Input.Happened"] = "true",
            ["Input.Outcome"] = "Held",
        })).RedirectedAsync();

        var meeting = await sales.ReadAsync(db => db.Activities.SingleAsync(Ct));
        Assert.True(meeting.Done);
        Assert.Equal(ActivityOutcome.Held, meeting.Outcome);
        Assert.Equal(Time.At(Today, new TimeOnly(10, 0)), meeting.DoneAt);
        var html = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync($"/accounts/{account}/activities", Ct));
        Assert.Matches("data-testid=\"activity-outcome-shown\">Yapıldı<", html);
        Assert.Contains("Üç hat için teklif istediler", html, StringComparison.Ordinal);
        Assert.Contains("Toplantı tamamlandı: Fabrikada tanışma — Yapıldı", html, StringComparison.Ordinal);
    }

    private sealed record ActivityDto(
        Guid Id, string Kind, string Subject, string? Notes, string? Outcome, DateTimeOffset? DueAt, bool Done, DateTimeOffset? DoneAt, bool Overdue, int Version);
}
