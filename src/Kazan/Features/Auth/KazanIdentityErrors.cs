using Kazan.Features.Users;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Auth;

/// <summary>
/// Identity's messages (password rules, duplicate e-mail, wrong current password) in the caller's language: the UI
/// culture of the request, which is the user's language, the language cookie or the browser's (API: Accept-Language).
/// Also the few account messages Kazan adds, so every password form reports errors the same way.
/// </summary>
public sealed class KazanIdentityErrors(IStringLocalizer<SharedResource> l) : IdentityErrorDescriber
{
    private IdentityError Error(string code, string key, params object[] args) => new() { Code = code, Description = l[key, args] };

    public override IdentityError DefaultError() => Error(nameof(DefaultError), "Identity.DefaultError");
    public override IdentityError ConcurrencyFailure() => Error(nameof(ConcurrencyFailure), "Common.Stale");
    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), "Identity.PasswordMismatch");
    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), "Password.LinkUnusable");
    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), "Identity.InvalidEmail", email ?? "");
    public override IdentityError InvalidUserName(string? userName) => Error(nameof(InvalidUserName), "Identity.InvalidEmail", userName ?? "");
    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), "Identity.DuplicateEmail", email);
    public override IdentityError DuplicateUserName(string userName) => Error(nameof(DuplicateUserName), "Identity.DuplicateEmail", userName);
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), "Identity.PasswordTooShort", length);
    public override IdentityError PasswordRequiresUniqueChars(int uniqueChars) => Error(nameof(PasswordRequiresUniqueChars), "Identity.PasswordRequiresUniqueChars", uniqueChars);
    public override IdentityError PasswordRequiresNonAlphanumeric() => Error(nameof(PasswordRequiresNonAlphanumeric), "Identity.PasswordRequiresNonAlphanumeric");
    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), "Identity.PasswordRequiresDigit");
    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), "Identity.PasswordRequiresLower");
    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), "Identity.PasswordRequiresUpper");

    /// <summary>The new password and its repetition differ.</summary>
    public IdentityError ConfirmationMismatch() => Error("PasswordConfirmationMismatch", "Password.ConfirmMismatch");

    /// <summary>Too many wrong current passwords in a row: the account is locked for a while.</summary>
    public IdentityError LockedOut() => Error("LockedOut", "Auth.LockedOut");

    /// <summary>A reset link that does not exist, expired, was used or was superseded.</summary>

    /// <summary>The same password as before.</summary>
    public IdentityError SamePassword() => Error("PasswordUnchanged", "Password.Unchanged");

    public static KazanIdentityErrors Of(UserManager<User> users) => (KazanIdentityErrors)users.ErrorDescriber;
}
