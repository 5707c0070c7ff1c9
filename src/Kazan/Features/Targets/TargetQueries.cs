using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Targets;

/// <summary>One month's target of one user or team, as the API and the settings page read it.</summary>
public sealed record TargetResponse(Guid Id, Guid? UserId, Guid? TeamId, string Name, DateOnly Month, decimal Amount, int Version);

/// <summary>
/// Reading targets. Every member may read them; a rep who may see only their own deals sees only their own target
/// and their team's (as the big CRMs show quotas: your own and your team's, the whole board to managers).
/// </summary>
public static class TargetQueries
{
    /// <summary>The targets the caller may see.</summary>
    public static IQueryable<SalesTarget> Visible(KazanDbContext db)
    {
        if (!db.Actor.RestrictedToOwn)
        {
            return db.SalesTargets;
        }

        var me = db.Actor.UserId;
        var myTeam = db.Users.Where(u => u.Id == me).Select(u => u.TeamId);
        return db.SalesTargets.Where(t => t.UserId == me || (t.TeamId != null && myTeam.Contains(t.TeamId)));
    }

    /// <summary>A year's targets (of one user or team, or all the caller may see), by name then month.</summary>
    public static async Task<List<TargetResponse>> YearAsync(KazanDbContext db, int year, Guid? userId, Guid? teamId, CancellationToken ct)
    {
        var (from, to) = (new DateOnly(year, 1, 1), new DateOnly(year + 1, 1, 1));
        var targets = Visible(db).Where(t => t.Month >= from && t.Month < to);
        if (userId is { } user)
        {
            targets = targets.Where(t => t.UserId == user);
        }

        if (teamId is { } team)
        {
            targets = targets.Where(t => t.TeamId == team);
        }

        var rows = await targets.AsNoTracking()
            .Select(t => new
            {
                t.Id,
                t.UserId,
                t.TeamId,
                t.Month,
                t.Amount,
                t.Version,
                Name = t.UserId != null
                    ? db.Users.Where(u => u.Id == t.UserId).Select(u => u.DisplayName).FirstOrDefault()
                    : db.Teams.Where(m => m.Id == t.TeamId).Select(m => m.Name).FirstOrDefault(),
            })
            .ToListAsync(ct);

        // Ordered here: a year holds at most 12 rows per user and team, and names sort by the reader's culture.
        return [.. rows.Select(t => new TargetResponse(t.Id, t.UserId, t.TeamId, t.Name ?? "", t.Month, t.Amount, t.Version))
            .OrderBy(t => t.Name, StringComparer.CurrentCulture).ThenBy(t => t.UserId is null).ThenBy(t => t.Month)];
    }

    /// <summary>
    /// The target that applies to a report's deals, per month from <paramref name="from"/> (a first day) up to
    /// <paramref name="to"/> (exclusive); a month without one is absent. One owner → that user's target; one team → the
    /// team's own target, else the sum of its members' (today's members, as the report's team filter); neither → the
    /// sum of every user's target (teams' own targets are not added again). Only targets the caller may see count.
    /// </summary>
    public static async Task<Dictionary<DateOnly, decimal>> ApplyingAsync(KazanDbContext db, Guid? ownerId, Guid? teamId, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var months = Visible(db).AsNoTracking().Where(t => t.Month >= from && t.Month < to);
        if (ownerId is { } owner)
        {
            return await Sum(months.Where(t => t.UserId == owner), ct);
        }

        if (teamId is { } team)
        {
            var own = await Sum(months.Where(t => t.TeamId == team), ct);
            var members = UserQueries.TeamMemberIds(db, team);
            var ofMembers = await Sum(months.Where(t => t.UserId != null && members.Contains(t.UserId.Value)), ct);
            foreach (var (month, amount) in ofMembers)
            {
                own.TryAdd(month, amount);
            }

            return own;
        }

        return await Sum(months.Where(t => t.UserId != null), ct);
    }

    private static async Task<Dictionary<DateOnly, decimal>> Sum(IQueryable<SalesTarget> targets, CancellationToken ct) =>
        (await targets.GroupBy(t => t.Month).Select(g => new { Month = g.Key, Amount = g.Sum(t => t.Amount) }).ToListAsync(ct))
            .ToDictionary(g => g.Month, g => g.Amount);
}
