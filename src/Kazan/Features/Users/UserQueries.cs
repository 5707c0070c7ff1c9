using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Users;

/// <summary>A user someone can pick: as an owner, an assignee, a filter value.</summary>
public sealed record UserChoice(Guid Id, string DisplayName);

/// <summary>A team someone can pick (a filter value).</summary>
public sealed record TeamChoice(Guid Id, string Name);

/// <summary>
/// Who counts as a user of the organization, in one place: the active users (a deactivated user keeps their records
/// but owns nothing new, appears in no picker and is not counted on the dashboard).
/// </summary>
public static class UserQueries
{
    /// <summary>At most this many users in a picker (an organization has tens, not thousands).</summary>
    public const int PickerLimit = 500;

    /// <summary>The organization's active users (the tenant filter applies).</summary>
    public static IQueryable<User> Active(KazanDbContext db) => db.Users.Where(u => u.IsActive);

    /// <summary>Whether <paramref name="userId"/> is an active user of the caller's organization (an owner, an assignee).</summary>
    public static Task<bool> IsActiveAsync(KazanDbContext db, Guid userId, CancellationToken ct) => Active(db).AnyAsync(u => u.Id == userId, ct);

    /// <summary>The active users by name, for pickers.</summary>
    public static Task<List<UserChoice>> ActiveChoicesAsync(KazanDbContext db, CancellationToken ct) =>
        Active(db).AsNoTracking().OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Take(PickerLimit).Select(u => new UserChoice(u.Id, u.DisplayName)).ToListAsync(ct);

    /// <summary>The ids of a team's members, as a subquery for "deals of this team" filters (lists, board, reports).</summary>
    public static IQueryable<Guid> TeamMemberIds(KazanDbContext db, Guid teamId) => db.Users.Where(u => u.TeamId == teamId).Select(u => u.Id);

    /// <summary>The rows of one owner and/or of one team's members (the owner and team filters of lists, the board and reports); no filter when both are null.</summary>
    public static IQueryable<T> OwnedBy<T>(this IQueryable<T> rows, KazanDbContext db, Guid? ownerId, Guid? teamId) where T : IOwned
    {
        if (ownerId is { } owner)
        {
            rows = rows.Where(r => r.OwnerId == owner);
        }

        if (teamId is { } team)
        {
            var members = TeamMemberIds(db, team);
            rows = rows.Where(r => members.Contains(r.OwnerId));
        }

        return rows;
    }

    /// <summary>The organization's teams by name, for pickers.</summary>
    public static Task<List<TeamChoice>> TeamChoicesAsync(KazanDbContext db, CancellationToken ct) =>
        db.Teams.AsNoTracking().OrderBy(t => t.Name).ThenBy(t => t.Id).Take(PickerLimit).Select(t => new TeamChoice(t.Id, t.Name)).ToListAsync(ct);

    /// <summary>How many active users the organization has (the dashboard).</summary>
    public static Task<int> CountActiveAsync(KazanDbContext db, CancellationToken ct) => Active(db).CountAsync(ct);
}
