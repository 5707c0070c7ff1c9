using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>
/// A Turkish company's whole journey — accounts and people, a deal moved, lost and won, activities logged, a quote sent,
/// revised and accepted, an order delivered and another cancelled, the settings — and then every page it touches read
/// as a Turkish user sees it: no English word or enum name may show (visible text, placeholders, titles, labels,
/// confirmation questions). The data is typed in Turkish, so whatever English shows came from Kazan.
/// </summary>
public sealed partial class TurkishJourneyLanguageTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Enums that name things only code sees (their values never reach a page).</summary>
    private static readonly HashSet<string> InternalEnums = new(StringComparer.Ordinal) { "TimelineItemKind", "AuditedFieldKind", "DatabaseProvider", "AuditAction" };

    /// <summary>English words of a UI that give away an untranslated text (whole words, any case).</summary>
    private static readonly string[] EnglishWords =
    [
        "the", "and", "of", "with", "status", "amount", "save", "cancel", "delete", "edit", "search", "filter", "next", "previous",
        "owner", "account", "accounts", "opportunity", "opportunities", "quote", "quotes", "order", "orders", "delivered", "total",
        "date", "name", "stage", "stages", "pipeline", "pipelines", "probability", "yes", "none", "add", "back", "home", "settings",
        "loading", "error", "required", "create", "update", "close", "remove", "reconnect", "retry", "rejoin", "field", "page",
        "contact", "contacts", "product", "products", "user", "users", "team", "teams", "new", "all", "show", "more", "view",
        "sign", "language", "due", "today", "overdue", "done", "activity", "activities", "timeline", "history", "created",
        "changed", "deleted", "reason", "notes", "subject", "kind", "city", "phone", "website", "address", "country", "tax",
        "number", "currency", "rate", "discount", "vat", "gross", "valid", "until", "from", "found", "expected", "quoted",
        "ordered", "forecast", "weighted", "customer", "line", "lines", "quantity", "unit", "price", "primary", "revision",
        "details", "backlog", "late", "remaining", "cancelled", "returned", "delivery", "deliveries", "archive", "archived",
        "restore", "outcome", "snooze", "reschedule", "week", "day", "confirm", "ok", "true", "false", "null",
    ];

    private static readonly Lazy<HashSet<string>> EnumNames = new(() => typeof(Program).Assembly.GetTypes()
        .Where(t => t.IsEnum && t.Namespace?.StartsWith("Kazan.Features", StringComparison.Ordinal) == true && !InternalEnums.Contains(t.Name))
        .SelectMany(Enum.GetNames).ToHashSet(StringComparer.Ordinal));

    [Fact]
    public async Task Every_page_of_a_full_Turkish_journey_shows_no_English_word_or_enum_name()
    {
        var j = await ArrangeJourneyAsync();
        var pages = new[]
        {
            "/", "/board", "/my-day", "/search?q=anadolu",
            "/opportunities", "/opportunities?status=Lost", $"/opportunities/{j.Deal}", $"/opportunities/{j.LostDeal}", "/opportunities/new",
            $"/opportunities/new?accountId={j.Account}", $"/opportunities/{j.Deal}/edit", "/opportunities/new?q=bulunmayan",
            "/accounts", $"/accounts/{j.Account}", $"/accounts/{j.Account}/activities", "/accounts/new", $"/accounts/{j.Account}/edit",
            "/contacts", $"/contacts/{j.Contact}", "/contacts/new", $"/contacts/{j.Contact}/edit",
            "/quotes", $"/quotes/{j.AcceptedQuote}", $"/quotes/{j.SupersededQuote}", $"/quotes/{j.Revision}", $"/quotes/{j.Revision}/diff",
            "/quotes/new", $"/quotes/new?accountId={j.Account}", "/quotes/new?q=bulunmayan",
            "/orders", "/orders?status=Delivered", $"/orders/{j.DeliveredOrder}", $"/orders/{j.CancelledOrder}", "/orders/backlog", "/orders/new",
            $"/orders/new?quoteId={j.AcceptedQuote}", $"/orders/new?accountId={j.Account}",
            "/products", $"/products/{j.Product}", "/products/new",
            "/settings/organization", "/settings/users", $"/settings/users/{j.Admin}", "/settings/teams", "/settings/pipelines",
            $"/settings/pipelines/{j.Pipeline}", "/settings/api-tokens", "/not-found", "/forbidden",
        };

        var findings = new List<string>();
        foreach (var url in pages)
        {
            using var response = await j.Client.GetAsync(url, Ct);
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync(Ct);
            findings.AddRange(English(html).Select(f => $"{url}: {f}"));
        }

        // The whole timelines (the pages show the newest 20), as the API tells them in the user's language.
        foreach (var url in new[] { $"/api/v1/opportunities/{j.Deal}/timeline?limit=200", $"/api/v1/accounts/{j.Account}/timeline?limit=200" })
        {
            using var timeline = JsonDocument.Parse(await j.Client.GetStringAsync(url, Ct));
            var texts = timeline.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("text").GetString()!).ToList();
            Assert.True(texts.Count > 20, $"{url}: {texts.Count} items");
            findings.AddRange(texts.SelectMany(t => English(WebUtility.HtmlEncode(t))).Select(f => $"{url}: {f}"));
        }

        Assert.True(findings.Count == 0, "English on Turkish pages:\n" + string.Join("\n", findings.Distinct()));

        // The scan read the real pages: the deal's timeline tells the journey in Turkish, with money and enum values translated.
        var deal = WebUtility.HtmlDecode(await j.Client.GetStringAsync($"/opportunities/{j.Deal}", Ct));
        Assert.Contains("Teklif TKL-2026-00002 değişti: durum: Taslak → Gönderildi", deal, StringComparison.Ordinal);
        Assert.Contains("Sipariş tutarı: – → 73.500,00 ₺", deal, StringComparison.Ordinal);
        Assert.Contains("Mesaj bırakıldı", deal, StringComparison.Ordinal);
        var all = await j.Client.GetStringAsync($"/api/v1/opportunities/{j.Deal}/timeline?limit=200", Ct);
        Assert.Contains("Arama tamamlandı: Satın alma ile görüşme — Mesaj bırakıldı · not: Yarın geri arayacak", all, StringComparison.Ordinal);
        Assert.Contains("Beklenen tutar: 180.000,00 ₺ → 195.000,00 ₺", all, StringComparison.Ordinal);
    }

    [Fact]
    public void The_scan_catches_an_enum_name_and_an_English_word_but_not_Turkish_text()
    {
        Assert.NotEmpty(English("<p>durum: Draft → Sent</p>"));
        Assert.NotEmpty(English("<input placeholder=\"Search accounts\" />"));
        Assert.NotEmpty(English("<button data-confirm=\"Delete the team?\">Sil</button>"));
        Assert.NotEmpty(English("<li>Müşteri değişti: TaxOffice: – → Nilüfer</li>"));
        Assert.Empty(English("<p title=\"Müşteri ara\">Teklif TKL-2026-00001 durumu: Taslak → Gönderildi · 92.650,00 ₺ · %10</p>"));
    }

    /// <summary>The English words and enum names in what a user reads on the page (text and the attributes people see).</summary>
    private static List<string> English(string html)
    {
        var text = new StringBuilder();
        var body = Hidden().Replace(html, " ");
        foreach (Match m in VisibleAttribute().Matches(body))
        {
            text.Append(' ').Append(WebUtility.HtmlDecode(m.Groups[2].Value)).Append(" |");
        }

        text.Append(WebUtility.HtmlDecode(Tag().Replace(body, " | ")));
        var all = text.ToString();
        var found = new List<string>();
        foreach (Match word in Word().Matches(all))
        {
            var w = word.Value;
            // A word with a capital inside (ExpectedAmount, PartiallyDelivered) is a code name: no Turkish word has one.
            if (EnumNames.Value.Contains(w) || EnglishWords.Contains(w.ToLowerInvariant()) || CodeName().IsMatch(w))
            {
                var start = Math.Max(0, word.Index - 40);
                var context = all.Substring(start, Math.Min(all.Length - start, 100)).ReplaceLineEndings(" ");
                found.Add($"\"{w}\" in …{MultipleSpaces().Replace(context, " ").Trim()}…");
            }
        }

        return found;
    }

    private sealed record Journey(
        HttpClient Client, Guid Admin, Guid Account, Guid Contact, Guid Deal, Guid LostDeal, Guid AcceptedQuote, Guid SupersededQuote, Guid Revision,
        Guid DeliveredOrder, Guid CancelledOrder, Guid Product, Guid Pipeline);

    /// <summary>The journey, written through the API as a Turkish admin (named in Turkish: the default test name starts with "Admin").</summary>
    private async Task<Journey> ArrangeJourneyAsync()
    {
        var org = await factory.CreateOrganizationAsync("Anadolu Pompa Sanayi A.Ş.", "tr-TR");
        var c = org.Admin.Client;
        var admin = await GetAsync(c, $"/api/v1/users/{org.Admin.Id}");
        await SendAsync(c, HttpMethod.Put, $"/api/v1/users/{org.Admin.Id}", new { displayName = "Deniz Aksoy", role = "Admin", teamId = (Guid?)null, isActive = true }, admin.ETag);
        var team = await SendAsync(c, HttpMethod.Post, "/api/v1/teams", new { name = "İstanbul ekibi" });
        var user = await GetAsync(c, $"/api/v1/users/{org.Admin.Id}");
        await SendAsync(c, HttpMethod.Put, $"/api/v1/users/{org.Admin.Id}", new { displayName = "Deniz Aksoy", role = "Admin", teamId = team.Id, isActive = true }, user.ETag);
        await SendAsync(c, HttpMethod.Post, "/api/v1/api-tokens", new { name = "Muhasebe aktarımı", expiresInDays = 90 });

        var product = await SendAsync(c, HttpMethod.Post, "/api/v1/products",
            new { code = "PMP-50", name = "Santrifüj pompa", unit = "adet", listPrice = 24_500m, currency = "TRY", vatRate = 20m });
        var account = await SendAsync(c, HttpMethod.Post, "/api/v1/accounts",
            new { kind = "Company", name = "Anadolu Su Arıtma A.Ş.", taxNumber = "4710145325", taxOffice = "Nilüfer", city = "Bursa", phone = "0224 555 12 12" });
        var accountId = account.Id;
        var accountNow = await GetAsync(c, $"/api/v1/accounts/{accountId}");
        await SendAsync(c, HttpMethod.Put, $"/api/v1/accounts/{accountId}",
            new { kind = "Company", name = "Anadolu Su Arıtma A.Ş.", taxNumber = "4710145325", taxOffice = "Nilüfer", city = "Bursa", phone = "0224 555 12 13", notes = "Yıllık bakım müşterisi" },
            accountNow.ETag);
        var contact = await SendAsync(c, HttpMethod.Post, "/api/v1/contacts",
            new { accountId, firstName = "Ayşe", lastName = "Yılmaz", title = "Satın alma müdürü", email = "ayse@anadolusu.example" });

        var pipeline = Items((await GetAsync(c, "/api/v1/pipelines")).Json).First(p => p.GetProperty("isDefault").GetBoolean());
        var pipelineId = pipeline.GetProperty("id").GetGuid();
        var stages = pipeline.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
        var reasons = Items((await GetAsync(c, "/api/v1/lost-reasons")).Json).Select(r => r.GetProperty("id").GetGuid()).ToList();
        var closeDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(45).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var deal = await SendAsync(c, HttpMethod.Post, "/api/v1/opportunities",
            new { title = "Arıtma tesisi pompa yenileme", accountId, expectedAmount = 180_000m, expectedCloseDate = closeDate, source = "Fuar", contactIds = new[] { contact.Id } });
        var moved = await SendAsync(c, HttpMethod.Post, $"/api/v1/opportunities/{deal.Id}/stage", new { stageId = stages[2] }, deal.ETag);
        var probability = await SendAsync(c, HttpMethod.Put, $"/api/v1/opportunities/{deal.Id}/probability", new { probability = 55 }, moved.ETag);
        await SendAsync(c, HttpMethod.Put, $"/api/v1/opportunities/{deal.Id}",
            new { title = "Arıtma tesisi pompa yenileme", expectedAmount = 195_000m, expectedCloseDate = closeDate, source = "Fuar", nextStep = "Teknik şartnameyi gönder" },
            probability.ETag);

        var lost = await SendAsync(c, HttpMethod.Post, "/api/v1/opportunities",
            new { title = "Yedek parça anlaşması", accountId, expectedAmount = 12_000m, expectedCloseDate = closeDate });
        var lostNow = await SendAsync(c, HttpMethod.Post, $"/api/v1/opportunities/{lost.Id}/lost", new { lostReasonId = reasons[0], note = "Rakip daha ucuz" }, lost.ETag);
        var reopened = await SendAsync(c, HttpMethod.Post, $"/api/v1/opportunities/{lost.Id}/reopen", new { reason = "Müşteri geri döndü" }, lostNow.ETag);
        await SendAsync(c, HttpMethod.Post, $"/api/v1/opportunities/{lost.Id}/lost", new { lostReasonId = reasons[1] }, reopened.ETag);

        // Activities: a task planned and done, a call logged with its outcome, a note, a meeting for today.
        var task = await SendAsync(c, HttpMethod.Post, "/api/v1/activities",
            new { kind = "Task", subject = "Şartnameyi hazırla", accountId, opportunityId = deal.Id, dueAt = DateTimeOffset.UtcNow.AddDays(-1) });
        await SendAsync(c, HttpMethod.Post, $"/api/v1/activities/{task.Id}/done", new { notes = "Teknik ekip onayladı" });
        await SendAsync(c, HttpMethod.Post, "/api/v1/activities",
            new { kind = "Call", subject = "Satın alma ile görüşme", accountId, opportunityId = deal.Id, done = true, doneAt = DateTimeOffset.UtcNow.AddHours(-2), outcome = "LeftMessage", notes = "Yarın geri arayacak" });
        await SendAsync(c, HttpMethod.Post, "/api/v1/activities", new { kind = "Note", subject = "Bütçe onaylandı", accountId, opportunityId = deal.Id });
        await SendAsync(c, HttpMethod.Post, "/api/v1/activities",
            new { kind = "Meeting", subject = "Tesiste keşif", accountId, opportunityId = deal.Id, dueAt = DateTimeOffset.UtcNow.AddHours(1) });

        // Quotes: one sent and revised (the revision compared), one sent and accepted.
        object Line(string description, decimal quantity, decimal price, decimal discount = 0m) =>
            new { kind = "Item", productId = product.Id, description, quantity, unit = "adet", unitPrice = price, discountPercent = discount, vatRate = 20m };
        var first = await SendAsync(c, HttpMethod.Post, "/api/v1/quotes", new { accountId, opportunityId = deal.Id, currency = "TRY", lines = new[] { Line("Santrifüj pompa", 4, 24_500m, 5m) } });
        var firstSent = await SendAsync(c, HttpMethod.Post, $"/api/v1/quotes/{first.Id}/send", null, first.ETag);
        var revision = await SendAsync(c, HttpMethod.Post, $"/api/v1/quotes/{first.Id}/revise", null, firstSent.ETag);
        var accepted = await SendAsync(c, HttpMethod.Post, "/api/v1/quotes", new { accountId, opportunityId = deal.Id, currency = "TRY", lines = new[] { Line("Santrifüj pompa", 3, 24_500m) } });
        var acceptedSent = await SendAsync(c, HttpMethod.Post, $"/api/v1/quotes/{accepted.Id}/send", null, accepted.ETag);
        var acceptedNow = await SendAsync(c, HttpMethod.Post, $"/api/v1/quotes/{accepted.Id}/accept", null, acceptedSent.ETag);
        await SendAsync(c, HttpMethod.Post, $"/api/v1/quotes/{accepted.Id}/primary", null, acceptedNow.ETag);

        // Orders: the accepted quote ordered and delivered in two steps; a direct order cancelled.
        var order = await SendAsync(c, HttpMethod.Post, "/api/v1/orders", new { quoteId = accepted.Id, customerReference = "SAS-2026-118" });
        var line = order.Json.GetProperty("lines")[0].GetProperty("id").GetGuid();
        await SendAsync(c, HttpMethod.Post, $"/api/v1/orders/{order.Id}/deliveries", new { noteNumber = "İRS-41", lines = new[] { new { orderLineId = line, quantity = 1m } } });
        await SendAsync(c, HttpMethod.Post, $"/api/v1/orders/{order.Id}/deliveries", new { noteNumber = "İRS-42" });
        var direct = await SendAsync(c, HttpMethod.Post, "/api/v1/orders",
            new { accountId, opportunityId = deal.Id, currency = "TRY", lines = new[] { new { description = "Montaj işçiliği", quantity = 2m, unit = "saat", unitPrice = 1_500m, discountPercent = 0m, vatRate = 20m } } });
        await SendAsync(c, HttpMethod.Post, $"/api/v1/orders/{direct.Id}/cancel", new { reason = "Müşteri vazgeçti", reopenOpportunity = false }, direct.ETag);

        return new Journey(c, org.Admin.Id, accountId, contact.Id, deal.Id, lost.Id, accepted.Id, first.Id, revision.Id, order.Id, direct.Id, product.Id, pipelineId);
    }

    private static JsonElement.ArrayEnumerator Items(JsonElement json) =>
        json.ValueKind == JsonValueKind.Array ? json.EnumerateArray() : json.GetProperty("items").EnumerateArray();

    private sealed record Answer(JsonElement Json, string? ETag)
    {
        public Guid Id => Json.GetProperty("id").GetGuid();
    }

    private static async Task<Answer> GetAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url, Ct);
        await response.EnsureSuccessAsync();
        return new Answer(JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone(), response.Headers.ETag?.ToString());
    }

    private static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string url, object? body, string? etag = null)
    {
        using var request = new HttpRequestMessage(method, url) { Content = body is null ? null : JsonContent.Create(body) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        using var response = await client.SendAsync(request, Ct);
        await response.EnsureSuccessAsync();
        var text = await response.Content.ReadAsStringAsync(Ct);
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        var inner = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("order", out var o) && !json.TryGetProperty("id", out _) ? o : json;
        return new Answer(json.ValueKind == JsonValueKind.Object && json.TryGetProperty("quote", out var q) && !json.TryGetProperty("id", out _) ? q : inner,
            response.Headers.ETag?.ToString());
    }

    /// <summary>What no one reads as text: scripts, styles, comments, and code shown verbatim (token prefixes).</summary>
    [GeneratedRegex(@"<(script|style|template|code)\b[\s\S]*?</\1>|<!--[\s\S]*?-->", RegexOptions.IgnoreCase)]
    private static partial Regex Hidden();

    [GeneratedRegex("\\b(placeholder|title|aria-label|alt|data-confirm)=\"([^\"]*)\"", RegexOptions.IgnoreCase)]
    private static partial Regex VisibleAttribute();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\p{L}+")]
    private static partial Regex Word();

    [GeneratedRegex(@"[a-z]{2,}[A-Z][a-z]")]
    private static partial Regex CodeName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex MultipleSpaces();
}
