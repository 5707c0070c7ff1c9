using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.ApiTokens;

public sealed record CreateApiTokenRequest(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Range(1, 3650)] int? ExpiresInDays);

/// <summary>Token is present only in the response to the create call.</summary>
public sealed record ApiTokenResponse(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt, string? Token);

public static class ApiTokensApi
{
    public static IEndpointRouteBuilder MapApiTokens(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/api-tokens").WithTags("API tokens").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("The caller's personal API tokens.");
        group.MapPost("/", Create).WithSummary("Create a personal API token; the token is shown once, in this response.");
        group.MapDelete("/{id:guid}", Revoke).WithSummary("Revoke one of the caller's tokens.");
        return app;
    }

    private static async Task<Ok<List<ApiTokenResponse>>> List(KazanDbContext db, CurrentUser me, CancellationToken ct) =>
        TypedResults.Ok(await ApiTokenQueries.Mine(db, me).AsNoTracking().OrderByDescending(t => t.CreatedAt).Take(Paging.MaxLimit)
            .Select(t => new ApiTokenResponse(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.LastUsedAt, t.RevokedAt, null))
            .ToListAsync(ct));

    private static async Task<Results<Created<ApiTokenResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateApiTokenRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(await ApiTokenCommands.CreateAsync(db, me, clock, request.Name, request.ExpiresInDays, ct), http,
            c => $"/api/v1/api-tokens/{c.Token.Id}",
            c => Task.FromResult(new ApiTokenResponse(c.Token.Id, c.Token.Name, c.Token.Prefix, c.Token.CreatedAt, c.Token.ExpiresAt, null, null, c.Secret)));

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ApiTokenCommands.RevokeAsync(db, me, clock, id, ct);
        return outcome.IsOk ? TypedResults.NoContent() : ApiOutcomes.Problem(outcome);
    }
}
