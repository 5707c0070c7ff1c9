using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>What the browser is told a Kazan page may do (Infrastructure/Hosting/SecurityHeaders.cs).</summary>
public sealed partial class SecurityHeadersTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"<script(?![^>]*\bsrc\s*=)(?![^>]*type=""application/json"")[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"<[a-z][^>]*\s(on[a-z]+|style)\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandlerOrStyle();

    [GeneratedRegex(@"<script type=""module"">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ModuleScript();

    private static string Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries).Single(d => d.StartsWith(name + " ", StringComparison.Ordinal));

    private static void AssertStrict(HttpResponseMessage response)
    {
        var what = $"{response.RequestMessage!.RequestUri} ({(int)response.StatusCode})";
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var policies), $"no Content-Security-Policy on {what}");
        var policy = Assert.Single(policies);
        Assert.Equal("script-src 'self'", Directive(policy, "script-src"));
        Assert.Equal("style-src 'self'", Directive(policy, "style-src"));
        Assert.Equal("default-src 'self'", Directive(policy, "default-src"));
        Assert.Equal("connect-src 'self'", Directive(policy, "connect-src"));
        Assert.Equal("object-src 'none'", Directive(policy, "object-src"));
        Assert.Equal("frame-ancestors 'self'", Directive(policy, "frame-ancestors"));
        Assert.DoesNotContain("unsafe", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("same-origin", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_the_api_and_error_answers_carry_a_strict_content_security_policy_and_the_other_security_headers()
    {
        var org = await factory.CreateOrganizationAsync("Başlık A.Ş.");
        var anonymous = factory.Anonymous();

        AssertStrict(await anonymous.GetAsync("/signin", Ct));
        AssertStrict(await anonymous.GetAsync("/api/v1/me", Ct));
        AssertStrict(await anonymous.GetAsync("/no-such-page", Ct));
        AssertStrict(await anonymous.GetAsync("/openapi/v1.json", Ct));
        AssertStrict(await org.Admin.Client.GetAsync("/api/v1/me", Ct));
        AssertStrict(await org.Admin.Client.GetAsync($"/api/v1/accounts/{Guid.NewGuid()}", Ct));
    }

    [Fact]
    public async Task Pages_have_no_inline_script_event_handler_or_style_the_policy_would_block()
    {
        var org = await factory.CreateOrganizationAsync("Satır İçi A.Ş.");
        var session = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);
        string[] pages =
        [
            "/", "/my-day", "/board", "/opportunities", "/opportunities/new", "/accounts", "/contacts", "/quotes", "/quotes/new",
            "/orders", "/products", "/reports/funnel", "/reports/pipeline", "/reports/forecast", "/reports/win-rate", "/imports",
            "/profile", "/settings/users", "/settings/pipelines", "/settings/api-tokens", "/settings/mail", "/notifications",
        ];

        foreach (var url in pages)
        {
            var response = await session.GetAsync(url);
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            AssertStrict(response);
            Assert.False(InlineScript().IsMatch(html), $"{url} has an inline script: {InlineScript().Match(html).Value}");
            Assert.False(InlineHandlerOrStyle().IsMatch(html), $"{url} has an inline handler or style: {InlineHandlerOrStyle().Match(html).Value}");
            Assert.DoesNotContain("<style", html, StringComparison.OrdinalIgnoreCase);
        }

        foreach (var url in new[] { "/signin", "/forgot-password" })
        {
            var html = await factory.Anonymous().GetStringAsync(url, Ct);
            Assert.False(InlineScript().IsMatch(html) || InlineHandlerOrStyle().IsMatch(html), url);
        }
    }

    [Fact]
    public async Task The_api_reference_page_allows_its_own_inline_script_by_hash_and_loads_nothing_from_other_sites()
    {
        var response = await factory.Anonymous().GetAsync("/docs/api/", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var scriptSrc = Directive(policy, "script-src");
        var inline = ModuleScript().Match(html);
        Assert.True(inline.Success, html);
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline.Groups[1].Value)));
        // Scalar's bundle calls eval (the browser test saw it blocked); no inline script but its own start-up runs.
        Assert.Equal($"script-src 'self' 'unsafe-eval' 'sha256-{hash}'", scriptSrc);
        Assert.Equal("connect-src 'self'", Directive(policy, "connect-src"));
        Assert.Equal("frame-ancestors 'self'", Directive(policy, "frame-ancestors"));
        Assert.DoesNotContain("http", policy, StringComparison.Ordinal);

        // Its script file is served as it is, under the app's own policy.
        var script = await factory.Anonymous().GetAsync("/docs/api/scalar.js", Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
        Assert.Equal("nosniff", Assert.Single(script.Headers.GetValues("X-Content-Type-Options")));
    }

    [Fact]
    public async Task Hsts_is_not_sent_in_development()
    {
        var response = await factory.Anonymous().GetAsync("/signin", Ct);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }
}
