using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Orders;

/// <summary>
/// The server-rendered order pages read as HTML, and their forms posted as a browser posts them (antiforgery token,
/// form name): what a user sees per line, what the quote says about its orders, and what a refused form says.
/// The click-through journey is in Kazan.BrowserTests.
/// </summary>
public sealed partial class OrderPagesTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Today => OrgToday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private sealed record Deal(TestOrganization Org, HttpClient Client, Guid Account, Guid Opportunity, QuoteDto Quote);

    public sealed record CoverageDto(Guid QuoteLineId, string Description, decimal Quoted, decimal Ordered, decimal Remaining);

    public sealed record OrderingDto(Guid QuoteId, decimal QuoteNet, decimal OrderedNet, List<CoverageDto> Lines);

    /// <summary>An accepted quote: 3 compressors at 10 000 and 10 hours of assembly at 500 (35 000 net).</summary>
    private async Task<Deal> AcceptedDealAsync(string organization)
    {
        var org = await factory.CreateOrganizationAsync(organization);
        var account = await factory.AccountAsync(org, "Öztürk Gıda Sanayi A.Ş.");
        var opportunity = await factory.OpportunityAsync(org, account);
        var quote = await AcceptedQuoteAsync(org.Admin.Client, account, opportunity, Line("Kompresör", 3, 10_000m), Line("Montaj", 10, 500m, unit: "saat"));
        return new Deal(org, org.Admin.Client, account, opportunity, quote);
    }

    private static async Task<List<CoverageDto>> CoverageAsync(Deal deal) =>
        (await deal.Client.GetFromJsonAsync<OrderingDto>($"/api/v1/quotes/{deal.Quote.Id}/ordering", Ct))!.Lines;

    /// <summary>An order of the quote: the given quantity per quote line description (all that remains of the others).</summary>
    private static async Task<OrderDto> OrderAsync(Deal deal, params (string Description, decimal Quantity)[] quantities)
    {
        var lines = (await CoverageAsync(deal)).Select(c => new
        {
            quoteLineId = c.QuoteLineId,
            quantity = quantities.Any(q => q.Description == c.Description) ? quantities.Single(q => q.Description == c.Description).Quantity : (decimal?)null,
        });
        return await deal.Client.PostAsJsonAsync("/api/v1/orders", new { quoteId = deal.Quote.Id, lines }, Ct).OkAsync<OrderDto>();
    }

    /// <summary>Posts one of a page's forms as the browser would: with the page's antiforgery token and the form's name.</summary>
    private static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, string form, Dictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(url, Ct);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var body = new Dictionary<string, string>(fields) { ["_handler"] = form, ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(body), Ct);
    }

    /// <summary>The texts of the elements marked with a data-testid, in page order.</summary>
    private static List<string> Texts(string html, string testId) =>
        Regex.Matches(html, $"data-testid=\"{testId}\"[^>]*>([^<]*)<").Select(m => WebUtility.HtmlDecode(m.Groups[1].Value).Trim()).ToList();

    private static string Decoded(string html) => WebUtility.HtmlDecode(html);

    [Fact]
    public async Task Only_an_accepted_quote_offers_to_create_an_order()
    {
        var org = await factory.CreateOrganizationAsync("Teklif Sipariş Düğmesi A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        var quote = await QuoteAsync(org.Admin.Client, account, opportunity, Line("Vana", 2, 100m));
        await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{quote.Id}", "send").OkAsync<QuoteDto>();

        var sent = await org.Admin.Client.GetStringAsync($"/quotes/{quote.Id}", Ct);
        var sentNewOrder = await org.Admin.Client.GetStringAsync($"/orders/new?quoteId={quote.Id}", Ct);
        await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{quote.Id}", "accept").OkAsync<QuoteDto>();
        var accepted = await org.Admin.Client.GetStringAsync($"/quotes/{quote.Id}", Ct);

        Assert.DoesNotContain("quote-create-order", sent, StringComparison.Ordinal);
        Assert.Contains("Yalnızca kabul edilmiş bir tekliften sipariş oluşturulabilir.", sentNewOrder, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"order-create\"", sentNewOrder, StringComparison.Ordinal);
        Assert.Contains($"href=\"/orders/new?quoteId={quote.Id}\" data-testid=\"quote-create-order\"", accepted, StringComparison.Ordinal);
        Assert.Equal(["Sipariş edilen: 0,00 ₺ / 200,00 ₺ (net)."], Texts(accepted, "quote-ordered-fraction"));
    }

    [Fact]
    public async Task An_accepted_quote_shows_how_much_of_it_is_ordered_per_line_and_links_its_orders()
    {
        var deal = await AcceptedDealAsync("Sipariş Oranı A.Ş.");
        var order = await OrderAsync(deal, ("Kompresör", 2));

        var html = await deal.Client.GetStringAsync($"/quotes/{deal.Quote.Id}", Ct);

        // 2 of 3 compressors (20 000) and all 10 hours (5 000) of 35 000.
        Assert.Equal(["Sipariş edilen: 25.000,00 ₺ / 35.000,00 ₺ (net)."], Texts(html, "quote-ordered-fraction"));
        Assert.Equal(["2", "10"], Texts(html, "quote-line-ordered"));
        Assert.Equal(["1", "0"], Texts(html, "quote-line-remaining"));
        Assert.Equal([order.Number], Texts(html, "quote-order-link"));
        Assert.Contains($"href=\"/orders/{order.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"quote-create-order\"", html, StringComparison.Ordinal); // one compressor is still to order
    }

    [Fact]
    public async Task The_new_order_page_shows_quoted_ordered_and_remaining_per_line_and_offers_what_remains()
    {
        var deal = await AcceptedDealAsync("Yeni Sipariş Sayfası A.Ş.");
        await OrderAsync(deal, ("Kompresör", 2), ("Montaj", 4));

        var html = await deal.Client.GetStringAsync($"/orders/new?quoteId={deal.Quote.Id}", Ct);

        Assert.Equal(["Kompresör", "Montaj"], Texts(html, "pick-description"));
        Assert.Equal(["3", "10"], Texts(html, "pick-quoted"));
        Assert.Equal(["2", "4"], Texts(html, "pick-ordered"));
        Assert.Equal(["1", "6"], Texts(html, "pick-remaining"));
        Assert.Equal(["1", "6"], Regex.Matches(html, "value=\"([^\"]*)\"[^>]*data-testid=\"pick-quantity\"").Select(m => m.Groups[1].Value));
    }

    [Fact]
    public async Task Confirming_the_new_order_form_orders_the_typed_quantities_leaves_out_zero_lines_and_wins_the_deal()
    {
        var deal = await AcceptedDealAsync("Form Sipariş A.Ş.");
        var coverage = await CoverageAsync(deal);
        var url = $"/orders/new?quoteId={deal.Quote.Id}";

        var response = await PostFormAsync(deal.Client, url, "order-from-quote", new()
        {
            ["Pick.Lines[0].QuoteLineId"] = coverage[0].QuoteLineId.ToString(),
            ["Pick.Lines[0].Quantity"] = "1,5", // typed the Turkish way (the user's language): one and a half
            ["Pick.Lines[1].QuoteLineId"] = coverage[1].QuoteLineId.ToString(),
            ["Pick.Lines[1].Quantity"] = "0",
            ["Pick.Details.OrderDate"] = Today,
            ["Pick.Details.CustomerReference"] = "PO-7781",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.PathAndQuery;
        Assert.Matches("^/orders/[0-9a-f-]{36}\\?created=won$", location);
        var order = await GetOrderAsync(deal.Client, Guid.Parse(location[8..44]));
        Assert.Equal(("Kompresör", 1.5m, 15_000m, "Won"), (order.Lines.Single().Description, order.Lines.Single().Ordered, order.NetTotal, order.Opportunity!.Status));
        var page = await deal.Client.GetStringAsync(location, Ct);
        Assert.Contains("data-testid=\"order-opportunity-won\"", page, StringComparison.Ordinal);
        Assert.Equal(["PO-7781"], Texts(page, "fact-customer-reference"));
    }

    [Fact]
    public async Task Ordering_more_than_the_quote_leaves_from_the_form_says_so_and_creates_nothing()
    {
        var deal = await AcceptedDealAsync("Fazla Sipariş A.Ş.");
        var coverage = await CoverageAsync(deal);

        var response = await PostFormAsync(deal.Client, $"/orders/new?quoteId={deal.Quote.Id}", "order-from-quote", new()
        {
            ["Pick.Lines[0].QuoteLineId"] = coverage[0].QuoteLineId.ToString(),
            ["Pick.Lines[0].Quantity"] = "4",
        });

        var html = Decoded(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Kompresör\": 4, tekliften henüz sipariş edilmemiş 3 adet miktarından fazla.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"4\"", html, StringComparison.Ordinal); // the typed quantity is still there to correct
        Assert.All(await CoverageAsync(deal), c => Assert.Equal(0m, c.Ordered));
    }

    [Fact]
    public async Task The_order_page_shows_per_line_ordered_delivered_returned_remaining_and_cancelled_and_its_deliveries()
    {
        var deal = await AcceptedDealAsync("Sipariş Sayfası A.Ş.");
        var order = await OrderAsync(deal);
        var (kompresor, montaj) = (order.Line("Kompresör").Id, order.Line("Montaj").Id);
        await DeliverAsync(deal.Client, order.Id, (kompresor, 2), (montaj, 4)).OkAsync<DeliveryResultDto>();
        await ReturnAsync(deal.Client, order.Id, (kompresor, 1)).OkAsync<DeliveryResultDto>();

        var html = await deal.Client.GetStringAsync($"/orders/{order.Id}", Ct);

        Assert.Equal([order.Number], Texts(html, "order-number"));
        Assert.Equal(["Kısmen teslim edildi"], Texts(html, "order-status"));
        Assert.Equal(["Kompresör", "Montaj"], Texts(html, "line-description"));
        Assert.Equal(["3", "10"], Texts(html, "line-ordered"));
        Assert.Equal(["1", "4"], Texts(html, "line-delivered"));
        Assert.Equal(["1", "0"], Texts(html, "line-returned"));
        Assert.Equal(["2", "6"], Texts(html, "line-remaining"));
        Assert.Equal(["0", "0"], Texts(html, "line-cancelled"));
        Assert.Equal(["30.000,00 ₺", "5.000,00 ₺"], Texts(html, "line-net"));
        Assert.Equal(["35.000,00 ₺"], Texts(html, "total-net"));
        Assert.Equal(["12.000,00 ₺"], Texts(html, "total-delivered")); // 1 compressor and 4 hours
        Assert.Equal(["Teslimat", "İade"], Texts(html, "delivery-kind"));
        var deliveries = await deal.Client.GetFromJsonAsync<List<DeliveryDto>>($"/api/v1/orders/{order.Id}/deliveries", Ct);
        Assert.All(deliveries!, d => Assert.Contains($"href=\"/api/v1/orders/{order.Id}/deliveries/{d.Id}/pdf\"", html, StringComparison.Ordinal));
        Assert.Contains($"href=\"/api/v1/orders/{order.Id}/pdf\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/quotes/{deal.Quote.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/opportunities/{deal.Opportunity}\"", html, StringComparison.Ordinal);

        // Cancelling the remainder: what was delivered stays, the rest shows as cancelled.
        await deal.Client.PostWithEtagAsync($"/api/v1/orders/{order.Id}", "cancel", new { reason = "Müşteri vazgeçti" }).OkAsync<OrderDto>();
        var cancelled = await deal.Client.GetStringAsync($"/orders/{order.Id}", Ct);
        Assert.Equal(["Teslim edildi"], Texts(cancelled, "order-status"));
        Assert.Equal(["2", "6"], Texts(cancelled, "line-cancelled"));
        Assert.Equal(["0", "0"], Texts(cancelled, "line-remaining"));
        Assert.Equal(["Müşteri vazgeçti"], Texts(cancelled, "order-cancel-reason"));
        Assert.DoesNotContain("data-testid=\"deliver-submit\"", cancelled, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_from_the_form_records_the_typed_quantities_with_its_note_number()
    {
        var deal = await AcceptedDealAsync("Form Teslimat A.Ş.");
        var order = await OrderAsync(deal);
        var url = $"/orders/{order.Id}";
        var page = await deal.Client.GetStringAsync(url, Ct);

        var response = await PostFormAsync(deal.Client, url, "order-deliver", new()
        {
            ["Deliver.Version"] = order.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Deliver.Lines[0].Id"] = order.Line("Kompresör").Id.ToString(),
            ["Deliver.Lines[0].Quantity"] = "2",
            ["Deliver.Lines[1].Id"] = order.Line("Montaj").Id.ToString(),
            ["Deliver.Lines[1].Quantity"] = "",
            ["Deliver.Date"] = Today,
            ["Deliver.NoteNumber"] = "IRS-000123",
        });

        // Every line with something to deliver starts at all that remains.
        Assert.Equal(["3", "10"], Regex.Matches(page, "value=\"([^\"]*)\"[^>]*data-testid=\"deliver-quantity\"").Select(m => m.Groups[1].Value));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/orders/{order.Id}?done=delivery", response.Headers.Location!.PathAndQuery);
        var after = await GetOrderAsync(deal.Client, order.Id);
        Assert.Equal((2m, 0m, "PartiallyDelivered"), (after.Line("Kompresör").Delivered, after.Line("Montaj").Delivered, after.Status));
        var html = await deal.Client.GetStringAsync(response.Headers.Location!.PathAndQuery, Ct);
        Assert.Equal(["Teslimat kaydedildi."], Texts(html, "order-done"));
        Assert.Equal(["IRS-000123"], Texts(html, "delivery-note-number"));
    }

    [Fact]
    public async Task An_over_delivery_from_the_form_says_which_line_and_records_nothing()
    {
        var deal = await AcceptedDealAsync("Fazla Teslimat A.Ş.");
        var order = await OrderAsync(deal);

        var response = await PostFormAsync(deal.Client, $"/orders/{order.Id}", "order-deliver", new()
        {
            ["Deliver.Version"] = order.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Deliver.Lines[0].Id"] = order.Line("Kompresör").Id.ToString(),
            ["Deliver.Lines[0].Quantity"] = "1",
            ["Deliver.Lines[1].Id"] = order.Line("Montaj").Id.ToString(),
            ["Deliver.Lines[1].Quantity"] = "11",
        });

        var html = Decoded(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"Montaj\": 11, teslim edilmeyi bekleyen 10 saat miktarından fazla. Hiçbir şey kaydedilmedi.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"11\"", html, StringComparison.Ordinal);
        var after = await GetOrderAsync(deal.Client, order.Id);
        Assert.Equal((order.Version, 0m, 0m), (after.Version, after.Line("Kompresör").Delivered, after.Line("Montaj").Delivered));
        Assert.Empty((await deal.Client.GetFromJsonAsync<List<DeliveryDto>>($"/api/v1/orders/{order.Id}/deliveries", Ct))!);
    }

    [Fact]
    public async Task A_form_posted_from_a_page_someone_else_changed_since_is_refused_as_stale()
    {
        var deal = await AcceptedDealAsync("Eski Sayfa A.Ş.");
        var order = await OrderAsync(deal);
        await DeliverAsync(deal.Client, order.Id, (order.Line("Montaj").Id, 1)).OkAsync<DeliveryResultDto>();

        var response = await PostFormAsync(deal.Client, $"/orders/{order.Id}", "order-deliver", new()
        {
            ["Deliver.Version"] = order.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Deliver.Lines[0].Id"] = order.Line("Kompresör").Id.ToString(),
            ["Deliver.Lines[0].Quantity"] = "1",
        });

        var html = Decoded(await response.Content.ReadAsStringAsync(Ct));
        Assert.Contains("başka biri tarafından değiştirildi", html, StringComparison.Ordinal);
        Assert.Equal(0m, (await GetOrderAsync(deal.Client, order.Id)).Line("Kompresör").Delivered);
    }

    [Fact]
    public async Task Cancelling_the_last_order_of_a_won_deal_asks_to_reopen_it_and_reopens_it_when_told()
    {
        var deal = await AcceptedDealAsync("İptal Sorusu A.Ş.");
        var order = await OrderAsync(deal);
        var url = $"/orders/{order.Id}";
        var page = await deal.Client.GetStringAsync(url, Ct);

        var cancel = await PostFormAsync(deal.Client, url, "order-cancel", new()
        {
            ["Cancel.Version"] = order.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cancel.Reason"] = "Bütçe kesildi",
        });
        var prompt = await deal.Client.GetStringAsync(cancel.Headers.Location!.PathAndQuery, Ct);
        var stillWon = await deal.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{deal.Opportunity}", Ct);
        var reopen = await PostFormAsync(deal.Client, cancel.Headers.Location!.PathAndQuery, "order-reopen", new()
        {
            ["Reopen.Version"] = Regex.Match(prompt, "name=\"Reopen.Version\" value=\"(\\d+)\"").Groups[1].Value,
        });
        var reopened = await deal.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{deal.Opportunity}", Ct);

        Assert.Contains("data-testid=\"cancel-reopen-question\"", page, StringComparison.Ordinal);
        Assert.Equal($"/orders/{order.Id}?done=cancelled&ask=reopen", cancel.Headers.Location!.PathAndQuery);
        Assert.Contains("data-testid=\"order-reopen-prompt\"", prompt, StringComparison.Ordinal);
        Assert.Equal(["İptal edildi"], Texts(prompt, "order-status"));
        Assert.Equal(("Won", null), (stillWon!.Status, stillWon.OrderedAmount));
        Assert.Equal(HttpStatusCode.Redirect, reopen.StatusCode);
        Assert.Equal("Open", reopened!.Status);
    }

    [Fact]
    public async Task Ticking_reopen_while_cancelling_reopens_the_deal_at_once()
    {
        var deal = await AcceptedDealAsync("İptal Yeniden Aç A.Ş.");
        var order = await OrderAsync(deal);

        var cancel = await PostFormAsync(deal.Client, $"/orders/{order.Id}", "order-cancel", new()
        {
            ["Cancel.Version"] = order.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cancel.Reason"] = "Proje ertelendi",
            ["Cancel.ReopenOpportunity"] = "true",
        });

        Assert.Equal($"/orders/{order.Id}?done=cancelled-reopened", cancel.Headers.Location!.PathAndQuery);
        Assert.Equal("Open", (await deal.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{deal.Opportunity}", Ct))!.Status);
    }

    [Fact]
    public async Task The_cancel_form_asks_nothing_about_the_deal_while_another_order_keeps_it_won_and_needs_a_reason()
    {
        var deal = await AcceptedDealAsync("İki Sipariş A.Ş.");
        var first = await OrderAsync(deal, ("Kompresör", 1), ("Montaj", 0));
        await OrderAsync(deal, ("Kompresör", 1), ("Montaj", 0));
        var url = $"/orders/{first.Id}";

        var page = await deal.Client.GetStringAsync(url, Ct);
        var response = await PostFormAsync(deal.Client, url, "order-cancel", new()
        {
            ["Cancel.Version"] = first.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Cancel.Reason"] = " ",
        });

        Assert.Contains("data-testid=\"order-cancel\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("cancel-reopen-question", page, StringComparison.Ordinal);
        Assert.Contains("Siparişi iptal etmek için bir neden yazın", Decoded(await response.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal("Open", (await GetOrderAsync(deal.Client, first.Id)).Status);
    }

    [Fact]
    public async Task Lines_are_edited_until_something_is_delivered_on_them_and_a_delivered_line_refuses_change()
    {
        var deal = await AcceptedDealAsync("Satır Düzenleme A.Ş.");
        var order = await OrderAsync(deal);
        var (kompresor, montaj) = (order.Line("Kompresör"), order.Line("Montaj"));
        var url = $"/orders/{order.Id}";
        Dictionary<string, string> Lines(int version, decimal kompresorQuantity, decimal montajPrice) => new()
        {
            ["LinesEdit.Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LinesEdit.Lines[0].Id"] = kompresor.Id.ToString(),
            ["LinesEdit.Lines[0].Description"] = "Kompresör",
            ["LinesEdit.Lines[0].Quantity"] = kompresorQuantity.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LinesEdit.Lines[0].Unit"] = "adet",
            ["LinesEdit.Lines[0].UnitPrice"] = "10000",
            ["LinesEdit.Lines[0].DiscountPercent"] = "0",
            ["LinesEdit.Lines[0].VatRate"] = "20",
            ["LinesEdit.Lines[1].Id"] = montaj.Id.ToString(),
            ["LinesEdit.Lines[1].Description"] = "Montaj",
            ["LinesEdit.Lines[1].Quantity"] = "10",
            ["LinesEdit.Lines[1].Unit"] = "saat",
            ["LinesEdit.Lines[1].UnitPrice"] = montajPrice.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LinesEdit.Lines[1].DiscountPercent"] = "0",
            ["LinesEdit.Lines[1].VatRate"] = "20",
        };

        var edited = await PostFormAsync(deal.Client, url, "order-lines", Lines(order.Version, 2, 450m));
        var afterEdit = await GetOrderAsync(deal.Client, order.Id);
        var delivered = await DeliverAsync(deal.Client, order.Id, (kompresor.Id, 1)).OkAsync<DeliveryResultDto>();
        var page = await deal.Client.GetStringAsync(url, Ct);
        var refused = await PostFormAsync(deal.Client, url, "order-lines", Lines(delivered.Order.Version, 3, 450m));

        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal((2m, 450m, 24_500m), (afterEdit.Line("Kompresör").Ordered, afterEdit.Line("Montaj").UnitPrice, afterEdit.NetTotal));
        Assert.Single(Texts(page, "edit-line-locked")); // the compressor line shows it is locked
        Assert.Contains("\"Kompresör\" satırının teslimatı var: artık değiştirilemez ve silinemez.", Decoded(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(2m, (await GetOrderAsync(deal.Client, order.Id)).Line("Kompresör").Ordered);
    }

    [Fact]
    public async Task A_rep_cannot_open_another_reps_order_page_but_sees_their_own()
    {
        var org = await factory.CreateOrganizationAsync("Sipariş Görünürlük A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep);
        var mehmet = await org.AddUserAsync(UserRole.Rep);
        var account = await factory.AccountAsync(org, "Gizli Sipariş Ltd.", ayse.Id);
        Guid opportunity;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var pipeline = await db.Pipelines.SingleAsync(p => p.IsDefault, Ct);
            var deal = new Opportunity(org.Id, ayse.Id, account, pipeline.Stages[0], "Ayşe'nin fırsatı", 10_000m, "TRY", 1m,
                DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), ayse.Id, DateTimeOffset.UtcNow);
            db.Opportunities.Add(deal);
            await db.SaveChangesAsync(Ct);
            opportunity = deal.Id;
        }

        var order = await ayse.Client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            lines = new[] { Line("Gizli parça", 1, 1000m) },
        }, Ct).OkAsync<OrderDto>();

        var hers = await ayse.Client.GetStringAsync($"/orders/{order.Id}", Ct);
        var his = await mehmet.Client.GetStringAsync($"/orders/{order.Id}", Ct);

        Assert.Equal([order.Number], Texts(hers, "order-number"));
        Assert.Contains("Bulunamadı", his, StringComparison.Ordinal);
        Assert.DoesNotContain(order.Number, his, StringComparison.Ordinal);
        Assert.DoesNotContain("Gizli parça", his, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_order_shows_the_not_found_page()
    {
        var org = await factory.CreateOrganizationAsync("Bilinmeyen Sipariş A.Ş.");

        var html = await org.Admin.Client.GetStringAsync($"/orders/{Guid.NewGuid()}", Ct);

        Assert.Contains("<h1>Bulunamadı</h1>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"order-lines\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_opportunity_page_lists_its_orders_with_status_amounts_and_a_late_flag()
    {
        var deal = await AcceptedDealAsync("Fırsat Siparişleri A.Ş.");
        var today = OrgToday;
        var late = await deal.Client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = deal.Account,
            opportunityId = deal.Opportunity,
            currency = "TRY",
            orderDate = today.AddDays(-10),
            requestedDeliveryDate = today.AddDays(-3),
            lines = new[] { Line("Yedek parça", 4, 250m) },
        }, Ct).OkAsync<OrderDto>();
        await DeliverAsync(deal.Client, late.Id, (late.Line("Yedek parça").Id, 1)).OkAsync<DeliveryResultDto>();

        var html = await deal.Client.GetStringAsync($"/opportunities/{deal.Opportunity}", Ct);

        Assert.Single(Regex.Matches(html, "data-testid=\"orders-panel-row\""));
        Assert.Contains($"href=\"/orders/{late.Id}\">{late.Number}<", html, StringComparison.Ordinal);
        Assert.Equal(["1.000,00 ₺"], Texts(html, "orders-panel-net"));
        Assert.Equal(["250,00 ₺"], Texts(html, "orders-panel-delivered"));
        Assert.Equal(["Gecikmiş"], Texts(html, "orders-panel-late"));
        Assert.Contains($"/orders/new?accountId={deal.Account}&amp;opportunityId={deal.Opportunity}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_direct_order_page_says_a_won_opportunity_will_be_created_unless_one_is_chosen()
    {
        var deal = await AcceptedDealAsync("Doğrudan Sipariş Sayfası A.Ş.");

        var withoutDeal = await deal.Client.GetStringAsync($"/orders/new?accountId={deal.Account}", Ct);
        var withDeal = await deal.Client.GetStringAsync($"/orders/new?accountId={deal.Account}&opportunityId={deal.Opportunity}", Ct);
        var account = await deal.Client.GetStringAsync($"/accounts/{deal.Account}", Ct);

        Assert.Contains("data-testid=\"order-opportunity-will-be-created\"", withoutDeal, StringComparison.Ordinal);
        Assert.DoesNotContain("order-opportunity-will-be-created", withDeal, StringComparison.Ordinal);
        Assert.Matches($"<option value=\"{deal.Opportunity}\" selected", withDeal);
        Assert.Contains($"href=\"/orders/new?accountId={deal.Account}\" data-testid=\"account-new-order\"", account, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_order_typed_in_the_form_without_an_opportunity_creates_a_won_one_and_says_so()
    {
        var org = await factory.CreateOrganizationAsync("Form Doğrudan A.Ş.");
        var account = await factory.AccountAsync(org, "Anadolu Tekstil A.Ş.");
        var url = $"/orders/new?accountId={account}";

        var response = await PostFormAsync(org.Admin.Client, url, "order-direct", new()
        {
            ["Direct.Do"] = "create",
            ["Direct.OpportunityId"] = "",
            ["Direct.Currency"] = "TRY",
            ["Direct.DocumentDiscount"] = "10",
            ["Direct.Lines[0].Description"] = "Dokuma tezgâhı bakımı",
            ["Direct.Lines[0].Quantity"] = "2",
            ["Direct.Lines[0].Unit"] = "saat",
            ["Direct.Lines[0].UnitPrice"] = "1500",
            ["Direct.Lines[0].VatRate"] = "20",
            ["Direct.Lines[1].Description"] = "",
            ["Direct.Lines[1].Unit"] = "adet",
            ["Direct.Details.OrderDate"] = Today,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.PathAndQuery;
        Assert.EndsWith("?created=opportunity", location, StringComparison.Ordinal);
        var order = await GetOrderAsync(org.Admin.Client, Guid.Parse(location[8..44]));
        Assert.Equal(("Dokuma tezgâhı bakımı", 2m, 2_700m, true), (order.Lines.Single().Description, order.Lines.Single().Ordered, order.NetTotal, order.Opportunity!.Status == "Won"));
        var page = Decoded(await org.Admin.Client.GetStringAsync(location, Ct));
        Assert.Contains("Bu sipariş için kazanılmış \"Anadolu Tekstil A.Ş. · " + order.Number + "\" fırsatı oluşturuldu.", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_return_from_the_form_lowers_what_was_delivered_and_more_than_delivered_is_refused()
    {
        var deal = await AcceptedDealAsync("Form İade A.Ş.");
        var order = await OrderAsync(deal);
        var kompresor = order.Line("Kompresör").Id;
        var delivered = await DeliverAsync(deal.Client, order.Id, (kompresor, 2)).OkAsync<DeliveryResultDto>();
        var url = $"/orders/{order.Id}";
        Dictionary<string, string> Return(int version, string quantity) => new()
        {
            ["Return.Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Return.Lines[0].Id"] = kompresor.ToString(),
            ["Return.Lines[0].Quantity"] = quantity,
            ["Return.Date"] = Today,
            ["Return.Note"] = "Hasarlı geldi",
        };

        var page = await deal.Client.GetStringAsync(url, Ct);
        var refused = await PostFormAsync(deal.Client, url, "order-return", Return(delivered.Order.Version, "3"));
        var accepted = await PostFormAsync(deal.Client, url, "order-return", Return(delivered.Order.Version, "1"));
        var after = await deal.Client.GetStringAsync(accepted.Headers.Location!.PathAndQuery, Ct);

        Assert.Equal(["0"], Regex.Matches(page, "value=\"([^\"]*)\"[^>]*data-testid=\"return-quantity\"").Select(m => m.Groups[1].Value)); // only delivered lines, starting at 0
        Assert.Contains("\"Kompresör\": iade edilen 3, teslim edilen 2 adet miktarından fazla. Hiçbir şey kaydedilmedi.", Decoded(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal($"/orders/{order.Id}?done=return", accepted.Headers.Location!.PathAndQuery);
        Assert.Equal(["1", "0"], Texts(after, "line-delivered"));
        Assert.Equal(["1", "0"], Texts(after, "line-returned"));
        Assert.Equal(["2", "10"], Texts(after, "line-remaining"));
        Assert.Equal(["Teslimat", "İade"], Texts(after, "delivery-kind"));
    }

    [Fact]
    public async Task Editing_the_details_saves_them_and_a_requested_date_before_the_order_date_is_refused()
    {
        var deal = await AcceptedDealAsync("Bilgi Düzenleme A.Ş.");
        var order = await OrderAsync(deal);
        var url = $"/orders/{order.Id}";
        var today = OrgToday;
        Dictionary<string, string> Details(int version, DateOnly requested) => new()
        {
            ["Edit.Version"] = version.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Edit.Details.CustomerReference"] = "PO-99",
            ["Edit.Details.RequestedDeliveryDate"] = requested.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            ["Edit.Details.DeliveryAddress"] = "Gebze OSB, Kocaeli",
        };

        var refused = await PostFormAsync(deal.Client, url, "order-edit", Details(order.Version, today.AddDays(-1)));
        var saved = await PostFormAsync(deal.Client, url, "order-edit", Details(order.Version, today.AddDays(14)));
        var page = await deal.Client.GetStringAsync(url, Ct);

        Assert.Contains("İstenen teslim tarihi sipariş tarihinden önce olamaz.", Decoded(await refused.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(["PO-99"], Texts(page, "fact-customer-reference"));
        Assert.Equal(["Gebze OSB, Kocaeli"], Texts(page, "fact-address"));
        Assert.Equal([today.AddDays(14).ToString("d", System.Globalization.CultureInfo.GetCultureInfo("tr-TR"))], Texts(page, "fact-requested-date"));
    }

    [Fact]
    public async Task On_the_direct_order_form_a_product_found_by_name_fills_a_line_with_its_price_unit_and_vat()
    {
        var org = await factory.CreateOrganizationAsync("Ürün Seçimi A.Ş.");
        var account = await factory.AccountAsync(org, "Karadeniz Un A.Ş.");
        Guid productId;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var product = new Kazan.Features.Products.Product(org.Id, "KMP-200", "Vidalı kompresör K200", "adet", 48_750m, "TRY", 20m);
            db.Products.Add(product);
            await db.SaveChangesAsync(Ct);
            productId = product.Id;
        }

        var url = $"/orders/new?accountId={account}";
        var found = Decoded(await (await PostFormAsync(org.Admin.Client, url, "order-direct", new()
        {
            ["Direct.Do"] = "search",
            ["Direct.Search"] = "KOMPRES",
            ["Direct.Currency"] = "TRY",
        })).Content.ReadAsStringAsync(Ct));
        var added = await (await PostFormAsync(org.Admin.Client, url, "order-direct", new()
        {
            ["Direct.AddProduct"] = productId.ToString(),
            ["Direct.Currency"] = "TRY",
        })).Content.ReadAsStringAsync(Ct);

        Assert.Matches($"name=\"Direct.AddProduct\" value=\"{productId}\"", found);
        Assert.Contains("Vidalı kompresör K200", found, StringComparison.Ordinal);
        Assert.Contains($"name=\"Direct.Lines[0].ProductId\" value=\"{productId}\"", added, StringComparison.Ordinal);
        Assert.Contains("name=\"Direct.Lines[0].Description\" value=\"Vidalı kompresör K200\"", added, StringComparison.Ordinal);
        Assert.Contains("name=\"Direct.Lines[0].UnitPrice\" value=\"48.750,00\"", added, StringComparison.Ordinal); // as a Turkish user writes it
        Assert.Equal(["KMP-200 · Vidalı kompresör K200"], Texts(added, "direct-line-product"));
        Assert.Equal(3, Regex.Count(added, "data-testid=\"direct-line\"")); // the product took the first of the three blank rows
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
