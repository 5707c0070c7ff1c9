using System.Security.Claims;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Kazan.Infrastructure.Auth;

public static class Policies
{
    public const string Admin = "Admin";
    public const string Manager = "Manager";
    public const string Member = "Member";
}

public static class AuthSetup
{
    public const string Scheme = "Kazan";

    public static IServiceCollection AddKazanAuth(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddIdentityCore<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.Password.RequiredLength = 10;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequireUppercase = false;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<KazanDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<KazanClaimsFactory>()
            .AddErrorDescriber<Features.Auth.KazanIdentityErrors>()
            .AddDefaultTokenProviders();

        // More work per guess than the framework default (100k); configurable so tests can run quickly.
        services.Configure<PasswordHasherOptions>(o => o.IterationCount = configuration.GetValue("Kazan:PasswordHashIterations", 600_000));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? ApiTokenAuthenticationHandler.SchemeName
                    : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null)
            .AddIdentityCookies();
        services.AddSingleton<ApiTokenUse>();
        services.AddSingleton<SignInThrottle>();
        services.AddHostedService<ApiTokenUseWriter>();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "kazan.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SecurePolicy = CookiePolicy.For(environment);
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/signin";
            o.LogoutPath = "/signout";
            o.AccessDeniedPath = "/forbidden";
            o.ExpireTimeSpan = TimeSpan.FromDays(14);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => ApiAware(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiAware(ctx, StatusCodes.Status403Forbidden);

            // Every request, not once a minute: a password change, role change or deactivation ends other sessions at once.
            o.Events.OnValidatePrincipal = SessionCheck.ValidateAsync;
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Member, p => p.RequireAuthenticatedUser().RequireClaim(KazanClaims.OrganizationId))
            .AddPolicy(Policies.Manager, p => p.RequireAuthenticatedUser().RequireRole(nameof(UserRole.Admin), nameof(UserRole.Manager)))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(nameof(UserRole.Admin)));

        // Keys live in the database: sign-ins survive restarts and instances sharing one PostgreSQL share keys.
        services.AddDataProtection()
            .SetApplicationName("Kazan")
            .PersistKeysToDbContext<KazanDbContext>();

        services.AddScoped<CurrentUser>();
        services.AddScoped<OrganizationTime>();

        // Interactive components run in a circuit with its own scope: give it the signed-in user too.
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CurrentUserCircuitHandler>();
        services.AddScoped<Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider, RevalidatingAuthenticationState>();
        services.AddMemoryCache();
        return services;
    }

    /// <summary>API callers get a status code (then problem details), browsers get the sign-in page.</summary>
    private static Task ApiAware(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }

    /// <summary>Fills <see cref="CurrentUser"/> for the request from the authenticated principal.</summary>
    public static IApplicationBuilder UseCurrentUser(this IApplicationBuilder app) => app.Use(async (ctx, next) =>
    {
        await ApplyAsync(ctx.User, ctx.RequestServices);
        await next(ctx);
    });

    /// <summary>Sets the scope's <see cref="CurrentUser"/> from a principal (HTTP requests and interactive circuits alike).</summary>
    public static async Task ApplyAsync(ClaimsPrincipal principal, IServiceProvider services)
    {
        if (CurrentUser.ReadClaims(principal) is { } c)
        {
            var settings = await OrganizationSettingsCache.GetAsync(services, c.OrganizationId);
            services.GetRequiredService<CurrentUser>().Set(c.OrganizationId, c.UserId, c.Role, settings.RepsSeeAll, settings.TimeZone);
        }
    }
}

/// <summary>Sets <see cref="CurrentUser"/> when an interactive (Blazor Server) circuit opens, so query filters apply there too.</summary>
public sealed class CurrentUserCircuitHandler(
    Microsoft.AspNetCore.Components.Authorization.AuthenticationStateProvider authentication, IServiceProvider services)
    : Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler
{
    public override async Task OnCircuitOpenedAsync(Microsoft.AspNetCore.Components.Server.Circuits.Circuit circuit, CancellationToken cancellationToken)
    {
        var state = await authentication.GetAuthenticationStateAsync();
        await AuthSetup.ApplyAsync(state.User, services);
    }
}

/// <summary>
/// Cookies are Secure-only everywhere except in Development, where `dotnet run` serves plain http://localhost
/// (no certificate is needed to try Kazan). Production runs behind TLS.
/// </summary>
public static class CookiePolicy
{
    public static CookieSecurePolicy For(IHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
}

/// <summary>The organization settings every request needs, cached briefly so a request costs no extra query.</summary>
public static class OrganizationSettingsCache
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);

    public sealed record Settings(bool RepsSeeAll, TimeZoneInfo TimeZone);

    public static async Task<Settings> GetAsync(IServiceProvider services, Guid organizationId)
    {
        var cache = services.GetRequiredService<IMemoryCache>();
        if (cache.TryGetValue(("org-settings", organizationId), out Settings? value) && value is not null)
        {
            return value;
        }

        var db = services.GetRequiredService<KazanDbContext>();
        var row = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == organizationId)
            .Select(o => new { o.RepsSeeAll, o.TimeZone }).FirstOrDefaultAsync();
        value = new Settings(row?.RepsSeeAll ?? false, OrganizationTime.Find(row?.TimeZone) ?? OrganizationTime.DefaultZone);
        cache.Set(("org-settings", organizationId), value, Ttl);
        return value;
    }

    public static void Forget(IServiceProvider services, Guid organizationId) =>
        services.GetRequiredService<IMemoryCache>().Remove(("org-settings", organizationId));
}

/// <summary>Puts organization, role, culture and display name into the sign-in cookie.</summary>
public sealed class KazanClaimsFactory(UserManager<User> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<User>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(User user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaims(ClaimsFor(user));
        return identity;
    }

    public static IEnumerable<Claim> ClaimsFor(User user) => ClaimsFor(user.OrganizationId, user.Role, user.Culture, user.DisplayName);

    public static IEnumerable<Claim> ClaimsFor(Guid organizationId, UserRole role, string culture, string displayName) =>
    [
        new Claim(KazanClaims.OrganizationId, organizationId.ToString()),
        new Claim(ClaimTypes.Role, role.ToString()),
        new Claim(KazanClaims.Culture, culture),
        new Claim(KazanClaims.DisplayName, displayName),
    ];
}

