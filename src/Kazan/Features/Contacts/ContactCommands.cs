using System.ComponentModel.DataAnnotations;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Contacts;

/// <summary>The fields of a contact as the API and the form carry them.</summary>
public interface IContactFields
{
    string? FirstName { get; }
    string? LastName { get; }
    string? Title { get; }
    string? Email { get; }
    string? Phone { get; }
    string? Mobile { get; }
}

/// <summary>
/// The contact use cases, one function each, shared by the API and the pages. Each loads what it changes, checks the
/// version the caller read, applies the entity's verbs and saves; it answers with an <see cref="Outcome{T}"/>.
/// </summary>
public static class ContactCommands
{
    private const string What = "Contact";

    /// <summary>
    /// Adds a contact to an account the caller can see. The owner defaults to the account's owner, so a rep's
    /// customers' people are the rep's too, and an account transfer can take them along.
    /// </summary>
    public static Task<Outcome<Contact>> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, Guid accountId, IContactFields fields, Guid? ownerId, CancellationToken ct) =>
        UseCase.RunAsync<Contact>(db, async () =>
        {
            if ((Check(fields) ?? await ExternalIdTakenAsync(db, fields, null, ct)) is { } invalid)
            {
                return invalid;
            }

            var account = await db.Accounts.Where(a => a.Id == accountId).Select(a => new { a.OwnerId, a.IsArchived }).FirstOrDefaultAsync(ct);
            if (account is null)
            {
                return Outcome.Invalid("accountId", "No such account (or it is not one you can see).", "contact.account-unknown");
            }

            if (account.IsArchived)
            {
                return Outcome.Broken("The account is archived: restore it before adding contacts.", "contact.account-archived");
            }

            if (ownerId is { } owner && !await UserQueries.IsActiveAsync(db, owner, ct))
            {
                return Outcome.Invalid("ownerId", "The owner must be an active user of the organization.", "contact.owner-unknown");
            }

            var contact = new Contact(me.RequiredOrganizationId, ownerId ?? account.OwnerId, accountId, fields.FirstName ?? "", fields.LastName ?? "", clock.GetUtcNow());
            Apply(fields, contact);
            db.Contacts.Add(contact);
            await db.SaveChangesAsync(ct);
            return contact;
        });

    public static Task<Outcome<Contact>> UpdateAsync(KazanDbContext db, Guid id, int version, IContactFields fields, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async contact =>
            (Check(fields) ?? await ExternalIdTakenAsync(db, fields, contact.Id, ct)) is { } invalid ? invalid : Applied(fields, contact), ct);

    /// <summary>The person left the company on <paramref name="on"/>; their history stays, they drop out of pickers.</summary>
    public static Task<Outcome<Contact>> MarkLeftAsync(KazanDbContext db, Guid id, int version, DateOnly on, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, c => c.MarkLeft(on), ct);

    public static Task<Outcome<Contact>> MarkBackAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, c => c.MarkBack(), ct);

    public static Task<Outcome<Contact>> ArchiveAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, c => c.Archive(), ct);

    public static Task<Outcome<Contact>> RestoreAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, c => c.Restore(), ct);

    public static Task<Outcome<Contact>> TransferAsync(KazanDbContext db, Guid id, int version, Guid newOwnerId, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async contact =>
        {
            if (!await UserQueries.IsActiveAsync(db, newOwnerId, ct))
            {
                return Outcome.Invalid("newOwnerId", "The new owner must be an active user of the organization.", "contact.owner-unknown");
            }

            contact.TransferTo(newOwnerId);
            return null;
        }, ct);

    private static Task<Contact?> Load(KazanDbContext db, Guid id, CancellationToken ct) => db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);

    /// <summary>What a contact's fields must be, whoever sends them: a name, and an e-mail address that is one.</summary>
    public static Failure? Check(IContactFields fields)
    {
        if (string.IsNullOrWhiteSpace(fields.FirstName) && string.IsNullOrWhiteSpace(fields.LastName))
        {
            return Outcome.Invalid("lastName", "A contact needs a first or last name.", "contact.name-required");
        }

        if (!string.IsNullOrWhiteSpace(fields.Email) && !new EmailAddressAttribute().IsValid(fields.Email.Trim()))
        {
            return Outcome.Invalid("email", "The e-mail address is not valid.", "contact.email-invalid");
        }

        return null;
    }

    private static Failure? Applied(IContactFields fields, Contact contact)
    {
        Apply(fields, contact);
        return null;
    }

    /// <summary>Copies the fields onto the contact through its methods (blank text becomes null).</summary>
    public static void Apply(IContactFields fields, Contact contact)
    {
        contact.Rename(fields.FirstName ?? "", fields.LastName ?? "");
        contact.Title = Clean(fields.Title);
        contact.Email = Clean(fields.Email);
        contact.Phone = Clean(fields.Phone);
        contact.Mobile = Clean(fields.Mobile);
        if (fields is IExternalIdField external)
        {
            contact.SetExternalId(external.ExternalId);
        }
    }

    /// <summary>An external id another contact of the organization has (whoever owns it) is refused; fields without one (the form) keep the contact's.</summary>
    public static Task<Failure?> ExternalIdTakenAsync(KazanDbContext db, IContactFields fields, Guid? self, CancellationToken ct) =>
        ExternalIds.CheckAsync(db.Contacts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]), fields, self, ct);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
