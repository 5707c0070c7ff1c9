using System.ComponentModel.DataAnnotations;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Accounts;

/// <summary>An account as saved, with the possible duplicates found on the way (a warning: it was saved anyway).</summary>
public sealed record AccountSaved(Account Account, DuplicateWarning? Duplicates) : IVersioned
{
    public int Version => Account.Version;
}

/// <summary>
/// The account use cases, one function each, for the API and every page that makes or changes accounts (the account
/// form, the account page, and the "new account" step of new opportunity and new quote): one set of field checks, one
/// duplicate rule (decision 0009). Each answers with an <see cref="Outcome{T}"/>.
/// </summary>
public static class AccountCommands
{
    /// <summary>The code of the rule that stops a save because of possible duplicates the caller asked to see first.</summary>
    public const string PossibleDuplicateCode = "account.possible-duplicate";

    private const string What = "Account";

    /// <summary>
    /// Creates an account owned by <paramref name="ownerId"/> (default: the caller). The fields are checked first
    /// (a name; a VKN or TCKN only with valid check digits; an e-mail address that is one), then the owner, then
    /// possible duplicates (same tax number or same name key): with <paramref name="rejectDuplicates"/> they stop the
    /// save (<see cref="RejectedDuplicates{T}"/>) so the user can pick the existing account or confirm; without it
    /// they come back as a warning with the saved account.
    /// </summary>
    public static Task<Outcome<AccountSaved>> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, IAccountFields fields, Guid? ownerId, bool rejectDuplicates, CancellationToken ct) =>
        UseCase.RunAsync<AccountSaved>(db, async () =>
        {
            if ((Check(fields) ?? await ExternalIdTakenAsync(db, fields, null, ct)) is { } invalid)
            {
                return invalid;
            }

            var owner = ownerId ?? me.RequiredUserId;
            if (!await UserQueries.IsActiveAsync(db, owner, ct))
            {
                return Outcome.Invalid("ownerId", "The owner must be an active user of the organization.", "account.owner-unknown");
            }

            var duplicates = await AccountQueries.FindDuplicatesAsync(db, me, fields.Name, fields.TaxNumber, null, ct);
            if (rejectDuplicates && duplicates.Found)
            {
                return Duplicates(duplicates);
            }

            var account = new Account(me.RequiredOrganizationId, owner, fields.Kind, fields.Name, clock.GetUtcNow());
            fields.ApplyTo(account);
            db.Accounts.Add(account);
            await db.SaveChangesAsync(ct);
            return new AccountSaved(account, duplicates.Found ? duplicates : null);
        });

    /// <summary>
    /// Updates the fields of an account (the owner changes only through <see cref="TransferAsync"/>). Duplicates as on
    /// create, looked for only when the name or the tax number changes; the answer always carries the warning (empty
    /// when nothing was found).
    /// </summary>
    public static async Task<Outcome<AccountSaved>> UpdateAsync(
        KazanDbContext db, CurrentUser me, Guid id, int version, IAccountFields fields, bool rejectDuplicates, CancellationToken ct)
    {
        var found = new DuplicateWarning([], 0, []);
        var outcome = await UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async account =>
        {
            if ((Check(fields) ?? await ExternalIdTakenAsync(db, fields, account.Id, ct)) is { } invalid)
            {
                return invalid;
            }

            var identityChanged = Account.KeyOf(fields.Name) != account.NameKey || TaxNumber.Normalize(fields.TaxNumber) != account.TaxNumber;
            if (identityChanged)
            {
                var duplicates = await AccountQueries.FindDuplicatesAsync(db, me, fields.Name, fields.TaxNumber, account.Id, ct);
                if (duplicates.Found)
                {
                    if (rejectDuplicates)
                    {
                        return Duplicates(duplicates);
                    }

                    found = duplicates;
                }
            }

            fields.ApplyTo(account);
            return null;
        }, ct);
        return outcome.Map(account => new AccountSaved(account, found));
    }

    /// <summary>
    /// Archives the account. Refused while it has open opportunities — also those of other reps the caller cannot see,
    /// which is why the owner filter is lifted for the count: archiving a customer must not hide live deals.
    /// </summary>
    public static Task<Outcome<Account>> ArchiveAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async account =>
        {
            var open = await db.Opportunities.IgnoreQueryFilters([KazanDbContext.OwnerFilter])
                .CountAsync(o => o.AccountId == account.Id && o.Status == OpportunityStatus.Open, ct);
            if (open > 0)
            {
                return Outcome.Broken(new DomainRuleException(
                    $"This account has {open} open opportunities: win, lose or move them before archiving it.", "account.has-open-opportunities", open));
            }

            account.Archive();
            return null;
        }, ct);

    public static Task<Outcome<Account>> RestoreAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, a => a.Restore(), ct);

    /// <summary>
    /// Gives the account to another active user. With <paramref name="withContacts"/>, the contacts of the account that
    /// the previous owner owned move too (contacts other users own stay theirs). Each change is audited by the save, and
    /// the search index moves with the owner.
    /// </summary>
    public static Task<Outcome<Account>> TransferAsync(KazanDbContext db, Guid id, int version, Guid newOwnerId, bool withContacts, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async account =>
        {
            if (!await UserQueries.IsActiveAsync(db, newOwnerId, ct))
            {
                return Outcome.Invalid("newOwnerId", "The new owner must be an active user of the organization.", "account.owner-unknown");
            }

            var previous = account.OwnerId;
            if (previous == newOwnerId)
            {
                return null;
            }

            account.TransferTo(newOwnerId);
            if (withContacts)
            {
                // Tracked, not ExecuteUpdate: every contact's transfer is audited and its search entries change owner.
                var contacts = await db.Contacts.Where(c => c.AccountId == account.Id && c.OwnerId == previous).ToListAsync(ct);
                foreach (var contact in contacts)
                {
                    contact.TransferTo(newOwnerId);
                }
            }

            return null;
        }, ct);

    /// <summary>The possible duplicates that stopped a save (the caller asked to see them first), or null.</summary>
    public static DuplicateWarning? RejectedDuplicates<T>(Outcome<T> outcome) =>
        outcome.Status == OutcomeStatus.RuleBroken && outcome.Rule?.Code == PossibleDuplicateCode ? outcome.Rule.Arguments[0] as DuplicateWarning : null;

    /// <summary>
    /// What an account's fields must be, whoever sends them (the entity would refuse most of these too, without naming
    /// the field): a name, a VKN or TCKN only with valid check digits, an e-mail address that is one.
    /// </summary>
    public static Failure? Check(IAccountFields fields)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(fields.Name))
        {
            errors["name"] = ["An account needs a name."];
            codes["name"] = "account.name-required";
        }

        foreach (var (field, error) in AccountFields.InvalidTaxNumber(fields))
        {
            errors[field] = [TaxNumber.Explain(error, TaxNumber.Normalize(fields.TaxNumber)!)];
            codes[field] = TaxCode(error);
        }

        if (!string.IsNullOrWhiteSpace(fields.Email) && !new EmailAddressAttribute().IsValid(fields.Email.Trim()))
        {
            errors["email"] = ["The e-mail address is not valid."];
            codes["email"] = "account.email-invalid";
        }

        return errors.Count == 0 ? null : new Failure(OutcomeStatus.Invalid, null, errors, null, codes);
    }

    /// <summary>The stable code of a tax number mistake ("account.tax-vkn-check-digit").</summary>
    public static string TaxCode(TaxNumberError error) => error switch
    {
        TaxNumberError.NotDigits => "account.tax-not-digits",
        TaxNumberError.Length => "account.tax-length",
        TaxNumberError.VknCheckDigit => "account.tax-vkn-check-digit",
        _ => "account.tax-tckn-check-digits",
    };

    /// <summary>An external id another account of the organization has (whoever owns it) is refused; fields without one (the forms) keep the account's.</summary>
    public static Task<Failure?> ExternalIdTakenAsync(KazanDbContext db, IAccountFields fields, Guid? self, CancellationToken ct) =>
        ExternalIds.CheckAsync(db.Accounts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]), fields, self, ct);

    private static Failure Duplicates(DuplicateWarning duplicates) => Outcome.Broken(new DomainRuleException(
        "Another account has the same tax number or name. Nothing was saved; save again to confirm.", PossibleDuplicateCode, duplicates));

    private static Task<Account?> Load(KazanDbContext db, Guid id, CancellationToken ct) => db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
}
