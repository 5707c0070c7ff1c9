using System.Net;
using Kazan.Infrastructure.Mail;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;

namespace Kazan.Infrastructure.Hosting;

/// <summary>
/// Kazan behind a reverse proxy that terminates TLS. <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed
/// only from the proxies listed in <c>Kazan:Proxy:KnownProxies</c> (addresses) and <c>Kazan:Proxy:KnownNetworks</c>
/// (CIDR ranges), besides the loopback addresses the framework trusts by default; from anyone else they are ignored,
/// so a client cannot choose the address the sign-in throttle counts or pretend to have come over TLS.
/// <c>X-Forwarded-Host</c> is never read: links are built from <c>Kazan:PublicUrl</c>.
/// </summary>
public static class ProxySetup
{
    public static IServiceCollection AddKazanProxy(this IServiceCollection services, IConfiguration configuration)
    {
        // Parsed now, so a typo stops the start with a message rather than the first request.
        var proxies = Entries(configuration, "Kazan:Proxy:KnownProxies")
            .Select(p => IPAddress.TryParse(p, out var ip) ? ip : throw new InvalidOperationException($"Kazan:Proxy:KnownProxies: '{p}' is not an IP address.")).ToList();
        var networks = Entries(configuration, "Kazan:Proxy:KnownNetworks")
            .Select(n => System.Net.IPNetwork.TryParse(n, out var net) ? net : throw new InvalidOperationException($"Kazan:Proxy:KnownNetworks: '{n}' is not a CIDR range such as 10.0.0.0/8.")).ToList();
        var forwardLimit = configuration.GetValue("Kazan:Proxy:ForwardLimit", 1);
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = forwardLimit;
            proxies.ForEach(o.KnownProxies.Add);
            networks.ForEach(o.KnownIPNetworks.Add);
        });
        return services;
    }

    /// <summary>A list setting, as an array (<c>KnownProxies:0</c>, <c>:1</c> …) or one comma-separated value.</summary>
    private static IEnumerable<string> Entries(IConfiguration configuration, string key)
    {
        var section = configuration.GetSection(key);
        var values = section.GetChildren().Select(c => c.Value).Append(section.Value);
        return values.SelectMany(v => (v ?? "").Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>
    /// Outside Development, Kazan answers only over HTTPS (its cookies are Secure-only, and antiforgery refuses to issue
    /// a Secure token over plain HTTP with a 500). A plain-HTTP page request is sent to the same path on
    /// <c>Kazan:PublicUrl</c>; anything else gets a 400 problem saying what to configure. <c>/health</c> stays
    /// reachable over HTTP for load balancers. <c>Kazan:RequireHttps=false</c> turns the rule off for a machine that is
    /// reached only by programs over plain HTTP (the bench, the crash tests); its pages cannot sign in then.
    /// </summary>
    public static IApplicationBuilder UseHttpsOnly(this IApplicationBuilder app, IHostEnvironment environment, IConfiguration configuration)
    {
        if (environment.IsDevelopment() || !configuration.GetValue("Kazan:RequireHttps", true))
        {
            return app;
        }

        return app.Use(async (http, next) =>
        {
            if (http.Request.IsHttps || http.Request.Path.StartsWithSegments("/health"))
            {
                await next(http);
                return;
            }

            var publicBase = PublicLinks.Base(http);
            if ((HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                && publicBase.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !http.Request.Path.StartsWithSegments("/api"))
            {
                http.Response.Redirect(publicBase + http.Request.Path + http.Request.QueryString, permanent: false, preserveMethod: true);
                return;
            }

            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status400BadRequest,
                    Title = "HTTPS required.",
                    Detail = "Kazan answers over HTTPS only. Behind a proxy that terminates TLS, forward X-Forwarded-Proto and list the proxy in Kazan:Proxy:KnownProxies or Kazan:Proxy:KnownNetworks.",
                },
            });
        });
    }
}
