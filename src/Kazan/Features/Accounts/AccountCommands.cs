using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Accounts;

/// <summary>
/// How creating an account ended. <see cref="Account"/> is set when it was saved (with <see cref="Duplicates"/> as a
/// warning); otherwise <see cref="InvalidFields"/> (field → what is wrong: a missing name, a tax number whose check
/// digits fail), <see cref="OwnerUnknown"/>, or the <see cref="Duplicates"/> the caller asked to see before saving.
/// </summary>
public sealed record AccountCreation(
    Account? Account, DuplicateWarning? Duplicates, IReadOnlyDictionary<string, AccountFieldError> InvalidFields, bool OwnerUnknown = false)
{
    public bool Saved => Account is not null;
}

/// <summary>A field of a new or changed account that cannot be saved as typed.</summary>
public sealed record AccountFieldError(string Code, TaxNumberError TaxNumber = TaxNumberError.None);

/// <summary>
/// The account writes as one use case each, for the API and every page that makes accounts (the account form, and the
/// "new account" step of new opportunity and new quote): one set of field checks, one duplicate rule (decision 0009).
/// </summary>
public static class AccountCommands
{
    /// <summary>
    /// Creates an account owned by <paramref name="ownerId"/> (default: the caller). The fields are checked first
    /// (a name; a VKN or TCKN only with valid check digits), then the owner, then possible duplicates (same tax number
    /// or same name key): with <paramref name="rejectDuplicates"/> they stop the save so the user can pick the existing
    /// account or confirm; without it they come back as a warning with the saved account.
    /// </summary>
    public static async Task<AccountCreation> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, IAccountFields fields, Guid? ownerId, bool rejectDuplicates, CancellationToken ct)
    {
        var invalid = Check(fields);
        if (invalid.Count > 0)
        {
            return new AccountCreation(null, null, invalid);
        }

        var owner = ownerId ?? me.RequiredUserId;
        if (!await AccountQueries.IsActiveUserAsync(db, owner, ct))
        {
            return new AccountCreation(null, null, invalid, OwnerUnknown: true);
        }

        var duplicates = await AccountQueries.FindDuplicatesAsync(db, me, fields.Name, fields.TaxNumber, null, ct);
        if (rejectDuplicates && duplicates.Found)
        {
            return new AccountCreation(null, duplicates, invalid);
        }

        var account = new Account(me.RequiredOrganizationId, owner, fields.Kind, fields.Name, clock.GetUtcNow());
        fields.ApplyTo(account);
        db.Accounts.Add(account);
        await db.SaveChangesAsync(ct);
        return new AccountCreation(account, duplicates.Found ? duplicates : null, invalid);
    }

    /// <summary>The field checks every account write shares (the entity would refuse these too, without naming the field).</summary>
    public static Dictionary<string, AccountFieldError> Check(IAccountFields fields)
    {
        var errors = new Dictionary<string, AccountFieldError>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(fields.Name))
        {
            errors["name"] = new AccountFieldError("name-required");
        }

        foreach (var (field, error) in AccountFields.InvalidTaxNumber(fields))
        {
            errors[field] = new AccountFieldError("tax-number", error);
        }

        return errors;
    }
}
