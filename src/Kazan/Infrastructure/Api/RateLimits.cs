using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;

namespace Kazan.Infrastructure.Api;

/// <summary>
/// A token bucket per caller (user id, else client address) on <c>/api</c>, and a tighter one per client address on the
/// public routes (<c>/q/…</c>, <c>/api/v1/public/…</c>: <c>Kazan:RateLimit:PublicPermitsPerMinute</c>, default 60, and <c>:PublicBurst</c>, 30). Over the limit → 429 problem details
/// with <c>Retry-After</c>. Limits come from <c>Kazan:RateLimit:PermitsPerMinute</c> (default 600) and <c>:Burst</c>.
/// </summary>
public static class RateLimits
{
    public static IServiceCollection AddKazanRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Kazan:RateLimit:PermitsPerMinute", 600);
        var burst = configuration.GetValue("Kazan:RateLimit:Burst", 100);
        var publicPerMinute = configuration.GetValue("Kazan:RateLimit:PublicPermitsPerMinute", 60);
        var publicBurst = configuration.GetValue("Kazan:RateLimit:PublicBurst", 30);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // The public pages (the online quote) are reached without signing in: a tighter bucket per client address,
                // so nobody can try tokens or hammer the page.
                if (IsPublic(http.Request.Path) && publicPerMinute > 0)
                {
                    return RateLimitPartition.GetTokenBucketLimiter("public:" + http.Connection.RemoteIpAddress, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = publicBurst,
                        TokensPerPeriod = Math.Max(1, publicPerMinute / 60),
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    });
                }

                if (!http.Request.Path.StartsWithSegments("/api") || perMinute <= 0)
                {
                    return RateLimitPartition.GetNoLimiter("none");
                }

                var who = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "ip:" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetTokenBucketLimiter(who, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = Math.Max(1, perMinute / 60),
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = async (ctx, ct) =>
            {
                var retryAfter = ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                ctx.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await ctx.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = ctx.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"Slow down; retry after {seconds} s.",
                    },
                });
            };
        });
        return services;
    }

    /// <summary>The anonymous public routes: the online quote page and its JSON API.</summary>
    public static bool IsPublic(PathString path) => path.StartsWithSegments("/q") || path.StartsWithSegments("/api/v1/public");
}
