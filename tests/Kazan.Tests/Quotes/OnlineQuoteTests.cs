using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Opportunities;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;
using Kazan.Tests.Pdf;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Quotes;

/// <summary>
/// The online quote: links (issue, revoke, expiry), the public JSON API and page a customer opens without signing in,
/// the final online decision, the stamped copy and view tracking. Runs on SQLite and PostgreSQL like every class.
/// </summary>
public sealed class OnlineQuoteTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public sealed record LinkDto(string Url, DateTimeOffset ExpiresAt);

    public sealed record PublicLineDto(string Kind, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal NetAmount);

    public sealed record VatDto(decimal Rate, decimal Net, decimal Vat);

    public sealed record DecisionDto(string Outcome, bool Online, string? Name, string? Title, string? Reason);

    public sealed record PublicDto(
        string Organization, string Number, string Language, string State, bool CanAnswer, string Customer, string Currency, List<PublicLineDto> Lines,
        decimal NetTotal, List<VatDto> VatByRate, decimal VatTotal, decimal GrandTotal, DecisionDto? Decision, bool RevisedAvailable);

    public sealed record QuoteDto(Guid Id, string Status, decimal NetTotal, bool IsPrimary, int ViewCount, DateTimeOffset? FirstViewedAt, DateTimeOffset? LastViewedAt,
        bool DecidedOnline, string? DecidedByName, string? DecidedByTitle, string? DecisionReason, string? DecidedFromIp, int Version);

    /// <summary>An organization with a sent quote of two lines at two VAT rates (and a section heading), and a link to it.</summary>
    private async Task<(TestOrganization Org, Guid Opportunity, Guid Quote, string Token)> SentQuoteWithLinkAsync(string name, string language = "tr")
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync(name, "Müşteri Çağlayan Gıda A.Ş.");
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            language,
            paymentTerms = "%50 peşin, kalan teslimde",
            lines = new object[]
            {
                new { kind = "Section", description = "Donanım", quantity = 0m, unitPrice = 0m, discountPercent = 0m },
                OrderTestData.Line("Endüstriyel şoklayıcı", 2, 1_234.56m, vat: 20m),
                OrderTestData.Line("Kurulum ve eğitim", 3, 333.33m, vat: 10m, discount: 5m, unit: "saat"),
            },
        }, Ct).OkAsync<QuoteDto>();
        await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{created.Id}", "send").OkAsync<QuoteDto>();
        var link = await org.Admin.Client.PostAsync($"/api/v1/quotes/{created.Id}/link", null, Ct).OkAsync<LinkDto>();
        Assert.StartsWith("https://localhost/q/qt_", link.Url, StringComparison.Ordinal);
        return (org, opportunity, created.Id, link.Url[(link.Url.LastIndexOf('/') + 1)..]);
    }

    private static Task<QuoteDto> QuoteAsync(TestOrganization org, Guid id) => org.Admin.Client.GetFromJsonAsync<QuoteDto>($"/api/v1/quotes/{id}", Ct)!;

    private Task<HttpResponseMessage> AcceptAsync(string token, string? name = "Ayşe Yılmaz", string? title = "Satın Alma Müdürü", bool accepted = true, HttpClient? client = null) =>
        (client ?? factory.Anonymous()).PostAsJsonAsync($"/api/v1/public/quotes/{token}/accept", new { name, title, accepted }, Ct);

    [Fact]
    public async Task A_link_is_issued_only_for_a_sent_quote()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Taslak Bağlantı A.Ş.");
        var draft = await OrderTestData.QuoteAsync(org.Admin.Client, account, opportunity, OrderTestData.Line("Kalem", 1, 100m));

        var refused = await org.Admin.Client.PostAsync($"/api/v1/quotes/{draft.Id}/link", null, Ct);
        var problem = await refused.ProblemAsync(422);
        Assert.Equal("quote.link-not-sent", problem.GetProperty("code").GetString());

        await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{draft.Id}", "send").OkAsync<QuoteDto>();
        var link = await org.Admin.Client.PostAsync($"/api/v1/quotes/{draft.Id}/link", null, Ct).OkAsync<LinkDto>();
        var token = link.Url[(link.Url.LastIndexOf('/') + 1)..];
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync($"/api/v1/public/quotes/{token}", Ct)).StatusCode);

        // Validity + 30 days of viewing grace, to the end of that day in İstanbul (UTC+3).
        var validUntil = OrderTestData.OrgToday.AddDays(30); // the organization's default validity
        Assert.Equal(new DateTimeOffset(validUntil.AddDays(31).ToDateTime(TimeOnly.MinValue), TimeSpan.FromHours(3)).AddTicks(-1), link.ExpiresAt);

        // Only the hash is stored.
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stored = await db.QuoteLinks.SingleAsync(l => l.QuoteId == draft.Id, Ct);
            Assert.DoesNotContain(token, stored.TokenHash, StringComparison.Ordinal);
            Assert.Equal(Kazan.Infrastructure.Auth.SecretTokens.Hash(token), stored.TokenHash);
        }
    }

    [Fact]
    public async Task The_public_quote_shows_lines_and_totals_to_the_kurus_and_nothing_of_other_records()
    {
        var (org, opportunity, quoteId, token) = await SentQuoteWithLinkAsync("Görünüm Ticaret A.Ş.");
        var response = await factory.Anonymous().GetAsync($"/api/v1/public/quotes/{token}", Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var view = JsonSerializer.Deserialize<PublicDto>(body, JsonSerializerOptions.Web)!;

        Assert.Equal(("Görünüm Ticaret A.Ş.", "Müşteri Çağlayan Gıda A.Ş.", "tr", "Open", true), (view.Organization, view.Customer, view.Language, view.State, view.CanAnswer));
        Assert.Equal(["Donanım", "Endüstriyel şoklayıcı", "Kurulum ve eğitim"], view.Lines.Select(l => l.Description));
        // 2 × 1 234,56 = 2 469,12 at 20 %; 3 × 333,33 − 5 % = 949,99 (949,9905) at 10 %.
        Assert.Equal(2_469.12m, view.Lines[1].NetAmount);
        Assert.Equal(949.99m, view.Lines[2].NetAmount);
        Assert.Equal(3_419.11m, view.NetTotal);
        Assert.Equal([(10m, 95.00m), (20m, 493.82m)], view.VatByRate.OrderBy(v => v.Rate).Select(v => (v.Rate, v.Vat)));
        Assert.Equal(4_007.93m, view.GrandTotal);

        // No ids of anything: not the quote, the deal, the account, the owner, the organization.
        Assert.DoesNotContain(quoteId.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(opportunity.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(org.Id.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(org.Admin.Id.ToString(), body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", body);

        // The page: Turkish (the quote's language), the totals as the customer reads them.
        var page = await factory.Anonymous().GetAsync($"/q/{token}", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.HtmlAsync();
        Assert.Contains("lang=\"tr\"", html, StringComparison.Ordinal);
        Assert.Contains("Teklifi kabul et", html, StringComparison.Ordinal);
        Assert.Contains("4.007,93", html, StringComparison.Ordinal);
        Assert.Contains("%50 peşin, kalan teslimde", html, StringComparison.Ordinal);
        Assert.DoesNotContain(quoteId.ToString(), html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(opportunity.ToString(), html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unknown_tampered_revoked_and_expired_links_get_one_neutral_answer_and_change_nothing()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Geçersiz Bağlantı A.Ş.");
        var anonymous = factory.Anonymous();
        var tampered = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');

        async Task NeutralAsync(string t)
        {
            var json = await (await anonymous.GetAsync($"/api/v1/public/quotes/{t}", Ct)).ProblemAsync(404);
            Assert.Equal("This link is not valid.", json.GetProperty("title").GetString());
            var accept = await AcceptAsync(t);
            await accept.ProblemAsync(404);
            var page = await anonymous.GetAsync($"/q/{t}", Ct);
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
            var html = await page.HtmlAsync();
            Assert.True(html.Contains("Bu bağlantı geçerli değil", StringComparison.Ordinal), html);
            Assert.DoesNotContain("Geçersiz Bağlantı", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Çağlayan", html, StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/q/{t}/pdf", Ct)).StatusCode);
        }

        await NeutralAsync("qt_" + new string('x', 43));
        await NeutralAsync("nonsense");
        await NeutralAsync(tampered);

        // Expired: the viewing grace is over.
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            await db.QuoteLinks.Where(l => l.QuoteId == quoteId).ExecuteUpdateAsync(s => s.SetProperty(l => l.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1)), Ct);
        }

        await NeutralAsync(token);

        // Revoked: a fresh link works, then revoking ends it (and every other link of the quote).
        var fresh = await org.Admin.Client.PostAsync($"/api/v1/quotes/{quoteId}/link", null, Ct).OkAsync<LinkDto>();
        var freshToken = fresh.Url[(fresh.Url.LastIndexOf('/') + 1)..];
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/v1/public/quotes/{freshToken}", Ct)).StatusCode);
        var revoked = await org.Admin.Client.PostAsync($"/api/v1/quotes/{quoteId}/link/revoke", null, Ct).OkAsync<JsonElement>();
        Assert.Equal(2, revoked.GetProperty("revoked").GetInt32());
        await NeutralAsync(freshToken);

        var quote = await QuoteAsync(org, quoteId);
        Assert.Equal(("Sent", false), (quote.Status, quote.DecidedOnline));
    }

    [Fact]
    public async Task An_expired_or_withdrawn_quote_shows_its_state_and_cannot_be_answered()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Süresi Dolan A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            await db.Quotes.Where(q => q.Id == quoteId).ExecuteUpdateAsync(s => s.SetProperty(q => q.ValidUntil, OrderTestData.OrgToday.AddDays(-1)), Ct);
        }

        var view = await factory.Anonymous().GetFromJsonAsync<PublicDto>($"/api/v1/public/quotes/{token}", Ct);
        Assert.Equal(("Expired", false), (view!.State, view.CanAnswer));
        var refused = await (await AcceptAsync(token)).ProblemAsync(422);
        Assert.Equal("quote.expired", refused.GetProperty("code").GetString());
        await (await factory.Anonymous().PostAsJsonAsync($"/api/v1/public/quotes/{token}/reject", new { reason = "Geç kaldı" }, Ct)).ProblemAsync(422);
        var html = await (await factory.Anonymous().GetAsync($"/q/{token}", Ct)).HtmlAsync();
        Assert.Contains("geçerliliği", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"oq-accept\"", html, StringComparison.Ordinal);
        var after = await QuoteAsync(org, quoteId);
        Assert.Equal(("Expired", false, 1), (after.Status, after.DecidedOnline, after.Version)); // unchanged since sent

        var (org2, _, quote2, token2) = await SentQuoteWithLinkAsync("Geri Çeken A.Ş.");
        await org2.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{quote2}", "withdraw").OkAsync<QuoteDto>();
        Assert.Equal("Withdrawn", (await factory.Anonymous().GetFromJsonAsync<PublicDto>($"/api/v1/public/quotes/{token2}", Ct))!.State);
        await (await AcceptAsync(token2)).ProblemAsync(422);
        Assert.Equal("Withdrawn", (await QuoteAsync(org2, quote2)).Status);
    }

    [Fact]
    public async Task A_superseded_quote_says_it_was_revised_and_leads_to_the_revision_once_that_has_a_live_link()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Revize A.Ş.");
        var revision = await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{quoteId}", "revise").OkAsync<QuoteDto>();

        var view = await factory.Anonymous().GetFromJsonAsync<PublicDto>($"/api/v1/public/quotes/{token}", Ct);
        Assert.Equal(("Superseded", false, false), (view!.State, view.CanAnswer, view.RevisedAvailable));
        await (await AcceptAsync(token)).ProblemAsync(422);
        var anonymous = factory.Anonymous();
        Assert.Equal($"/q/{token}", (await anonymous.GetAsync($"/q/{token}/revised", Ct)).Headers.Location?.OriginalString);

        await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{revision.Id}", "send").OkAsync<QuoteDto>();
        await org.Admin.Client.PostAsync($"/api/v1/quotes/{revision.Id}/link", null, Ct).OkAsync<LinkDto>();
        Assert.True((await anonymous.GetFromJsonAsync<PublicDto>($"/api/v1/public/quotes/{token}", Ct))!.RevisedAvailable);
        var html = await (await anonymous.GetAsync($"/q/{token}", Ct)).HtmlAsync();
        Assert.Contains("Bu teklif revize edildi", html, StringComparison.Ordinal);
        Assert.Contains($"/q/{token}/revised", html, StringComparison.Ordinal);

        var redirect = await anonymous.GetAsync($"/q/{token}/revised", Ct);
        var next = redirect.Headers.Location!.OriginalString;
        Assert.StartsWith("/q/qt_", next, StringComparison.Ordinal);
        Assert.NotEqual($"/q/{token}", next);
        var revised = await anonymous.GetFromJsonAsync<PublicDto>($"/api/v1/public/quotes/{next[3..]}", Ct);
        Assert.Equal(("Open", true), (revised!.State, revised.CanAnswer));
        Assert.EndsWith("/ R1", revised.Number, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accepting_online_is_the_quotes_own_accept_recorded_with_the_signer_and_final()
    {
        var (org, opportunity, quoteId, token) = await SentQuoteWithLinkAsync("Kabul Eden A.Ş.");
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) " + new string('x', 600));

        var unticked = await (await AcceptAsync(token, accepted: false, client: client)).ProblemAsync(400);
        Assert.True(unticked.GetProperty("errors").TryGetProperty("accepted", out _));
        var nameless = await (await AcceptAsync(token, name: " ", client: client)).ProblemAsync(400);
        Assert.Equal("quote.signer-required", nameless.GetProperty("codes").GetProperty("name").GetString());
        Assert.Equal("Sent", (await QuoteAsync(org, quoteId)).Status);

        var accepted = await AcceptAsync(token, client: client);
        var view = await accepted.Content.ReadFromJsonAsync<PublicDto>(Ct);
        Assert.Equal(("Accepted", false, "Ayşe Yılmaz", "Satın Alma Müdürü"), (view!.State, view.CanAnswer, view.Decision!.Name, view.Decision.Title));

        var quote = await QuoteAsync(org, quoteId);
        Assert.Equal(("Accepted", true, "Ayşe Yılmaz", "Satın Alma Müdürü"), (quote.Status, quote.DecidedOnline, quote.DecidedByName, quote.DecidedByTitle));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stored = await db.Quotes.AsNoTracking().SingleAsync(q => q.Id == quoteId, Ct);
            Assert.Equal(512, stored.DecidedUserAgent!.Length);
            Assert.StartsWith("Mozilla/5.0 (iPhone;", stored.DecidedUserAgent, StringComparison.Ordinal);

            // The opportunity follows as when the rep accepts: the primary quote's net total is the quoted amount.
            var deal = await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == opportunity, Ct);
            Assert.Equal((3_419.11m, ForecastSource.Quoted), (deal.QuotedAmount, deal.ForecastSource));
        }

        // Final: a replay, a reject and the rep's own buttons all refuse; nothing changes.
        var replay = await (await AcceptAsync(token, name: "Başka Biri")).ProblemAsync(409);
        Assert.Equal(QuoteLinkCommands.AlreadyDecided, replay.GetProperty("code").GetString());
        await (await factory.Anonymous().PostAsJsonAsync($"/api/v1/public/quotes/{token}/reject", new { reason = "Vazgeçtik" }, Ct)).ProblemAsync(409);
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{quoteId}", "reject")).ProblemAsync(422);
        Assert.Equal(("Accepted", "Ayşe Yılmaz", null), ((await QuoteAsync(org, quoteId)).Status, (await QuoteAsync(org, quoteId)).DecidedByName, (await QuoteAsync(org, quoteId)).DecisionReason));

        // The page shows the recorded decision and no forms.
        var html = await (await factory.Anonymous().GetAsync($"/q/{token}", Ct)).HtmlAsync();
        Assert.Contains("Ayşe Yılmaz (Satın Alma Müdürü) tarafından", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"oq-accept\"", html, StringComparison.Ordinal);

        // And the deal's timeline tells it.
        var timeline = await org.Admin.Client.GetStringAsync($"/api/v1/opportunities/{opportunity}/timeline", Ct);
        Assert.Contains("Ayşe Yılmaz (Satın Alma Müdürü) tarafından çevrimiçi kabul edildi", timeline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_accept_command_records_the_callers_address_and_agent()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Adres Kayıt A.Ş.");
        using var scope = factory.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().SetVisitor(org.Id, null);
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        var link = (await QuoteLinkCommands.FindAsync(db, token, DateTimeOffset.UtcNow, Ct))!;
        var outcome = await QuoteLinkCommands.AcceptAsync(db, scope.ServiceProvider.GetRequiredService<OrganizationTime>(), link,
            new OnlineAcceptance("Mehmet Öztürk", null, true), new VisitorOrigin("203.0.113.7", "Kazan-Test/1.0"), Ct);

        Assert.Equal(("203.0.113.7", "Kazan-Test/1.0", null), (outcome.Done().DecidedFromIp, outcome.Value!.DecidedUserAgent, outcome.Value.DecidedByTitle));
        Assert.Equal("203.0.113.7", (await QuoteAsync(org, quoteId)).DecidedFromIp);
    }

    [Fact]
    public async Task Rejecting_online_keeps_the_reason_and_clears_the_quoted_amount_like_the_reps_reject()
    {
        var (org, opportunity, quoteId, token) = await SentQuoteWithLinkAsync("Reddeden A.Ş.");
        var rejected = await factory.Anonymous().PostAsJsonAsync($"/api/v1/public/quotes/{token}/reject", new { reason = "Bütçe bu yıl onaylanmadı" }, Ct);
        var view = await rejected.Content.ReadFromJsonAsync<PublicDto>(Ct);
        Assert.Equal(("Rejected", "Bütçe bu yıl onaylanmadı"), (view!.State, view.Decision!.Reason));

        var quote = await QuoteAsync(org, quoteId);
        Assert.Equal(("Rejected", true, false, "Bütçe bu yıl onaylanmadı"), (quote.Status, quote.DecidedOnline, quote.IsPrimary, quote.DecisionReason));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var deal = await db.Opportunities.AsNoTracking().SingleAsync(o => o.Id == opportunity, Ct);
            Assert.Equal((null, ForecastSource.Expected), (deal.QuotedAmount, deal.ForecastSource));
        }

        await (await AcceptAsync(token)).ProblemAsync(409);
    }

    private sealed record NotificationDto(string Kind, Guid SubjectId, string Title, string Link, DateTimeOffset? ReadAt);

    private sealed record NotificationPage(List<NotificationDto> Items);

    [Fact]
    public async Task The_owner_is_notified_of_the_first_view_and_of_the_decision_and_nobody_else_is()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Haberli Teklif A.Ş.");
        var colleague = await org.AddUserAsync(Kazan.Features.Users.UserRole.Manager);
        var customer = factory.Anonymous();
        await (await customer.GetAsync($"/api/v1/public/quotes/{token}", Ct)).EnsureSuccessAsync();
        await (await customer.GetAsync($"/api/v1/public/quotes/{token}", Ct)).EnsureSuccessAsync();
        await (await AcceptAsync(token)).EnsureSuccessAsync();

        var mine = (await org.Admin.Client.GetFromJsonAsync<NotificationPage>("/api/v1/notifications", Ct))!.Items.Where(n => n.SubjectId == quoteId).ToList();
        Assert.Equal(["QuoteAccepted", "QuoteViewed"], mine.Select(n => n.Kind));
        Assert.All(mine, n => Assert.Equal($"/quotes/{quoteId}", n.Link));
        Assert.Contains("Müşteri", mine[0].Title, StringComparison.Ordinal);
        Assert.Empty((await colleague.Client.GetFromJsonAsync<NotificationPage>("/api/v1/notifications", Ct))!.Items);
    }

    [Fact]
    public async Task Two_concurrent_accepts_one_wins()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Yarış A.Ş.");
        var start = new TaskCompletionSource();
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async i =>
        {
            await start.Task;
            return await AcceptAsync(token, name: $"İmzacı {i}");
        }).ToList().Also(_ => start.SetResult()));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var winner = (await answers.Single(a => a.IsSuccessStatusCode).Content.ReadFromJsonAsync<PublicDto>(Ct))!.Decision!.Name;
        var quote = await QuoteAsync(org, quoteId);
        Assert.Equal(("Accepted", winner), (quote.Status, quote.DecidedByName));
    }

    [Fact]
    public async Task The_sent_pdf_stays_byte_identical_and_the_accepted_copy_carries_the_stamp()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Damga Matbaa A.Ş.");
        var anonymous = factory.Anonymous();
        var sentBefore = await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quoteId}/pdf", Ct);
        Assert.Equal(sentBefore, await anonymous.GetByteArrayAsync($"/q/{token}/pdf", Ct));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/q/{token}/pdf/accepted", Ct)).StatusCode);
        await (await org.Admin.Client.GetAsync($"/api/v1/quotes/{quoteId}/pdf/accepted", Ct)).ProblemAsync(422);

        await (await AcceptAsync(token, name: "Şükrü Güneş", title: "Genel Müdür")).EnsureSuccessAsync();

        Assert.Equal(sentBefore, await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quoteId}/pdf", Ct));
        Assert.Equal(sentBefore, await anonymous.GetByteArrayAsync($"/api/v1/public/quotes/{token}/pdf", Ct));
        var stamped = await anonymous.GetByteArrayAsync($"/q/{token}/pdf/accepted", Ct);
        Assert.Equal(stamped, await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quoteId}/pdf/accepted", Ct));
        var first = PdfTools.Pages(stamped)[0];
        Assert.Contains("Şükrü Güneş (Genel Müdür) tarafından", first, StringComparison.Ordinal);
        Assert.Contains("çevrimiçi kabul edildi (İstanbul saati)", first, StringComparison.Ordinal);
        Assert.Contains("Endüstriyel şoklayıcı", first, StringComparison.Ordinal); // the document itself is still there
        Assert.Equal(PdfTools.Pages(sentBefore).Count, PdfTools.Pages(stamped).Count);
    }

    [Fact]
    public async Task The_stamp_of_an_english_quote_is_in_english()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("English Stamp Ltd.", language: "en");
        var html = await (await factory.Anonymous().GetAsync($"/q/{token}", Ct)).HtmlAsync();
        Assert.Contains("lang=\"en\"", html, StringComparison.Ordinal);
        Assert.Contains("I accept this quote", html, StringComparison.Ordinal);
        await (await AcceptAsync(token, name: "Jane Doe", title: null)).EnsureSuccessAsync();
        var text = PdfTools.Text(await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quoteId}/pdf/accepted", Ct));
        Assert.Contains("Accepted online by Jane Doe on", text, StringComparison.Ordinal);
        Assert.Contains("(İstanbul time)", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Views_count_everyone_but_the_organizations_own_signed_in_users()
    {
        var (org, _, quoteId, token) = await SentQuoteWithLinkAsync("Görüntülenme A.Ş.");
        var rep = await org.AddUserAsync(Kazan.Features.Users.UserRole.Rep);
        var other = await factory.CreateOrganizationAsync("Başka Kurum A.Ş.");

        // The organization's own users preview the link: not counted.
        await org.Admin.Client.GetAsync($"/api/v1/public/quotes/{token}", Ct);
        await rep.Client.GetAsync($"/api/v1/public/quotes/{token}", Ct);
        var quote = await QuoteAsync(org, quoteId);
        Assert.Equal((0, null), (quote.ViewCount, quote.FirstViewedAt));

        // The customer (anonymous, on the page and the API) and a user of another organization: counted.
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync($"/q/{token}", Ct)).StatusCode);
        await factory.Anonymous().GetAsync($"/api/v1/public/quotes/{token}", Ct);
        await other.Admin.Client.GetAsync($"/api/v1/public/quotes/{token}", Ct);
        quote = await QuoteAsync(org, quoteId);
        Assert.Equal(3, quote.ViewCount);
        Assert.NotNull(quote.FirstViewedAt);
        Assert.True(quote.LastViewedAt >= quote.FirstViewedAt);

        // A view changes neither the version (a rep's open page stays current) nor the status.
        Assert.Equal("Sent", quote.Status);
        Assert.Equal(1, quote.Version);
    }
}

internal static class TaskListExtensions
{
    /// <summary>Runs <paramref name="action"/> on the value and returns it (start the racers once they all wait).</summary>
    public static T Also<T>(this T value, Action<T> action)
    {
        action(value);
        return value;
    }
}

public sealed class LowPublicRateLimitFactory : KazanFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kazan:RateLimit:PublicPermitsPerMinute"] = "60",
        ["Kazan:RateLimit:PublicBurst"] = "5",
    };
}

// Its own host: a low limit on the public routes, which would throttle every class sharing the host.
public sealed class OnlineQuoteRateLimitTests(LowPublicRateLimitFactory factory) : IClassFixture<LowPublicRateLimitFactory>
{
    [Fact]
    public async Task Guessing_tokens_is_throttled_with_429_problem_details()
    {
        var anonymous = factory.Anonymous();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30 && limited is null; i++)
        {
            var response = await anonymous.GetAsync($"/api/v1/public/quotes/qt_guess{i:D40}", TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }

        Assert.NotNull(limited);
        await limited.ProblemAsync(429);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await anonymous.GetAsync("/q/qt_whatever", TestContext.Current.CancellationToken)).StatusCode);
    }
}
