using System.Security.Claims;
using System.Text.Encodings.Web;
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

        // No caller is known yet, so the tenant filter would hide every token: look up by hash across organizations.
        var found = await db.ApiTokens.IgnoreQueryFilters()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null)
            .Join(db.Users.IgnoreQueryFilters(), t => t.UserId, u => u.Id, (t, u) => new { Token = t, User = u })
            .AsNoTracking()
            .FirstOrDefaultAsync(Context.RequestAborted);

        // A sign-in lockout is not a reason: anyone can lock an account by guessing its password, and that must not
        // switch off the owner's integrations. Only deactivation and the token's own revocation or expiry stop it.
        if (found is null || !found.Token.IsActive(now) || !found.User.IsActive)
        {
            return AuthenticateResult.Fail("Invalid, expired or revoked token.");
        }

        // Use is recorded at most once a minute, in the background (no audit noise for reads, no write on a read's path).
        if (found.Token.LastUsedAt is null || now - found.Token.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            uses.Note(found.Token.Id, now);
        }

        var identity = new ClaimsIdentity(SchemeName);
        identity.AddClaim(new Claim(ClaimTypes.NameIdentifier, found.User.Id.ToString()));
        identity.AddClaim(new Claim(ClaimTypes.Name, found.User.UserName ?? ""));
        identity.AddClaims(KazanClaimsFactory.ClaimsFor(found.User));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
