using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.ApiTokens;

/// <summary>A new token with its secret, which is shown once.</summary>
public sealed record ApiTokenCreated(ApiToken Token, string Secret);

/// <summary>The caller's own API tokens: make one, revoke one. For the API and the tokens page.</summary>
public static class ApiTokenCommands
{
    public static Task<Outcome<ApiTokenCreated>> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, string name, int? expiresInDays, CancellationToken ct) =>
        UseCase.RunAsync<ApiTokenCreated>(db, async () =>
        {
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > 100)
            {
                return Outcome.Invalid("Name", "A token needs a name of at most 100 characters.", "api-token.name");
            }

            var now = clock.GetUtcNow();
            var (token, secret) = ApiToken.Create(me.RequiredOrganizationId, me.RequiredUserId, name.Trim(), expiresInDays is { } d ? now.AddDays(d) : null, now);
            db.ApiTokens.Add(token);
            await db.SaveChangesAsync(ct);
            return new ApiTokenCreated(token, secret);
        });

    /// <summary>Revokes one of the caller's tokens (someone else's is not found). Revoking twice changes nothing.</summary>
    public static Task<Outcome<ApiToken>> RevokeAsync(KazanDbContext db, CurrentUser me, TimeProvider clock, Guid id, CancellationToken ct) =>
        UseCase.RunAsync<ApiToken>(db, async () =>
        {
            var token = await ApiTokenQueries.Mine(db, me).FirstOrDefaultAsync(t => t.Id == id, ct);
            if (token is null)
            {
                return Outcome.NotFound("API token");
            }

            token.Revoke(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return token;
        });
}

/// <summary>The caller's own API tokens, newest first.</summary>
public static class ApiTokenQueries
{
    public static IQueryable<ApiToken> Mine(KazanDbContext db, CurrentUser me) => db.ApiTokens.Where(t => t.UserId == me.UserId);

    public static Task<List<ApiToken>> ListAsync(KazanDbContext db, CurrentUser me, int take, CancellationToken ct) =>
        Mine(db, me).AsNoTracking().OrderByDescending(t => t.CreatedAt).Take(take).ToListAsync(ct);
}
