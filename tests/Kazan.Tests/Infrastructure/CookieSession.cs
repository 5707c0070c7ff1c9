using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// One browser's cookies over plain HTTP: signs in through the sign-in form, posts page forms with their antiforgery
/// token, and keeps whatever cookies the server sets or deletes — enough to tell whether a session still works.
/// </summary>
public sealed partial class CookieSession
{
    private readonly HttpClient _client;
    private readonly Dictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public CookieSession(KazanFactory factory, string? acceptLanguage = null)
    {
        _client = factory.NewClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        if (acceptLanguage is not null)
        {
            _client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        }
    }

    /// <summary>A browser on a client of its own (a real server or proxy); give it no cookie handling and no redirects.</summary>
    public CookieSession(HttpClient client) => _client = client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>Sends <paramref name="name"/> with every request of this browser (e.g. <see cref="PeerAddress.Header"/>).</summary>
    public CookieSession With(string name, string value)
    {
        _client.DefaultRequestHeaders.Add(name, value);
        return this;
    }

    public bool HasAuthCookie => _cookies.ContainsKey("kazan.auth");

    public string? AuthCookie => _cookies.GetValueOrDefault("kazan.auth");

    public static Task<CookieSession> SignInAsync(KazanFactory factory, string email, string password, string? acceptLanguage = null) =>
        SignInAsync(new CookieSession(factory, acceptLanguage), email, password);

    /// <summary>Signs <paramref name="session"/> in through the sign-in form.</summary>
    public static async Task<CookieSession> SignInAsync(CookieSession session, string email, string password)
    {
        var response = await session.PostFormAsync("/signin", "signin", new() { ["Input.Email"] = email, ["Input.Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect && session.HasAuthCookie,
            $"Sign-in as {email} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        return session;
    }

    /// <summary>True when a page that needs a sign-in answers 200 instead of sending to the sign-in page.</summary>
    public async Task<bool> IsSignedInAsync()
    {
        var response = await GetAsync("/profile");
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async Task<HttpResponseMessage> GetAsync(string url)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        AddCookies(request);
        var response = await _client.SendAsync(request, Ct);
        Absorb(response);
        return response;
    }

    /// <summary>Loads <paramref name="url"/> for its antiforgery token, then posts the form named <paramref name="handler"/> to it.</summary>
    public Task<HttpResponseMessage> PostFormAsync(string url, string handler, Dictionary<string, string> fields) =>
        PostFormToAsync(url, url, fields, new() { ["_handler"] = handler });

    /// <summary>Loads <paramref name="pageUrl"/> for its antiforgery token, then posts a form of it to <paramref name="action"/> (e.g. sign-out).</summary>
    public async Task<HttpResponseMessage> PostFormToAsync(string pageUrl, string action, Dictionary<string, string> fields, Dictionary<string, string>? extra = null)
    {
        var page = await GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token) };
        foreach (var (key, value) in extra ?? [])
        {
            form[key] = value;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(form) };
        AddCookies(request);
        var response = await _client.SendAsync(request, Ct);
        Absorb(response);
        return response;
    }

    private void AddCookies(HttpRequestMessage request)
    {
        if (_cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }
    }

    private void Absorb(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            return;
        }

        foreach (var header in setCookies)
        {
            var pair = header.Split(';')[0];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = (pair[..eq].Trim(), pair[(eq + 1)..].Trim());
            if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                _cookies.Remove(name);
            }
            else
            {
                _cookies[name] = value;
            }
        }
    }
}
