using Kazan.Features.Pricing;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Orders;

/// <summary>Derived from the lines after every change, never typed (stored so lists filter on it).</summary>
public enum OrderStatus
{
    /// <summary>Nothing delivered yet.</summary>
    Open,
    PartiallyDelivered,

    /// <summary>Everything not cancelled has been delivered.</summary>
    Delivered,

    /// <summary>Everything was cancelled before any of it was delivered.</summary>
    Cancelled,
}

/// <summary>One line as the order is written: from a quote line (<see cref="QuoteLineId"/>) or typed directly.</summary>
public sealed record OrderLineInput(
    Guid? Id, Guid? QuoteLineId, Guid? ProductId, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal DiscountPercent, decimal VatRate);

/// <summary>
/// A customer's order within an opportunity (DOMAIN.md "Orders and delivery"). Numbered like quotes
/// (<c>SIP-2026-00012</c>). Each line tracks ordered, delivered (net of returns), returned and cancelled quantities;
/// the status and all money figures are recomputed from the lines by <see cref="Pricing.Pricing"/> after every change.
/// </summary>
public sealed class Order : IOwnedEntity, IVersioned
{
    private readonly List<OrderLine> _lines = [];

    private Order()
    {
        Number = "";
        Currency = null!; // set by every constructor, read back by EF Core
    }

    public Order(
        Guid organizationId, Guid ownerId, Guid accountId, Guid opportunityId, Guid? quoteId, string number, int year, int sequence,
        string currency, decimal exchangeRate, DateOnly orderDate, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        OwnerId = ownerId;
        AccountId = accountId;
        OpportunityId = opportunityId;
        QuoteId = quoteId;
        Number = number;
        Year = year;
        Sequence = sequence;
        OrderDate = orderDate;
        CreatedAt = now;
        SetMoneyTerms(currency, exchangeRate, 0m);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }

    /// <summary>The opportunity's owner when the order was written: reps see the orders of their deals.</summary>
    public Guid OwnerId { get; private set; }

    public Guid AccountId { get; private set; }
    public Guid OpportunityId { get; private set; }

    /// <summary>The accepted quote the lines were copied from, if any.</summary>
    public Guid? QuoteId { get; private set; }

    public string Number { get; private set; }
    public int Year { get; private set; }
    public int Sequence { get; private set; }
    public DateOnly OrderDate { get; private set; }

    /// <summary>The customer's purchase-order number.</summary>
    public string? CustomerReference { get; private set; }

    public DateOnly? RequestedDeliveryDate { get; private set; }
    public string? DeliveryAddress { get; private set; }
    public string? Notes { get; private set; }
    /// <summary>The order's currency and its rate to the organization's base currency.</summary>
    public CurrencyRate Currency { get; private set; }

    public decimal DocumentDiscountPercent { get; private set; }
    public OrderStatus Status { get; private set; }

    /// <summary>Net, VAT and total of what is ordered and not cancelled.</summary>
    public decimal NetTotal { get; private set; }

    public decimal VatTotal { get; private set; }
    public decimal GrandTotal { get; private set; }

    /// <summary>Net value of what has been delivered and not returned.</summary>
    public decimal DeliveredNet { get; private set; }

    /// <summary>Base-currency copies, so backlog and reports add orders of several currencies in SQL.</summary>
    public decimal NetTotalBase { get; private set; }

    public decimal DeliveredNetBase { get; private set; }
    public string? CancelReason { get; private set; }
    public DateTimeOffset? CancelledAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public int Version { get; private set; }

    public IReadOnlyList<OrderLine> Lines => _lines.OrderBy(l => l.Position).ToList();

    public bool HasDeliveries => _lines.Any(l => l.DeliveredQuantity > 0 || l.ReturnedQuantity > 0);

    public bool HasRemainder => _lines.Any(l => l.RemainingQuantity > 0);

    public DocumentTotals Totals() => Pricing.Pricing.Totals(
        _lines.Where(l => l.EffectiveQuantity > 0).OrderBy(l => l.Position).Select(l => (l.Terms, l.EffectiveQuantity)), DocumentDiscountPercent);

    public DocumentTotals DeliveredTotals() => Pricing.Pricing.Totals(
        _lines.Where(l => l.DeliveredQuantity > 0).OrderBy(l => l.Position).Select(l => (l.Terms, l.DeliveredQuantity)), DocumentDiscountPercent);

    public void SetDetails(string? customerReference, DateOnly? requestedDeliveryDate, string? deliveryAddress, string? notes)
    {
        if (customerReference?.Length > 100 || deliveryAddress?.Length > 1000 || notes?.Length > 8000)
        {
            throw new DomainRuleException("The customer reference is at most 100, the address 1 000 and notes 8 000 characters.", "order.text");
        }

        if (requestedDeliveryDate is { } requested && requested < OrderDate)
        {
            throw new DomainRuleException("The requested delivery date cannot be before the order date.", "order.requested-date");
        }

        CustomerReference = Clean(customerReference);
        RequestedDeliveryDate = requestedDeliveryDate;
        DeliveryAddress = Clean(deliveryAddress);
        Notes = Clean(notes);
    }

    /// <summary>An order follows its opportunity when that changes hands.</summary>
    public void TransferTo(Guid newOwnerId) => OwnerId = newOwnerId;

    /// <summary>Currency, rate and document discount change every line's money: only before anything is delivered.</summary>
    public void SetMoneyTerms(string currency, decimal exchangeRate, decimal documentDiscountPercent)
    {
        var money = CurrencyRate.Create(currency, exchangeRate, "order");
        if (money == Currency && documentDiscountPercent == DocumentDiscountPercent)
        {
            return;
        }

        if (HasDeliveries)
        {
            throw new DomainRuleException("Currency, rate and discount cannot change once something has been delivered.", "order.delivered-locked");
        }

        Pricing.Pricing.ValidatePercent(documentDiscountPercent, "A document discount", "order.discount");
        Currency = money;
        DocumentDiscountPercent = documentDiscountPercent;
        Recalculate();
    }

    /// <summary>
    /// Replaces the lines (all of them, in order). A line that has deliveries or returns must come back unchanged
    /// (same id, quantity, price, discount and VAT) and cannot be removed; the others may change freely.
    /// </summary>
    public void SetLines(IReadOnlyList<OrderLineInput> lines)
    {
        EnsureNotCancelled();
        if (lines.Count is 0 or > 2000)
        {
            throw new DomainRuleException("An order has 1 to 2 000 lines.", "order.lines");
        }

        var existing = _lines.ToDictionary(l => l.Id);
        var keptIds = lines.Where(l => l.Id is not null).Select(l => l.Id!.Value).ToList();
        if (keptIds.Distinct().Count() != keptIds.Count || keptIds.Any(id => !existing.ContainsKey(id)))
        {
            throw new DomainRuleException("A line id is repeated or does not belong to this order.", "order.line-id");
        }

        foreach (var locked in _lines.Where(l => l.IsLocked))
        {
            var input = lines.FirstOrDefault(l => l.Id == locked.Id);
            if (input is null || !locked.SameTermsAs(input))
            {
                throw new DomainRuleException($"Line \"{locked.Description}\" has deliveries: it can no longer be changed or removed.", "order.line-delivered", locked.Description);
            }
        }

        var built = lines.Select((input, i) => input.Id is not { } id ? OrderLine.Create(this, i, input)
            : existing[id].IsLocked ? existing[id].MovedTo(i)
            : existing[id].Apply(i, input)).ToList();
        _lines.Clear();
        _lines.AddRange(built);
        Recalculate();
    }

    /// <summary>Records a delivery: quantities per line, each at most what remains undelivered on it.</summary>
    public Delivery Deliver(DeliveryKind kind, IReadOnlyDictionary<Guid, decimal> quantities, DateOnly date, string? noteNumber, string? note, Guid actorId, DateTimeOffset now)
    {
        if (quantities.Count == 0 || quantities.Values.All(q => q == 0))
        {
            throw new DomainRuleException(kind == DeliveryKind.Delivery ? "Enter a quantity for at least one line." : "Enter a returned quantity for at least one line.", "delivery.empty");
        }

        if (date < OrderDate)
        {
            throw new DomainRuleException("A delivery cannot be dated before its order.", "delivery.date");
        }

        var delivery = new Delivery(this, kind, date, noteNumber, note, actorId, now);
        foreach (var (lineId, raw) in quantities.Where(q => q.Value != 0))
        {
            var line = _lines.FirstOrDefault(l => l.Id == lineId)
                ?? throw new DomainRuleException("A delivery line does not belong to this order.", "delivery.line");
            var quantity = Pricing.Pricing.Round(raw, 4);
            if (kind == DeliveryKind.Delivery)
            {
                line.Deliver(quantity);
            }
            else
            {
                line.Return(quantity);
            }

            delivery.AddLine(line, quantity);
        }

        Recalculate();
        return delivery;
    }

    /// <summary>Cancels what remains undelivered on every line (a partly delivered order keeps what was delivered).</summary>
    public void CancelRemainder(string reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > 500)
        {
            throw new DomainRuleException("Give a reason (at most 500 characters) to cancel an order.", "order.cancel-reason");
        }

        if (!HasRemainder)
        {
            throw new DomainRuleException("Nothing on this order is left undelivered to cancel.", "order.nothing-to-cancel");
        }

        foreach (var line in _lines)
        {
            line.CancelRemainder();
        }

        CancelReason = reason.Trim();
        CancelledAt = now;
        Recalculate();
    }

    private void EnsureNotCancelled()
    {
        if (Status == OrderStatus.Cancelled)
        {
            throw new DomainRuleException("A cancelled order cannot be changed.", "order.cancelled");
        }
    }

    private void Recalculate()
    {
        var totals = Totals();
        NetTotal = totals.Net;
        VatTotal = totals.Vat;
        GrandTotal = totals.Total;
        DeliveredNet = DeliveredTotals().Net;
        NetTotalBase = Pricing.ExchangeRate.ToBase(NetTotal, Currency.Rate);
        DeliveredNetBase = Pricing.ExchangeRate.ToBase(DeliveredNet, Currency.Rate);
        foreach (var line in _lines)
        {
            line.Recalculate(DocumentDiscountPercent, Currency.Rate);
        }

        Status = _lines.Count == 0 ? OrderStatus.Open // being written
            : _lines.All(l => l.EffectiveQuantity == 0) ? OrderStatus.Cancelled
            : _lines.All(l => l.DeliveredQuantity == 0) ? OrderStatus.Open
            : _lines.All(l => l.RemainingQuantity == 0) ? OrderStatus.Delivered
            : OrderStatus.PartiallyDelivered;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>
/// One order line. <see cref="DeliveredQuantity"/> is what the customer has now (deliveries minus returns);
/// remaining = ordered − cancelled − delivered, and never goes below zero.
/// </summary>
public sealed class OrderLine : ITenantEntity
{
    private OrderLine()
    {
        Description = "";
        Unit = "";
        Terms = LineTerms.None;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OrderId { get; private set; }
    public int Position { get; private set; }

    /// <summary>The quote line this was ordered from: how much of each quote line is ordered is known.</summary>
    public Guid? QuoteLineId { get; private set; }

    public Guid? ProductId { get; private set; }
    public string Description { get; private set; }
    public string Unit { get; private set; }

    /// <summary>Ordered quantity, unit price, discount and VAT.</summary>
    public LineTerms Terms { get; private set; }

    public decimal Quantity => Terms.Quantity;
    public decimal UnitPrice => Terms.UnitPrice;
    public decimal DiscountPercent => Terms.DiscountPercent;
    public decimal VatRate => Terms.VatRate;
    public decimal DeliveredQuantity { get; private set; }
    public decimal ReturnedQuantity { get; private set; }
    public decimal CancelledQuantity { get; private set; }

    /// <summary>Net and VAT of the ordered, not cancelled quantity (the money rule, rounded per line).</summary>
    public decimal NetAmount { get; private set; }

    public decimal VatAmount { get; private set; }

    /// <summary>Net of the delivered quantity.</summary>
    public decimal DeliveredNet { get; private set; }

    /// <summary>What is still to deliver, in the base currency: the backlog by product adds these in SQL.</summary>
    public decimal RemainingNetBase { get; private set; }

    public decimal EffectiveQuantity => Quantity - CancelledQuantity;

    public decimal RemainingQuantity => Quantity - CancelledQuantity - DeliveredQuantity;

    /// <summary>Delivered or returned goods pin the line's terms: the delivery notes already printed show them.</summary>
    public bool IsLocked => DeliveredQuantity > 0 || ReturnedQuantity > 0;

    internal static OrderLine Create(Order order, int position, OrderLineInput input)
    {
        var line = new OrderLine
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = order.OrganizationId,
            OrderId = order.Id,
            QuoteLineId = input.QuoteLineId,
        };
        line.Apply(position, input);
        return line;
    }

    /// <summary>Sets the line's terms from the input (a line keeps its quote line reference across edits).</summary>
    internal OrderLine Apply(int position, OrderLineInput input)
    {
        var description = DocumentLine.Description(position, input.Description);
        var unit = DocumentLine.Unit(position, input.Unit);
        var terms = LineTerms.Create(position, input.Quantity, input.UnitPrice, input.DiscountPercent, input.VatRate);
        Position = position;
        ProductId = input.ProductId;
        Description = description;
        Unit = unit;
        Terms = terms;
        return this;
    }

    internal bool SameTermsAs(OrderLineInput input) =>
        LineTerms.TryCreate(input.Quantity, input.UnitPrice, input.DiscountPercent, input.VatRate) == Terms;

    internal OrderLine MovedTo(int position)
    {
        Position = position;
        return this;
    }

    internal void Deliver(decimal quantity)
    {
        if (quantity < 0)
        {
            throw new DomainRuleException($"\"{Description}\": a delivered quantity cannot be negative.", "delivery.quantity", Description);
        }

        if (quantity > RemainingQuantity)
        {
            throw new DomainRuleException(
                $"\"{Description}\": {quantity:0.####} exceeds the {RemainingQuantity:0.####} {Unit} still to deliver.", "delivery.exceeds-remaining",
                Description, quantity, RemainingQuantity, Unit);
        }

        DeliveredQuantity += quantity;
    }

    internal void Return(decimal quantity)
    {
        if (quantity < 0)
        {
            throw new DomainRuleException($"\"{Description}\": a returned quantity cannot be negative.", "delivery.quantity", Description);
        }

        if (quantity > DeliveredQuantity)
        {
            throw new DomainRuleException(
                $"\"{Description}\": {quantity:0.####} exceeds the {DeliveredQuantity:0.####} {Unit} delivered.", "delivery.exceeds-delivered",
                Description, quantity, DeliveredQuantity, Unit);
        }

        DeliveredQuantity -= quantity;
        ReturnedQuantity += quantity;
    }

    internal void CancelRemainder() => CancelledQuantity += RemainingQuantity;

    internal void Recalculate(decimal documentDiscountPercent, decimal exchangeRate)
    {
        var ordered = Pricing.Pricing.Line(Terms, EffectiveQuantity, documentDiscountPercent);
        NetAmount = ordered.Net;
        VatAmount = ordered.Vat;
        DeliveredNet = Pricing.Pricing.Line(Terms, DeliveredQuantity, documentDiscountPercent).Net;
        RemainingNetBase = Pricing.ExchangeRate.ToBase(NetAmount - DeliveredNet, exchangeRate);
    }
}
