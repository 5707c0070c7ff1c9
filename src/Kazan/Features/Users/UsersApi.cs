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
            query = query.After(db, u => u.DisplayName, name, id);
        }

        var rows = await query.OrderBy(u => u.DisplayName).ThenBy(u => u.Id).Take(take + 1)
            .Select(u => new UserResponse(u.Id, u.Email!, u.DisplayName, u.Role, u.TeamId, u.Culture, u.IsActive, u.Version))
            .ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, u => Cursor.Encode(u.DisplayName, u.Id)));
    }

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct), "User", http, user => user.Version, user => ToResponse(user));

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateUser(
        Guid id, UpdateUserRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await UserCommands.ChangeAccessAsync(db, me, clock, id, ifMatch.Version,
            new UserAccess(request.DisplayName, request.Role, request.TeamId, request.IsActive), ct), http, ToResponse);

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Deactivate(
        Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await UserCommands.SetActiveAsync(db, me, clock, id, active: false, ct), http, ToResponse);

    private static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> Reactivate(
        Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await UserCommands.SetActiveAsync(db, me, clock, id, active: true, ct), http, ToResponse);

    private static async Task<Ok<List<TeamResponse>>> ListTeams(KazanDbContext db, CancellationToken ct) =>
        // Teams are few per organization (tens), so one bounded list, no paging.
        TypedResults.Ok(await db.Teams.AsNoTracking().OrderBy(t => t.Name).Take(Paging.MaxLimit)
            .Select(t => new TeamResponse(t.Id, t.Name, t.Version)).ToListAsync(ct));

    private static async Task<Results<Ok<TeamResponse>, ProblemHttpResult>> GetTeam(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await db.Teams.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct), "Team", http, team => team.Version, team => new TeamResponse(team.Id, team.Name, team.Version));

    private static async Task<Results<Created<TeamResponse>, ValidationProblem, ProblemHttpResult>> CreateTeam(
        TeamRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(await TeamCommands.CreateAsync(db, me, request.Name, ct), http,
            t => $"/api/v1/teams/{t.Id}", t => Task.FromResult(new TeamResponse(t.Id, t.Name, t.Version)));

    private static async Task<Results<Ok<TeamResponse>, ValidationProblem, ProblemHttpResult>> RenameTeam(
        Guid id, TeamRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await TeamCommands.RenameAsync(db, id, ifMatch.Version, request.Name, ct), http, t => new TeamResponse(t.Id, t.Name, t.Version));

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteTeam(Guid id, KazanDbContext db, CancellationToken ct)
    {
        var outcome = await TeamCommands.DeleteAsync(db, id, ct);
        return outcome.IsOk ? TypedResults.NoContent() : ApiOutcomes.Problem(outcome);
    }

    private static UserResponse ToResponse(User u) => new(u.Id, u.Email!, u.DisplayName, u.Role, u.TeamId, u.Culture, u.IsActive, u.Version);
}
