namespace Kazan.Infrastructure.Mail;

/// <summary>
/// The address links in mails and hand-over boxes start with. <c>Kazan:PublicUrl</c> when set (recommended: a reset link
/// built from a request's Host header could point at a host an attacker chose); else the request's own scheme and host.
/// </summary>
public static class PublicLinks
{
    public static string Base(HttpContext http) =>
        Base(http.RequestServices.GetRequiredService<IConfiguration>(), $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}");

    /// <summary>For an interactive page, which has no request: <paramref name="pageBase"/> is the page's own base address.</summary>
    public static string Base(IConfiguration configuration, string pageBase)
    {
        var configured = configuration["Kazan:PublicUrl"];
        return (!string.IsNullOrWhiteSpace(configured) ? configured : pageBase).TrimEnd('/');
    }
}
