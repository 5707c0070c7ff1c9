using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Users;

/// <summary>The team use cases (admin), for the API and the teams page. A team's name is unique in the organization (a unique index too).</summary>
public static class TeamCommands
{
    private const string What = "Team";

    public static Task<Outcome<Team>> CreateAsync(KazanDbContext db, CurrentUser me, string name, CancellationToken ct) =>
        UseCase.RunAsync<Team>(db, async () =>
        {
            if (await NameTakenAsync(db, name, null, ct) is { } taken)
            {
                return taken;
            }

            var team = new Team(me.RequiredOrganizationId, name);
            db.Teams.Add(team);
            await db.SaveChangesAsync(ct);
            return team;
        });

    public static Task<Outcome<Team>> RenameAsync(KazanDbContext db, Guid id, int version, string name, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct), What, version, async team =>
        {
            if (await NameTakenAsync(db, name, id, ct) is { } taken)
            {
                return taken;
            }

            team.Rename(name);
            return null;
        }, ct);

    /// <summary>Deletes the team; its members simply lose their team (tracked, so each change is audited).</summary>
    public static Task<Outcome<Team>> DeleteAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        UseCase.RunAsync<Team>(db, async () =>
        {
            var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct);
            if (team is null)
            {
                return Outcome.NotFound(What);
            }

            foreach (var member in await db.Users.Where(u => u.TeamId == team.Id).ToListAsync(ct))
            {
                member.TeamId = null;
            }

            db.Teams.Remove(team);
            await db.SaveChangesAsync(ct);
            return team;
        });

    private static async Task<Failure?> NameTakenAsync(KazanDbContext db, string? name, Guid? self, CancellationToken ct)
    {
        var trimmed = (name ?? "").Trim();
        return await db.Teams.AnyAsync(t => t.Name == trimmed && t.Id != self, ct)
            ? Outcome.Invalid("Name", "A team with this name exists.", "team.name-taken")
            : null;
    }
}
