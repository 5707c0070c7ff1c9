using Kazan.Features.Search;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Accounts;

public enum AccountKind
{
    Company,
    Person,
}

/// <summary>A customer: a company (VKN) or a person (TCKN). Archived accounts keep their history and drop out of lists.</summary>
public sealed class Account : ISearchable, IVersioned
{
    private Account()
    {
        Name = "";
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
    public string? TaxOffice { get; set; }
    public string? TaxNumber { get; private set; }
    public string? Address { get; set; }
    public string? City { get; set; }
    public string? Country { get; set; } = "TR";
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Website { get; set; }
    public string? Notes { get; set; }
    public bool IsArchived { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
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
    }

    /// <summary>Sets the VKN (10 digits) or TCKN (11 digits); both are checked with their check digits.</summary>
    public void SetTaxNumber(string? taxNumber)
    {
        taxNumber = string.IsNullOrWhiteSpace(taxNumber) ? null : taxNumber.Trim();
        if (taxNumber is not null && !Accounts.TaxNumber.IsValid(taxNumber))
        {
            throw new DomainRuleException(
                $"'{taxNumber}' is not a valid VKN (10 digits) or TCKN (11 digits): the check digits do not match.", "account.tax-number");
        }

        // Either length is fine for either kind: a sole proprietorship is a company billed on its owner's TCKN.
        TaxNumber = taxNumber;
    }

    public void TransferTo(Guid newOwnerId) => OwnerId = newOwnerId;

    public void Archive() => IsArchived = true;

    public void Restore() => IsArchived = false;
}
