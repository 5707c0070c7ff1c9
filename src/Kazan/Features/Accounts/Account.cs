using Kazan.Features.Search;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Text;

namespace Kazan.Features.Accounts;

public enum AccountKind
{
    Company,
    Person,
}

/// <summary>A customer: a company (VKN) or a person (TCKN). Archived accounts keep their history and drop out of lists.</summary>
public sealed class Account : ISearchable, IVersioned, IHasExternalId
{
    /// <summary>Words of a company's legal form; dropped from the end of a name for <see cref="NameKey"/>.</summary>
    private static readonly HashSet<string> LegalFormWords = new(StringComparer.Ordinal)
    {
        "as", "anonim", "sirketi", "sti", "ltd", "ltdsti", "limited", "ve", "tic", "ticaret", "san", "sanayi",
        "inc", "llc", "gmbh", "corp", "co",
    };

    private string? _city;

    private Account()
    {
        Name = "";
        NameKey = "";
    }

    public Account(Guid organizationId, Guid ownerId, AccountKind kind, string name, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        OwnerId = ownerId;
        Kind = kind;
        CreatedAt = now;
        Rename(name);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OwnerId { get; private set; }
    public AccountKind Kind { get; set; }
    public string Name { get; private set; }

    /// <summary>The name folded for sorting and the duplicate check (see <see cref="KeyOf"/>); kept by <see cref="Rename"/>.</summary>
    public string NameKey { get; private set; }

    public string? TaxOffice { get; set; }
    public string? TaxNumber { get; private set; }
    public string? Address { get; set; }

    public string? City
    {
        get => _city;
        set
        {
            _city = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            CityKey = _city is null ? null : TurkishText.Fold(_city);
        }
    }

    /// <summary>The city folded (<c>İstanbul</c>, <c>ISTANBUL</c> → <c>istanbul</c>), so the city filter is Turkish-aware and indexed.</summary>
    public string? CityKey { get; private set; }

    public string? Country { get; set; } = "TR";
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Website { get; set; }
    public string? Notes { get; set; }
    public bool IsArchived { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The record's id in the company's old system (unique in the organization when set): imports match on it.</summary>
    public string? ExternalId { get; private set; }

    public int Version { get; private set; }

    public static string[] SearchProperties => ["Name", "City", "TaxNumber", "Email", "Phone"];

    public void Rename(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 200)
        {
            throw new DomainRuleException("An account name must be 1 to 200 characters.", "account.name");
        }

        Name = name;
        NameKey = KeyOf(name);
    }

    /// <summary>
    /// The comparison key of an account name: Turkish-folded (<see cref="TurkishText.Fold"/>), dots dropped, and the legal
    /// form removed from the end, so "İstanbul Çelik A.Ş.", "ISTANBUL CELIK AŞ" and "İstanbul Çelik San. ve Tic. Ltd. Şti."
    /// all become "istanbul celik". Lists sort by it (the same order on every database) and the duplicate check compares it.
    /// A name that is nothing but a legal form keeps its folded self.
    /// </summary>
    public static string KeyOf(string name)
    {
        var words = TurkishText.Fold(name).Replace(".", "", StringComparison.Ordinal).Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var all = string.Join(' ', words);
        while (words.Count > 0 && LegalFormWords.Contains(words[^1]))
        {
            words.RemoveAt(words.Count - 1);
        }

        var key = words.Count > 0 ? string.Join(' ', words) : all;
        return key.Length > 200 ? key[..200] : key;
    }

    /// <summary>Sets the VKN (10 digits) or TCKN (11 digits); both are checked with their check digits.</summary>
    public void SetTaxNumber(string? taxNumber)
    {
        // People write "123 456 78 90"; the number is the digits.
        taxNumber = Accounts.TaxNumber.Normalize(taxNumber);
        if (taxNumber is not null && !Accounts.TaxNumber.IsValid(taxNumber))
        {
            throw new DomainRuleException(
                $"'{taxNumber}' is not a valid VKN (10 digits) or TCKN (11 digits): the check digits do not match.", "account.tax-number", taxNumber);
        }

        // Either length is fine for either kind: a sole proprietorship is a company billed on its owner's TCKN.
        TaxNumber = taxNumber;
    }

    /// <summary>Sets the id in the old system (trimmed; blank is none; at most 100 characters). Uniqueness is the commands' check.</summary>
    public void SetExternalId(string? externalId) => ExternalId = ExternalIds.Clean(externalId);

    public void TransferTo(Guid newOwnerId) => OwnerId = newOwnerId;

    public void Archive() => IsArchived = true;

    public void Restore() => IsArchived = false;
}
