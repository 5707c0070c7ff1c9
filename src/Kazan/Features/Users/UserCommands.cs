using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Users;

/// <summary>What an admin sets on a user (the edit form and <c>PUT /users/{id}</c>).</summary>
public sealed record UserAccess(string DisplayName, UserRole Role, Guid? TeamId, bool IsActive);

public enum UserOutcomeKind
{
    Ok,
    NotFound,

    /// <summary>A field is wrong (400): <see cref="UserOutcome.Field"/> says which.</summary>
    Invalid,

    /// <summary>A rule refused the change (422): self-demotion, the last admin.</summary>
    Rule,

    /// <summary>Someone else changed the user first (412).</summary>
    Stale,
}

/// <summary>
/// The result of a user command. <see cref="Code"/> is stable; pages show the localized text <c>Rule.{Code}</c>
/// (or <c>User.Error.{Code}</c>), the API the English <see cref="Message"/>.
/// </summary>
public sealed record UserOutcome(UserOutcomeKind Kind, User? User = null, string? Field = null, string? Code = null, string? Message = null)
{
    public static UserOutcome Ok(User user) => new(UserOutcomeKind.Ok, user);
}

/// <summary>
/// An admin's writes on users, shared by the API and the pages. Deactivation ends the user's sessions (security stamp)
/// and revokes their API tokens and open password-reset links in the same SaveChanges; reactivation restores sign-in
/// only — tokens stay revoked, the user makes new ones (docs/decisions/0012).
/// </summary>
public static class UserCommands
{
    /// <summary>Applies <paramref name="access"/> when <paramref name="expectedVersion"/> is the stored version (null: no check).</summary>
    public static async Task<UserOutcome> ChangeAccessAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, Guid userId, int? expectedVersion, UserAccess access, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return new(UserOutcomeKind.NotFound);
        }

        if (expectedVersion is { } version && version != user.Version)
        {
            return new(UserOutcomeKind.Stale, user);
        }

        if (access.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId, ct))
        {
            return new(UserOutcomeKind.Invalid, user, "TeamId", "team-not-found", "No such team.");
        }

        var anotherAdmin = await db.Users.AnyAsync(u => u.Id != user.Id && u.Role == UserRole.Admin && u.IsActive, ct);
        var wasActive = user.IsActive;
        try
        {
            if (expectedVersion is { } v)
            {
                db.ExpectVersion(user, v);
            }

            user.ChangeAccess(access.DisplayName, access.Role, access.TeamId, access.IsActive, me.RequiredUserId, anotherAdmin);
        }
        catch (DomainRuleException rule)
        {
            return new(UserOutcomeKind.Rule, user, "Role", rule.Code, rule.Message);
        }

        if (wasActive && !user.IsActive)
        {
            await EndCredentialsAsync(db, user.Id, clock.GetUtcNow(), ct);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return new(UserOutcomeKind.Stale);
        }

        return UserOutcome.Ok(user);
    }

    /// <summary>Deactivates (or reactivates) a user, keeping name, role and team. Doing it twice changes nothing.</summary>
    public static async Task<UserOutcome> SetActiveAsync(KazanDbContext db, CurrentUser me, TimeProvider clock, Guid userId, bool active, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return new(UserOutcomeKind.NotFound);
        }

        return user.IsActive == active
            ? UserOutcome.Ok(user)
            : await ChangeAccessAsync(db, me, clock, userId, expectedVersion: null, new UserAccess(user.DisplayName, user.Role, user.TeamId, active), ct);
    }

    /// <summary>Revokes the user's API tokens and open reset links (tracked, so each revocation is audited).</summary>
    private static async Task EndCredentialsAsync(KazanDbContext db, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var token in await db.ApiTokens.Where(t => t.UserId == userId && t.RevokedAt == null).ToListAsync(ct))
        {
            token.Revoke(now);
        }

        await PasswordCommands.SupersedeOpenResetsAsync(db, userId, now, ct);
    }
}
