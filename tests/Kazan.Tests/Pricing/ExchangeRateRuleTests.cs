using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Pricing;

/// <summary>
/// The one exchange-rate rule (issue 15): quotes and orders, on create and on edit, answer the same mistake the same
/// way — a 400 naming the field, with the stable code the pages translate.
/// </summary>
public sealed class ExchangeRateRuleTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> FieldCodeAsync(HttpResponseMessage response, string field)
    {
        var problem = await response.ProblemAsync(400);
        return problem.GetProperty("codes").GetProperty(field).GetString()!;
    }

    [Fact]
    public async Task A_quote_in_a_foreign_currency_without_a_rate_or_in_an_unknown_currency_is_a_field_error_on_create_and_on_edit()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Kur Teklif A.Ş.");
        var client = org.Admin.Client;

        Assert.Equal("quote.exchange-rate-required", await FieldCodeAsync(await client.PostAsJsonAsync("/api/v1/quotes",
            new { accountId = account, opportunityId = opportunity, currency = "EUR", lines = new[] { Line("Pompa", 1, 100m) } }, Ct), "exchangeRate"));
        Assert.Equal("currency.unknown", await FieldCodeAsync(await client.PostAsJsonAsync("/api/v1/quotes",
            new { accountId = account, opportunityId = opportunity, currency = "XYZ", lines = new[] { Line("Pompa", 1, 100m) } }, Ct), "currency"));

        var quote = await QuoteAsync(client, account, opportunity, Line("Pompa", 1, 100m));
        var etag = $"\"{quote.Version}\"";
        Assert.Equal("quote.exchange-rate-required", await FieldCodeAsync(await client.SendAsync(HttpMethod.Put, $"/api/v1/quotes/{quote.Id}",
            new { currency = "USD", lines = new[] { Line("Pompa", 1, 100m) } }, etag), "exchangeRate"));
        Assert.Equal("currency.unknown", await FieldCodeAsync(await client.SendAsync(HttpMethod.Put, $"/api/v1/quotes/{quote.Id}",
            new { currency = "XYZ", lines = new[] { Line("Pompa", 1, 100m) } }, etag), "currency"));

        // Nothing changed: the draft is still in lira at its first version.
        var after = await client.GetFromJsonAsync<JsonElement>($"/api/v1/quotes/{quote.Id}", Ct);
        Assert.Equal(("TRY", quote.Version), (after.GetProperty("currency").GetString(), after.GetProperty("version").GetInt32()));
    }

    [Fact]
    public async Task An_order_in_a_foreign_currency_without_a_rate_or_in_an_unknown_currency_is_a_field_error_on_create_and_on_edit()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Kur Sipariş A.Ş.");
        var client = org.Admin.Client;

        Assert.Equal("order.exchange-rate-required", await FieldCodeAsync(await client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "EUR", lines = new[] { Line("Motor", 1, 900m) } }, Ct), "exchangeRate"));
        Assert.Equal("currency.unknown", await FieldCodeAsync(await client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "XYZ", lines = new[] { Line("Motor", 1, 900m) } }, Ct), "currency"));

        var order = await client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = new[] { Line("Motor", 1, 900m) } }, Ct).OkAsync<OrderDto>();
        var etag = $"\"{order.Version}\"";
        Assert.Equal("order.exchange-rate-required", await FieldCodeAsync(
            await client.SendAsync(HttpMethod.Put, $"/api/v1/orders/{order.Id}", new { currency = "USD" }, etag), "exchangeRate"));
        Assert.Equal("currency.unknown", await FieldCodeAsync(
            await client.SendAsync(HttpMethod.Put, $"/api/v1/orders/{order.Id}", new { currency = "XYZ" }, etag), "currency"));

        var after = await GetOrderAsync(client, order.Id);
        Assert.Equal(("TRY", 1m, order.Version), (after.Currency, after.ExchangeRate, after.Version));
    }

    [Fact]
    public async Task An_order_in_the_same_foreign_currency_keeps_its_rate_when_the_edit_names_none()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Kur Korunur A.Ş.");
        var client = org.Admin.Client;
        var order = await client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "EUR", exchangeRate = 37.5m, lines = new[] { Line("Motor", 1, 900m) } }, Ct).OkAsync<OrderDto>();

        var edited = await client.SendAsync(HttpMethod.Put, $"/api/v1/orders/{order.Id}", new { currency = "eur", documentDiscountPercent = 5m }, $"\"{order.Version}\"")
            .OkAsync<OrderDto>();

        Assert.Equal(("EUR", 37.5m), (edited.Currency, edited.ExchangeRate));
    }
}
