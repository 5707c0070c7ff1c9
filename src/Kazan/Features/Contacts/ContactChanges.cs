using Kazan.Features.Accounts;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Contacts;

/// <summary>Contact changes that need more than the entity; the API and the pages call these.</summary>
public static class ContactChanges
{
    /// <summary>
    /// Adds a contact to an account the caller can see (null when they cannot: the caller answers "not found").
    /// The contact's owner defaults to the account's owner, so a rep's customers' people are the rep's too, and an
    /// account transfer can take them along.
    /// </summary>
    public static async Task<Contact?> AddAsync(
        KazanDbContext db, CurrentUser me, DateTimeOffset now, Guid accountId, IContactFields fields, Guid? ownerId, CancellationToken ct)
    {
        var account = await db.Accounts.Where(a => a.Id == accountId).Select(a => new { a.OwnerId, a.IsArchived }).FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return null;
        }

        if (account.IsArchived)
        {
            throw new DomainRuleException("The account is archived: restore it before adding contacts.", "contact.account-archived");
        }

        var contact = new Contact(me.RequiredOrganizationId, ownerId ?? account.OwnerId, accountId, fields.FirstName ?? "", fields.LastName ?? "", now);
        fields.ApplyTo(contact);
        db.Contacts.Add(contact);
        return contact;
    }

    public static async Task TransferAsync(KazanDbContext db, Contact contact, Guid newOwnerId, CancellationToken ct)
    {
        if (!await AccountQueries.IsActiveUserAsync(db, newOwnerId, ct))
        {
            throw new DomainRuleException("The new owner must be an active user of the organization.", "contact.owner-unknown");
        }

        contact.TransferTo(newOwnerId);
    }
}
