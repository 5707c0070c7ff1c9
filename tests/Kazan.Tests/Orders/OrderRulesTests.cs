using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Orders;

/// <summary>Numbering, races, bad input that must change nothing, the won/reopen roll-up and who may see an order.</summary>
public sealed class OrderRulesTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Code(System.Text.Json.JsonElement problem) => problem.GetProperty("code").GetString()!;

    [Fact]
    public async Task Thirty_concurrent_orders_get_thirty_consecutive_numbers_and_one_win()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Sıra Numarası A.Ş.");

        var responses = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => org.Admin.Client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = new[] { Line($"Kalem {i}", 1, 100m) } }, Ct)));
        foreach (var r in responses)
        {
            await r.EnsureSuccessAsync();
        }

        var created = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<OrderDto>(Ct)));
        var year = DateTime.UtcNow.Year;
        Assert.Equal(Enumerable.Range(1, 30).Select(n => $"SIP-{year}-{n:00000}"), created.Select(o => o!.Number).Order());
        Assert.Single(created, o => o!.OpportunityWon);
        var amounts = await org.Admin.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{opportunity}", Ct);
        Assert.Equal(("Won", 3_000m), (amounts!.Status, amounts.OrderedAmount));
    }

    [Fact]
    public async Task Ten_users_ordering_what_is_left_of_one_quote_at_once_order_it_once()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Tek Sipariş A.Ş.");
        var accepted = await AcceptedQuoteAsync(org.Admin.Client, account, opportunity, Line("Kompresör", 4, 250m));

        // Each asks for everything still open on the quote. What is left must be read after the others' orders are
        // saved, or two of them both see four units left and the quote is ordered twice.
        var race = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new { quoteId = accepted.Id }, Ct)));
        Assert.Single(race, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in race.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal("order.quote-fully-ordered", Code(await refused.ProblemAsync(422)));
        }

        var ordering = await org.Admin.Client.GetFromJsonAsync<OrderLifecycleTests.QuoteOrderingDto>($"/api/v1/quotes/{accepted.Id}/ordering", Ct);
        Assert.Equal((4m, 0m), (ordering!.Lines[0].Ordered, ordering.Lines[0].Remaining));
        Assert.Equal(1_000m, (await org.Admin.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{opportunity}", Ct))!.OrderedAmount);
    }

    [Fact]
    public async Task Two_deliveries_racing_for_the_last_units_deliver_them_once()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Yarış A.Ş.");
        var order = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Palet", 10, 40m));
        var line = order.Line("Palet").Id;
        await (await DeliverAsync(org.Admin.Client, order.Id, (line, 4))).EnsureSuccessAsync();

        // Without If-Match the loser is checked again on the fresh order: the six units are gone, so it is refused.
        var race = await Task.WhenAll(DeliverAsync(org.Admin.Client, order.Id, (line, 6)), DeliverAsync(org.Admin.Client, order.Id, (line, 6)));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.UnprocessableEntity], race.Select(r => r.StatusCode).Order());
        var loser = race.Single(r => r.StatusCode == HttpStatusCode.UnprocessableEntity);
        Assert.Equal("delivery.exceeds-remaining", Code(await loser.ProblemAsync(422)));

        var after = await GetOrderAsync(org.Admin.Client, order.Id);
        Assert.Equal((10m, 0m, "Delivered", 400m), (after.Line("Palet").Delivered, after.Line("Palet").Remaining, after.Status, after.DeliveredNet));
        Assert.Equal(2, (await org.Admin.Client.GetFromJsonAsync<List<DeliveryDto>>($"/api/v1/orders/{order.Id}/deliveries", Ct))!.Count);
        Assert.Equal(400m, (await org.Admin.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{opportunity}", Ct))!.DeliveredAmount);
    }

    [Fact]
    public async Task Two_deliveries_with_the_same_if_match_one_wins_the_other_gets_412()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Sürüm Yarışı A.Ş.");
        var order = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Koli", 10, 5m));
        var line = order.Line("Koli").Id;
        var etag = (await org.Admin.Client.GetAsync($"/api/v1/orders/{order.Id}", Ct)).Headers.ETag!.ToString();

        var race = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
            org.Admin.Client.SendAsync(HttpMethod.Post, $"/api/v1/orders/{order.Id}/deliveries", new { lines = new[] { new { orderLineId = line, quantity = 3m } } }, etag)));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.PreconditionFailed], race.Select(r => r.StatusCode).Order());
        Assert.Equal(3m, (await GetOrderAsync(org.Admin.Client, order.Id)).Line("Koli").Delivered);
    }

    [Fact]
    public async Task Only_an_accepted_quote_can_be_ordered_and_never_more_than_it_offers()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Teklif Kuralı A.Ş.");
        var draft = await QuoteAsync(org.Admin.Client, account, opportunity, Line("Vana", 5, 100m));
        var notAccepted = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new { quoteId = draft.Id }, Ct)).ProblemAsync(422);
        Assert.Equal("order.quote-not-accepted", Code(notAccepted));

        var accepted = await AcceptedQuoteAsync(org.Admin.Client, account, opportunity, Line("Vana", 5, 100m));
        var lineId = (await org.Admin.Client.GetFromJsonAsync<OrderLifecycleTests.QuoteOrderingDto>($"/api/v1/quotes/{accepted.Id}/ordering", Ct))!.Lines[0].QuoteLineId;
        var tooMany = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new { quoteId = accepted.Id, lines = new[] { new { quoteLineId = lineId, quantity = 6m } } }, Ct)).ProblemAsync(422);
        Assert.Equal("order.exceeds-quote", Code(tooMany));

        var first = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new { quoteId = accepted.Id, lines = new[] { new { quoteLineId = lineId, quantity = 3m } } }, Ct).OkAsync<OrderDto>();
        var rest = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new { quoteId = accepted.Id }, Ct).OkAsync<OrderDto>();
        Assert.Equal((3m, 2m), (first.Lines.Single().Ordered, rest.Lines.Single().Ordered));
        var none = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new { quoteId = accepted.Id }, Ct)).ProblemAsync(422);
        Assert.Equal("order.quote-fully-ordered", Code(none));
        Assert.Equal(2, (await org.Admin.Client.GetFromJsonAsync<Page>($"/api/v1/orders?opportunityId={opportunity}", Ct))!.Items.Count);
    }

    [Fact]
    public async Task A_foreign_currency_order_without_a_rate_is_refused_and_nothing_is_written()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Kur Kuralı A.Ş.");
        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "EUR", lines = new[] { Line("Motor", 1, 900m) } }, Ct);

        // A missing rate is the caller's field mistake: 400 with the field and its code (it was a 422 rule before issue 15).
        var problem = await response.ProblemAsync(400);
        Assert.Equal("order.exchange-rate-required", problem.GetProperty("codes").GetProperty("exchangeRate").GetString());
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<Page>("/api/v1/orders", Ct))!.Items);
        var amounts = await org.Admin.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{opportunity}", Ct);
        Assert.Equal(("Open", (decimal?)null), (amounts!.Status, amounts.OrderedAmount));

        // The next order still gets number 1: the refused one took none.
        var order = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Motor", 1, 900m));
        Assert.EndsWith("-00001", order.Number, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivered_lines_cannot_be_edited_but_undelivered_ones_can_and_the_amounts_follow()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Düzenleme A.Ş.");
        var order = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Kablo", 100, 2m, unit: "m"), Line("Priz", 10, 15m));
        var cable = order.Line("Kablo");
        var socket = order.Line("Priz");
        await (await DeliverAsync(org.Admin.Client, order.Id, (cable.Id, 50))).EnsureSuccessAsync();
        var etag = (await org.Admin.Client.GetAsync($"/api/v1/orders/{order.Id}", Ct)).Headers.ETag!.ToString();

        object Lines(decimal cableQty, decimal socketQty) => new[]
        {
            new { id = (Guid?)cable.Id, description = "Kablo", quantity = cableQty, unit = "m", unitPrice = 2m, discountPercent = 0m, vatRate = 20m },
            new { id = (Guid?)socket.Id, description = "Priz", quantity = socketQty, unit = "adet", unitPrice = 15m, discountPercent = 0m, vatRate = 20m },
        };

        var refused = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/orders/{order.Id}", new { lines = Lines(80, 10) }, etag);
        Assert.Equal("order.line-delivered", Code(await refused.ProblemAsync(422)));
        Assert.Equal(100m, (await GetOrderAsync(org.Admin.Client, order.Id)).Line("Kablo").Ordered);

        var edited = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/orders/{order.Id}", new { customerReference = "PO-77", lines = Lines(100, 4) }, etag).OkAsync<OrderDto>();
        Assert.Equal((4m, 260m), (edited.Line("Priz").Ordered, edited.NetTotal));
        Assert.Equal(260m, edited.Opportunity!.OrderedAmount);

        // The same ETag again is stale now.
        var stale = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/orders/{order.Id}", new { customerReference = "PO-78" }, etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.StatusCode);
    }

    [Fact]
    public async Task Returning_more_than_delivered_and_delivering_on_a_cancelled_order_are_refused()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("İade Kuralı A.Ş.");
        var order = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Lamba", 6, 30m));
        var line = order.Line("Lamba").Id;
        await (await DeliverAsync(org.Admin.Client, order.Id, (line, 2))).EnsureSuccessAsync();

        Assert.Equal("delivery.exceeds-delivered", Code(await (await ReturnAsync(org.Admin.Client, order.Id, (line, 3))).ProblemAsync(422)));
        var noReason = await org.Admin.Client.PostWithEtagAsync($"/api/v1/orders/{order.Id}", "cancel", new { reason = "" });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);

        var cancelled = await org.Admin.Client.PostWithEtagAsync($"/api/v1/orders/{order.Id}", "cancel", new { reason = "Stok yok" }).OkAsync<OrderDto>();
        Assert.Equal(("Delivered", 60m), (cancelled.Status, cancelled.NetTotal));
        Assert.Equal("delivery.exceeds-remaining", Code(await (await DeliverAsync(org.Admin.Client, order.Id, (line, 1))).ProblemAsync(422)));
        var after = await GetOrderAsync(org.Admin.Client, order.Id);
        Assert.Equal((6m, 2m, 0m, 4m, 0m), (after.Line("Lamba").Ordered, after.Line("Lamba").Delivered, after.Line("Lamba").Returned, after.Line("Lamba").Cancelled, after.Line("Lamba").Remaining));
    }

    [Fact]
    public async Task Cancelling_every_order_of_a_won_opportunity_asks_to_reopen_it_and_reopens_when_told()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Yeniden Açma A.Ş.");
        var first = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Fırın", 1, 50_000m));
        var second = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Tepsi", 20, 100m));
        Assert.True(first.OpportunityWon);

        var one = await org.Admin.Client.PostWithEtagAsync($"/api/v1/orders/{first.Id}", "cancel", new { reason = "Bütçe kesildi" }).OkAsync<OrderDto>();
        Assert.Equal(("Cancelled", false), (one.Status, one.OpportunityReopenSuggested));
        Assert.Equal(("Won", 2_000m), (one.Opportunity!.Status, one.Opportunity.OrderedAmount));

        var last = await org.Admin.Client.PostWithEtagAsync($"/api/v1/orders/{second.Id}", "cancel", new { reason = "Bütçe kesildi" }).OkAsync<OrderDto>();
        Assert.Equal((true, false), (last.OpportunityReopenSuggested, last.OpportunityReopened));
        Assert.Equal(("Won", (decimal?)null, "Expected"), (last.Opportunity!.Status, last.Opportunity.OrderedAmount, last.Opportunity.ForecastSource));

        // A third order cancelled with "reopen": the opportunity is open again, with the order as the cause in its history.
        var third = await DirectOrderAsync(org.Admin.Client, account, opportunity, Line("Raf", 2, 700m));
        Assert.False(third.OpportunityWon); // it was still won
        var reopened = await org.Admin.Client.PostWithEtagAsync($"/api/v1/orders/{third.Id}", "cancel", new { reason = "Vazgeçti", reopenOpportunity = true }).OkAsync<OrderDto>();
        Assert.Equal((true, "Open", "Expected"), (reopened.OpportunityReopened, reopened.Opportunity!.Status, reopened.Opportunity.ForecastSource));
        var history = await org.Admin.Client.GetStringAsync($"/api/v1/opportunities/{opportunity}/history", Ct);
        Assert.Contains(third.Number, history, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_order_without_an_opportunity_creates_a_won_one_and_says_so()
    {
        var org = await factory.CreateOrganizationAsync("Doğrudan Sipariş A.Ş.");
        var account = await factory.AccountAsync(org, "Ege Zeytin Ltd.");

        var order = await DirectOrderAsync(org.Admin.Client, account, null, Line("Zeytinyağı tenekesi", 40, 750m, vat: 1));

        Assert.True(order.OpportunityCreated);
        Assert.True(order.OpportunityWon);
        var opportunity = await org.Admin.Client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{order.OpportunityId}", Ct);
        Assert.Equal(("Won", 30_000m, "Ordered", 30_000m), (opportunity!.Status, opportunity.OrderedAmount, opportunity.ForecastSource, opportunity.ForecastAmount));
    }

    [Fact]
    public async Task An_order_on_a_lost_opportunity_is_refused_until_it_is_reopened()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Kayıp Fırsat A.Ş.");
        var reasons = await org.Admin.Client.GetFromJsonAsync<List<IdOnly>>("/api/v1/lost-reasons", Ct);
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/opportunities/{opportunity}", "lost", new { lostReasonId = reasons![0].Id })).EnsureSuccessAsync();

        var refused = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = new[] { Line("Çay", 1, 10m) } }, Ct);

        Assert.Equal("order.opportunity-lost", Code(await refused.ProblemAsync(422)));
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<Page>("/api/v1/orders", Ct))!.Items);
    }

    [Fact]
    public async Task A_rep_sees_the_orders_of_their_deals_only()
    {
        var org = await factory.CreateOrganizationAsync("Görünürlük Sipariş A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep);
        var mehmet = await org.AddUserAsync(UserRole.Rep);
        var account = await factory.AccountAsync(org, "Ayşe'nin Müşterisi A.Ş.", ayse.Id);
        var order = await DirectOrderAsync(ayse.Client, account, null, Line("Gizli kalem", 1, 10m));

        Assert.Equal(HttpStatusCode.NotFound, (await mehmet.Client.GetAsync($"/api/v1/orders/{order.Id}", Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await DeliverAsync(mehmet.Client, order.Id, (order.Lines[0].Id, 1))).StatusCode);
        Assert.Empty((await mehmet.Client.GetFromJsonAsync<Page>("/api/v1/orders", Ct))!.Items);
        Assert.Single((await ayse.Client.GetFromJsonAsync<Page>("/api/v1/orders", Ct))!.Items);
        Assert.Single((await org.Admin.Client.GetFromJsonAsync<Page>("/api/v1/orders", Ct))!.Items);

        // The deal changes hands: its order follows it.
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/opportunities/{order.OpportunityId}", "transfer", new { ownerId = mehmet.Id })).EnsureSuccessAsync();
        Assert.Equal(HttpStatusCode.OK, (await mehmet.Client.GetAsync($"/api/v1/orders/{order.Id}", Ct)).StatusCode);
        Assert.Empty((await ayse.Client.GetFromJsonAsync<Page>("/api/v1/orders", Ct))!.Items);
    }

    private sealed record IdOnly(Guid Id);

    private sealed record Page(List<IdOnly> Items);
}
