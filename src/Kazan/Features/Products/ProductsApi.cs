using System.ComponentModel.DataAnnotations;
using Kazan.Features.Organizations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Products;

public sealed record ProductResponse(Guid Id, string Code, string Name, string? Description, string Unit, decimal ListPrice, string Currency, decimal VatRate, bool IsActive, int Version);

public sealed record ProductRequest(
    [Required, StringLength(50, MinimumLength = 1)] string Code,
    [Required, StringLength(200, MinimumLength = 1)] string Name,
    [StringLength(2000)] string? Description,
    [Required, StringLength(20, MinimumLength = 1)] string Unit,
    [Range(typeof(decimal), "0", "1000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal ListPrice,
    [Required, StringLength(3, MinimumLength = 3)] string Currency,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal VatRate);

/// <summary>Product catalogue: everyone reads (the quote editor searches it), managers and admins maintain it.</summary>
public static class ProductsApi
{
    private static readonly System.Linq.Expressions.Expression<Func<Product, ProductResponse>> ToResponse =
        p => new ProductResponse(p.Id, p.Code, p.Name, p.Description, p.Unit, p.ListPrice, p.Currency, p.VatRate, p.IsActive, p.Version);

    private static readonly Func<Product, ProductResponse> Respond = ToResponse.Compile();

    public static IEndpointRouteBuilder MapProducts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/products").WithTags("Products").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("Products by name; q searches code and name (Turkish-aware), active=false lists archived ones.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Manager);
        group.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Manager);
        group.MapPost("/{id:guid}/archive", Archive).RequireAuthorization(Policies.Manager);
        group.MapPost("/{id:guid}/restore", Restore).RequireAuthorization(Policies.Manager);
        return app;
    }

    /// <summary>
    /// The catalogue query shared by API, product list and quote editor. A catalogue holds hundreds to a few thousand
    /// products, so a contains-match on the folded key is fine (it is not one of the million-row tables).
    /// </summary>
    public static IQueryable<Product> Search(KazanDbContext db, string? q, bool active, string? cursor) =>
        Ordered(Matching(db, q, active), Cursor.Read(cursor));

    /// <summary>A page of the catalogue by name, both ways (a backward cursor reads the page before it).</summary>
    public static async Task<Page<ProductResponse>> PageAsync(KazanDbContext db, string? q, bool active, int take, string? cursor, CancellationToken ct)
    {
        var at = Cursor.Read(cursor);
        at = at is { Values: [_, var idText] } && Guid.TryParse(idText, out _) ? at : null;
        var rows = await Ordered(Matching(db, q, active), at).Take(take + 1).Select(ToResponse).ToListAsync(ct);
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

    private static IQueryable<Product> Ordered(IQueryable<Product> query, KeysetCursor? at)
    {
        if (at is { Values: [var name, var idText] } && Guid.TryParse(idText, out var id))
        {
            query = at.Backward
                ? query.Where(p => p.Name.CompareTo(name) < 0 || (p.Name == name && p.Id.CompareTo(id) < 0))
                : query.Where(p => p.Name.CompareTo(name) > 0 || (p.Name == name && p.Id.CompareTo(id) > 0));
            if (at.Backward)
            {
                return query.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id);
            }
        }

        return query.OrderBy(p => p.Name).ThenBy(p => p.Id);
    }

    private static async Task<Results<Ok<Page<ProductResponse>>, ValidationProblem>> List(
        KazanDbContext db, string? q, bool? active, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (q?.Length > 100)
        {
            return Problems.Validation("q", "A search is at most 100 characters.");
        }

        return TypedResults.Ok(await PageAsync(db, q, active ?? true, limit ?? Paging.DefaultLimit, cursor, ct));
    }

    private static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var product = await db.Products.AsNoTracking().Where(p => p.Id == id).Select(ToResponse).FirstOrDefaultAsync(ct);
        if (product is null)
        {
            return Problems.NotFound("Product");
        }

        ETags.Set(http, product.Version);
        return TypedResults.Ok(product);
    }

    private static async Task<Results<Created<ProductResponse>, ValidationProblem>> Create(
        ProductRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        if (await Validate(db, request, null, ct) is { } problem)
        {
            return problem;
        }

        var product = new Product(me.RequiredOrganizationId, request.Code, request.Name, request.Unit, request.ListPrice, request.Currency, request.VatRate);
        product.Update(request.Code, request.Name, request.Description, request.Unit, request.ListPrice, request.Currency, request.VatRate);
        db.Products.Add(product);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, product.Version);
        return TypedResults.Created($"/api/v1/products/{product.Id}", Respond(product));
    }

    private static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, ProductRequest request, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (product is null)
        {
            return Problems.NotFound("Product");
        }

        var (version, precondition) = ETags.Check(http, product.Version);
        if (precondition is not null)
        {
            return precondition;
        }

        if (await Validate(db, request, id, ct) is { } problem)
        {
            return problem;
        }

        db.ExpectVersion(product, version);
        product.Update(request.Code, request.Name, request.Description, request.Unit, request.ListPrice, request.Currency, request.VatRate);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, product.Version);
        return TypedResults.Ok(Respond(product));
    }

    private static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Archive(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        SetActive(id, false, db, http, ct);

    private static Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Restore(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        SetActive(id, true, db, http, ct);

    private static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> SetActive(Guid id, bool active, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var product = await db.Products.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (product is null)
        {
            return Problems.NotFound("Product");
        }

        if (active)
        {
            product.Restore();
        }
        else
        {
            product.Archive();
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, product.Version);
        return TypedResults.Ok(Respond(product));
    }

    /// <summary>Field rules the request attributes cannot express: a known currency and a code unique in the organization.</summary>
    public static async Task<ValidationProblem?> Validate(KazanDbContext db, ProductRequest request, Guid? self, CancellationToken ct)
    {
        if (!Currencies.IsKnown(request.Currency))
        {
            return Problems.Validation(nameof(request.Currency), $"Unknown currency '{request.Currency}'.");
        }

        var code = request.Code.Trim();
        return await db.Products.AnyAsync(p => p.Code == code && p.Id != self, ct)
            ? Problems.Validation(nameof(request.Code), $"Another product already has the code '{code}'.")
            : null;
    }

}
