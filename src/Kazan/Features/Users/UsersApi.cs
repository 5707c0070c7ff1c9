using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Users;

public sealed record UserResponse(Guid Id, string Email, string DisplayName, UserRole Role, Guid? TeamId, string Culture, bool IsActive, int Version);

public sealed record UpdateUserRequest(
    [Required, StringLength(100, MinimumLength = 1)] string DisplayName,
    UserRole Role,
    Guid? TeamId,
    bool IsActive);

public sealed record TeamResponse(Guid Id, string Name, int Version);

public sealed record TeamRequest([Required, StringLength(100, MinimumLength = 1)] string Name);

public static class UsersApi
{
    public static IEndpointRouteBuilder MapUsers(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/v1/users").WithTags("Users").RequireAuthorization(Policies.Member);
        users.MapGet("/", ListUsers).WithSummary("Users of the organization, by name (keyset paged).");
        users.MapGet("/{id:guid}", GetUser);
        users.MapPut("/{id:guid}", UpdateUser).RequireAuthorization(Policies.Admin).WithSummary("Change a user's name, role, team or active flag (admin; If-Match).");
        users.MapPost("/{id:guid}/deactivate", Deactivate).RequireAuthorization(Policies.Admin)
            .WithSummary("Deactivate a user (admin): sessions end at once, API tokens and reset links are revoked; records keep their owner.");
        users.MapPost("/{id:guid}/reactivate", Reactivate).RequireAuthorization(Policies.Admin)
            .WithSummary("Reactivate a user (admin): sign-in works again; revoked API tokens stay revoked.");

        var teams = app.MapGroup("/api/v1/teams").WithTags("Teams").RequireAuthorization(Policies.Member);
        teams.MapGet("/", ListTeams);
        teams.MapGet("/{id:guid}", GetTeam);
        teams.MapPost("/", CreateTeam).RequireAuthorization(Policies.Admin);
        teams.MapPut("/{id:guid}", RenameTeam).RequireAuthorization(Policies.Admin);
        teams.MapDelete("/{id:guid}", DeleteTeam).RequireAuthorization(Policies.Admin);
        return app;
    }

    private static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> ListUsers(KazanDbContext db, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        var take = limit ?? Paging.DefaultLimit;
        var query = db.Users.AsNoTracking();
        if (Cursor.Decode(cursor) is [var name, var idText] && Guid.TryParse(idText, out var id))
        {
            query = query.Where(u => u.DisplayName.CompareTo(name) > 0 || (u.DisplayName == name && u.Id.CompareTo(id) > 0));
        }

        var rows = await query.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Take(take + 1)
            .Select(u => new UserResponse(u.Id, u.Email!, u.DisplayName, u.Role, u.TeamId, u.Culture, u.IsActive, u.Version))
            .ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, u => Cursor.Encode(u.DisplayName, u.Id)));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Problems.NotFound("User");
        }

        ETags.Set(http, user.Version);
        return TypedResults.Ok(ToResponse(user));
    }

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        Guid id, UpdateUserRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var current = await db.Users.AsNoTracking().Where(u => u.Id == id).Select(u => (int?)u.Version).FirstOrDefaultAsync(ct);
        if (current is null)
        {
            return Problems.NotFound("User");
        }

        var (version, problem) = ETags.Check(http, current.Value);
        if (problem is not null)
        {
            return problem;
        }

        var outcome = await UserCommands.ChangeAccessAsync(db, me, clock, id, version,
            new UserAccess(request.DisplayName, request.Role, request.TeamId, request.IsActive), ct);
        return Answer(outcome, http);
    }

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Deactivate(
        Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Answer(await UserCommands.SetActiveAsync(db, me, clock, id, active: false, ct), http);

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Reactivate(
        Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Answer(await UserCommands.SetActiveAsync(db, me, clock, id, active: true, ct), http);

    /// <summary>One mapping of a user command's outcome to HTTP.</summary>
    private static Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult> Answer(UserOutcome outcome, HttpContext http)
    {
        switch (outcome.Kind)
        {
            case UserOutcomeKind.Ok:
                ETags.Set(http, outcome.User!.Version);
                return TypedResults.Ok(ToResponse(outcome.User));
            case UserOutcomeKind.NotFound:
                return Problems.NotFound("User");
            case UserOutcomeKind.Invalid:
                return Problems.Validation(outcome.Field!, outcome.Message!);
            case UserOutcomeKind.Stale:
                return ETags.PreconditionFailed();
            default:
                return RuleBroken(outcome);
        }
    }

    internal static ProblemHttpResult RuleBroken(UserOutcome outcome) => TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
    {
        Status = StatusCodes.Status422UnprocessableEntity,
        Title = "A business rule was violated.",
        Detail = outcome.Message,
        Extensions = { ["code"] = outcome.Code },
    });

    private static async Task<Ok<List<TeamResponse>>> ListTeams(KazanDbContext db, CancellationToken ct) =>
        // Teams are few per organization (tens), so one bounded list, no paging.
        TypedResults.Ok(await db.Teams.AsNoTracking().OrderBy(t => t.Name).Take(Paging.MaxLimit)
            .Select(t => new TeamResponse(t.Id, t.Name, t.Version)).ToListAsync(ct));

    private static async Task<Results<Ok<TeamResponse>, ProblemHttpResult>> GetTeam(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var team = await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return Problems.NotFound("Team");
        }

        ETags.Set(http, team.Version);
        return TypedResults.Ok(new TeamResponse(team.Id, team.Name, team.Version));
    }

    private static async Task<Results<Created<TeamResponse>, ValidationProblem>> CreateTeam(TeamRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        var name = request.Name.Trim();
        if (await db.Teams.AnyAsync(t => t.Name == name, ct))
        {
            return Problems.Validation(nameof(request.Name), "A team with this name exists.");
        }

        var team = new Team(me.RequiredOrganizationId, name);
        db.Teams.Add(team);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, team.Version);
        return TypedResults.Created($"/api/v1/teams/{team.Id}", new TeamResponse(team.Id, team.Name, team.Version));
    }

    private static async Task<Results<Ok<TeamResponse>, ValidationProblem, ProblemHttpResult>> RenameTeam(Guid id, TeamRequest request, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return Problems.NotFound("Team");
        }

        var (version, problem) = ETags.Check(http, team.Version);
        if (problem is not null)
        {
            return problem;
        }

        var name = request.Name.Trim();
        if (await db.Teams.AnyAsync(t => t.Name == name && t.Id != id, ct))
        {
            return Problems.Validation(nameof(request.Name), "A team with this name exists.");
        }

        db.ExpectVersion(team, version);
        team.Rename(name);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, team.Version);
        return TypedResults.Ok(new TeamResponse(team.Id, team.Name, team.Version));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTeam(Guid id, KazanDbContext db, CancellationToken ct)
    {
        var team = await db.Teams.FirstOrDefaultAsync(t => t.Id == id, ct);
        if (team is null)
        {
            return Problems.NotFound("Team");
        }

        await DeleteTeamAsync(db, team, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Shared by the API and the teams page: members simply lose their team (tracked, so each change is audited).</summary>
    public static async Task DeleteTeamAsync(KazanDbContext db, Team team, CancellationToken ct)
    {
        foreach (var member in await db.Users.Where(u => u.TeamId == team.Id).ToListAsync(ct))
        {
            member.TeamId = null;
        }

        db.Teams.Remove(team);
        await db.SaveChangesAsync(ct);
    }

    private static UserResponse ToResponse(User u) => new(u.Id, u.Email!, u.DisplayName, u.Role, u.TeamId, u.Culture, u.IsActive, u.Version);
}
