using Kazan.Infrastructure.Commands;
using Microsoft.AspNetCore.Identity;

namespace Kazan.Features.Users;

/// <summary>
/// Identity's refusals as outcomes: each error goes to the form field it is about (password rules → the password
/// field, a taken e-mail → the e-mail field, anything else → the form). The descriptions are already in the
/// caller's language (<see cref="Auth.KazanIdentityErrors"/>).
/// </summary>
public static class IdentityOutcomes
{
    public static Failure Invalid(IdentityResult result, string passwordField, string? emailField = null) => Outcome.Invalid(
        result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? passwordField
                : emailField is not null && (e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal)) ? emailField
                : "$")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray()));

    public static Failure Invalid(string field, IdentityError error) => Outcome.Invalid(field, error.Description);
}
