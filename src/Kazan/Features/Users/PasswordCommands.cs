using Kazan.Features.Auth;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Users;

/// <summary>A reset link an admin made: the stored reset, the secret to put in the link, and whose it is.</summary>
public sealed record ResetLink(PasswordReset Reset, string Token, User User);

/// <summary>
/// Password use cases, shared by the API and the pages: change my password, reset with a one-time link, an admin's
/// reset link. Refusals come back as field errors in the caller's language (<see cref="IdentityOutcomes"/>); an unusable
/// reset link is not found. Every success renews the user's security stamp, which ends all their other
/// sessions on their next request, and supersedes the user's open reset links.
/// </summary>
public static class PasswordCommands
{
    public const string CurrentField = "CurrentPassword";
    public const string NewField = "NewPassword";
    public const string ConfirmField = "ConfirmPassword";
    /// <summary>What an unknown, expired, used or superseded link is (not found: the API never says which).</summary>
    public const string ResetLinkWhat = "Reset link";

    /// <summary>
    /// Changes the signed-in user's password. A wrong current password counts as a failed sign-in (five lock the
    /// account for 15 minutes), so a stolen session cannot guess it. Returns the user, or errors and nothing changed.
    /// </summary>
    public static async Task<Outcome<User>> ChangeAsync(
        KazanDbContext db, UserManager<User> users, TimeProvider clock, Guid userId, string current, string next, string? confirm, CancellationToken ct)
    {
        var describe = KazanIdentityErrors.Of(users);
        if (confirm is not null && confirm != next)
        {
            return IdentityOutcomes.Invalid(ConfirmField, describe.ConfirmationMismatch());
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null || !user.IsActive)
        {
            return IdentityOutcomes.Invalid("$", describe.DefaultError());
        }

        if (await users.IsLockedOutAsync(user))
        {
            return IdentityOutcomes.Invalid(CurrentField, describe.LockedOut());
        }

        if (current == next)
        {
            return IdentityOutcomes.Invalid(NewField, describe.SamePassword());
        }

        await using var tx = await db.Database.BeginOrJoinAsync(ct);
        var result = await users.ChangePasswordAsync(user, current, next);
        if (!result.Succeeded)
        {
            await tx.RollbackAsync(ct);
            if (result.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                await users.AccessFailedAsync(user);
                return IdentityOutcomes.Invalid(CurrentField, describe.PasswordMismatch());
            }

            db.ChangeTracker.Clear();
            return IdentityOutcomes.Invalid(result, NewField);
        }

        await RecordChangeAsync(db, user, clock.GetUtcNow(), ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>
    /// Sets a new password with a reset link's token. The link is claimed atomically (a second use of the same link,
    /// even at the same moment, is refused); a refused password leaves the link usable. Returns the user, or errors.
    /// </summary>
    public static async Task<Outcome<User>> ResetAsync(
        KazanDbContext db, UserManager<User> users, TimeProvider clock, string token, string password, string? confirm, CancellationToken ct)
    {
        var describe = KazanIdentityErrors.Of(users);
        var (reset, user) = await FindUsableAsync(db, clock, token, ct);
        if (reset is null || user is null)
        {
            return Outcome.NotFound(ResetLinkWhat);
        }

        if (confirm is not null && confirm != password)
        {
            return IdentityOutcomes.Invalid(ConfirmField, describe.ConfirmationMismatch());
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginOrJoinAsync(ct);
        var claimed = await db.PasswordResets.IgnoreQueryFilters()
            .Where(r => r.Id == reset.Id && r.UsedAt == null && r.SupersededAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.UsedAt, now), ct);
        if (claimed != 1)
        {
            await tx.RollbackAsync(ct);
            return Outcome.NotFound(ResetLinkWhat);
        }

        // Identity's own reset token is made and spent here, in one request: it lets ResetPasswordAsync validate the
        // password, store the hash and renew the security stamp in one update. The link's secret is ours (0012).
        var identityToken = await users.GeneratePasswordResetTokenAsync(user);
        var result = await users.ResetPasswordAsync(user, identityToken, password);
        if (!result.Succeeded)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return IdentityOutcomes.Invalid(result, NewField);
        }

        await RecordChangeAsync(db, user, now, ct);
        await tx.CommitAsync(ct);
        return user;
    }

    /// <summary>The link's reset and its (active) user, or nulls when the link is unknown, expired, used or superseded.</summary>
    public static async Task<(PasswordReset? Reset, User? User)> FindUsableAsync(KazanDbContext db, TimeProvider clock, string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return (null, null);
        }

        var hash = SecretTokens.Hash(token);
        var reset = await db.PasswordResets.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(r => r.TokenHash == hash, ct);
        if (reset is null || !reset.IsUsable(clock.GetUtcNow()))
        {
            return (null, null);
        }

        var user = await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(u => u.Id == reset.UserId && u.IsActive, ct);
        return user is null ? (null, null) : (reset, user);
    }

    /// <summary>
    /// An admin makes a reset link for a user of their organization (valid 24 hours; older links stop working).
    /// Refused for a deactivated user (reactivate them first).
    /// </summary>
    public static Task<Outcome<ResetLink>> CreateLinkAsync(KazanDbContext db, CurrentUser me, TimeProvider clock, Guid userId, CancellationToken ct) =>
        UseCase.RunAsync<ResetLink>(db, async () =>
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
            if (user is null)
            {
                return Outcome.NotFound("User");
            }

            if (!user.IsActive)
            {
                return Outcome.Broken("The user is deactivated; reactivate them first.", "user.inactive");
            }

            var (reset, token) = await IssueAsync(db, user, me.RequiredUserId, clock.GetUtcNow(), ct);
            return new ResetLink(reset, token, user);
        });

    /// <summary>Supersedes the user's open links, stores a new one and returns its secret.</summary>
    public static async Task<(PasswordReset Reset, string Token)> IssueAsync(KazanDbContext db, User user, Guid? createdBy, DateTimeOffset now, CancellationToken ct)
    {
        await SupersedeOpenResetsAsync(db, user.Id, now, ct);
        var (reset, token) = PasswordReset.Create(user, createdBy, now);
        db.PasswordResets.Add(reset);
        await db.SaveChangesAsync(ct);
        return (reset, token);
    }

    /// <summary>Marks the user's unused links superseded (tracked: saved with the caller's change).</summary>
    public static async Task SupersedeOpenResetsAsync(KazanDbContext db, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var open in await db.PasswordResets.IgnoreQueryFilters().Where(r => r.UserId == userId && r.UsedAt == null && r.SupersededAt == null).ToListAsync(ct))
        {
            open.Supersede(now);
        }
    }

    private static async Task RecordChangeAsync(KazanDbContext db, User user, DateTimeOffset now, CancellationToken ct)
    {
        user.PasswordChanged(now);
        await SupersedeOpenResetsAsync(db, user.Id, now, ct);
        await db.SaveChangesAsync(ct);
    }
}
