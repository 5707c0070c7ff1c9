using Microsoft.Extensions.Localization;

namespace Kazan.Features.Accounts;

/// <summary>The account field checks (<see cref="AccountCommands.Check"/>) as the pages show them, in the user's language.</summary>
public static class AccountFormErrors
{
    public static Dictionary<string, string[]> Localized(IStringLocalizer l, IReadOnlyDictionary<string, AccountFieldError> errors) =>
        errors.ToDictionary(e => e.Key, e => new[]
        {
            e.Value.Code == "tax-number" ? l["Account.Tax." + e.Value.TaxNumber].Value : l["Account.NameRequired"].Value,
        });
}
