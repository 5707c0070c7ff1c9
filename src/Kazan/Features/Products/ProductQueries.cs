using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Products;

/// <summary>The catalogue reads, for the API, the product pages and the document editors.</summary>
public static class ProductQueries
{
    private static readonly System.Linq.Expressions.Expression<Func<Product, ProductResponse>> Response =
        p => new ProductResponse(p.Id, p.Code, p.Name, p.Description, p.Unit, p.ListPrice, p.Currency, p.VatRate, p.IsActive, p.ExternalId, p.Version);

    private static readonly Func<Product, ProductResponse> Compiled = Response.Compile();

    public static ProductResponse ToResponse(Product product) => Compiled(product);

    public static Task<ProductResponse?> GetAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.Products.AsNoTracking().Where(p => p.Id == id).Select(Response).FirstOrDefaultAsync(ct);

    /// <summary>The product itself (read-only), for the product page.</summary>
    public static Task<Product?> FindAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>
    /// The catalogue query shared by API, product list and quote editor. A catalogue holds hundreds to a few thousand
    /// products, so a contains-match on the folded key is fine (it is not one of the million-row tables).
    /// </summary>
    public static IQueryable<Product> Search(KazanDbContext db, string? q, bool active, string? cursor) =>
        Ordered(db, Matching(db, q, active), Cursor.Read(cursor));

    /// <summary>A page of the catalogue by name, both ways (a backward cursor reads the page before it).</summary>
    public static async Task<Page<ProductResponse>> PageAsync(KazanDbContext db, string? q, bool active, int take, string? cursor, CancellationToken ct)
    {
        var at = Cursor.Read(cursor);
        at = at is { Values: [_, var idText] } && Guid.TryParse(idText, out _) ? at : null;
        var rows = await Ordered(db, Matching(db, q, active), at).Take(take + 1).Select(Response).ToListAsync(ct);
        return Paging.ToPage(rows, take, at, p => [p.Name, p.Id]);
    }

    /// <summary>How many products match, up to <see cref="Paging.CountCap"/>.</summary>
    public static Task<BoundedCount> CountAsync(KazanDbContext db, string? q, bool active, CancellationToken ct) =>
        Paging.CountAsync(Matching(db, q, active).Select(p => p.Id), ct);

    private static IQueryable<Product> Matching(KazanDbContext db, string? q, bool active)
    {
        var query = db.Products.AsNoTracking().Where(p => p.IsActive == active);
        foreach (var word in TurkishText.Words(q))
        {
            query = query.Where(p => p.SearchKey.Contains(word));
        }

        return query;
    }

    private static IQueryable<Product> Ordered(KazanDbContext db, IQueryable<Product> query, KeysetCursor? at)
    {
        if (at is { Values: [var name, var idText] } && Guid.TryParse(idText, out var id))
        {
            query = at.Backward
                ? query.After(db, p => p.Name, name, id, descending: true)
                : query.After(db, p => p.Name, name, id);
            if (at.Backward)
            {
                return query.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id);
            }
        }

        return query.OrderBy(p => p.Name).ThenBy(p => p.Id);
    }

}
