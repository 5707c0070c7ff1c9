using System.Net;
using System.Text.RegularExpressions;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Foundation;

/// <summary>Runs as Production, where cookies must be Secure.</summary>
public sealed class ProductionFactory : KazanFactory
{
    protected override string EnvironmentName => "Production";
}

// Its own host: runs as Production.
public sealed partial class CookieSignInTests(ProductionFactory factory) : IClassFixture<ProductionFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private HttpClient Browser() => factory.NewClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = false,
        BaseAddress = new Uri("https://localhost"),
    });

    private static string CookieHeader(IEnumerable<string> setCookies) =>
        string.Join("; ", setCookies.Select(c => c.Split(';')[0]));

    private static async Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string email, string password)
    {
        var page = await client.GetAsync("/signin", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        var token = AntiforgeryField().Match(html).Groups[1].Value;
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        request.Headers.Add("Cookie", CookieHeader(page.Headers.GetValues("Set-Cookie")));
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task Signing_in_sets_a_secure_httponly_samesite_cookie_and_stores_data_protection_keys_in_the_database()
    {
        var org = await factory.CreateOrganizationAsync("Çerez A.Ş.");
        var client = Browser();

        var response = await PostSignInAsync(client, org.Admin.Email, TestOrganization.Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var auth = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kazan.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", auth, StringComparison.OrdinalIgnoreCase);

        var home = new HttpRequestMessage(HttpMethod.Get, "/");
        home.Headers.Add("Cookie", auth.Split(';')[0]);
        var homeResponse = await client.SendAsync(home, Ct);
        Assert.Equal(HttpStatusCode.OK, homeResponse.StatusCode);
        Assert.Contains("Çerez A.Ş.", await homeResponse.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.True(await db.DataProtectionKeys.AnyAsync(Ct));
        }
    }

    [Fact]
    public async Task A_wrong_password_shows_a_readable_message_and_sets_no_auth_cookie()
    {
        var org = await factory.CreateOrganizationAsync("Yanlış A.Ş.");

        var response = await PostSignInAsync(Browser(), org.Admin.Email, "yanlis-sifre-000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("signin-error", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.DoesNotContain(response.Headers.TryGetValues("Set-Cookie", out var c) ? c : [], x => x.StartsWith("kazan.auth=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_form_post_without_an_antiforgery_token_is_rejected()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "signin", ["Input.Email"] = "a@b.co", ["Input.Password"] = "x" }),
        };

        var response = await Browser().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Pages_need_a_sign_in_and_the_api_answers_401_instead_of_redirecting()
    {
        var page = await Browser().GetAsync("/settings/users", Ct);
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var api = await Browser().GetAsync("/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }
}
