using Kazan.Infrastructure.Errors;

namespace Kazan.Features.Pricing;

/// <summary>
/// The checks every priced document line passes, on quotes and orders alike: a description and a unit of sensible
/// length, figures at their stored precision (quantity and price 4 decimals, discount and VAT 2) and within the
/// money rule's limits. Messages name the line (1-based) so the editor can point at it.
/// </summary>
public static class DocumentLine
{
    public static string Description(int position, string text)
    {
        var description = text.Trim();
        return description.Length is > 0 and <= 2000 ? description
            : throw new DomainRuleException($"Line {position + 1}: a description of 1 to 2 000 characters is required.", "line.description") { Line = position + 1 };
    }

    public static string Unit(int position, string text)
    {
        var unit = text.Trim();
        return unit.Length is > 0 and <= 20 ? unit
            : throw new DomainRuleException($"Line {position + 1}: a unit of 1 to 20 characters is required.", "line.unit") { Line = position + 1 };
    }

    /// <summary>The figures as they are stored (rounded half away from zero).</summary>
    public static PricedLine Stored(PricedLine line) => new(
        Pricing.Round(line.Quantity, 4),
        Pricing.Round(line.UnitPrice, 4),
        Pricing.Round(line.DiscountPercent, 2),
        Pricing.Round(line.VatRate, 2));

    /// <summary>The stored figures, refused when outside the money rule's limits.</summary>
    public static PricedLine Priced(int position, PricedLine line)
    {
        var stored = Stored(line);
        try
        {
            Pricing.Validate(stored);
        }
        catch (DomainRuleException e)
        {
            throw new DomainRuleException($"Line {position + 1}: {e.Message}", e.Code, [.. e.Arguments]) { Line = position + 1 };
        }

        return stored;
    }
}
