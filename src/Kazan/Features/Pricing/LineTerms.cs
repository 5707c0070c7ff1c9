using Kazan.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Pricing;

/// <summary>
/// The priced terms of one document line — quantity, unit price, line discount % and VAT % — on quotes and orders
/// alike. Immutable, and built only through <see cref="Create"/> (or read back from the database), so every instance
/// holds figures at their stored precision (quantity and price 4 decimals, discount and VAT 2) and within the money
/// rule's limits. <see cref="None"/> is the all-zero terms of a line that carries no money (a quote's section heading).
/// </summary>
public sealed record LineTerms
{
    /// <summary>The terms of a line that carries no money (a section heading): never priced.</summary>
    public static readonly LineTerms None = new(0m, 0m, 0m, 0m);

    // Also the constructor EF Core uses to read stored terms back (parameter names match the properties).
    private LineTerms(decimal quantity, decimal unitPrice, decimal discountPercent, decimal vatRate)
    {
        Quantity = quantity;
        UnitPrice = unitPrice;
        DiscountPercent = discountPercent;
        VatRate = vatRate;
    }

    public decimal Quantity { get; private init; }
    public decimal UnitPrice { get; private init; }
    public decimal DiscountPercent { get; private init; }
    public decimal VatRate { get; private init; }

    /// <summary>
    /// The terms as stored (each figure rounded half away from zero to its precision), or a rule violation naming the
    /// line (<paramref name="position"/> is 0-based; messages and <see cref="DomainRuleException.Line"/> are 1-based).
    /// </summary>
    public static LineTerms Create(int position, decimal quantity, decimal unitPrice, decimal discountPercent, decimal vatRate)
    {
        var terms = Stored(quantity, unitPrice, discountPercent, vatRate);
        return Problem(terms) is { } problem
            ? throw new DomainRuleException($"Line {position + 1}: {problem.Message}", problem.Code) { Line = position + 1 }
            : terms;
    }

    /// <summary>The stored terms, or null when a figure is out of range (an editor's preview while the user types).</summary>
    public static LineTerms? TryCreate(decimal quantity, decimal unitPrice, decimal discountPercent, decimal vatRate)
    {
        var terms = Stored(quantity, unitPrice, discountPercent, vatRate);
        return Problem(terms) is null ? terms : null;
    }

    private static LineTerms Stored(decimal quantity, decimal unitPrice, decimal discountPercent, decimal vatRate) => new(
        Pricing.Round(quantity, 4), Pricing.Round(unitPrice, 4), Pricing.Round(discountPercent, 2), Pricing.Round(vatRate, 2));

    private static (string Message, string Code)? Problem(LineTerms t) =>
        t.Quantity is <= 0 or > Pricing.MaxQuantity ? ("A quantity must be greater than 0 and at most 1 000 000 000.", "line.quantity")
        : t.UnitPrice is < 0 or > Pricing.MaxUnitPrice ? ("A unit price must be between 0 and 1 000 000 000.", "line.price")
        : Pricing.PercentProblem(t.DiscountPercent, "A discount") is { } discount ? (discount, "line.discount")
        : Pricing.PercentProblem(t.VatRate, "A VAT rate") is { } vat ? (vat, "line.vat")
        : null;
}

/// <summary>The one mapping of <see cref="LineTerms"/> (an EF Core complex type) on the line tables' existing columns.</summary>
public static class LineTermsConfiguration
{
    public static void Map(ComplexPropertyBuilder<LineTerms> terms)
    {
        terms.Property(t => t.Quantity).HasColumnName(nameof(LineTerms.Quantity));
        terms.Property(t => t.UnitPrice).HasColumnName(nameof(LineTerms.UnitPrice));
        terms.Property(t => t.DiscountPercent).HasColumnName(nameof(LineTerms.DiscountPercent));
        terms.Property(t => t.VatRate).HasColumnName(nameof(LineTerms.VatRate));
    }
}
