using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Users;

/// <summary>What an admin sets on a user (the edit form and <c>PUT /users/{id}</c>).</summary>
public sealed record UserAccess(string DisplayName, UserRole Role, Guid? TeamId, bool IsActive);

/// <summary>
/// An admin's writes on users, shared by the API and the pages. Deactivation ends the user's sessions (security stamp)
/// and revokes their API tokens and open password-reset links in the same SaveChanges; reactivation restores sign-in
/// only — tokens stay revoked, the user makes new ones (docs/decisions/0012).
/// </summary>
public static class UserCommands
{
    private const string What = "User";

    /// <summary>
    /// Applies <paramref name="access"/> when <paramref name="expectedVersion"/> is the stored version (null: no check).
    /// Rules (the user's own): no self-demotion, the organization keeps an active admin.
    /// </summary>
    public static Task<Outcome<User>> ChangeAccessAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, Guid userId, int? expectedVersion, UserAccess access, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct), What, expectedVersion, async user =>
        {
            if (access.TeamId is { } teamId && !await db.Teams.AnyAsync(t => t.Id == teamId, ct))
            {
                return Outcome.Invalid("TeamId", "No such team.", "user.team-not-found");
            }

            var anotherAdmin = await UserQueries.Active(db).AnyAsync(u => u.Id != user.Id && u.Role == UserRole.Admin, ct);
            var wasActive = user.IsActive;
            user.ChangeAccess(access.DisplayName, access.Role, access.TeamId, access.IsActive, me.RequiredUserId, anotherAdmin);
            if (wasActive && !user.IsActive)
            {
                await EndCredentialsAsync(db, user.Id, clock.GetUtcNow(), ct);
            }

            return null;
        }, ct);

    /// <summary>Deactivates (or reactivates) a user, keeping name, role and team. Doing it twice changes nothing.</summary>
    public static async Task<Outcome<User>> SetActiveAsync(KazanDbContext db, CurrentUser me, TimeProvider clock, Guid userId, bool active, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Outcome.NotFound(What);
        }

        return user.IsActive == active
            ? user
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
