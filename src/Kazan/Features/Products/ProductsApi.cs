using System.ComponentModel.DataAnnotations;
using Kazan.Features.Exports;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Products;

public sealed record ProductResponse(
    Guid Id, string Code, string Name, string? Description, string Unit, decimal ListPrice, string Currency, decimal VatRate, bool IsActive, string? ExternalId, int Version);

public sealed record ProductRequest(
    [Required, StringLength(50, MinimumLength = 1)] string Code,
    [Required, StringLength(200, MinimumLength = 1)] string Name,
    [StringLength(2000)] string? Description,
    [Required, StringLength(20, MinimumLength = 1)] string Unit,
    [Range(typeof(decimal), "0", "1000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal ListPrice,
    [Required, StringLength(3, MinimumLength = 3)] string Currency,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal VatRate,
    [StringLength(100)] string? ExternalId = null) : IProductFields, IExternalIdField;

/// <summary>Product catalogue: everyone reads (the quote editor searches it), managers and admins maintain it.</summary>
public static class ProductsApi
{
    public static IEndpointRouteBuilder MapProducts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/products").WithTags("Products").RequireAuthorization(Policies.Member);
        group.MapGet("/export", Export).WithSummary("The list's rows for the same search as a CSV or XLSX download (format=csv|xlsx), streamed.");
        group.MapGet("/", List).WithSummary("Products by name; q searches code and name (Turkish-aware), active=false lists archived ones.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).RequireAuthorization(Policies.Manager);
        group.MapPut("/{id:guid}", Update).RequireAuthorization(Policies.Manager);
        group.MapPost("/{id:guid}/archive", Archive).RequireAuthorization(Policies.Manager).IfMatchOptional();
        group.MapPost("/{id:guid}/restore", Restore).RequireAuthorization(Policies.Manager).IfMatchOptional();
        return app;
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

        return TypedResults.Ok(await ProductQueries.PageAsync(db, q, active ?? true, limit ?? Paging.DefaultLimit, cursor, ct));
    }

    /// <summary>The list's search as a file: every matching product, by name.</summary>
    private static Results<TableDownload, ValidationProblem> Export(
        KazanDbContext db, OrganizationTime time, IStringLocalizer<SharedResource> l, string? format, string? q, bool? active)
    {
        var errors = ListExport.CheckFormat(format);
        if (q?.Length > 100)
        {
            errors["q"] = ["A search is at most 100 characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return ListExport.Download<ProductResponse>(format, "products", time, l,
            [
                new("Product.Code", p => p.Code),
                new("Product.Name", p => p.Name),
                new("Product.Unit", p => p.Unit),
                new("Product.ListPrice", p => p.ListPrice),
                new("Common.Currency", p => p.Currency),
                new("Product.Vat", p => p.VatRate),
                new("Product.Description", p => p.Description),
                new("Field.ExternalId", p => p.ExternalId),
            ],
            (cursor, limit, ct) => ProductQueries.PageAsync(db, q, active ?? true, limit, cursor, ct));
    }

    private static async Task<Results<Ok<ProductResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await ProductQueries.GetAsync(db, id, ct), "Product", http, product => product.Version);

    private static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> Create(
        ProductRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(await ProductCommands.CreateAsync(db, me, request, ct), http,
            p => $"/api/v1/products/{p.Id}", p => Task.FromResult(ProductQueries.ToResponse(p)));

    private static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, ProductRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await ProductCommands.UpdateAsync(db, id, ifMatch.Version, request, ct), http, ProductQueries.ToResponse);

    /// <summary>Archive and restore take If-Match when sent (a plain switch: sending it again changes nothing).</summary>
    private static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> Archive(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await ProductCommands.ArchiveAsync(db, id, ifMatch.Optional, ct), http, ProductQueries.ToResponse);

    private static async Task<Results<Ok<ProductResponse>, ValidationProblem, ProblemHttpResult>> Restore(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await ProductCommands.RestoreAsync(db, id, ifMatch.Optional, ct), http, ProductQueries.ToResponse);
}
