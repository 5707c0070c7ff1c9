using System.Collections.Concurrent;
using System.Security.Cryptography;
using Kazan.Features.Users;
using Kazan.Infrastructure.Auth;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Kazan.Features.Auth;

public enum SignInVerdict
{
    SignedIn,

    /// <summary>Unknown address, wrong password or a locked account: one answer for all three.</summary>
    Refused,

    /// <summary>The right password of a deactivated account (only its owner learns that).</summary>
    Deactivated,

    /// <summary>Too many failures from this client or for this address: no password was checked.</summary>
    Throttled,
}

/// <summary>
/// One try at the sign-in form. An unknown address, a wrong password and a locked-out account get the same answer after
/// the same work (one password hash each: a made-up hash stands in for a missing account, and a locked account's
/// password is still hashed, its result unused), so neither the text nor the time tells which it was. Failures count
/// toward the lockout (5, Identity) and the throttle (<see cref="SignInThrottle"/>).
/// </summary>
public static class SignInAttempt
{
    private static readonly ConcurrentDictionary<int, string> StandIns = new();
    private static readonly User Nobody = new(Guid.Empty, "nobody@invalid", "nobody", UserRole.Rep, "en-US");

    public static async Task<(SignInVerdict Verdict, TimeSpan? RetryAfter)> RunAsync(
        SignInManager<User> signIn, SignInThrottle throttle, string email, string password, string? client)
    {
        email = email.Trim();
        if (throttle.Wait(client, email) is { } wait)
        {
            return (SignInVerdict.Throttled, wait);
        }

        var users = signIn.UserManager;
        var user = await users.FindByEmailAsync(email);
        if (user is null || user.PasswordHash is null)
        {
            _ = users.PasswordHasher.VerifyHashedPassword(user ?? Nobody, StandIn(signIn), password);
            throttle.Failed(client, email);
            return (SignInVerdict.Refused, null);
        }

        if (!user.IsActive)
        {
            if (await users.CheckPasswordAsync(user, password))
            {
                return (SignInVerdict.Deactivated, null);
            }

            throttle.Failed(client, email);
            return (SignInVerdict.Refused, null);
        }

        if (await users.IsLockedOutAsync(user))
        {
            // Not a password check (a locked account tells nothing, right or wrong): only the same cost as one.
            _ = users.PasswordHasher.VerifyHashedPassword(user, user.PasswordHash, password);
            throttle.Failed(client, email);
            return (SignInVerdict.Refused, null);
        }

        var result = await signIn.PasswordSignInAsync(user, password, isPersistent: true, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            throttle.Succeeded(email);
            return (SignInVerdict.SignedIn, null);
        }

        throttle.Failed(client, email);
        return (SignInVerdict.Refused, null);
    }

    /// <summary>A hash of a random password made with the configured cost, for unknown addresses to be checked against.</summary>
    private static string StandIn(SignInManager<User> signIn)
    {
        var iterations = signIn.Context.RequestServices.GetRequiredService<IOptions<PasswordHasherOptions>>().Value.IterationCount;
        return StandIns.GetOrAdd(iterations, _ => signIn.UserManager.PasswordHasher.HashPassword(Nobody, Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))));
    }
}
