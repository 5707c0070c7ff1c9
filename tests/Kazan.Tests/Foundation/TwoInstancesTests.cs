using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Foundation;

/// <summary>
/// Two Kazan processes on one PostgreSQL database behind nginx (round robin, TLS at the proxy), both started at the same
/// moment on an empty database, as docs/scaling.md says to run several. Whatever one instance does, the other honours
/// on its very next request: a sign-in, document numbers, a revoked token, a deactivated user, a sign-out. Each step
/// asks the instance that did not serve the change, directly (the test, on loopback, speaks to it as the proxy would).
/// </summary>
public sealed class TwoInstancesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_behind_nginx_share_sign_ins_document_numbers_revocations_and_sign_outs()
    {
        Assert.SkipUnless(KazanFactory.UsePostgres, "Several instances share one PostgreSQL database; SQLite is one process's file (runs with KAZAN_TEST_DB=postgres).");
        Assert.True(NginxProxy.Executable is not null, "nginx is not installed: apt-get install nginx (test.sh installs it).");

        await using var database = await ScratchDatabase.CreateAsync("kazan_two");
        var proxyPort = Ports.Free();
        var settings = new Dictionary<string, string>
        {
            ["Kazan:PublicUrl"] = $"https://127.0.0.1:{proxyPort}",
            ["Kazan:Proxy:KnownProxies"] = "127.0.0.1",
        };

        // Both at once on an empty database: each applies the migrations as it starts (the migration lock lets one do it
        // and the other find it done) and each may create the first Data Protection key.
        await using var a = KazanProcess.Start(database.ConnectionString, Path.Combine(database.DataDirectory, "a"), settings);
        await using var b = KazanProcess.Start(database.ConnectionString, Path.Combine(database.DataDirectory, "b"), settings);
        var instances = new[] { a, b };
        NginxProxy? proxy = null;
        try
        {
            await Task.WhenAll(a.ReadyAsync(), b.ReadyAsync());
            await using (var db = database.Open())
            {
                Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync(Ct));

                // One sign-in key for both, made at start: two first keys, one per instance, would part their cookies
                // once the first minutes' key-ring reloads are over.
                Assert.Equal(1, await db.DataProtectionKeys.CountAsync(Ct));
            }

            proxy = await NginxProxy.StartAsync(proxyPort, [a.Address, b.Address]);
            using var web = proxy.Client();
            var direct = instances.ToDictionary(i => Upstream(i.Address), Direct);

            // Sign-up and sign-in through the proxy: the sign-in form and its post reach different instances.
            var email = "yonetici@iki-sunucu.example";
            await (await web.PostAsJsonAsync("/api/v1/onboarding", new
            {
                organizationName = "İki Sunucu A.Ş.",
                baseCurrency = "TRY",
                culture = "tr-TR",
                adminName = "Yönetici",
                adminEmail = email,
                adminPassword = TestOrganization.Password,
            }, Ct)).EnsureSuccessAsync();
            var browser = await CookieSession.SignInAsync(new CookieSession(proxy.Client()), email, TestOrganization.Password);
            var cookie = browser.AuthCookie!;
            foreach (var (name, client) in direct)
            {
                Assert.True(HttpStatusCode.OK == await PageAsync(client, cookie), $"the sign-in cookie is refused by {name}");
            }

            var token = await JsonAsync(await SendAsync(web, HttpMethod.Post, "/api/v1/api-tokens", cookie: cookie, body: new { name = "Entegrasyon" }));
            var bearer = token.GetProperty("token").GetString()!;
            var account = await JsonAsync(await SendAsync(web, HttpMethod.Post, "/api/v1/accounts", bearer: bearer, body: new { kind = "Company", name = "Ortak Müşteri A.Ş." }));

            // 40 quotes at once, spread over both instances: numbers 1..40, none twice, none missing.
            var created = await Task.WhenAll(Enumerable.Range(1, 40).Select(async i =>
            {
                var response = await SendAsync(web, HttpMethod.Post, "/api/v1/quotes", bearer: bearer,
                    body: new { accountId = account.GetProperty("id").GetGuid(), opportunityTitle = $"Teklif {i}", currency = "TRY", lines = Array.Empty<object>() });
                return (Upstream: UpstreamOf(response), Quote: await JsonAsync(response));
            }));
            Assert.Equal(2, created.Select(c => c.Upstream).Distinct().Count());
            var numbers = created.Select(c => c.Quote.GetProperty("number").GetString()!).ToList();
            Assert.Single(numbers.Select(n => n[..n.LastIndexOf('-')]).Distinct()); // one prefix and year
            Assert.Equal(Enumerable.Range(1, 40), numbers.Select(n => int.Parse(n[(n.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Order());

            // A revoked API token stops on both at once.
            foreach (var client in direct.Values)
            {
                Assert.Equal(HttpStatusCode.OK, (await SendAsync(client, HttpMethod.Get, "/api/v1/me", bearer: bearer)).StatusCode);
            }

            var revoked = await SendAsync(web, HttpMethod.Delete, $"/api/v1/api-tokens/{token.GetProperty("id").GetGuid()}", cookie: cookie);
            Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
            foreach (var (name, client) in OtherFirst(direct, revoked))
            {
                Assert.True(HttpStatusCode.Unauthorized == (await SendAsync(client, HttpMethod.Get, "/api/v1/me", bearer: bearer)).StatusCode,
                    $"{name} still takes the token revoked through {UpstreamOf(revoked)}");
            }

            // A deactivated user's session ends on both at once.
            var invitation = await JsonAsync(await SendAsync(web, HttpMethod.Post, "/api/v1/invitations", cookie: cookie, body: new { email = "temsilci@iki-sunucu.example", role = "Rep" }));
            var link = invitation.GetProperty("link").GetString()!;
            var accepted = await JsonAsync(await SendAsync(web, HttpMethod.Post, "/api/v1/invitations/accept",
                body: new { token = link[(link.LastIndexOf('/') + 1)..], displayName = "Temsilci", password = TestOrganization.Password }));
            var repId = accepted.GetProperty("userId").GetGuid();
            var repCookie = (await CookieSession.SignInAsync(new CookieSession(proxy.Client()), "temsilci@iki-sunucu.example", TestOrganization.Password)).AuthCookie!;
            foreach (var client in direct.Values)
            {
                Assert.Equal(HttpStatusCode.OK, await PageAsync(client, repCookie));
            }

            var rep = await SendAsync(web, HttpMethod.Get, $"/api/v1/users/{repId}", cookie: cookie);
            await rep.EnsureSuccessAsync();
            var deactivated = await SendAsync(web, HttpMethod.Put, $"/api/v1/users/{repId}", cookie: cookie, ifMatch: rep.Headers.ETag!.ToString(),
                body: new { displayName = "Temsilci", role = "Rep", teamId = (Guid?)null, isActive = false });
            await deactivated.EnsureSuccessAsync();
            foreach (var (name, client) in OtherFirst(direct, deactivated))
            {
                Assert.True(HttpStatusCode.Redirect == await PageAsync(client, repCookie), $"{name} still lets the user deactivated through {UpstreamOf(deactivated)} in");
            }

            // Signing out through one ends the session on both: a copy of the cookie is refused everywhere.
            var signOut = await browser.PostFormToAsync("/profile", "/signout", []);
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
            foreach (var (name, client) in OtherFirst(direct, signOut))
            {
                Assert.True(HttpStatusCode.Redirect == await PageAsync(client, cookie), $"{name} still takes a cookie signed out through {UpstreamOf(signOut)}");
            }

            Assert.All(instances, i => Assert.False(i.HasExited));
        }
        catch
        {
            var output = TestContext.Current.TestOutputHelper;
            foreach (var instance in instances)
            {
                output?.WriteLine($"--- Kazan on {instance.Address}:\n{instance.Output}");
            }

            output?.WriteLine($"--- nginx error log:\n{proxy?.ErrorLog}");
            throw;
        }
        finally
        {
            if (proxy is not null)
            {
                await proxy.DisposeAsync();
            }
        }
    }

    /// <summary>"127.0.0.1:5123", as nginx names an upstream in <see cref="NginxProxy.UpstreamHeader"/>.</summary>
    private static string Upstream(Uri address) => $"{address.Host}:{address.Port}";

    private static string UpstreamOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues(NginxProxy.UpstreamHeader, out var values) ? values.Single() : "(no upstream)";

    /// <summary>The instances, the one that did not serve <paramref name="change"/> first.</summary>
    private static IEnumerable<KeyValuePair<string, HttpClient>> OtherFirst(Dictionary<string, HttpClient> direct, HttpResponseMessage change) =>
        direct.OrderBy(d => d.Key == UpstreamOf(change));

    /// <summary>A client of one instance, bypassing the proxy. It says the request came over TLS, as nginx does: Kazan believes that from loopback.</summary>
    private static HttpClient Direct(KazanProcess instance) => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = instance.Address,
        DefaultRequestHeaders = { { "X-Forwarded-Proto", "https" } },
    };

    /// <summary>A signed-in page with only <paramref name="cookie"/>: 200, or a redirect to the sign-in page when the session has ended.</summary>
    private static async Task<HttpStatusCode> PageAsync(HttpClient client, string cookie)
    {
        var response = await SendAsync(client, HttpMethod.Get, "/profile", cookie: cookie);
        if (response.StatusCode == HttpStatusCode.Redirect)
        {
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        return response.StatusCode;
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, string url, string? cookie = null, string? bearer = null, object? body = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (cookie is not null)
        {
            request.Headers.Add("Cookie", "kazan.auth=" + cookie);
        }

        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await client.SendAsync(request, Ct);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response)
    {
        await response.EnsureSuccessAsync();
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}
