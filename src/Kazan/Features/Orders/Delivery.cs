using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Orders;

public enum DeliveryKind
{
    /// <summary>Goods sent to the customer (irsaliye).</summary>
    Delivery,

    /// <summary>Goods coming back: lowers the delivered quantity, so what is returned is to be delivered again unless cancelled.</summary>
    Return,
}

/// <summary>A delivery note (irsaliye) or a return for one order: a date, a number, a note and quantities per line. Append-only.</summary>
public sealed class Delivery : ITenantEntity
{
    private readonly List<DeliveryLine> _lines = [];

    private Delivery()
    {
    }

    internal Delivery(Order order, DeliveryKind kind, DateOnly date, string? noteNumber, string? note, Guid actorId, DateTimeOffset now)
    {
        if (noteNumber?.Length > 40 || note?.Length > 2000)
        {
            throw new DomainRuleException("The delivery-note number is at most 40 and the note at most 2 000 characters.", "delivery.text");
        }

        Id = Guid.CreateVersion7();
        OrganizationId = order.OrganizationId;
        OrderId = order.Id;
        Kind = kind;
        Date = date;
        NoteNumber = string.IsNullOrWhiteSpace(noteNumber) ? null : noteNumber.Trim();
        Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        CreatedById = actorId;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OrderId { get; private set; }
    public DeliveryKind Kind { get; private set; }
    public DateOnly Date { get; private set; }

    /// <summary>The delivery-note (irsaliye) number, when the company numbers them outside Kazan.</summary>
    public string? NoteNumber { get; private set; }

    public string? Note { get; private set; }
    public Guid CreatedById { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public IReadOnlyList<DeliveryLine> Lines => _lines;

    internal void AddLine(OrderLine line, decimal quantity) => _lines.Add(new DeliveryLine(this, line, quantity));
}

/// <summary>How much of one order line went out (or came back) with a delivery.</summary>
public sealed class DeliveryLine : ITenantEntity
{
    private DeliveryLine()
    {
    }

    internal DeliveryLine(Delivery delivery, OrderLine line, decimal quantity)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = delivery.OrganizationId;
        DeliveryId = delivery.Id;
        OrderLineId = line.Id;
        Quantity = quantity;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid DeliveryId { get; private set; }
    public Guid OrderLineId { get; private set; }
    public decimal Quantity { get; private set; }
}
