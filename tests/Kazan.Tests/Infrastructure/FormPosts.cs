using System.Net;
using System.Text.RegularExpressions;

namespace Kazan.Tests.Infrastructure;

/// <summary>Server-rendered forms posted as a browser without script posts them: the page's antiforgery token and the form's name.</summary>
public static partial class FormPosts
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, string form, IDictionary<string, string> fields)
    {
        var page = await client.GetStringAsync(url, Ct);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var body = new Dictionary<string, string>(fields) { ["_handler"] = form, ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(body), Ct);
    }

    /// <summary>The page's HTML with entities decoded.</summary>
    public static async Task<string> HtmlAsync(this HttpResponseMessage response) => WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Ct));

    /// <summary>The input named <paramref name="name"/>: its value, whether it is marked invalid, and the text of its error.</summary>
    public static (string? Value, bool Invalid, string? Error) Box(string html, string name)
    {
        var input = Regex.Match(html, $"<input [^>]*name=\"{Regex.Escape(name)}\"[^>]*>");
        if (!input.Success)
        {
            return (null, false, null);
        }

        var value = Regex.Match(input.Value, "value=\"([^\"]*)\"");
        var id = Regex.Match(input.Value, "id=\"([^\"]*)\"").Groups[1].Value;
        var error = Regex.Match(html, $"<span class=\"input-error\" id=\"{id}-error\"[^>]*>([^<]*)</span>");
        return (value.Success ? value.Groups[1].Value : null, input.Value.Contains("aria-invalid=\"true\"", StringComparison.Ordinal),
            error.Success && !error.Value.Contains(" hidden", StringComparison.Ordinal) ? error.Groups[1].Value : null);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
