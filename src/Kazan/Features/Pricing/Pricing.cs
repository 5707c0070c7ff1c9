using Kazan.Infrastructure.Errors;

namespace Kazan.Features.Pricing;

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

    /// <summary>Why a percentage (a discount, a VAT rate) is refused — it must be between 0 and 100 — or null.</summary>
    public static string? PercentProblem(decimal percent, string what) => percent is < 0 or > 100 ? $"{what} must be between 0 and 100 %." : null;

    public static void ValidatePercent(decimal percent, string what, string code)
    {
        if (PercentProblem(percent, what) is { } problem)
        {
            throw new DomainRuleException(problem, code);
        }
    }

    /// <summary>A line's figures for its whole quantity.</summary>
    public static LineAmounts Line(LineTerms line, decimal documentDiscountPercent) => Line(line, line.Quantity, documentDiscountPercent);

    /// <summary>A line's figures for part of its quantity (an order's not-cancelled or delivered quantity; 0 gives zeros).</summary>
    public static LineAmounts Line(LineTerms line, decimal quantity, decimal documentDiscountPercent)
    {
        var gross = Round2(quantity * line.UnitPrice);
        var net = Round2(quantity * line.UnitPrice * (1 - (line.DiscountPercent / 100m)) * (1 - (documentDiscountPercent / 100m)));
        var vat = Round2(net * line.VatRate / 100m);
        return new LineAmounts(gross, gross - net, net, vat);
    }

    public static DocumentTotals Totals(IEnumerable<LineTerms> lines, decimal documentDiscountPercent) =>
        Totals(lines.Select(l => (l, l.Quantity)), documentDiscountPercent);

    /// <summary>Totals of lines each priced for a given quantity (an order's not-cancelled or delivered quantities).</summary>
    public static DocumentTotals Totals(IEnumerable<(LineTerms Terms, decimal Quantity)> lines, decimal documentDiscountPercent)
    {
        var list = lines.ToList();
        var amounts = list.Select(l => Line(l.Terms, l.Quantity, documentDiscountPercent)).ToList();
        var byRate = list.Zip(amounts)
            .GroupBy(x => x.First.Terms.VatRate)
            .OrderBy(g => g.Key)
            .Select(g => new VatGroup(g.Key, g.Sum(x => x.Second.Net), g.Sum(x => x.Second.Vat)))
            .ToList();
        return new DocumentTotals(
            amounts.Sum(a => a.Gross), amounts.Sum(a => a.Discount), amounts.Sum(a => a.Net), amounts.Sum(a => a.Vat), byRate, amounts);
    }
}
