using System.Net.Http.Json;
using Kazan.Tests.Infrastructure;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Orders;

/// <summary>
/// The whole chain in one story (after Tryton's sale scenario): an opportunity gets two quotes, one is revised and
/// accepted, two orders in two currencies follow, goods go out in part, too much is refused, some come back and the
/// rest of one order is cancelled. After every step the opportunity, each order and each line are checked.
/// </summary>
public sealed class OrderLifecycleTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertLine(OrderLineDto line, decimal ordered, decimal delivered, decimal returned, decimal cancelled, decimal remaining)
    {
        Assert.Equal((ordered, delivered, returned, cancelled, remaining), (line.Ordered, line.Delivered, line.Returned, line.Cancelled, line.Remaining));
    }

    private static void AssertAmounts(AmountsDto? o, string status, decimal? quoted, decimal? ordered, decimal? delivered, string source)
    {
        Assert.NotNull(o);
        Assert.Equal((status, 100_000m, quoted, ordered, delivered, source), (o.Status, o.ExpectedAmount, o.QuotedAmount, o.OrderedAmount, o.DeliveredAmount, o.ForecastSource));
    }

    [Fact]
    public async Task Opportunity_quotes_revision_orders_in_two_currencies_deliveries_a_return_and_a_cancellation_keep_every_amount_right()
    {
        var org = await factory.CreateOrganizationAsync("Yaşam Döngüsü Makina A.Ş.");
        var client = org.Admin.Client;
        var account = await factory.AccountAsync(org, "Öztürk Gıda Sanayi A.Ş.");
        var opportunityId = await factory.OpportunityAsync(org, account);
        var opportunityUrl = $"/api/v1/opportunities/{opportunityId}";

        // Two quotes: the first becomes primary (quoted amount), the second is an alternative that gets rejected.
        var first = await QuoteAsync(client, account, opportunityId, Line("Kompresör", 2, 10_000m), Line("Montaj", 10, 500m, discount: 10, unit: "saat"));
        var second = await QuoteAsync(client, account, opportunityId, Line("Kiralık kompresör", 1, 30_000m));
        Assert.True(first.IsPrimary);
        Assert.Equal(24_500m, first.NetTotal);
        await client.PostWithEtagAsync($"/api/v1/quotes/{second.Id}", "send").OkAsync<QuoteDto>();
        await client.PostWithEtagAsync($"/api/v1/quotes/{second.Id}", "reject").OkAsync<QuoteDto>();

        // The first is sent, revised to three compressors, sent again and accepted.
        await client.PostWithEtagAsync($"/api/v1/quotes/{first.Id}", "send").OkAsync<QuoteDto>();
        var revision = await client.PostWithEtagAsync($"/api/v1/quotes/{first.Id}", "revise").OkAsync<QuoteDto>();
        Assert.EndsWith("/ R1", revision.DisplayNumber, StringComparison.Ordinal);
        var current = await client.GetAsync($"/api/v1/quotes/{revision.Id}", Ct);
        await (await client.SendAsync(HttpMethod.Put, $"/api/v1/quotes/{revision.Id}", new
        {
            currency = "TRY",
            lines = new[]
            {
                new { key = revision.Lines[0].Key, kind = "Item", description = "Kompresör", quantity = 3m, unit = "adet", unitPrice = 10_000m, discountPercent = 0m, vatRate = 20m },
                new { key = revision.Lines[1].Key, kind = "Item", description = "Montaj", quantity = 10m, unit = "saat", unitPrice = 500m, discountPercent = 10m, vatRate = 20m },
            },
        }, current.Headers.ETag!.ToString())).EnsureSuccessAsync();
        await client.PostWithEtagAsync($"/api/v1/quotes/{revision.Id}", "send").OkAsync<QuoteDto>();
        var accepted = await client.PostWithEtagAsync($"/api/v1/quotes/{revision.Id}", "accept").OkAsync<QuoteDto>();
        Assert.Equal(("Accepted", 34_500m, true), (accepted.Status, accepted.NetTotal, accepted.IsPrimary));
        var opportunity = await client.GetFromJsonAsync<AmountsDto>(opportunityUrl, Ct);
        AssertAmounts(opportunity, "Open", 34_500m, null, null, "Quoted");

        // Order 1 from the accepted revision: two of the three compressors and all the assembly hours. It wins the deal.
        var kompresor = accepted.Lines.Single(l => l.Description == "Kompresör").Key;
        var quoteLines = (await client.GetFromJsonAsync<QuoteOrderingDto>($"/api/v1/quotes/{revision.Id}/ordering", Ct))!.Lines;
        var order1 = await client.PostAsJsonAsync("/api/v1/orders", new
        {
            quoteId = revision.Id,
            customerReference = "PO-4711",
            requestedDeliveryDate = OrgToday.AddDays(10),
            lines = quoteLines.Select(l => new { quoteLineId = l.QuoteLineId, quantity = l.Description == "Kompresör" ? 2m : (decimal?)null }),
        }, Ct).OkAsync<OrderDto>();
        Assert.Matches($"^SIP-{DateTime.UtcNow.Year}-00001$", order1.Number);
        Assert.Equal(("Open", 24_500m, 4_900m, true), (order1.Status, order1.NetTotal, order1.VatTotal, order1.OpportunityWon));
        AssertLine(order1.Line("Kompresör"), 2, 0, 0, 0, 2);
        AssertLine(order1.Line("Montaj"), 10, 0, 0, 0, 10);
        AssertAmounts(order1.Opportunity, "Won", 34_500m, 24_500m, 0m, "Ordered");
        var ordering = (await client.GetFromJsonAsync<QuoteOrderingDto>($"/api/v1/quotes/{revision.Id}/ordering", Ct))!;
        Assert.Equal((34_500m, 24_500m), (ordering.QuoteNet, ordering.OrderedNet));
        Assert.Equal((2m, 1m), (ordering.Lines.Single(l => l.Description == "Kompresör").Ordered, ordering.Lines.Single(l => l.Description == "Kompresör").Remaining));
        _ = kompresor;

        // Order 2, typed directly in euros at 35,50 TL: 1 000 EUR net is 35 500 TL on the opportunity.
        var order2 = await client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = account,
            opportunityId,
            currency = "EUR",
            exchangeRate = 35.5m,
            lines = new[] { Line("Yedek parça seti", 4, 250m) },
        }, Ct).OkAsync<OrderDto>();
        Assert.Matches($"^SIP-{DateTime.UtcNow.Year}-00002$", order2.Number);
        Assert.Equal(("Open", "EUR", 1_000m, false), (order2.Status, order2.Currency, order2.NetTotal, order2.OpportunityWon));
        AssertAmounts(order2.Opportunity, "Won", 34_500m, 60_000m, 0m, "Ordered");

        // A partial delivery of order 1: one compressor and four hours (4 × 500 − 10 % = 1 800).
        var o1k = order1.Line("Kompresör").Id;
        var o1m = order1.Line("Montaj").Id;
        var delivered = await DeliverAsync(client, order1.Id, (o1k, 1), (o1m, 4)).OkAsync<DeliveryResultDto>();
        Assert.Equal("Delivery", delivered.Delivery.Kind);
        Assert.Equal(("PartiallyDelivered", 11_800m), (delivered.Order.Status, delivered.Order.DeliveredNet));
        AssertLine(delivered.Order.Line("Kompresör"), 2, 1, 0, 0, 1);
        AssertLine(delivered.Order.Line("Montaj"), 10, 4, 0, 0, 6);
        AssertAmounts(delivered.Order.Opportunity, "Won", 34_500m, 60_000m, 11_800m, "Ordered");

        // Two compressors when one remains: refused, and nothing changes.
        var over = await (await DeliverAsync(client, order1.Id, (o1k, 2), (o1m, 1))).ProblemAsync(422);
        Assert.Equal("delivery.exceeds-remaining", over.GetProperty("code").GetString());
        var unchanged = await GetOrderAsync(client, order1.Id);
        Assert.Equal(delivered.Order.Version, unchanged.Version);
        AssertLine(unchanged.Line("Kompresör"), 2, 1, 0, 0, 1);
        AssertLine(unchanged.Line("Montaj"), 10, 4, 0, 0, 6);
        Assert.Single((await client.GetFromJsonAsync<List<DeliveryDto>>($"/api/v1/orders/{order1.Id}/deliveries", Ct))!);

        // The compressor comes back: delivered drops, it is to be delivered again.
        var returned = await ReturnAsync(client, order1.Id, (o1k, 1)).OkAsync<DeliveryResultDto>();
        Assert.Equal(("Return", "PartiallyDelivered", 1_800m), (returned.Delivery.Kind, returned.Order.Status, returned.Order.DeliveredNet));
        AssertLine(returned.Order.Line("Kompresör"), 2, 0, 1, 0, 2);
        AssertLine(returned.Order.Line("Montaj"), 10, 4, 0, 0, 6);
        AssertAmounts(returned.Order.Opportunity, "Won", 34_500m, 60_000m, 1_800m, "Ordered");

        // Half of order 2 goes out (500 EUR = 17 750 TL), then the customer cancels the rest.
        var o2 = order2.Line("Yedek parça seti").Id;
        var half = await DeliverAsync(client, order2.Id, (o2, 2)).OkAsync<DeliveryResultDto>();
        Assert.Equal("PartiallyDelivered", half.Order.Status);
        AssertAmounts(half.Order.Opportunity, "Won", 34_500m, 60_000m, 19_550m, "Ordered");
        var cancelled = await client.PostWithEtagAsync($"/api/v1/orders/{order2.Id}", "cancel", new { reason = "Müşteri kalan parçaları istemedi" }).OkAsync<OrderDto>();
        Assert.Equal(("Delivered", 500m, "Müşteri kalan parçaları istemedi", false), (cancelled.Status, cancelled.NetTotal, cancelled.CancelReason, cancelled.OpportunityReopenSuggested));
        AssertLine(cancelled.Line("Yedek parça seti"), 4, 2, 0, 2, 0);
        AssertAmounts(cancelled.Opportunity, "Won", 34_500m, 42_250m, 19_550m, "Ordered");

        // Order 1 did not move; the opportunity page's figures agree with the orders'.
        var final1 = await GetOrderAsync(client, order1.Id);
        Assert.Equal(("PartiallyDelivered", 24_500m, 1_800m), (final1.Status, final1.NetTotal, final1.DeliveredNet));
        var final = await client.GetFromJsonAsync<AmountsDto>(opportunityUrl, Ct);
        AssertAmounts(final, "Won", 34_500m, 42_250m, 19_550m, "Ordered");
        Assert.Equal(42_250m, final!.ForecastAmount);
    }

    public sealed record QuoteLineCoverageDto(Guid QuoteLineId, string Description, decimal Quoted, decimal Ordered, decimal Remaining);

    public sealed record QuoteOrderingDto(Guid QuoteId, decimal QuoteNet, decimal OrderedNet, List<QuoteLineCoverageDto> Lines);
}
