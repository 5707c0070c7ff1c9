using System.Net.Http.Json;
using Kazan.Features.Opportunities;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Pdf;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Quotes;

// Its own host: the tests set and move the clock, which every class sharing the host would see.
/// <summary>Send, the stored PDF, acceptance, expiry by the calendar alone, revision and the diff — with a clock the test moves.</summary>
public sealed class QuoteLifecycleTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Line(Guid? key, string description, decimal qty, decimal price, decimal vat = 20m, decimal discount = 0m) =>
        new { key, kind = "Item", description, quantity = qty, unit = "adet", unitPrice = price, discountPercent = discount, vatRate = vat };

    private static async Task<HttpResponseMessage> Post(HttpClient client, string url, string etag, object? body = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        return await client.SendAsync(request, Ct);
    }

    private async Task<(TestOrganization Org, Guid Opportunity, QuotesApiTests.QuoteDto Quote, string ETag)> DraftAsync(string orgName)
    {
        var org = await factory.CreateOrganizationAsync(orgName);
        var account = await factory.AccountAsync(org, "Güneş Çağlayan Şişecam Ürünleri A.Ş.");
        var opportunity = await factory.OpportunityAsync(org, account);
        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            validUntil = DateOnly.FromDateTime(factory.Clock.Now.UtcDateTime).AddDays(15),
            lines = new[] { Line(null, "Kompresör", 1, 1_000m), Line(null, "Montaj", 8, 125m, 20, 10), Line(null, "Kılavuz", 2, 50m, 0) },
        }, Ct);
        await response.EnsureSuccessAsync();
        return (org, opportunity, (await response.Content.ReadFromJsonAsync<QuotesApiTests.QuoteDto>(Ct))!, response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task A_sent_quote_is_frozen_and_its_pdf_never_changes_even_after_the_letterhead_does()
    {
        var (org, _, quote, etag) = await DraftAsync("Dondurma A.Ş.");
        var draftPdf = await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct);
        Assert.Contains("TASLAK", PdfTools.Text(draftPdf), StringComparison.Ordinal);

        var sent = await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/send", etag);
        await sent.EnsureSuccessAsync();
        Assert.Equal("Sent", (await sent.Content.ReadFromJsonAsync<QuotesApiTests.QuoteDto>(Ct))!.Status);
        var first = await org.Admin.Client.GetAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct);
        Assert.Equal("application/pdf", first.Content.Headers.ContentType!.MediaType);
        var bytes = await first.Content.ReadAsByteArrayAsync(Ct);
        var text = PdfTools.Text(bytes);
        Assert.Contains("Güneş Çağlayan Şişecam Ürünleri A.Ş.", text, StringComparison.Ordinal);
        Assert.Contains("2.380,00 ₺", text, StringComparison.Ordinal); // net 1 000 + 900 + 100, VAT 200 + 180 + 0
        Assert.DoesNotContain("TASLAK", text, StringComparison.Ordinal);

        // The organization moves and renames itself; the sent document does not change by one byte.
        var orgResponse = await org.Admin.Client.GetAsync("/api/v1/organization", Ct);
        var update = new HttpRequestMessage(HttpMethod.Put, "/api/v1/organization")
        {
            Content = JsonContent.Create(new { name = "Yeni Unvan Holding A.Ş.", baseCurrency = "TRY", defaultCulture = "tr-TR", repsSeeAll = false, address = "Yeni adres, Ankara" }),
        };
        update.Headers.TryAddWithoutValidation("If-Match", orgResponse.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(update, Ct)).EnsureSuccessAsync();
        factory.Clock.Advance(TimeSpan.FromDays(3));

        Assert.Equal(bytes, await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct));

        // And it cannot be edited any more.
        var current = await org.Admin.Client.GetAsync($"/api/v1/quotes/{quote.Id}", Ct);
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/quotes/{quote.Id}") { Content = JsonContent.Create(new { currency = "TRY", lines = new[] { Line(null, "X", 1, 1m) } }) };
        edit.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        var problem = await (await org.Admin.Client.SendAsync(edit, Ct)).ProblemAsync(422);
        Assert.Equal("quote.not-draft", problem.GetProperty("code").GetString());
        Assert.Equal(3, (await org.Admin.Client.GetFromJsonAsync<QuotesApiTests.QuoteDto>($"/api/v1/quotes/{quote.Id}", Ct))!.Lines.Count);
    }

    [Fact]
    public async Task A_quote_expires_when_its_validity_passes_and_an_expired_quote_cannot_be_accepted()
    {
        var (org, _, quote, etag) = await DraftAsync("Süre A.Ş.");
        var sent = await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/send", etag);
        var sentEtag = sent.Headers.ETag!.ToString();

        factory.Clock.Advance(TimeSpan.FromDays(16));

        Assert.Equal("Expired", (await org.Admin.Client.GetFromJsonAsync<QuotesApiTests.QuoteDto>($"/api/v1/quotes/{quote.Id}", Ct))!.Status);
        var expired = await org.Admin.Client.GetStringAsync("/api/v1/quotes?status=Expired", Ct);
        Assert.Contains(quote.Id.ToString(), expired, StringComparison.Ordinal);
        var problem = await (await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/accept", sentEtag)).ProblemAsync(422);
        Assert.Equal("quote.expired", problem.GetProperty("code").GetString());
        factory.Clock.Advance(TimeSpan.FromDays(-16));
    }

    [Fact]
    public async Task A_sent_quote_can_be_accepted_once()
    {
        var (org, _, quote, etag) = await DraftAsync("Kabul A.Ş.");
        var sent = await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/send", etag);
        var accepted = await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/accept", sent.Headers.ETag!.ToString());
        await accepted.EnsureSuccessAsync();
        Assert.Equal("Accepted", (await accepted.Content.ReadFromJsonAsync<QuotesApiTests.QuoteDto>(Ct))!.Status);
        await (await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/accept", accepted.Headers.ETag!.ToString())).ProblemAsync(422);
        await (await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/reject", sent.Headers.ETag!.ToString())).ProblemAsync(412);
    }

    [Fact]
    public async Task Revising_keeps_the_number_supersedes_the_old_one_and_the_diff_shows_every_change()
    {
        var (org, opportunity, quote, etag) = await DraftAsync("Revizyon A.Ş.");
        var sent = await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/send", etag);
        var revised = await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/revise", sent.Headers.ETag!.ToString());
        await revised.EnsureSuccessAsync();
        var r1 = (await revised.Content.ReadFromJsonAsync<QuotesApiTests.QuoteDto>(Ct))!;
        Assert.Equal(quote.Number, r1.Number);
        Assert.Equal($"{quote.Number} / R1", r1.DisplayNumber);
        Assert.Equal("Draft", r1.Status);
        Assert.True(r1.IsPrimary);
        Assert.Equal("Superseded", (await org.Admin.Client.GetFromJsonAsync<QuotesApiTests.QuoteDto>($"/api/v1/quotes/{quote.Id}", Ct))!.Status);

        // Reprice the compressor, drop the manual, add a service line.
        var lines = r1.Lines;
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/quotes/{r1.Id}")
        {
            Content = JsonContent.Create(new
            {
                currency = "TRY",
                lines = new[] { Line(lines[0].Key, "Kompresör", 1, 900m), Line(lines[1].Key, "Montaj", 8, 125m, 20, 10), Line(null, "Yıllık bakım", 1, 500m) },
            }),
        };
        edit.Headers.TryAddWithoutValidation("If-Match", revised.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(edit, Ct)).EnsureSuccessAsync();

        var diff = await org.Admin.Client.GetFromJsonAsync<DiffDto>($"/api/v1/quotes/{r1.Id}/diff", Ct);

        Assert.Equal(quote.DisplayNumber, diff!.From);
        Assert.Equal(r1.DisplayNumber, diff.To);
        Assert.Equal(["Changed", "Unchanged", "Added", "Removed"], diff.Lines.Select(l => l.Change));
        Assert.Equal(["unitPrice"], diff.Lines[0].ChangedFields);
        Assert.Equal(2_000m, diff.NetBefore);
        Assert.Equal(2_300m, diff.NetAfter);
        Assert.Equal(300m, diff.NetChange);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var opp = await db.Opportunities.SingleAsync(o => o.Id == opportunity, Ct);
            Assert.Equal(2_300m, opp.QuotedAmount);
            Assert.Equal(ForecastSource.Quoted, opp.ForecastSource);
        }
    }

    [Fact]
    public async Task Withdrawing_the_primary_quote_puts_the_forecast_back_on_the_expected_amount()
    {
        var (org, opportunity, quote, etag) = await DraftAsync("Geri Çekme A.Ş.");
        await (await Post(org.Admin.Client, $"/api/v1/quotes/{quote.Id}/withdraw", etag)).EnsureSuccessAsync();

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var opp = await db.Opportunities.SingleAsync(o => o.Id == opportunity, Ct);
            Assert.Null(opp.QuotedAmount);
            Assert.Equal(ForecastSource.Expected, opp.ForecastSource);
            Assert.Equal(100_000m, opp.ForecastAmount);
        }
    }

    [Fact]
    public async Task An_empty_draft_cannot_be_sent()
    {
        var org = await factory.CreateOrganizationAsync("Boş A.Ş.");
        var account = await factory.AccountAsync(org);
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new { accountId = account, currency = "TRY" }, Ct);
        var quote = await created.Content.ReadFromJsonAsync<QuotesApiTests.QuoteDto>(Ct);
        var problem = await (await Post(org.Admin.Client, $"/api/v1/quotes/{quote!.Id}/send", created.Headers.ETag!.ToString())).ProblemAsync(422);
        Assert.Equal("quote.empty", problem.GetProperty("code").GetString());
    }

    private sealed record DiffDto(string From, string To, List<LineDiffDto> Lines, decimal NetBefore, decimal NetAfter, decimal NetChange);

    private sealed record LineDiffDto(string Change, List<string> ChangedFields);
}

public sealed class QuoteTimelineTests(KazanFactory factory)
{
    [Fact]
    public async Task Quote_transitions_appear_on_the_opportunity_timeline()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await factory.CreateOrganizationAsync("Zaman Çizelgesi A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            lines = new[] { new { kind = "Item", description = "Pompa", quantity = 1m, unit = "adet", unitPrice = 100m, discountPercent = 0m, vatRate = 20m } },
        }, ct);
        var quote = await created.Content.ReadFromJsonAsync<QuotesApiTests.QuoteDto>(ct);
        var send = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/quotes/{quote!.Id}/send");
        send.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(send, ct)).EnsureSuccessAsync();

        var timeline = await org.Admin.Client.GetFromJsonAsync<TimelinePage>($"/api/v1/opportunities/{opportunity}/timeline", ct);

        var texts = timeline!.Items.Where(i => i.RecordType == "Quote").Select(i => i.Text).ToList();
        Assert.Contains($"Teklif {quote.Number} oluşturuldu", texts);
        Assert.Contains(texts, t => t.StartsWith($"Teklif {quote.Number} değişti", StringComparison.Ordinal) && t.Contains("Taslak → Gönderildi", StringComparison.Ordinal) && !t.Contains("Draft", StringComparison.Ordinal));
    }

    private sealed record TimelinePage(List<TimelineEntry> Items);

    private sealed record TimelineEntry(string RecordType, string Text);
}
