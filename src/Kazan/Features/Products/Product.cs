using Kazan.Features.Organizations;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Products;

/// <summary>
/// Something the company sells: a good or a service, with its code (SKU), unit, list price and default VAT rate.
/// Archived products stay on old quotes and orders and drop out of pickers.
/// </summary>
public sealed class Product : ITenantEntity, IVersioned, IHasExternalId
{
    /// <summary>Units offered in the UI; any other short unit is accepted too.</summary>
    public static readonly string[] CommonUnits = ["adet", "saat", "gün", "ay", "kg", "ton", "m", "m²", "m³", "lt", "paket", "kutu", "takım", "hizmet"];

    /// <summary>Turkish VAT (KDV) presets; any rate 0–100 is allowed.</summary>
    public static readonly decimal[] VatPresets = [0m, 1m, 10m, 20m];

    private Product()
    {
        Code = "";
        Name = "";
        Unit = "adet";
        Currency = "TRY";
    }

    public Product(Guid organizationId, string code, string name, string unit, decimal listPrice, string currency, decimal vatRate) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Update(code, name, null, unit, listPrice, currency, vatRate);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Code { get; private set; }
    public string Name { get; private set; }
    public string? Description { get; private set; }
    public string Unit { get; private set; }
    public decimal ListPrice { get; private set; }
    public string Currency { get; private set; }

    /// <summary>Default VAT rate in percent (20 means 20 %).</summary>
    public decimal VatRate { get; private set; }

    public bool IsActive { get; private set; } = true;

    /// <summary>Folded code + name, for search-as-you-type in the quote editor (prefix range on an index).</summary>
    public string SearchKey { get; private set; } = "";

    /// <summary>The record's id in the company's old system (unique in the organization when set): imports match on it.</summary>
    public string? ExternalId { get; private set; }

    public int Version { get; private set; }

    public void Update(string code, string name, string? description, string unit, decimal listPrice, string currency, decimal vatRate)
    {
        code = code.Trim();
        name = name.Trim();
        unit = unit.Trim();
        if (code.Length is 0 or > 50)
        {
            throw new DomainRuleException("A product code must be 1 to 50 characters.", "product.code");
        }

        if (name.Length is 0 or > 200)
        {
            throw new DomainRuleException("A product name must be 1 to 200 characters.", "product.name");
        }

        if (unit.Length is 0 or > 20)
        {
            throw new DomainRuleException("A unit must be 1 to 20 characters.", "product.unit");
        }

        if (listPrice < 0 || listPrice > 1_000_000_000m)
        {
            throw new DomainRuleException("A list price is between 0 and 1 000 000 000.", "product.price");
        }

        if (vatRate is < 0 or > 100)
        {
            throw new DomainRuleException("A VAT rate is between 0 and 100 %.", "product.vat");
        }

        Code = code;
        Name = name;
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        Unit = unit;
        ListPrice = Pricing.Pricing.Round(listPrice, 4);
        Currency = Currencies.Normalize(currency);
        VatRate = Pricing.Pricing.Round(vatRate, 2);
        SearchKey = Infrastructure.Text.TurkishText.Fold(code + " " + name);
    }

    /// <summary>Sets the id in the old system (trimmed; blank is none; at most 100 characters). Uniqueness is the commands' check.</summary>
    public void SetExternalId(string? externalId) => ExternalId = ExternalIds.Clean(externalId);

    public void Archive() => IsActive = false;

    public void Restore() => IsActive = true;
}
