using System.Net.Http.Json;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Orders;

public sealed record OrderLineDto(
    Guid Id, Guid? QuoteLineId, string Description, string Unit, decimal UnitPrice, decimal Ordered, decimal Delivered, decimal Returned,
    decimal Cancelled, decimal Remaining, decimal NetAmount, decimal DeliveredNet);

public sealed record AmountsDto(Guid Id, string Status, string Currency, decimal ExpectedAmount, decimal? QuotedAmount, decimal? OrderedAmount,
    decimal? DeliveredAmount, string ForecastSource, decimal ForecastAmount);

public sealed record OrderDto(
    Guid Id, string Number, string Status, Guid AccountId, Guid OpportunityId, Guid? QuoteId, string Currency, decimal ExchangeRate,
    decimal NetTotal, decimal VatTotal, decimal GrandTotal, decimal DeliveredNet, List<OrderLineDto> Lines, string? CancelReason, bool IsLate, int Version,
    AmountsDto? Opportunity, bool OpportunityCreated, bool OpportunityWon, bool OpportunityReopened, bool OpportunityReopenSuggested)
{
    public OrderLineDto Line(string description) => Lines.Single(l => l.Description == description);
}

public sealed record DeliveryDto(Guid Id, string Kind, DateOnly Date, string? NoteNumber);

public sealed record DeliveryResultDto(DeliveryDto Delivery, OrderDto Order);

/// <summary>Quotes and orders through the API, as a client would write them.</summary>
public static class OrderTestData
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The test organization's day now: Turkey's (the default zone), never the UTC day.</summary>
    public static DateOnly OrgToday => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Kazan.Infrastructure.Time.OrganizationTime.DefaultZone).DateTime);

    public static object Line(string description, decimal qty, decimal price, decimal vat = 20m, decimal discount = 0m, string unit = "adet") =>
        new { kind = "Item", description, quantity = qty, unit, unitPrice = price, discountPercent = discount, vatRate = vat };

    public sealed record QuoteLineDto(Guid Key, string Description, decimal Quantity);

    public sealed record QuoteDto(Guid Id, string DisplayNumber, string Status, decimal NetTotal, bool IsPrimary, int Version, List<QuoteLineDto> Lines);

    public static async Task<QuoteDto> QuoteAsync(HttpClient client, Guid accountId, Guid opportunityId, params object[] lines)
    {
        var response = await client.PostAsJsonAsync("/api/v1/quotes", new { accountId, opportunityId, currency = "TRY", lines }, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<QuoteDto>(Ct))!;
    }

    public static async Task<T> OkAsync<T>(this Task<HttpResponseMessage> call)
    {
        var response = await call;
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<T>(Ct))!;
    }

    /// <summary>A quote sent and accepted.</summary>
    public static async Task<QuoteDto> AcceptedQuoteAsync(HttpClient client, Guid accountId, Guid opportunityId, params object[] lines)
    {
        var quote = await QuoteAsync(client, accountId, opportunityId, lines);
        await client.PostWithEtagAsync($"/api/v1/quotes/{quote.Id}", "send").OkAsync<QuoteDto>();
        return await client.PostWithEtagAsync($"/api/v1/quotes/{quote.Id}", "accept").OkAsync<QuoteDto>();
    }

    /// <summary>A direct order in lira (no quote); without an opportunity, the order creates a won one.</summary>
    public static Task<OrderDto> DirectOrderAsync(HttpClient client, Guid accountId, Guid? opportunityId, params object[] lines) =>
        client.PostAsJsonAsync("/api/v1/orders", new { accountId, opportunityId, currency = "TRY", lines }, Ct).OkAsync<OrderDto>();

    public static Task<OrderDto> GetOrderAsync(HttpClient client, Guid id) => client.GetFromJsonAsync<OrderDto>($"/api/v1/orders/{id}", Ct)!;

    public static Task<HttpResponseMessage> DeliverAsync(HttpClient client, Guid orderId, params (Guid Line, decimal Quantity)[] lines) =>
        client.PostAsJsonAsync($"/api/v1/orders/{orderId}/deliveries", new { lines = lines.Select(l => new { orderLineId = l.Line, quantity = l.Quantity }) }, Ct);

    public static Task<HttpResponseMessage> ReturnAsync(HttpClient client, Guid orderId, params (Guid Line, decimal Quantity)[] lines) =>
        client.PostAsJsonAsync($"/api/v1/orders/{orderId}/returns", new { lines = lines.Select(l => new { orderLineId = l.Line, quantity = l.Quantity }) }, Ct);
}
