using System.Net.Http.Json;
using Kazan.Features.Pricing;
using Kazan.Tests.Infrastructure;
using static Kazan.Tests.Orders.OrderTestData;
using Money = Kazan.Features.Pricing.Pricing;

namespace Kazan.Tests.Orders;

/// <summary>
/// Random sequences of orders (three currencies), deliveries, returns, over-deliveries and cancellations on one
/// opportunity. After every step the opportunity's ordered and delivered amounts must equal what recomputing them
/// from the order lines gives, and every line must keep 0 ≤ delivered ≤ ordered − cancelled.
/// </summary>
public sealed class OrderRollupPropertyTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly (string Currency, decimal Rate)[] Currencies = [("TRY", 1m), ("EUR", 35.4172m), ("USD", 32.05m)];
    private static readonly decimal[] VatRates = [0m, 1m, 10m, 20m];

    [Theory]
    [InlineData(11)]
    [InlineData(2026)]
    [InlineData(424242)]
    public async Task Ordered_and_delivered_amounts_always_equal_the_recomputation_from_the_lines(int seed)
    {
        var random = new Random(seed);
        var org = await factory.CreateOrganizationAsync($"Özellik {seed} A.Ş.");
        var client = org.Admin.Client;
        var account = await factory.AccountAsync(org, "Rastgele Ticaret Ltd. Şti.");
        var opportunityId = await factory.OpportunityAsync(org, account);
        var orders = new List<Guid>();

        for (var step = 0; step < 30; step++)
        {
            var action = orders.Count == 0 ? 0 : random.Next(10);
            if (action <= 1)
            {
                var (currency, rate) = Currencies[random.Next(Currencies.Length)];
                var lines = Enumerable.Range(0, random.Next(1, 4)).Select(i => new
                {
                    description = $"Kalem {step}-{i}",
                    quantity = random.Next(1, 40) / 2m,
                    unit = "adet",
                    unitPrice = random.Next(1, 5_000_000) / 1000m,
                    discountPercent = random.Next(0, 4) * 5m,
                    vatRate = VatRates[random.Next(VatRates.Length)],
                }).ToArray();
                var created = await client.PostAsJsonAsync("/api/v1/orders", new
                {
                    accountId = account,
                    opportunityId,
                    currency,
                    exchangeRate = rate,
                    documentDiscountPercent = random.Next(0, 3) * 2.5m,
                    lines,
                }, Ct).OkAsync<OrderDto>();
                orders.Add(created.Id);
            }
            else
            {
                var order = await GetOrderAsync(client, orders[random.Next(orders.Count)]);
                switch (action)
                {
                    case <= 5:
                        {
                            // Deliver part of what remains; now and then ask for one unit too many and expect a refusal.
                            var open = order.Lines.Where(l => l.Remaining > 0).ToList();
                            if (open.Count == 0)
                            {
                                break;
                            }

                            var line = open[random.Next(open.Count)];
                            var tooMuch = random.Next(6) == 0;
                            var quantity = tooMuch ? line.Remaining + 1 : random.Next(1, (int)(line.Remaining * 2) + 1) / 2m; // quantities are whole halves
                            var response = await DeliverAsync(client, order.Id, (line.Id, quantity));
                            if (tooMuch)
                            {
                                await response.ProblemAsync(422);
                            }
                            else
                            {
                                await response.EnsureSuccessAsync();
                            }

                            break;
                        }

                    case <= 7:
                        {
                            var delivered = order.Lines.Where(l => l.Delivered > 0).ToList();
                            if (delivered.Count == 0)
                            {
                                break;
                            }

                            var line = delivered[random.Next(delivered.Count)];
                            var tooMuch = random.Next(5) == 0;
                            var response = await ReturnAsync(client, order.Id, (line.Id, tooMuch ? line.Delivered + 0.5m : random.Next(1, (int)(line.Delivered * 2) + 1) / 2m));
                            if (tooMuch)
                            {
                                await response.ProblemAsync(422);
                            }
                            else
                            {
                                await response.EnsureSuccessAsync();
                            }

                            break;
                        }

                    default:
                        {
                            var response = await client.PostWithEtagAsync($"/api/v1/orders/{order.Id}", "cancel", new { reason = $"Adım {step}" });
                            if (order.Lines.Any(l => l.Remaining > 0))
                            {
                                await response.EnsureSuccessAsync();
                            }
                            else
                            {
                                Assert.Equal("order.nothing-to-cancel", (await response.ProblemAsync(422)).GetProperty("code").GetString());
                            }

                            break;
                        }
                }
            }

            await AssertRollUpAsync(client, opportunityId, orders, $"seed {seed}, step {step}");
        }
    }

    private static async Task AssertRollUpAsync(HttpClient client, Guid opportunityId, List<Guid> orderIds, string where)
    {
        decimal ordered = 0, delivered = 0;
        var live = 0;
        foreach (var id in orderIds)
        {
            var order = await client.GetFromJsonAsync<OrderDetailDto>($"/api/v1/orders/{id}", Ct);
            var lines = order!.Lines;
            foreach (var l in lines)
            {
                Assert.True(l.Delivered >= 0 && l.Delivered <= l.Ordered - l.Cancelled, $"{where}: line {l.Description} delivered {l.Delivered} of {l.Ordered} − {l.Cancelled}");
                Assert.Equal(l.Ordered - l.Cancelled - l.Delivered, l.Remaining);
            }

            var net = lines.Sum(l => Money.Line(LineTerms.Create(0, l.Ordered, l.UnitPrice, l.DiscountPercent, l.VatRate), l.Ordered - l.Cancelled, order.DocumentDiscountPercent).Net);
            var deliveredNet = lines.Sum(l => Money.Line(LineTerms.Create(0, l.Ordered, l.UnitPrice, l.DiscountPercent, l.VatRate), l.Delivered, order.DocumentDiscountPercent).Net);
            Assert.Equal(net, order.NetTotal);
            Assert.Equal(deliveredNet, order.DeliveredNet);

            var expectedStatus = lines.All(l => l.Ordered == l.Cancelled) ? "Cancelled"
                : lines.All(l => l.Delivered == 0) ? "Open"
                : lines.All(l => l.Remaining == 0) ? "Delivered" : "PartiallyDelivered";
            Assert.True(expectedStatus == order.Status, $"{where}: order {order.Number} is {order.Status}, its lines say {expectedStatus}");
            if (order.Status != "Cancelled")
            {
                live++;
                ordered += order.Currency == "TRY" ? net : Money.Round2(net * order.ExchangeRate);
                delivered += order.Currency == "TRY" ? deliveredNet : Money.Round2(deliveredNet * order.ExchangeRate);
            }
        }

        var opportunity = await client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{opportunityId}", Ct);
        Assert.True(live == 0 ? opportunity!.OrderedAmount is null : opportunity!.OrderedAmount == ordered, $"{where}: ordered {opportunity.OrderedAmount}, lines say {ordered}");
        Assert.True(live == 0 ? opportunity.DeliveredAmount is null : opportunity.DeliveredAmount == delivered, $"{where}: delivered {opportunity.DeliveredAmount}, lines say {delivered}");
    }

    private sealed record DetailLineDto(string Description, decimal UnitPrice, decimal DiscountPercent, decimal VatRate, decimal Ordered, decimal Delivered, decimal Cancelled, decimal Remaining);

    private sealed record OrderDetailDto(string Number, string Status, string Currency, decimal ExchangeRate, decimal DocumentDiscountPercent, decimal NetTotal, decimal DeliveredNet, List<DetailLineDto> Lines);
}
