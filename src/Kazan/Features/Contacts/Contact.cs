using Kazan.Features.Search;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Text;

namespace Kazan.Features.Contacts;

/// <summary>
/// A person at an account. A contact who left the company is marked so (LeftAt) and keeps their history:
/// activities and opportunities still show them.
/// </summary>
public sealed class Contact : ISearchable, IVersioned, IHasExternalId
{
    private Contact()
    {
        FirstName = "";
        LastName = "";
        NameKey = "";
    }

    public Contact(Guid organizationId, Guid ownerId, Guid accountId, string firstName, string lastName, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        OwnerId = ownerId;
        AccountId = accountId;
        CreatedAt = now;
        Rename(firstName, lastName);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OwnerId { get; private set; }
    public Guid AccountId { get; private set; }
    public string FirstName { get; private set; }
    public string LastName { get; private set; }

    /// <summary>"last first", Turkish-folded: lists sort by it, so Çelik, Öztürk and Şahin sort among C, O and S on every database.</summary>
    public string NameKey { get; private set; }
    public string? Title { get; set; }
    public string? Email { get; set; }
    public string? Phone { get; set; }
    public string? Mobile { get; set; }
    public DateOnly? LeftOn { get; private set; }
    public bool IsArchived { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    /// <summary>The record's id in the company's old system (unique in the organization when set): imports match on it.</summary>
    public string? ExternalId { get; private set; }

    public int Version { get; private set; }

    public static string[] SearchProperties => ["FirstName", "LastName", "Email", "Phone", "Mobile"];

    public string FullName => $"{FirstName} {LastName}".Trim();

    public void Rename(string firstName, string lastName)
    {
        firstName = firstName.Trim();
        lastName = lastName.Trim();
        if (firstName.Length + lastName.Length == 0 || firstName.Length > 100 || lastName.Length > 100)
        {
            throw new DomainRuleException("A contact needs a first or last name (at most 100 characters each).", "contact.name");
        }

        FirstName = firstName;
        LastName = lastName;
        NameKey = TurkishText.Fold($"{lastName} {firstName}");
    }

    /// <summary>The person left the account's company; their past stays, they drop out of pickers.</summary>
    public void MarkLeft(DateOnly on) => LeftOn = on;

    public void MarkBack() => LeftOn = null;

    /// <summary>Sets the id in the old system (trimmed; blank is none; at most 100 characters). Uniqueness is the commands' check.</summary>
    public void SetExternalId(string? externalId) => ExternalId = ExternalIds.Clean(externalId);

    public void TransferTo(Guid newOwnerId) => OwnerId = newOwnerId;

    public void Archive() => IsArchived = true;

    public void Restore() => IsArchived = false;
}
