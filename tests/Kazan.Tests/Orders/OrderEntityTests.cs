using CsCheck;
using Kazan.Features.Orders;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Orders;

/// <summary>The order's own rules, without HTTP or a database: deliveries, returns, cancellation and the money terms.</summary>
public sealed class OrderEntityTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static Order NewOrder(params (decimal Quantity, decimal Price)[] lines)
    {
        var order = new Order(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), null, "SIP-2026-00001", 2026, 1, "TRY", 1m, Day, Now);
        order.SetLines(lines.Select((l, i) => new OrderLineInput(null, null, null, $"Kalem {i + 1}", l.Quantity, "adet", l.Price, 0m, 20m)).ToList());
        return order;
    }

    private static Dictionary<Guid, decimal> Of(Order order, params decimal[] quantities) =>
        order.Lines.Zip(quantities).Where(x => x.Second != 0).ToDictionary(x => x.First.Id, x => x.Second);

    [Fact]
    public void Delivering_more_than_remains_is_refused_and_changes_nothing()
    {
        var order = NewOrder((10m, 40m));
        order.Deliver(DeliveryKind.Delivery, Of(order, 4m), Day, null, null, Guid.NewGuid(), Now);

        var e = Assert.Throws<DomainRuleException>(() => order.Deliver(DeliveryKind.Delivery, Of(order, 7m), Day, null, null, Guid.NewGuid(), Now));

        Assert.Equal("delivery.exceeds-remaining", e.Code);
        Assert.Equal((4m, 6m, 160m), (order.Lines[0].DeliveredQuantity, order.Lines[0].RemainingQuantity, order.DeliveredNet));
    }

    [Fact]
    public void A_delivery_cannot_be_dated_before_its_order()
    {
        var order = NewOrder((1m, 10m));
        var e = Assert.Throws<DomainRuleException>(() => order.Deliver(DeliveryKind.Delivery, Of(order, 1m), Day.AddDays(-1), null, null, Guid.NewGuid(), Now));
        Assert.Equal("delivery.date", e.Code);
    }

    [Fact]
    public void The_exchange_rate_is_checked_by_the_one_rule_with_its_upper_limit()
    {
        var order = NewOrder((1m, 10m));
        Assert.Equal("order.exchange-rate", Assert.Throws<DomainRuleException>(() => order.SetMoneyTerms("EUR", 1_000_001m, 0m)).Code);
        Assert.Equal("order.exchange-rate", Assert.Throws<DomainRuleException>(() => order.SetMoneyTerms("EUR", 0m, 0m)).Code);
        order.SetMoneyTerms("eur", 37.123456m, 0m);
        Assert.Equal(("EUR", 37.1235m), (order.Currency.Code, order.Currency.Rate));
    }

    /// <summary>Any sequence of deliveries and returns, accepted or refused: delivered stays between 0 and ordered, and the money follows.</summary>
    [Fact]
    public void Delivered_never_exceeds_ordered_and_the_totals_are_the_sums_of_the_rounded_lines()
    {
        var genLines = Gen.Select(Gen.Int[1, 50], Gen.Int[0, 100_000].Select(p => p / 100m)).Select((q, p) => ((decimal)q, p)).Array[1, 5];
        var genStep = Gen.Select(Gen.Bool, Gen.Int[0, 4], Gen.Int[1, 60]);
        Gen.Select(genLines, genStep.Array[0, 20]).Sample((lines, steps) =>
        {
            var order = NewOrder(lines);
            foreach (var (isReturn, index, quantity) in steps)
            {
                var line = order.Lines[index % order.Lines.Count];
                try
                {
                    order.Deliver(isReturn ? DeliveryKind.Return : DeliveryKind.Delivery, new Dictionary<Guid, decimal> { [line.Id] = quantity }, Day, null, null, Guid.NewGuid(), Now);
                }
                catch (DomainRuleException)
                {
                    // Refused: the order is as it was (checked below like any other state).
                }
            }

            foreach (var line in order.Lines)
            {
                var delivered = line.DeliveredQuantity; // what the customer has now: deliveries less returns
                Assert.InRange(delivered, 0m, line.Quantity);
                Assert.Equal(line.Quantity - line.CancelledQuantity - delivered, line.RemainingQuantity);
            }

            Assert.Equal(order.Lines.Sum(l => l.NetAmount), order.NetTotal);
            Assert.Equal(order.Lines.Sum(l => l.VatAmount), order.VatTotal);
            Assert.Equal(order.Lines.Sum(l => l.DeliveredNet), order.DeliveredNet);
            Assert.InRange(order.DeliveredNet, 0m, order.NetTotal);
        });
    }

    [Fact]
    public void Cancelling_the_remainder_keeps_what_was_delivered_and_leaves_nothing_to_deliver()
    {
        var order = NewOrder((10m, 5m), (3m, 100m));
        order.Deliver(DeliveryKind.Delivery, Of(order, 4m, 0m), Day, null, null, Guid.NewGuid(), Now);

        order.CancelRemainder("Müşteri vazgeçti", Now);

        Assert.False(order.HasRemainder);
        Assert.Equal([4m, 0m], order.Lines.Select(l => l.DeliveredQuantity));
        Assert.Equal([6m, 3m], order.Lines.Select(l => l.CancelledQuantity));
        Assert.Equal(20m, order.DeliveredNet);
    }
}
