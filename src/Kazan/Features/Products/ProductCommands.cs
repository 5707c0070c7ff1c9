using Kazan.Features.Organizations;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Products;

/// <summary>The fields of a product as the API and the form carry them.</summary>
public interface IProductFields
{
    string Code { get; }
    string Name { get; }
    string? Description { get; }
    string Unit { get; }
    decimal ListPrice { get; }
    string Currency { get; }
    decimal VatRate { get; }
}

/// <summary>The catalogue use cases (managers and admins), one function each, for the API and the product page.</summary>
public static class ProductCommands
{
    private const string What = "Product";

    public static Task<Outcome<Product>> CreateAsync(KazanDbContext db, CurrentUser me, IProductFields fields, CancellationToken ct) =>
        UseCase.RunAsync<Product>(db, async () =>
        {
            if (await CheckAsync(db, fields, null, ct) is { } invalid)
            {
                return invalid;
            }

            var product = new Product(me.RequiredOrganizationId, fields.Code, fields.Name, fields.Unit, fields.ListPrice, fields.Currency, fields.VatRate);
            Apply(fields, product);
            db.Products.Add(product);
            await db.SaveChangesAsync(ct);
            return product;
        });

    public static Task<Outcome<Product>> UpdateAsync(KazanDbContext db, Guid id, int version, IProductFields fields, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async product =>
        {
            if (await CheckAsync(db, fields, id, ct) is { } invalid)
            {
                return invalid;
            }

            Apply(fields, product);
            return null;
        }, ct);

    /// <summary>Takes the product out of the catalogue's pickers; documents that carry it keep their lines. The version is optional (a switch).</summary>
    public static Task<Outcome<Product>> ArchiveAsync(KazanDbContext db, Guid id, int? version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, p => p.Archive(), ct);

    public static Task<Outcome<Product>> RestoreAsync(KazanDbContext db, Guid id, int? version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, p => p.Restore(), ct);

    /// <summary>
    /// Field rules the entity cannot check alone: a known currency, and a code no other product of the organization has
    /// (the unique index on organization and code refuses a duplicate that slips past this check in a race).
    /// </summary>
    private static async Task<Failure?> CheckAsync(KazanDbContext db, IProductFields fields, Guid? self, CancellationToken ct)
    {
        if (Check(fields) is { } invalid)
        {
            return invalid;
        }

        var code = (fields.Code ?? "").Trim();
        return await db.Products.AnyAsync(p => p.Code == code && p.Id != self, ct)
            ? Outcome.Invalid("Code", $"Another product already has the code '{code}'.", "product.code-taken")
            : await ExternalIds.CheckAsync(db.Products, fields, self, ct);
    }

    /// <summary>The field rule that needs no database: a currency the app knows.</summary>
    public static Failure? Check(IProductFields fields) => Currencies.IsKnown(fields.Currency)
        ? null
        : Outcome.Invalid("Currency", $"Unknown currency '{fields.Currency}'.", "product.currency-unknown");

    public static void Apply(IProductFields fields, Product product)
    {
        product.Update(fields.Code, fields.Name, fields.Description, fields.Unit, fields.ListPrice, fields.Currency, fields.VatRate);
        if (fields is IExternalIdField external)
        {
            product.SetExternalId(external.ExternalId);
        }
    }

    private static Task<Product?> Load(KazanDbContext db, Guid id, CancellationToken ct) => db.Products.FirstOrDefaultAsync(p => p.Id == id, ct);
}
