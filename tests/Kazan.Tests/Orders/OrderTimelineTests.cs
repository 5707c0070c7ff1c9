using System.Net.Http.Json;
using Kazan.Tests.Infrastructure;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Orders;

/// <summary>Orders, deliveries, returns and cancellations told on the opportunity's and the account's timelines.</summary>
public sealed class OrderTimelineTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<TimelineEntry>> TimelineAsync(HttpClient client, string url) =>
        (await client.GetFromJsonAsync<TimelinePage>($"{url}?limit=100", Ct))!.Items;

    [Fact]
    public async Task An_order_its_delivery_return_and_cancellations_appear_on_the_opportunity_and_account_timelines_in_Turkish()
    {
        var org = await factory.CreateOrganizationAsync("Sipariş Geçmişi A.Ş.");
        var client = org.Admin.Client;
        var account = await factory.AccountAsync(org, "Anadolu Yem A.Ş.");
        var opportunity = await factory.OpportunityAsync(org, account);
        var quote = await AcceptedQuoteAsync(client, account, opportunity, Line("Yem katkısı", 10, 50m, unit: "çuval"));

        var order = await client.PostAsJsonAsync("/api/v1/orders", new { quoteId = quote.Id }, Ct).OkAsync<OrderDto>();
        var line = order.Lines[0].Id;
        await client.PostAsJsonAsync($"/api/v1/orders/{order.Id}/deliveries",
            new { noteNumber = "İRS-2026-17", lines = new[] { new { orderLineId = line, quantity = 6m } } }, Ct).OkAsync<DeliveryResultDto>();
        await ReturnAsync(client, order.Id, (line, 2m)).OkAsync<DeliveryResultDto>();
        await client.PostWithEtagAsync($"/api/v1/orders/{order.Id}", "cancel", new { reason = "Kalan çuvallar istenmedi" }).OkAsync<OrderDto>();
        var second = await client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            lines = new[] { Line("Numune paketi", 1, 10m) },
        }, Ct).OkAsync<OrderDto>();
        await client.PostWithEtagAsync($"/api/v1/orders/{second.Id}", "cancel", new { reason = "Yanlış girildi" }).OkAsync<OrderDto>();

        var items = await TimelineAsync(client, $"/api/v1/opportunities/{opportunity}/timeline");
        var texts = items.Where(i => i.RecordType is "Order" or "Delivery").Select(i => i.Text).ToList();

        var n = order.Number;
        Assert.Contains($"Sipariş {n} oluşturuldu", texts);
        Assert.Contains($"{n} teslimat kaydedildi (irsaliye İRS-2026-17)", texts);
        Assert.Contains($"{n} durumu: Açık → Kısmen teslim edildi", texts);
        Assert.Contains($"{n} iade kaydedildi", texts);
        Assert.Contains($"{n} teslim edilmemiş kısmı iptal edildi: Kalan çuvallar istenmedi", texts);
        Assert.Contains($"Sipariş {second.Number} oluşturuldu", texts);
        Assert.Contains($"{second.Number} iptal edildi: Yanlış girildi", texts);
        Assert.Equal(7, texts.Count); // line edits, amounts and versions stay off the timeline
        Assert.Contains(items, i => i.Kind == "Won" && i.Text.Contains(n, StringComparison.Ordinal)); // the first order won the deal

        // Newest first: the cancellation of the second order, then its creation, … the first order's creation last.
        Assert.Equal($"{second.Number} iptal edildi: Yanlış girildi", texts[0]);
        Assert.Equal($"Sipariş {n} oluşturuldu", texts[^1]);

        var accountTexts = (await TimelineAsync(client, $"/api/v1/accounts/{account}/timeline")).Select(i => i.Text).ToList();
        Assert.Contains($"{n} teslimat kaydedildi (irsaliye İRS-2026-17)", accountTexts);
        Assert.Contains($"{second.Number} iptal edildi: Yanlış girildi", accountTexts);
    }

    [Fact]
    public async Task An_English_user_reads_the_order_items_in_English()
    {
        var org = await factory.CreateOrganizationAsync("Order History Ltd.", "en-US");
        var client = org.Admin.Client;
        var account = await factory.AccountAsync(org, "Harbour Foods");
        var order = await DirectOrderAsync(client, account, null, Line("Crate", 4, 10m));
        await DeliverAsync(client, order.Id, (order.Lines[0].Id, 4m)).OkAsync<DeliveryResultDto>();

        var texts = (await TimelineAsync(client, $"/api/v1/opportunities/{order.OpportunityId}/timeline")).Select(i => i.Text).ToList();

        Assert.Contains($"Order {order.Number} created", texts);
        Assert.Contains($"{order.Number} delivery recorded", texts);
        Assert.Contains($"{order.Number} status: Open → Delivered", texts);
    }

    private sealed record TimelinePage(List<TimelineEntry> Items);

    private sealed record TimelineEntry(string Kind, string RecordType, string Text);
}
