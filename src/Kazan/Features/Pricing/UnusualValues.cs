using System.Globalization;

namespace Kazan.Features.Pricing;

public enum UnusualKind
{
    LineDiscount,
    DocumentDiscount,
    PriceFarFromList,
}

/// <summary>One value worth a second look: which, on which line (1-based; null for the document), and the figures.</summary>
public sealed record UnusualValue(UnusualKind Kind, int? Line, string? Description, decimal Value, decimal? ListPrice = null);

/// <summary>A priced line as the unusual-value check sees it; <see cref="ListPrice"/> is its product's list price in the document's currency, when comparable.</summary>
public sealed record CheckedLine(int Line, string Description, decimal UnitPrice, decimal DiscountPercent, decimal? ListPrice);

/// <summary>
/// Values that are legal but usually a typing slip, which the editors ask to confirm before saving or sending (a UI
/// safeguard; the API takes them as sent): a line or document discount above 50 %, and a unit price 1000 times its
/// product's list price or more, or a thousandth of it or less (three zeros too many or too few). The list price counts when the product is priced in the document's
/// currency, or in the base currency when the document carries an exchange rate (list price ÷ rate); otherwise the
/// line is not compared. A quantity of zero needs no question: a document line must have a quantity above zero.
/// </summary>
public static class UnusualValues
{
    public const decimal DiscountLimit = 50m;
    public const decimal PriceFactor = 1000m;

    public static IReadOnlyList<UnusualValue> Find(IEnumerable<CheckedLine> lines, decimal documentDiscountPercent)
    {
        var found = new List<UnusualValue>();
        foreach (var line in lines)
        {
            if (line.DiscountPercent > DiscountLimit)
            {
                found.Add(new UnusualValue(UnusualKind.LineDiscount, line.Line, line.Description, line.DiscountPercent));
            }

            if (line.ListPrice is { } list && list > 0 && (line.UnitPrice >= list * PriceFactor || line.UnitPrice <= list / PriceFactor))
            {
                found.Add(new UnusualValue(UnusualKind.PriceFarFromList, line.Line, line.Description, line.UnitPrice, list));
            }
        }

        if (documentDiscountPercent > DiscountLimit)
        {
            found.Add(new UnusualValue(UnusualKind.DocumentDiscount, null, null, documentDiscountPercent));
        }

        return found;
    }

    /// <summary>
    /// A product's list price in the document's currency: as is in the same currency; divided by the document's rate
    /// when the product is priced in the base currency; else null (not compared).
    /// </summary>
    public static decimal? ListPriceIn(string documentCurrency, decimal documentRate, string baseCurrency, decimal listPrice, string productCurrency) =>
        productCurrency == documentCurrency ? listPrice
        : productCurrency == baseCurrency && documentRate > 0 ? listPrice / documentRate
        : null;

    /// <summary>
    /// What the user confirmed, as text a form carries back: saving goes ahead only when the values still unusual are
    /// exactly the ones confirmed (changing one asks again).
    /// </summary>
    public static string Signature(IEnumerable<UnusualValue> values) =>
        string.Join('|', values.Select(v => $"{v.Kind}:{v.Line}:{v.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));
}
