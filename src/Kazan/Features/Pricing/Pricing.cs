using Kazan.Infrastructure.Errors;

namespace Kazan.Features.Pricing;

/// <summary>What a document line contributes to the money rule: quantity, unit price, line discount and VAT rate (percent).</summary>
public readonly record struct PricedLine(decimal Quantity, decimal UnitPrice, decimal DiscountPercent, decimal VatRate);

/// <summary>A line's figures, each already rounded: gross = qty × price; net after both discounts; VAT on the net.</summary>
public readonly record struct LineAmounts(decimal Gross, decimal Discount, decimal Net, decimal Vat)
{
    public decimal Total => Net + Vat;
}

/// <summary>VAT for one rate: the net it applies to and the VAT amount (sums of rounded line figures).</summary>
public sealed record VatGroup(decimal Rate, decimal Net, decimal Vat);

/// <summary>Document totals: sums of the rounded line figures, and VAT per rate (ascending).</summary>
public sealed record DocumentTotals(decimal Gross, decimal Discount, decimal Net, decimal Vat, IReadOnlyList<VatGroup> VatByRate, IReadOnlyList<LineAmounts> Lines)
{
    public decimal Total => Net + Vat;
}

/// <summary>
/// The one implementation of Kazan's money rule (DOMAIN.md "Quotes"), used by quotes, orders, the API, the UI and
/// the PDFs. Per line: net = round(qty × price × (1 − line discount) × (1 − document discount), 2);
/// VAT = round(net × rate, 2). Totals are sums of the rounded line figures. Rounding is half away from zero.
/// Everything is <see cref="decimal"/>.
/// </summary>
public static class Pricing
{
    public const decimal MaxQuantity = 1_000_000_000m;
    public const decimal MaxUnitPrice = 1_000_000_000m;

    /// <summary>Money's rounding, the only one in Kazan: half away from zero.</summary>
    public static decimal Round(decimal value, int decimals) => decimal.Round(value, decimals, MidpointRounding.AwayFromZero);

    public static decimal Round2(decimal value) => Round(value, 2);

    public static void Validate(PricedLine line)
    {
        if (line.Quantity <= 0 || line.Quantity > MaxQuantity)
        {
            throw new DomainRuleException("A quantity must be greater than 0 and at most 1 000 000 000.", "line.quantity");
        }

        if (line.UnitPrice < 0 || line.UnitPrice > MaxUnitPrice)
        {
            throw new DomainRuleException("A unit price must be between 0 and 1 000 000 000.", "line.price");
        }

        ValidatePercent(line.DiscountPercent, "A discount", "line.discount");
        ValidatePercent(line.VatRate, "A VAT rate", "line.vat");
    }

    public static void ValidatePercent(decimal percent, string what, string code)
    {
        if (percent is < 0 or > 100)
        {
            throw new DomainRuleException($"{what} must be between 0 and 100 %.", code);
        }
    }

    public static LineAmounts Line(PricedLine line, decimal documentDiscountPercent)
    {
        var gross = Round2(line.Quantity * line.UnitPrice);
        var net = Round2(line.Quantity * line.UnitPrice * (1 - (line.DiscountPercent / 100m)) * (1 - (documentDiscountPercent / 100m)));
        var vat = Round2(net * line.VatRate / 100m);
        return new LineAmounts(gross, gross - net, net, vat);
    }

    public static DocumentTotals Totals(IEnumerable<PricedLine> lines, decimal documentDiscountPercent)
    {
        var list = lines.ToList();
        var amounts = list.Select(l => Line(l, documentDiscountPercent)).ToList();
        var byRate = list.Zip(amounts)
            .GroupBy(x => x.First.VatRate)
            .OrderBy(g => g.Key)
            .Select(g => new VatGroup(g.Key, g.Sum(x => x.Second.Net), g.Sum(x => x.Second.Vat)))
            .ToList();
        return new DocumentTotals(
            amounts.Sum(a => a.Gross), amounts.Sum(a => a.Discount), amounts.Sum(a => a.Net), amounts.Sum(a => a.Vat), byRate, amounts);
    }
}
