using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kazan.Tests.Foundation;

/// <summary>
/// Sign-out, a password change, a role change and deactivation end every session of the user at once: a sign-in cookie
/// captured before (copied out of a browser) is refused on its very next use (decision 0016).
/// </summary>
public sealed class SessionEndTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A request carrying only <paramref name="cookie"/>, as an attacker replaying a copied cookie would send it.</summary>
    private async Task<HttpResponseMessage> ReplayAsync(string cookie, string url)
    {
        var client = factory.NewClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", "kazan.auth=" + cookie);
        return await client.SendAsync(request, Ct);
    }

    private async Task AssertRefusedAsync(string cookie)
    {
        var page = await ReplayAsync(cookie, "/profile");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/signin", page.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        await (await ReplayAsync(cookie, "/api/v1/me")).ProblemAsync(401);
    }

    [Fact]
    public async Task Signing_out_ends_every_session_of_the_user_and_a_cookie_copied_before_is_refused()
    {
        var org = await factory.CreateOrganizationAsync("Çıkış A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var here = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);
        var elsewhere = await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password);
        var copied = here.AuthCookie!;
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(copied, "/profile")).StatusCode);

        var signOut = await here.PostFormToAsync("/profile", "/signout", []);

        Assert.True(signOut.StatusCode == HttpStatusCode.Redirect, $"{(int)signOut.StatusCode}: {await signOut.Content.ReadAsStringAsync(Ct)}");
        Assert.False(here.HasAuthCookie);
        await AssertRefusedAsync(copied);
        Assert.False(await elsewhere.IsSignedInAsync());

        // Signing in again works, and the API token (a separate credential) was never affected.
        Assert.True(await (await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password)).IsSignedInAsync());
        Assert.Equal(HttpStatusCode.OK, (await rep.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("role")]
    [InlineData("deactivation")]
    public async Task A_cookie_captured_before_a_change_of_access_is_refused_right_after(string change)
    {
        var org = await factory.CreateOrganizationAsync("Yakalanan Çerez A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var captured = (await CookieSession.SignInAsync(factory, rep.Email, TestOrganization.Password)).AuthCookie!;
        Assert.Equal(HttpStatusCode.OK, (await ReplayAsync(captured, "/profile")).StatusCode);

        switch (change)
        {
            case "password":
                await (await rep.Client.PostAsJsonAsync("/api/v1/me/password",
                    new { currentPassword = TestOrganization.Password, newPassword = "yeni-sifre-2027" }, Ct)).EnsureSuccessAsync();
                break;
            case "role":
                var current = await org.Admin.Client.GetAsync($"/api/v1/users/{rep.Id}", Ct);
                var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/users/{rep.Id}")
                {
                    Content = JsonContent.Create(new { displayName = "Terfi Eden", role = "Manager", teamId = (Guid?)null, isActive = true }),
                };
                request.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
                await (await org.Admin.Client.SendAsync(request, Ct)).EnsureSuccessAsync();
                break;
            default:
                await (await org.Admin.Client.PostAsync($"/api/v1/users/{rep.Id}/deactivate", null, Ct)).EnsureSuccessAsync();
                break;
        }

        await AssertRefusedAsync(captured);
    }
}
