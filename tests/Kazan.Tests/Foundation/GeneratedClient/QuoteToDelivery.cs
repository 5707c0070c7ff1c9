// Not compiled with the test project: GeneratedClientTests compiles it at run time, together with the client NSwag
// generates from the served /openapi/v1.json, into namespace Kazan.Generated. It uses only the generated types, as an
// integrator's program would.
using System.Linq;

namespace Kazan.Generated;

public static class QuoteToDelivery
{
    /// <summary>
    /// A quote of three lines is written, sent and accepted; an order is made from it and delivered in two parts.
    /// Returns every figure as the generated client read it, by name.
    /// </summary>
    public static async System.Threading.Tasks.Task<System.Collections.Generic.Dictionary<string, object>> RunAsync(
        System.Net.Http.HttpClient http, System.Threading.CancellationToken ct)
    {
        var read = new System.Collections.Generic.Dictionary<string, object>();
        var accounts = new AccountsClient(http);
        var quotes = new QuotesClient(http);
        var orders = new OrdersClient(http);

        var account = (await accounts.CreateAsync(null, new CreateAccountRequest { Kind = AccountKind.Company, Name = "Kiota Değil NSwag Ltd. Şti." }, ct)).Result;

        var request = new CreateQuoteRequest
        {
            AccountId = account.Id,
            OpportunityTitle = "Üretilmiş istemci",
            Currency = "TRY",
            DocumentDiscountPercent = 0m,
            Lines =
            [
                new QuoteLineRequest { Kind = QuoteLineKind.Item, Description = "Danışmanlık", Quantity = 5m, Unit = "saat", UnitPrice = 19.40m, DiscountPercent = 0m, VatRate = 20m },
                new QuoteLineRequest { Kind = QuoteLineKind.Item, Description = "Kablo", Quantity = 3m, Unit = "m", UnitPrice = 0.10m, DiscountPercent = 0m, VatRate = 10m },
                new QuoteLineRequest { Kind = QuoteLineKind.Item, Description = "Sunucu", Quantity = 1m, Unit = "adet", UnitPrice = 1234567.89m, DiscountPercent = 0m, VatRate = 20m },
            ],
        };
        var drafted = await quotes.CreateAsync("quote-" + account.Id, request, ct);
        var quote = drafted.Result;
        read["quote.line1.netAmount"] = quote.Lines.ElementAt(0).NetAmount;
        read["quote.line1.vatAmount"] = quote.Lines.ElementAt(0).VatAmount;
        read["quote.line2.netAmount"] = quote.Lines.ElementAt(1).NetAmount;
        read["quote.line2.vatAmount"] = quote.Lines.ElementAt(1).VatAmount;
        read["quote.line3.unitPrice"] = quote.Lines.ElementAt(2).UnitPrice;
        read["quote.netTotal"] = quote.NetTotal;
        read["quote.vatTotal"] = quote.VatTotal;
        read["quote.grandTotal"] = quote.GrandTotal;

        // The retry of the same create with the same Idempotency-Key answers the same quote and writes nothing twice.
        var retried = await quotes.CreateAsync("quote-" + account.Id, request, ct);
        read["quote.retry.sameId"] = retried.Result.Id == quote.Id ? "yes" : "no";

        var sent = await quotes.SendAsync(quote.Id, ETag(drafted), null, new SendQuoteRequest(), ct);
        var accepted = await quotes.AcceptAsync(quote.Id, ETag(sent), null, ct);
        read["quote.status"] = accepted.Result.Status.ToString();

        // A stale version is refused with the Problem the document describes.
        try
        {
            await quotes.AcceptAsync(quote.Id, ETag(drafted), null, ct);
            read["stale.status"] = 0;
        }
        catch (ApiException<Problem> problem)
        {
            read["stale.status"] = problem.Result.Status;
            read["stale.code"] = problem.Result.Code;
        }

        var order = (await orders.CreateAsync(null, new CreateOrderRequest { QuoteId = quote.Id, DocumentDiscountPercent = 0m }, ct)).Result;
        read["order.netTotal"] = order.NetTotal;
        read["order.vatTotal"] = order.VatTotal;
        read["order.grandTotal"] = order.GrandTotal;
        var lines = order.Lines.ToList();

        var first = await orders.DeliverAsync(order.Id, null, null, new DeliveryRequest
        {
            Lines = [new DeliveryLineRequest { OrderLineId = lines[0].Id, Quantity = 5m }, new DeliveryLineRequest { OrderLineId = lines[1].Id, Quantity = 1.2m }],
        }, ct);
        read["delivery1.status"] = first.Result.Order.Status.ToString();
        read["delivery1.deliveredNet"] = first.Result.Order.DeliveredNet;
        read["delivery1.line2.remaining"] = first.Result.Order.Lines.ElementAt(1).Remaining;

        var second = await orders.DeliverAsync(order.Id, ETag(first), null, new DeliveryRequest
        {
            Lines = [new DeliveryLineRequest { OrderLineId = lines[1].Id, Quantity = 1.8m }, new DeliveryLineRequest { OrderLineId = lines[2].Id, Quantity = 1m }],
        }, ct);
        read["delivery2.status"] = second.Result.Order.Status.ToString();
        read["delivery2.deliveredNet"] = second.Result.Order.DeliveredNet;

        var final = (await orders.GetAsync(order.Id, ct)).Result;
        read["order.final.deliveredNet"] = final.DeliveredNet;
        read["order.final.status"] = final.Status.ToString();
        return read;
    }

    private static string ETag(SwaggerResponse response) =>
        response.Headers.TryGetValue("ETag", out var values) ? values.First() : null;
}
