using Kazan.Features.Pricing;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Quotes;

public enum QuoteLineKind
{
    Item,

    /// <summary>A heading that groups the lines below it; carries no money.</summary>
    Section,
}

/// <summary>One line of a quote: a product or free text with quantity, unit, price, discount and VAT, or a section heading.</summary>
public sealed class QuoteLine : ITenantEntity
{
    private QuoteLine()
    {
        Description = "";
        Unit = "";
        Terms = LineTerms.None;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid QuoteId { get; private set; }

    /// <summary>Stays the same across edits and revisions, so two revisions can be compared line by line.</summary>
    public Guid Key { get; private set; }

    public int Position { get; private set; }
    public QuoteLineKind Kind { get; private set; }
    public Guid? ProductId { get; private set; }
    public string Description { get; private set; }
    public string Unit { get; private set; }

    /// <summary>Quantity, unit price, discount and VAT (<see cref="LineTerms.None"/> on a section heading).</summary>
    public LineTerms Terms { get; private set; }

    public decimal Quantity => Terms.Quantity;
    public decimal UnitPrice => Terms.UnitPrice;
    public decimal DiscountPercent => Terms.DiscountPercent;
    public decimal VatRate => Terms.VatRate;

    /// <summary>Rounded figures from the money rule, stored for lists and orders.</summary>
    public decimal NetAmount { get; private set; }

    public decimal VatAmount { get; private set; }

    internal static QuoteLine Create(Quote quote, int position, QuoteLineInput input)
    {
        var description = DocumentLine.Description(position, input.Description);

        var line = new QuoteLine
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = quote.OrganizationId,
            QuoteId = quote.Id,
            Key = input.Key ?? Guid.CreateVersion7(),
            Position = position,
            Kind = input.Kind,
            Description = description,
        };
        if (input.Kind == QuoteLineKind.Section)
        {
            return line;
        }

        var unit = DocumentLine.Unit(position, input.Unit);
        var terms = LineTerms.Create(position, input.Quantity, input.UnitPrice, input.DiscountPercent, input.VatRate);

        line.ProductId = input.ProductId;
        line.Unit = unit;
        line.Terms = terms;
        return line;
    }

    internal void SetAmounts(LineAmounts amounts)
    {
        NetAmount = amounts.Net;
        VatAmount = amounts.Vat;
    }

    public QuoteLineInput ToInput() => new(Key, Kind, ProductId, Description, Quantity, Unit, UnitPrice, DiscountPercent, VatRate);
}
