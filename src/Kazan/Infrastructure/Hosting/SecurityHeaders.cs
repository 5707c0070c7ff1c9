using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Kazan.Infrastructure.Hosting;

/// <summary>
/// Response headers that tell the browser what a Kazan page may do: scripts, styles, fonts and pictures only from Kazan
/// itself (no inline script or style, no eval), connections only back to Kazan (the interactive pages' websocket),
/// forms only to Kazan, never inside another site's frame (<c>frame-ancestors 'self'</c>, as Blazor sets by default).
/// The API reference page (Scalar) starts itself with one inline script: that page's policy allows exactly that script
/// by its hash, inline styles, which its components set as they render, and eval, which its bundle calls (Chromium
/// reported it blocked). That page shows only the static API document.
/// </summary>
public static partial class SecurityHeaders
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    public const string ApiReferencePath = "/docs/api";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=()";

    private const string InlineHashesKey = "kazan.csp-inline-script-hashes";

    /// <summary>The reference page's policy: its own inline scripts by hash, eval, inline styles, nothing from other sites.</summary>
    public static string ApiReferencePolicy(IEnumerable<string> scriptHashes) =>
        $"default-src 'self'; script-src 'self' 'unsafe-eval'{string.Concat(scriptHashes.Select(h => $" 'sha256-{h}'"))}; style-src 'self' 'unsafe-inline'; "
        + "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    /// <summary>Base64 SHA-256 of each inline script's text in <paramref name="html"/>, as CSP compares them.</summary>
    public static IReadOnlyList<string> InlineScriptHashes(string html) =>
        [.. InlineScript().Matches(html).Select(m => Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value))))];

    /// <summary>Set as the response starts, so error pages (the exception handler clears headers) carry them too.</summary>
    public static IApplicationBuilder UseKazanSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = http.Items[InlineHashesKey] is IReadOnlyList<string> hashes ? ApiReferencePolicy(hashes) : Policy;
            headers.XContentTypeOptions = "nosniff";

            // Links carry secrets in their path (/q/…, /invite/…, /reset-password/…): no address goes to another site.
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = PermissionsPolicy;
            return Task.CompletedTask;
        });

        if (!IsApiReferencePage(http.Request.Path))
        {
            await next(http);
            return;
        }

        // The reference page is a small HTML file: hold it back, hash its inline scripts, then send it with its policy.
        var body = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = body;
        }

        http.Items[InlineHashesKey] = http.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true
            ? InlineScriptHashes(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))
            : [];
        buffer.Position = 0;
        await buffer.CopyToAsync(body, http.RequestAborted);
    });

    /// <summary>The reference page itself (its scripts and styles are files, served as they are).</summary>
    private static bool IsApiReferencePage(PathString path) =>
        path.StartsWithSegments(ApiReferencePath, out var rest) && (!rest.HasValue || rest == "/" || rest == "/index.html");
}
