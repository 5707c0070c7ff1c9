using Kazan.Infrastructure.Data;

namespace Kazan.Features.Accounts;

/// <summary>The editable fields of an account, shared by the API requests and the UI form so both apply them the same way.</summary>
public interface IAccountFields
{
    AccountKind Kind { get; }
    string Name { get; }
    string? TaxOffice { get; }
    string? TaxNumber { get; }
    string? Address { get; }
    string? City { get; }
    string? Country { get; }
    string? Phone { get; }
    string? Email { get; }
    string? Website { get; }
    string? Notes { get; }
}

public static class AccountFields
{
    /// <summary>Rule checks that name a field (the entity would refuse these too, but without saying which field).</summary>
    public static Dictionary<string, TaxNumberError> InvalidTaxNumber(IAccountFields fields)
    {
        var error = Accounts.TaxNumber.Check(Accounts.TaxNumber.Normalize(fields.TaxNumber));
        return error == TaxNumberError.None ? [] : new() { ["taxNumber"] = error };
    }

    /// <summary>Copies the fields onto the account through its methods (blank text becomes null).</summary>
    public static void ApplyTo(this IAccountFields fields, Account account)
    {
        account.Rename(fields.Name);
        account.Kind = fields.Kind;
        account.SetTaxNumber(fields.TaxNumber);
        account.TaxOffice = Clean(fields.TaxOffice);
        account.Address = Clean(fields.Address);
        account.City = fields.City;
        account.Country = Clean(fields.Country)?.ToUpperInvariant();
        account.Phone = Clean(fields.Phone);
        account.Email = Clean(fields.Email);
        account.Website = Clean(fields.Website);
        account.Notes = Clean(fields.Notes);
        if (fields is IExternalIdField external)
        {
            account.SetExternalId(external.ExternalId);
        }
    }

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
