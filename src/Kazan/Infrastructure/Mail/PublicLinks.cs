using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Kazan.Infrastructure.Mail;

/// <summary><c>Kazan:PublicUrl</c>: the address users reach Kazan at, e.g. <c>https://crm.example.com</c>.</summary>
public sealed class PublicUrlOptions
{
    public const string Setting = "Kazan:PublicUrl";

    public string? PublicUrl { get; set; }
}

/// <summary>
/// The address links that leave the app (invitations, password resets, online quotes, mailed copies) start with. Never
/// the request's Host header: <c>Host: evil.example</c> would otherwise put the attacker's host in a reset link that
/// Kazan mails to a real user. The rule (docs/operations.md, decision 0016): <c>Kazan:PublicUrl</c> when set; unset in
/// Development or a <c>--demo</c> run (a trial on one machine), the first address the server listens on (a wildcard
/// host becomes <c>localhost</c>); unset elsewhere, Kazan refuses to start and says so.
/// </summary>
public sealed class PublicBaseUrl(IOptions<PublicUrlOptions> options, IServiceProvider services)
{
    private readonly string? _configured = string.IsNullOrWhiteSpace(options.Value.PublicUrl) ? null : options.Value.PublicUrl.Trim().TrimEnd('/');

    public string Value => _configured ?? FromServer();

    private string FromServer()
    {
        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null)
        {
            return "http://localhost";
        }

        // "http://+:8080", "http://*:8080", "http://0.0.0.0:8080", "http://[::]:8080": listening everywhere, reached here.
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }

        return uri.Uri.GetLeftPart(UriPartial.Authority) + uri.Path.TrimEnd('/');
    }

    /// <summary>Why <paramref name="value"/> cannot be the public address in <paramref name="environment"/>, or null when it can.</summary>
    public static string? Problem(string? value, IHostEnvironment environment, bool demo = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return environment.IsDevelopment() || demo
                ? null
                : $"{PublicUrlOptions.Setting} is not set. Outside Development Kazan needs the address users reach it at "
                  + "(e.g. https://crm.example.com) to build invitation, password-reset and quote links; it never takes it from a request's Host header.";
        }

        if (!Uri.TryCreate(value.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"{PublicUrlOptions.Setting} must be an absolute http(s) address without query, e.g. https://crm.example.com; it is '{value}'.";
        }

        return uri.Scheme != Uri.UriSchemeHttps && !environment.IsDevelopment()
            ? $"{PublicUrlOptions.Setting} must start with https:// outside Development (sign-in cookies are Secure-only there); it is '{value}'."
            : null;
    }
}

/// <summary>Shortcuts to <see cref="PublicBaseUrl"/> for endpoints, pages and interactive components.</summary>
public static class PublicLinks
{
    public static string Base(HttpContext http) => Base(http.RequestServices);

    public static string Base(IServiceProvider services) => services.GetRequiredService<PublicBaseUrl>().Value;

    /// <summary>Registers <see cref="PublicBaseUrl"/>; the host does not start when the setting breaks the rule.</summary>
    public static IServiceCollection AddKazanPublicUrl(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment, bool demo)
    {
        services.AddOptions<PublicUrlOptions>()
            .Configure(o => o.PublicUrl = configuration[PublicUrlOptions.Setting])
            .Validate(o => PublicBaseUrl.Problem(o.PublicUrl, environment, demo) is null, PublicBaseUrl.Problem(configuration[PublicUrlOptions.Setting], environment, demo) ?? "")
            .ValidateOnStart();
        services.AddSingleton<PublicBaseUrl>();
        return services;
    }
}
