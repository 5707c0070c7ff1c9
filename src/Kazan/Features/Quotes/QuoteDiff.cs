namespace Kazan.Features.Quotes;

public enum LineChange
{
    Added,
    Removed,
    Changed,
    Unchanged,
}

/// <summary>One line compared across two revisions. Before/After are null where the line is missing on that side.</summary>
public sealed record LineDiff(Guid Key, LineChange Change, QuoteLineInput? Before, QuoteLineInput? After, decimal NetBefore, decimal NetAfter, IReadOnlyList<string> ChangedFields);

public sealed record QuoteDiffResult(string From, string To, IReadOnlyList<LineDiff> Lines, decimal NetBefore, decimal NetAfter, decimal VatBefore, decimal VatAfter, decimal TotalBefore, decimal TotalAfter)
{
    public decimal NetChange => NetAfter - NetBefore;
    public decimal TotalChange => TotalAfter - TotalBefore;
}

/// <summary>Compares two revisions of a quote line by line (lines keep their key across revisions).</summary>
public static class QuoteDiff
{
    public static QuoteDiffResult Compare(Quote before, Quote after)
    {
        var old = before.Lines.ToDictionary(l => l.Key);
        var @new = after.Lines.ToDictionary(l => l.Key);
        var keys = after.Lines.Select(l => l.Key).Concat(before.Lines.Select(l => l.Key).Where(k => !@new.ContainsKey(k))).ToList();
        var lines = keys.Select(key =>
        {
            old.TryGetValue(key, out var b);
            @new.TryGetValue(key, out var a);
            var fields = b is null || a is null ? [] : ChangedFields(b, a);
            var change = b is null ? LineChange.Added : a is null ? LineChange.Removed : fields.Count > 0 ? LineChange.Changed : LineChange.Unchanged;
            return new LineDiff(key, change, b?.ToInput(), a?.ToInput(), b?.NetAmount ?? 0m, a?.NetAmount ?? 0m, fields);
        }).ToList();
        return new QuoteDiffResult(before.DisplayNumber, after.DisplayNumber, lines,
            before.NetTotal, after.NetTotal, before.VatTotal, after.VatTotal, before.GrandTotal, after.GrandTotal);
    }

    private static List<string> ChangedFields(QuoteLine b, QuoteLine a)
    {
        var fields = new List<string>();
        void Check(string name, object? x, object? y)
        {
            if (!Equals(x, y))
            {
                fields.Add(name);
            }
        }

        Check("description", b.Description, a.Description);
        Check("quantity", b.Quantity, a.Quantity);
        Check("unit", b.Unit, a.Unit);
        Check("unitPrice", b.UnitPrice, a.UnitPrice);
        Check("discountPercent", b.DiscountPercent, a.DiscountPercent);
        Check("vatRate", b.VatRate, a.VatRate);
        Check("product", b.ProductId, a.ProductId);
        return fields;
    }
}
