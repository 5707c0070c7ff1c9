using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

/// <summary>
/// Production behind a TLS-terminating proxy at 10.0.0.5, reached at https://crm.example.com. The in-memory server has
/// no TCP peer: <see cref="PeerAddress"/> stands for the address the request came from.
/// </summary>
public sealed class ProxiedProductionFactory : KazanFactory
{
    protected override string EnvironmentName => "Production";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kazan:PublicUrl"] = "https://crm.example.com",
        ["Kazan:Proxy:KnownProxies"] = "10.0.0.5",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, PeerAddress>());
    }
}

/// <summary>Development on a real socket with no <c>Kazan:PublicUrl</c>: links fall back to the address Kestrel listens on.</summary>
public sealed class KestrelWithoutPublicUrlFactory : KazanFactory
{
    public KestrelWithoutPublicUrlFactory() => UseKestrel(0);

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Kazan:PublicUrl"] = "" };

    protected override Uri ClientBaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}

/// <summary>Production with no <c>Kazan:PublicUrl</c>: must not start.</summary>
public sealed class ProductionWithoutPublicUrlFactory : KazanFactory
{
    protected override string EnvironmentName => "Production";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Kazan:PublicUrl"] = "" };
}

// Its own hosts: Production behind a proxy, and Kestrel without a public address.
public sealed partial class ProxyAndLinkTests(ProxiedProductionFactory proxied, KestrelWithoutPublicUrlFactory kestrel)
    : IClassFixture<ProxiedProductionFactory>, IClassFixture<KestrelWithoutPublicUrlFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    /// <summary>The proxy's connection to Kazan: plain HTTP from <paramref name="peer"/>, claiming the client came over HTTPS.</summary>
    private HttpClient ThroughProxy(string peer)
    {
        var client = proxied.NewClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri("http://kazan.internal"),
        });
        client.DefaultRequestHeaders.Add(PeerAddress.Header, peer);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.9");
        return client;
    }

    [Fact]
    public async Task Behind_the_known_proxy_a_forwarded_https_request_gets_the_sign_in_page_signs_in_with_a_secure_cookie_and_gets_hsts()
    {
        var org = await proxied.CreateOrganizationAsync("Vekil A.Ş.");
        var client = ThroughProxy("10.0.0.5");

        var page = await client.GetAsync("/signin", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{(int)page.StatusCode}: {html}");
        Assert.True(page.Headers.Contains("Strict-Transport-Security"));
        var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "signin",
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(AntiforgeryField().Match(html).Groups[1].Value),
                ["Input.Email"] = org.Admin.Email,
                ["Input.Password"] = TestOrganization.Password,
            }),
        };
        request.Headers.Add("Cookie", string.Join("; ", page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])));
        var signIn = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var auth = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kazan.auth=", StringComparison.Ordinal));
        Assert.Contains("secure", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Forwarded_headers_from_any_other_peer_are_ignored_and_plain_http_is_sent_to_the_public_address()
    {
        var client = ThroughProxy("198.51.100.7");

        var page = await client.GetAsync("/signin?returnUrl=%2Fquotes", Ct);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal("https://crm.example.com/signin?returnUrl=%2Fquotes", page.Headers.Location!.ToString());
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));

        var api = await client.PostAsJsonAsync("/api/v1/onboarding", new { organizationName = "X" }, Ct);
        var problem = await api.ProblemAsync(400);
        Assert.Equal("HTTPS required.", problem.GetProperty("title").GetString());

        // Load balancers check health over plain HTTP.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health", Ct)).StatusCode);
    }

    [Fact]
    public async Task Links_that_leave_the_app_start_with_the_public_address_whatever_host_the_request_names()
    {
        var org = await proxied.CreateOrganizationAsync("Bağlantı A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var client = proxied.NewClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://evil.example") });
        client.DefaultRequestHeaders.Authorization = org.Admin.Client.DefaultRequestHeaders.Authorization;

        var invite = await client.PostAsJsonAsync("/api/v1/invitations", new { email = $"yeni-{Guid.NewGuid():N}@example.com", role = "Rep" }, Ct);
        await invite.EnsureSuccessAsync();
        var reset = await client.PostAsync($"/api/v1/users/{rep.Id}/password-reset", null, Ct);
        await reset.EnsureSuccessAsync();

        Assert.StartsWith("https://crm.example.com/invite/", (await invite.Content.ReadFromJsonAsync<LinkResponse>(Ct))!.Link, StringComparison.Ordinal);
        Assert.StartsWith("https://crm.example.com/reset-password/", (await reset.Content.ReadFromJsonAsync<LinkResponse>(Ct))!.Link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_public_address_development_links_use_the_address_kazan_listens_on_not_the_host_header()
    {
        var org = await kestrel.CreateOrganizationAsync("Dinleyen A.Ş.");
        var listening = kestrel.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        using var client = new HttpClient { BaseAddress = kestrel.ClientOptions.BaseAddress };
        var token = org.Admin.Client.DefaultRequestHeaders.Authorization!;
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(token.Scheme, token.Parameter);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/invitations")
        {
            Content = JsonContent.Create(new { email = $"yeni-{Guid.NewGuid():N}@example.com", role = "Rep" }),
        };
        request.Headers.Host = "evil.example";

        var invite = await client.SendAsync(request, Ct);

        await invite.EnsureSuccessAsync();
        var link = (await invite.Content.ReadFromJsonAsync<LinkResponse>(Ct))!.Link;
        Assert.StartsWith(listening + "/invite/", link, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", link, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outside_development_kazan_refuses_to_start_without_a_public_address()
    {
        var factory = new ProductionWithoutPublicUrlFactory();
        try
        {
            var failure = await Record.ExceptionAsync(async () => await factory.InitializeAsync());

            Assert.NotNull(failure);
            Assert.Contains("Kazan:PublicUrl is not set", failure.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            await factory.DisposeAsync();
        }
    }

    private sealed record LinkResponse(string Link);
}
