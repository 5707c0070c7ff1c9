using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Notifications;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Notifications;

/// <summary>
/// Notifications through the API: only the recipient sees theirs (not a colleague, not an admin, not another
/// organization), reading them, the list's pages, the e-mail copy preference, and the quote expiry reminder.
/// </summary>
public sealed class NotificationTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record NotificationDto(Guid Id, string Kind, string SubjectType, Guid SubjectId, string Title, string Text, string Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt);

    private sealed record PageDto(List<NotificationDto> Items, string? Next, string? Previous);

    private sealed record CountDto(int Count);

    private sealed record MarkedDto(int Marked);

    private sealed record PreferencesDto(bool EmailNotificationCopies);

    /// <summary>Notifies a user the way features do (Notify adds, the caller saves); returns the notification's id.</summary>
    private async Task<Guid> NotifyAsync(TestOrganization org, Guid recipientId, NotificationKind kind = NotificationKind.QuoteAccepted,
        string title = "TKL-2026-00042 · Çelik Makina A.Ş.", DateTimeOffset? at = null, Guid? subjectId = null)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var quoteId = subjectId ?? Guid.CreateVersion7();
            var notification = NotificationCommands.Notify(db, org.Id, recipientId, kind, "Quote", quoteId, title, $"/quotes/{quoteId}", at ?? DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(Ct);
            return notification.Id;
        }
    }

    private static async Task<PageDto> ListAsync(HttpClient client, string query = "", string language = "tr")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/notifications" + query);
        request.Headers.TryAddWithoutValidation("Accept-Language", language);
        var response = await client.SendAsync(request, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<PageDto>(Ct))!;
    }

    private static async Task<int> UnreadAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<CountDto>("/api/v1/notifications/unread-count", Ct))!.Count;

    [Fact]
    public async Task A_notification_reaches_its_recipient_and_nobody_else()
    {
        var org = await factory.CreateOrganizationAsync("Bildirim Alıcı A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var colleague = await org.AddUserAsync(UserRole.Rep);
        var other = await factory.CreateOrganizationAsync("Başka Şirket Ltd.");
        var id = await NotifyAsync(org, rep.Id);

        var mine = await ListAsync(rep.Client);
        var n = Assert.Single(mine.Items);
        Assert.Equal((id, "QuoteAccepted", "Quote", "TKL-2026-00042 · Çelik Makina A.Ş.", $"/quotes/{n.SubjectId}", (DateTimeOffset?)null),
            (n.Id, n.Kind, n.SubjectType, n.Title, n.Link, n.ReadAt));
        Assert.Equal("Müşteri teklifi kabul etti: TKL-2026-00042 · Çelik Makina A.Ş.", n.Text);
        Assert.Equal("The customer accepted the quote: TKL-2026-00042 · Çelik Makina A.Ş.", Assert.Single((await ListAsync(rep.Client, language: "en-US")).Items).Text);
        Assert.Equal(1, await UnreadAsync(rep.Client));

        // The admin of the same organization, a colleague and another organization see nothing and cannot touch it.
        foreach (var client in new[] { org.Admin.Client, colleague.Client, other.Admin.Client })
        {
            Assert.Empty((await ListAsync(client)).Items);
            Assert.Equal(0, await UnreadAsync(client));
            var read = await client.PostAsync($"/api/v1/notifications/{id}/read", null, Ct);
            await read.ProblemAsync(404);
            Assert.Equal(0, (await (await client.PostAsync("/api/v1/notifications/read-all", null, Ct)).Content.ReadFromJsonAsync<MarkedDto>(Ct))!.Marked);
        }

        Assert.Equal(1, await UnreadAsync(rep.Client));
        Assert.Null(Assert.Single((await ListAsync(rep.Client)).Items).ReadAt);
    }

    [Fact]
    public async Task Reading_one_and_then_all_leaves_nothing_unread()
    {
        var org = await factory.CreateOrganizationAsync("Okundu Bilgisi A.Ş.");
        var first = await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteViewed, at: DateTimeOffset.UtcNow.AddMinutes(-3));
        await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteRejected, at: DateTimeOffset.UtcNow.AddMinutes(-2));
        await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteExpiringSoon, at: DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(3, await UnreadAsync(org.Admin.Client));

        Assert.Equal(HttpStatusCode.NoContent, (await org.Admin.Client.PostAsync($"/api/v1/notifications/{first}/read", null, Ct)).StatusCode);
        var readAt = (await ListAsync(org.Admin.Client)).Items.Single(n => n.Id == first).ReadAt;
        Assert.NotNull(readAt);
        Assert.Equal(2, await UnreadAsync(org.Admin.Client));
        Assert.Equal(["QuoteExpiringSoon", "QuoteRejected"], (await ListAsync(org.Admin.Client, "?unread=true")).Items.Select(n => n.Kind));

        // Reading it again changes nothing: the first time stays.
        Assert.Equal(HttpStatusCode.NoContent, (await org.Admin.Client.PostAsync($"/api/v1/notifications/{first}/read", null, Ct)).StatusCode);
        Assert.Equal(readAt, (await ListAsync(org.Admin.Client)).Items.Single(n => n.Id == first).ReadAt);

        var marked = await (await org.Admin.Client.PostAsync("/api/v1/notifications/read-all", null, Ct)).Content.ReadFromJsonAsync<MarkedDto>(Ct);
        Assert.Equal(2, marked!.Marked);
        Assert.Equal(0, await UnreadAsync(org.Admin.Client));
        Assert.Empty((await ListAsync(org.Admin.Client, "?unread=true")).Items);
        Assert.Equal(3, (await ListAsync(org.Admin.Client)).Items.Count(n => n.ReadAt is not null));
        Assert.Equal(0, (await (await org.Admin.Client.PostAsync("/api/v1/notifications/read-all", null, Ct)).Content.ReadFromJsonAsync<MarkedDto>(Ct))!.Marked);

        // A notification that does not exist at all is not found either.
        await (await org.Admin.Client.PostAsync($"/api/v1/notifications/{Guid.NewGuid()}/read", null, Ct)).ProblemAsync(404);
    }

    [Fact]
    public async Task The_list_is_newest_first_and_pages_both_ways_without_repeating()
    {
        var org = await factory.CreateOrganizationAsync("Sayfalı Bildirim A.Ş.");
        var start = DateTimeOffset.UtcNow.AddHours(-1);
        var ids = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await NotifyAsync(org, org.Admin.Id, title: $"TKL-2026-0000{i}", at: start.AddMinutes(i)));
        }

        // Two made at the same instant are still both listed once (the id breaks the tie).
        ids.Add(await NotifyAsync(org, org.Admin.Id, title: "TKL-2026-00005", at: start.AddMinutes(4)));

        var page1 = await ListAsync(org.Admin.Client, "?limit=2");
        var page2 = await ListAsync(org.Admin.Client, $"?limit=2&cursor={page1.Next}");
        var page3 = await ListAsync(org.Admin.Client, $"?limit=2&cursor={page2.Next}");
        Assert.Null(page1.Previous);
        Assert.Null(page3.Next);
        var titles = page1.Items.Concat(page2.Items).Concat(page3.Items).Select(n => n.Title).ToList();
        Assert.Equal(6, titles.Distinct().Count());
        Assert.Equal(["TKL-2026-00001", "TKL-2026-00000"], page3.Items.Select(n => n.Title));
        Assert.True(titles.Take(2).All(t => t is "TKL-2026-00004" or "TKL-2026-00005"), string.Join(", ", titles));
        Assert.Equal(["TKL-2026-00003", "TKL-2026-00002"], page2.Items.Select(n => n.Title));

        var back = await ListAsync(org.Admin.Client, $"?limit=2&cursor={page2.Previous}");
        Assert.Equal(page1.Items.Select(n => n.Id), back.Items.Select(n => n.Id));

        await (await org.Admin.Client.GetAsync("/api/v1/notifications?cursor=not-a-cursor", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/notifications?limit=0", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/notifications?unread=maybe", Ct)).ProblemAsync(400);
    }

    [Fact]
    public async Task Following_a_notification_marks_it_read_and_goes_to_its_record()
    {
        var org = await factory.CreateOrganizationAsync("Bağlantı Takip A.Ş.");
        var other = await factory.CreateOrganizationAsync("Yabancı Bağlantı Ltd.");
        var quoteId = Guid.CreateVersion7();
        var id = await NotifyAsync(org, org.Admin.Id, subjectId: quoteId);

        var foreign = await other.Admin.Client.GetAsync($"/notifications/{id}/open", Ct);
        Assert.Equal(HttpStatusCode.Redirect, foreign.StatusCode);
        Assert.Equal("/notifications", foreign.Headers.Location!.OriginalString);
        Assert.Equal(1, await UnreadAsync(org.Admin.Client));

        var open = await org.Admin.Client.GetAsync($"/notifications/{id}/open", Ct);
        Assert.Equal(HttpStatusCode.Redirect, open.StatusCode);
        Assert.Equal($"/quotes/{quoteId}", open.Headers.Location!.OriginalString);
        Assert.Equal(0, await UnreadAsync(org.Admin.Client));
    }

    [Fact]
    public void A_notification_only_links_inside_the_app()
    {
        Assert.True(Notification.IsAppLink("/quotes/0193d1a4-0000-7000-8000-000000000000"));
        Assert.False(Notification.IsAppLink("https://evil.example/quotes"));
        Assert.False(Notification.IsAppLink("//evil.example"));
        Assert.False(Notification.IsAppLink("/\\evil.example"));
        Assert.False(Notification.IsAppLink("quotes/1"));
        Assert.Throws<ArgumentException>(() => Notification.Create(Guid.NewGuid(), Guid.NewGuid(), NotificationKind.QuoteViewed, "Quote", Guid.NewGuid(), "x",
            "https://evil.example", DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task The_e_mail_copy_preference_is_the_users_own()
    {
        var org = await factory.CreateOrganizationAsync("Tercih Sahibi A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        Assert.False((await rep.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences", Ct))!.EmailNotificationCopies);

        var put = await rep.Client.PutAsJsonAsync("/api/v1/me/preferences", new { emailNotificationCopies = true }, Ct);
        await put.EnsureSuccessAsync();
        Assert.True((await put.Content.ReadFromJsonAsync<PreferencesDto>(Ct))!.EmailNotificationCopies);
        Assert.True((await rep.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences", Ct))!.EmailNotificationCopies);
        Assert.False((await org.Admin.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences", Ct))!.EmailNotificationCopies);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.True(await db.Users.Where(u => u.Id == rep.Id).Select(u => u.EmailNotificationCopies).SingleAsync(Ct));
        }

        await (await rep.Client.PutAsJsonAsync("/api/v1/me/preferences", new { }, Ct)).ProblemAsync(400);
        await (await rep.Client.PutAsJsonAsync("/api/v1/me/preferences", new { emailNotificationCopies = false }, Ct)).EnsureSuccessAsync();
        Assert.False((await rep.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences", Ct))!.EmailNotificationCopies);
    }

    [Theory]
    [InlineData("tr-TR", "Bildirimler, 2 okunmamış", "Bildirimler", "Müşteri teklifi görüntüledi", "2 bildirim okundu olarak işaretlendi.")]
    [InlineData("en-US", "Notifications, 2 unread", "Notifications", "The customer viewed the quote", "2 notification(s) marked read.")]
    public async Task The_bell_counts_the_unread_and_the_page_lists_them_and_marks_them_all_read(
        string culture, string bellUnread, string bellNone, string viewed, string markedText)
    {
        var org = await factory.CreateOrganizationAsync("Zil Sayfası A.Ş.", culture);
        var rep = await org.AddUserAsync(UserRole.Rep);
        await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteViewed, title: "TKL-2026-00007 · Görünen Ltd.", at: DateTimeOffset.UtcNow.AddMinutes(-5));
        await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteAccepted, at: DateTimeOffset.UtcNow.AddHours(-3));
        var read = await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteRejected, at: DateTimeOffset.UtcNow.AddDays(-2));
        await org.Admin.Client.PostAsync($"/api/v1/notifications/{read}/read", null, Ct);
        await NotifyAsync(org, rep.Id, NotificationKind.QuoteRejected, title: "Temsilcinin teklifi");
        var browser = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);

        var home = await (await browser.GetAsync("/")).HtmlAsync();
        Assert.Contains($"aria-label=\"{bellUnread}\"", home, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"notification-count\">2</span>", home);

        var page = await (await browser.GetAsync("/notifications")).HtmlAsync();
        Assert.Equal(3, CountOf(page, "data-testid=\"notification\""));
        Assert.Equal(2, CountOf(page, "data-unread=\"true\""));
        Assert.Contains(viewed, page, StringComparison.Ordinal);
        Assert.Contains("TKL-2026-00007 · Görünen Ltd.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Temsilcinin teklifi", page, StringComparison.Ordinal);
        Assert.Equal(2, CountOf(await (await browser.GetAsync("/notifications?unread=true")).HtmlAsync(), "data-testid=\"notification\""));

        var marked = await browser.PostFormAsync("/notifications", "mark-all-read", []);
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        var after = await (await browser.GetAsync(marked.Headers.Location!.OriginalString)).HtmlAsync();
        Assert.Contains(markedText, after, StringComparison.Ordinal);
        Assert.Contains($"aria-label=\"{bellNone}\"", after, StringComparison.Ordinal);
        Assert.Contains("hidden data-notification-count", after, StringComparison.Ordinal);
        Assert.Equal(0, CountOf(after, "data-unread=\"true\""));
        Assert.Equal(1, await UnreadAsync(rep.Client));
    }

    [Fact]
    public async Task The_profile_keeps_the_e_mail_copy_setting()
    {
        var org = await factory.CreateOrganizationAsync("Profil Tercihi A.Ş.");
        var browser = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);

        var saved = await (await browser.PostFormAsync("/profile", "notification-preferences", new() { ["Preferences.Posted"] = "true", ["Preferences.EmailCopies"] = "true" })).HtmlAsync();
        Assert.Contains("preferences-saved", saved, StringComparison.Ordinal);
        Assert.True((await org.Admin.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences", Ct))!.EmailNotificationCopies);
        var box = System.Text.RegularExpressions.Regex.Match(await (await browser.GetAsync("/profile")).HtmlAsync(), "<input[^>]*data-testid=\"email-copies\"[^>]*>").Value;
        Assert.Contains("checked", box, StringComparison.Ordinal);

        // A browser does not post an unticked box at all (only the form's hidden field): that is "off".
        await browser.PostFormAsync("/profile", "notification-preferences", new() { ["Preferences.Posted"] = "true" });
        Assert.False((await org.Admin.Client.GetFromJsonAsync<PreferencesDto>("/api/v1/me/preferences", Ct))!.EmailNotificationCopies);
    }

    private static int CountOf(string html, string text) => System.Text.RegularExpressions.Regex.Count(html, System.Text.RegularExpressions.Regex.Escape(text));

    // ---- The quote expiry reminder ----

    /// <summary>A quote on the organization's deal, valid until <paramref name="validUntil"/>, made by the client's user (its owner).</summary>
    private static async Task<Guid> QuoteAsync(HttpClient client, Guid accountId, Guid opportunityId, DateOnly validUntil, string status)
    {
        var response = await client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId,
            opportunityId,
            currency = "TRY",
            validUntil = validUntil.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            lines = new[] { OrderTestData.Line("Vida kompresörü", 1, 100_000m) },
        }, Ct);
        await response.EnsureSuccessAsync();
        var id = (await response.Content.ReadFromJsonAsync<OrderTestData.QuoteDto>(Ct))!.Id;
        if (status != "Draft")
        {
            await client.PostWithEtagAsync($"/api/v1/quotes/{id}", "send").OkAsync<OrderTestData.QuoteDto>();
        }

        if (status == "Accepted")
        {
            await client.PostWithEtagAsync($"/api/v1/quotes/{id}", "accept").OkAsync<OrderTestData.QuoteDto>();
        }

        return id;
    }

    private async Task<int> RemindAsync(DateTimeOffset now)
    {
        // The service's own way: a scope with no caller at all.
        using var scope = factory.Services.CreateScope();
        return await QuoteExpiryReminders.RunOnceAsync(scope.ServiceProvider.GetRequiredService<KazanDbContext>(), now, Ct);
    }

    private async Task<List<Notification>> RemindersAsync(TestOrganization org)
    {
        using var scope = factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<KazanDbContext>().Notifications.IgnoreQueryFilters().AsNoTracking()
            .Where(n => n.OrganizationId == org.Id && n.Kind == NotificationKind.QuoteExpiringSoon).ToListAsync(Ct);
    }

    [Fact]
    public async Task A_sent_quote_two_days_from_expiry_reminds_its_owner_exactly_once()
    {
        // A day far ahead, so that no other test's quote is in the reminder's window when it runs over every organization.
        var day = new DateOnly(2041, 1, 1).AddDays(Random.Shared.Next(0, 3000));
        var org = await factory.CreateOrganizationAsync("Süre Hatırlatma A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Ece Temsilci");
        var account = await factory.AccountAsync(org, "Hatırlatılan Makina A.Ş.", ownerId: rep.Id);
        var deal = await factory.OpportunityAsync(org, account, ownerId: rep.Id);
        var adminAccount = await factory.AccountAsync(org, "Yönetici Müşterisi A.Ş.");
        var adminDeal = await factory.OpportunityAsync(org, adminAccount);

        var expiring = await QuoteAsync(rep.Client, account, deal, day.AddDays(2), "Sent");
        await QuoteAsync(rep.Client, account, deal, day.AddDays(10), "Sent");
        await QuoteAsync(rep.Client, account, deal, day.AddDays(2), "Draft");
        await QuoteAsync(org.Admin.Client, adminAccount, adminDeal, day.AddDays(2), "Accepted");
        var quote = await rep.Client.GetFromJsonAsync<OrderTestData.QuoteDto>($"/api/v1/quotes/{expiring}", Ct);

        // 09:00 in İstanbul on the day: one reminder, for the rep who owns the quote.
        var now = new DateTimeOffset(day.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero);
        Assert.True(await RemindAsync(now) >= 1);
        var reminder = Assert.Single(await RemindersAsync(org));
        Assert.Equal((rep.Id, expiring, "Quote", $"/quotes/{expiring}"), (reminder.RecipientId, reminder.SubjectId, reminder.SubjectType, reminder.Link));
        Assert.Equal($"{quote!.DisplayNumber} · Hatırlatılan Makina A.Ş.", reminder.Title);
        var listed = Assert.Single((await ListAsync(rep.Client)).Items);
        Assert.Equal($"Teklifin süresi 3 gün içinde doluyor, yanıt yok: {quote.DisplayNumber} · Hatırlatılan Makina A.Ş.", listed.Text);
        Assert.Empty((await ListAsync(org.Admin.Client)).Items);

        // Run again, and twice at once (two instances), a day later: still the one reminder.
        await RemindAsync(now.AddHours(1));
        await Task.WhenAll(RemindAsync(now.AddDays(1)), RemindAsync(now.AddDays(1)), RemindAsync(now.AddDays(1)));
        Assert.Single(await RemindersAsync(org));
        Assert.Equal(1, await UnreadAsync(rep.Client));
    }

    [Fact]
    public async Task The_reminder_counts_days_on_the_organizations_calendar_and_skips_expired_quotes()
    {
        var day = new DateOnly(2049, 6, 1).AddDays(Random.Shared.Next(0, 2000));
        var (org, account, deal) = await factory.OrganizationWithDealAsync("Takvim Hatırlatma A.Ş.", "Saat Dilimi Ltd.");
        var quote = await QuoteAsync(org.Admin.Client, account, deal, day, "Sent");

        // 23:00 in İstanbul four days before: not yet. An hour later the organization's day is three days before.
        var evening = new DateTimeOffset(day.AddDays(-4).ToDateTime(new TimeOnly(20, 0)), TimeSpan.Zero);
        await RemindAsync(evening);
        Assert.Empty(await RemindersAsync(org));
        await RemindAsync(evening.AddHours(2)); // 22:00 UTC: still four days before by the UTC calendar
        Assert.Equal(quote, Assert.Single(await RemindersAsync(org)).SubjectId);

        // A quote whose validity has already passed is expired, not "expiring": nothing for it.
        var (late, lateAccount, lateDeal) = await factory.OrganizationWithDealAsync("Geç Kalan A.Ş.");
        await QuoteAsync(late.Admin.Client, lateAccount, lateDeal, day, "Sent");
        await RemindAsync(new DateTimeOffset(day.AddDays(1).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        Assert.Empty(await RemindersAsync(late));
    }

    [Fact]
    public async Task The_database_refuses_a_second_reminder_but_not_a_second_view()
    {
        var org = await factory.CreateOrganizationAsync("Tekil Hatırlatma A.Ş.");
        var quoteId = Guid.CreateVersion7();
        await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteViewed, subjectId: quoteId);
        await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteViewed, subjectId: quoteId);
        await NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteExpiringSoon, subjectId: quoteId);
        await Assert.ThrowsAsync<DbUpdateException>(() => NotifyAsync(org, org.Admin.Id, NotificationKind.QuoteExpiringSoon, subjectId: quoteId));
        Assert.Equal(3, await UnreadAsync(org.Admin.Client));
    }
}
