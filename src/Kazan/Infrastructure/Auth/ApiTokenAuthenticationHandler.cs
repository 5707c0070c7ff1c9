using System.Security.Claims;
using System.Text.Encodings.Web;
using Kazan.Features.ApiTokens;
using Kazan.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kazan.Infrastructure.Auth;

/// <summary>Authenticates <c>Authorization: Bearer kzn_…</c> personal API tokens by their hash.</summary>
public sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    KazanDbContext db,
    ApiTokenUse uses,
    ApiTokenCache cache,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is < 10 or > 200)
        {
            return AuthenticateResult.Fail("Malformed token.");
        }

        var hash = SecretTokens.Hash(secret);
        var now = clock.GetUtcNow();

        var caller = db.Database.IsSqlite() ? cache.Find(hash) : null;
        if (caller is null)
        {
            var epoch = cache.Epoch;

            // No caller is known yet, so the tenant filter would hide every token: look up by hash across organizations.
            // A sign-in lockout is not a reason: anyone can lock an account by guessing its password, and that must not
            // switch off the owner's integrations. Only deactivation and the token's own revocation or expiry stop it.
            caller = await db.ApiTokens.IgnoreQueryFilters()
                .Where(t => t.TokenHash == hash && t.RevokedAt == null)
                .Join(db.Users.IgnoreQueryFilters().Where(u => u.IsActive), t => t.UserId, u => u.Id, (t, u) =>
                    new TokenCaller(t.Id, u.Id, u.UserName ?? "", u.OrganizationId, u.Role, u.Culture, u.DisplayName, t.ExpiresAt))
                .FirstOrDefaultAsync(Context.RequestAborted);
            if (caller is not null && db.Database.IsSqlite())
            {
                cache.Keep(hash, caller, epoch);
            }
        }

        if (caller is null || !ApiToken.IsUnexpired(caller.ExpiresAt, now))
        {
            return AuthenticateResult.Fail("Invalid, expired or revoked token.");
        }

        // Use is written at most once a minute, in the background (no audit noise for reads, no write on a read's path).
        uses.Note(caller.TokenId, now);

        var identity = new ClaimsIdentity(SchemeName);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, caller.UserId.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, caller.UserName));
        identity.AddClaims(KazanClaimsFactory.ClaimsFor(caller.OrganizationId, caller.Role, caller.Culture, caller.DisplayName));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
