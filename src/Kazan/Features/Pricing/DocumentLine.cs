using Kazan.Features.Products;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Pricing;

/// <summary>
/// The text checks every document line passes, on quotes and orders alike: a description and a unit of sensible
/// length (the figures are <see cref="LineTerms"/>). Messages name the line (1-based) so the editor can point at it.
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
}

/// <summary>
/// A priced line as a caller describes it, on quotes and orders alike: a product line may leave description, unit,
/// price and VAT to the product.
/// </summary>
public sealed record LineDraft(Guid? ProductId, string? Description, decimal? Quantity, string? Unit, decimal? UnitPrice, decimal DiscountPercent, decimal? VatRate);

/// <summary>A line with the product's defaults filled in, ready for a document's line factory.</summary>
public sealed record ResolvedLine(Guid? ProductId, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal DiscountPercent, decimal VatRate);

/// <summary>Resolving a product into a line: the one place quotes and orders read the catalogue for their lines.</summary>
public static class LineDrafts
{
    /// <summary>Fills product lines from the catalogue where the caller left fields empty; a product that does not exist is refused naming the line.</summary>
    public static async Task<List<ResolvedLine>> ResolveAsync(KazanDbContext db, IReadOnlyList<LineDraft> lines, CancellationToken ct)
    {
        var productIds = lines.Where(l => l.ProductId is not null).Select(l => l.ProductId!.Value).Distinct().ToList();
        var products = productIds.Count == 0
            ? new Dictionary<Guid, Product>()
            : await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return lines.Select((l, i) =>
        {
            Product? product = null;
            if (l.ProductId is { } pid && !products.TryGetValue(pid, out product))
            {
                throw new DomainRuleException($"Line {i + 1}: no such product.", "line.product") { Line = i + 1 };
            }

            return new ResolvedLine(l.ProductId, l.Description ?? product?.Name ?? "", l.Quantity ?? 0m,
                l.Unit ?? product?.Unit ?? "adet", l.UnitPrice ?? product?.ListPrice ?? 0m, l.DiscountPercent, l.VatRate ?? product?.VatRate ?? 20m);
        }).ToList();
    }
}
