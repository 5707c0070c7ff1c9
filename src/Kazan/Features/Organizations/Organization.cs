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
    public int QuoteValidityDays { get; private set; } = 30;

    /// <summary>The IANA time zone whose calendar is the organization's "today" (OrganizationTime); Turkey by default.</summary>
    public string TimeZone { get; private set; } = Infrastructure.Time.OrganizationTime.DefaultZoneId;

    /// <summary>DOMAIN.md: the first order on an open opportunity marks it won (default on).</summary>
    public bool WinOnFirstOrder { get; set; } = true;

    /// <summary>Letterhead logo (PNG or JPEG, at most 512 KiB) printed on quotes.</summary>
    public byte[]? Logo { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public int Version { get; private set; }

    public const int MaxLogoBytes = 512 * 1024;

    /// <summary>Sets (or, with null, removes) the logo. Only PNG and JPEG are accepted, recognised by their signature.</summary>
    public void SetLogo(byte[]? image)
    {
        if (image is not null)
        {
            var png = image.Length > 8 && image[0] == 0x89 && image[1] == 0x50 && image[2] == 0x4E && image[3] == 0x47;
            var jpeg = image.Length > 3 && image[0] == 0xFF && image[1] == 0xD8 && image[2] == 0xFF;
            if (!png && !jpeg)
            {
                throw new DomainRuleException("A logo must be a PNG or JPEG image.", "organization.logo-format");
            }

            if (image.Length > MaxLogoBytes)
            {
                throw new DomainRuleException("A logo is at most 512 KiB.", "organization.logo-size");
            }
        }

        Logo = image;
    }

    public void SetQuoteValidityDays(int days) =>
        QuoteValidityDays = days is >= 1 and <= 365 ? days : throw new DomainRuleException("A quote is valid for 1 to 365 days.", "organization.validity");

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

    public void SetTimeZone(string zoneId) =>
        TimeZone = Infrastructure.Time.OrganizationTime.Find(zoneId?.Trim()) is not null
            ? zoneId!.Trim()
            : throw new DomainRuleException($"Unknown time zone '{zoneId}'. Use an IANA name such as Europe/Istanbul.", "organization.time-zone");

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
