using System.Security.Claims;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kazan.Infrastructure.Auth;

/// <summary>
/// Checks a sign-in cookie against the database on every request: the user must still exist, be active, and carry the
/// security stamp the cookie was issued with. A password change or reset, a role change and deactivation renew the
/// stamp, so every other session of that user ends on its very next request, on any instance (the database is the
/// source of truth). Cost: one primary-key lookup of four columns per request (see docs/operations.md).
/// </summary>
public static class SessionCheck
{
    private static readonly Func<KazanDbContext, Guid, CancellationToken, Task<SessionRow?>> Lookup =
        EF.CompileAsyncQuery((KazanDbContext db, Guid id, CancellationToken _) =>
            db.Users.IgnoreQueryFilters().Where(u => u.Id == id)
                .Select(u => new SessionRow(u.SecurityStamp, u.IsActive, u.DisplayName, u.Culture)).FirstOrDefault());

    public sealed record SessionRow(string? SecurityStamp, bool IsActive, string DisplayName, string Culture);

    /// <summary>True when <paramref name="principal"/>'s user is active and its stamp is the stored one.</summary>
    public static async Task<SessionRow?> CurrentAsync(KazanDbContext db, ClaimsPrincipal principal, string stampClaimType, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue(ClaimTypes.NameIdentifier), out var id))
        {
            return null;
        }

        var row = await Lookup(db, id, ct);
        var stamp = principal.FindFirstValue(stampClaimType);
        return row is { IsActive: true } && stamp is not null && string.Equals(row.SecurityStamp, stamp, StringComparison.Ordinal) ? row : null;
    }

    /// <summary>The cookie handler's <c>OnValidatePrincipal</c>.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        if (context.Principal is not { } principal)
        {
            return;
        }

        var services = context.HttpContext.RequestServices;
        var stampClaim = services.GetRequiredService<IOptions<IdentityOptions>>().Value.ClaimsIdentity.SecurityStampClaimType;
        var row = await CurrentAsync(services.GetRequiredService<KazanDbContext>(), principal, stampClaim, context.HttpContext.RequestAborted);
        if (row is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
            return;
        }

        // Name or language changed elsewhere (an admin, another browser): reissue the cookie with the current claims.
        if (principal.FindFirstValue(KazanClaims.DisplayName) != row.DisplayName || principal.FindFirstValue(KazanClaims.Culture) != row.Culture)
        {
            var users = services.GetRequiredService<UserManager<User>>();
            if (await users.GetUserAsync(principal) is { } user)
            {
                context.ReplacePrincipal(await services.GetRequiredService<SignInManager<User>>().CreateUserPrincipalAsync(user));
                context.ShouldRenew = true;
            }
        }
    }
}

/// <summary>
/// Interactive (Blazor Server) circuits hold no cookie after they open: re-check the stamp every 30 seconds, so a
/// deactivated or signed-out-everywhere user also loses an open board or quote editor. While the server shuts down
/// there is nothing left to check against (its services are going away) and the circuit ends with it.
/// </summary>
public sealed class RevalidatingAuthenticationState(
    ILoggerFactory logs, IServiceScopeFactory scopes, IOptions<IdentityOptions> identity, IHostApplicationLifetime lifetime)
    : RevalidatingServerAuthenticationStateProvider(logs)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(30);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        return await SessionCheck.CurrentAsync(db, authenticationState.User, identity.Value.ClaimsIdentity.SecurityStampClaimType, cancellationToken) is not null;
    }
}
