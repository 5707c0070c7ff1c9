using System.Net;
using System.Text.RegularExpressions;

namespace Kazan.Tests.Infrastructure;

/// <summary>Posting the server-rendered pages' forms as a browser would, and reading the answer.</summary>
public static partial class PageForms
{
    /// <summary>Posts one of a page's forms: with the page's antiforgery token and the form's name (<c>_handler</c>).</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string url, string form, Dictionary<string, string> fields)
    {
        var ct = TestContext.Current.CancellationToken;
        var page = await client.GetStringAsync(url, ct);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var body = new Dictionary<string, string>(fields) { ["_handler"] = form, ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(body), ct);
    }

    /// <summary>A form that succeeded answers with a redirect (post/redirect/get); one that failed re-renders the page with its errors.</summary>
    public static async Task<Uri?> RedirectedAsync(this HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var body = await response.Content.ReadAsStringAsync();
            var errors = FormErrors().Match(body).Value;
            Assert.Fail($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}: {(errors.Length > 0 ? errors : body[..Math.Min(body.Length, 400)])}");
        }

        return response.Headers.Location;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("data-testid=\"form-errors\"[\\s\\S]*?</div>")]
    private static partial Regex FormErrors();
}
