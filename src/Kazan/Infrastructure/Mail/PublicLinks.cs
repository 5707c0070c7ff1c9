namespace Kazan.Infrastructure.Mail;

/// <summary>
/// The address links in mails and hand-over boxes start with. <c>Kazan:PublicUrl</c> when set (recommended: a reset link
/// built from a request's Host header could point at a host an attacker chose); else the request's own scheme and host.
/// </summary>
public static class PublicLinks
{
    public static string Base(HttpContext http)
    {
        var configured = http.RequestServices.GetRequiredService<IConfiguration>()["Kazan:PublicUrl"];
        return !string.IsNullOrWhiteSpace(configured)
            ? configured.TrimEnd('/')
            : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}";
    }
}
