using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Organizations;

/// <summary>The tenant: a company using Kazan. Every other record belongs to exactly one.</summary>
public sealed class Organization : IVersioned
{
    public static readonly string[] SupportedCultures = ["tr-TR", "en-US"];

    private Organization()
    {
        Name = "";
        BaseCurrency = "TRY";
        DefaultCulture = "tr-TR";
    }

    public Organization(string name, string baseCurrency, string defaultCulture, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        CreatedAt = now;
        Rename(name);
        SetBaseCurrency(baseCurrency);
        SetDefaultCulture(defaultCulture);
    }

    public Guid Id { get; private set; }
    public string Name { get; private set; }
    public string BaseCurrency { get; private set; }
    public string DefaultCulture { get; private set; }

    /// <summary>DOMAIN.md: reps see the records they own; this setting lets them see all.</summary>
    public bool RepsSeeAll { get; set; }

    public string? Address { get; set; }
    public string? TaxOffice { get; set; }
    public string? TaxNumber { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    /// <summary>Quote numbers look like TKL-2026-00042: this prefix, the year, <see cref="DocumentNumberDigits"/> digits.</summary>
    public string QuotePrefix { get; private set; } = "TKL";

    /// <summary>Order numbers look like SIP-2026-00012.</summary>
    public string OrderPrefix { get; private set; } = "SIP";

    public int DocumentNumberDigits { get; private set; } = 5;

    /// <summary>Days a new quote stays valid unless the rep picks another date.</summary>
    public int QuoteValidityDays { get; set; } = 30;

    public DateTimeOffset CreatedAt { get; private set; }
    public int Version { get; private set; }

    public void SetDocumentNumbering(string quotePrefix, string orderPrefix, int digits)
    {
        static string Check(string prefix) =>
            prefix.Trim().Length is > 0 and <= 10 && prefix.Trim().All(char.IsAsciiLetterOrDigit)
                ? prefix.Trim().ToUpperInvariant()
                : throw new DomainRuleException("A number prefix is 1 to 10 letters or digits.", "organization.prefix");

        if (digits is < 3 or > 10)
        {
            throw new DomainRuleException("Document numbers have 3 to 10 digits.", "organization.digits");
        }

        QuotePrefix = Check(quotePrefix);
        OrderPrefix = Check(orderPrefix);
        DocumentNumberDigits = digits;
    }

    public void Rename(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            throw new DomainRuleException("The organization name must be 1 to 200 characters.", "organization.name");
        }

        Name = name;
    }

    public void SetBaseCurrency(string currency) => BaseCurrency = Currencies.Normalize(currency);

    public void SetDefaultCulture(string culture)
    {
        if (!SupportedCultures.Contains(culture))
        {
            throw new DomainRuleException($"Culture '{culture}' is not supported; use one of {string.Join(", ", SupportedCultures)}.", "organization.culture");
        }

        DefaultCulture = culture;
    }
}
