using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Infrastructure.Auth;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

/// <summary>
/// Walks every API endpoint the app maps. Each must declare who may call it; anonymous callers get 401; a caller from
/// another organization gets 404 on this organization's ids and never sees its rows in lists. A new endpoint fails
/// here until it is given a sample route and body below, which is the point: nobody adds an unchecked endpoint.
/// </summary>
public sealed class AuthorizationMatrixTests(KazanFactory factory)
{
    private readonly ApiSamples _samples = new(factory);

    private static readonly HashSet<string> AnonymousEndpoints =
    [
        "POST /api/v1/onboarding",
        "POST /api/v1/invitations/accept",
        "POST /api/v1/password-resets",
        "POST /api/v1/password-resets/complete",

        // The online quote: the token in the path is the customer's only credential (QuoteLinksApi, OnlineQuoteTests).
        "GET /api/v1/public/quotes/{token}",
        "GET /api/v1/public/quotes/{token}/pdf",
        "GET /api/v1/public/quotes/{token}/pdf/accepted",
        "POST /api/v1/public/quotes/{token}/accept",
        "POST /api/v1/public/quotes/{token}/reject",
    ];

    /// <summary>
    /// Every route outside the API that a caller may reach without signing in, reviewed: the sign-in and password
    /// pages, the invitation page, the online quote and its downloads, the health check, the API's documentation.
    /// Static files (fingerprinted assets) are left out of the walk.
    /// </summary>
    private static readonly HashSet<string> AnonymousPages =
    [
        "* /health",
        "GET /openapi/{documentName}.json",
        "GET /docs/api/{documentName?}",
        "GET /docs/api/favicon.svg",
        "GET /docs/api/scalar.aspnetcore.js",
        "GET /docs/api/scalar.js",
        "GET,POST /signin",
        "GET,POST /onboarding",
        "GET,POST /forgot-password",
        "GET,POST /reset-password/{Token}",
        "GET,POST /invite/{Token}",
        "POST /culture",
        "GET,POST /q/{Token}",
        "GET /q/{token}/pdf",
        "GET /q/{token}/pdf/accepted",
        "GET /q/{token}/revised",
    ];


    [Fact]
    public void Every_api_endpoint_declares_an_authorization_policy_or_is_a_known_anonymous_one()
    {
        var endpoints = _samples.ApiEndpoints().ToList();
        Assert.NotEmpty(endpoints);
        foreach (var (key, _, _, metadata) in endpoints)
        {
            var anonymous = metadata.GetMetadata<IAllowAnonymous>() is not null;
            var authorized = metadata.GetOrderedMetadata<IAuthorizeData>().Any();
            Assert.True(anonymous || authorized, $"{key} has no authorization policy.");
            Assert.True(!anonymous || AnonymousEndpoints.Contains(key), $"{key} allows anonymous callers but is not in the reviewed list.");
        }
    }

    [Fact]
    public void Every_anonymous_route_outside_the_api_is_a_reviewed_one()
    {
        var open = factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) != true)
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor>() is null)
            .Select(e => $"{string.Join(",", e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])} {e.RoutePattern.RawText}")
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(open);
        var unreviewed = open.Where(k => !AnonymousPages.Contains(k)).ToList();
        Assert.True(unreviewed.Count == 0, "Anonymous routes outside the API that are not in the reviewed list: " + string.Join(" | ", unreviewed));
        Assert.True(AnonymousPages.All(open.Contains), "Reviewed routes that no longer exist: " + string.Join(" | ", AnonymousPages.Except(open)));
    }

    [Fact]
    public async Task Anonymous_callers_get_401_problem_details_on_every_protected_endpoint()
    {
        var victim = await _samples.ArrangeVictimAsync();
        var anonymous = factory.Anonymous();
        foreach (var (key, method, pattern, _) in _samples.ApiEndpoints().Where(e => !AnonymousEndpoints.Contains(e.Key)))
        {
            var url = ApiSamples.ConcreteRoute(pattern, victim);
            Assert.True(url is not null, $"Give {pattern} a sample route in ConcreteRoute.");
            var response = await anonymous.SendAsync(ApiSamples.Request(method, url!, ApiSamples.SampleBody(key, victim)), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{key}: expected 401, got {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Another_organization_gets_404_on_this_organizations_ids_and_never_sees_its_rows()
    {
        var victim = await _samples.ArrangeVictimAsync();
        var intruder = await factory.CreateOrganizationAsync("Intruder Ltd.");
        var victimIds = new[] { victim.Org.Id, victim.Org.Admin.Id, victim.TeamId, victim.InvitationId, victim.TokenId, victim.AccountId, victim.ContactId, victim.OpportunityId, victim.ActivityId, victim.QuoteId, victim.ProductId, victim.Order.OrderId, victim.Order.DeliveryId }
            .Concat(victim.Sales.Ids).Select(i => i.ToString()).ToList();
        victimIds.Add(victim.TargetId.ToString());
        victimIds.Add(victim.MailId.ToString());
        victimIds.Add(victim.NotificationId.ToString());

        foreach (var (key, method, pattern, _) in _samples.ApiEndpoints().Where(e => !AnonymousEndpoints.Contains(e.Key)))
        {
            var url = ApiSamples.ConcreteRoute(pattern, victim);
            Assert.True(url is not null, $"Give {pattern} a sample route in ConcreteRoute.");
            var response = await intruder.Admin.Client.SendAsync(ApiSamples.Request(method, url!, ApiSamples.SampleBody(key, victim)), TestContext.Current.CancellationToken);
            // The problem's "instance" echoes the path the intruder sent; that is not a leak, so leave it out.
            var body = (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Replace(url!.Split('?')[0], "", StringComparison.Ordinal);

            if (pattern.Contains("{id", StringComparison.Ordinal))
            {
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{key} with another organization's id: expected 404, got {(int)response.StatusCode}: {body}");
            }

            Assert.DoesNotContain(victim.Canary, body, StringComparison.Ordinal);
            foreach (var id in victimIds)
            {
                Assert.False(body.Contains(id, StringComparison.OrdinalIgnoreCase), $"{key} revealed the other organization's id {id}: {body}");
            }
        }

        // Nothing the intruder sent changed the victim's data.
        var team = await victim.Org.Admin.Client.GetFromJsonAsync<NameOnly>($"/api/v1/teams/{victim.TeamId}", TestContext.Current.CancellationToken);
        Assert.Equal(victim.Canary + " Team", team!.Name);
        var admin = await victim.Org.Admin.Client.GetFromJsonAsync<UserOnly>($"/api/v1/users/{victim.Org.Admin.Id}", TestContext.Current.CancellationToken);
        Assert.Equal(("Admin", true), (admin!.Role, admin.IsActive));
        var tokens = await victim.Org.Admin.Client.GetStringAsync("/api/v1/api-tokens", TestContext.Current.CancellationToken);
        Assert.Contains(victim.Canary + " token", tokens, StringComparison.Ordinal);
        Assert.DoesNotContain("revokedAt\":\"", tokens, StringComparison.Ordinal);
        var activity = await victim.Org.Admin.Client.GetFromJsonAsync<ActivityOnly>($"/api/v1/activities/{victim.ActivityId}", TestContext.Current.CancellationToken);
        Assert.Equal((victim.Canary + " Görev", false), (activity!.Subject, activity.Done));
        var activities = await victim.Org.Admin.Client.GetStringAsync($"/api/v1/activities?accountId={victim.AccountId}", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Intrusion", activities, StringComparison.Ordinal);
        var account = await victim.Org.Admin.Client.GetFromJsonAsync<AccountOnly>($"/api/v1/accounts/{victim.AccountId}", TestContext.Current.CancellationToken);
        Assert.Equal((victim.Canary + " Müşteri", victim.Org.Admin.Id, false, 0), (account!.Name, account.OwnerId, account.IsArchived, account.Version));
        var contact = await victim.Org.Admin.Client.GetFromJsonAsync<ContactOnly>($"/api/v1/contacts/{victim.ContactId}", TestContext.Current.CancellationToken);
        Assert.Equal((victim.Canary, null, 0), (contact!.FirstName, contact.LeftOn, contact.Version));
        var contacts = await victim.Org.Admin.Client.GetStringAsync($"/api/v1/contacts?accountId={victim.AccountId}", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Planted", contacts, StringComparison.Ordinal);
        var deal = await victim.Org.Admin.Client.GetFromJsonAsync<DealOnly>($"/api/v1/opportunities/{victim.Sales.OpportunityId}", TestContext.Current.CancellationToken);
        Assert.Equal((victim.Canary + " deal", "Open", 1), (deal!.Title, deal.Status, deal.Contacts.Count));
        Assert.Equal(0, deal.Version); // never changed since it was created
        var pipeline = await victim.Org.Admin.Client.GetFromJsonAsync<NameOnly>($"/api/v1/pipelines/{victim.Sales.PipelineId}", TestContext.Current.CancellationToken);
        Assert.Equal(victim.Canary + " Pipeline", pipeline!.Name);
        var filters = await victim.Org.Admin.Client.GetStringAsync("/api/v1/saved-filters?area=opportunities", TestContext.Current.CancellationToken);
        Assert.Contains(victim.Canary + " filter", filters, StringComparison.Ordinal);
        var order = await victim.Org.Admin.Client.GetFromJsonAsync<OrderOnly>($"/api/v1/orders/{victim.Order.OrderId}", TestContext.Current.CancellationToken);
        Assert.Equal((victim.Order.Version, "PartiallyDelivered"), (order!.Version, order.Status));
        var orders = await victim.Org.Admin.Client.GetStringAsync($"/api/v1/orders?accountId={victim.AccountId}", TestContext.Current.CancellationToken);
        Assert.DoesNotContain("Planted", orders, StringComparison.Ordinal);
        var targets = await victim.Org.Admin.Client.GetStringAsync("/api/v1/targets?year=2026", TestContext.Current.CancellationToken);
        Assert.Contains("\"amount\":12345", targets, StringComparison.Ordinal);
        var unread = await victim.Org.Admin.Client.GetStringAsync("/api/v1/notifications?unread=true", TestContext.Current.CancellationToken);
        Assert.Contains(victim.Canary + " teklif", unread, StringComparison.Ordinal); // neither read-all nor read by the intruder touched it
        var preferences = await victim.Org.Admin.Client.GetStringAsync("/api/v1/me/preferences", TestContext.Current.CancellationToken);
        Assert.Contains("\"emailNotificationCopies\":false", preferences, StringComparison.Ordinal);
    }

    private sealed record OrderOnly(int Version, string Status);

    private sealed record DealOnly(string Title, string Status, List<IdOnly> Contacts, int Version);

    [Fact]
    public async Task A_rep_gets_403_on_admin_and_manager_endpoints()
    {
        var victim = await _samples.ArrangeVictimAsync();
        var rep = await victim.Org.AddUserAsync(UserRole.Rep);
        var restricted = _samples.ApiEndpoints()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is Policies.Admin or Policies.Manager))
            .ToList();
        Assert.NotEmpty(restricted);
        foreach (var (key, method, pattern, _) in restricted)
        {
            var response = await rep.Client.SendAsync(ApiSamples.Request(method, ApiSamples.ConcreteRoute(pattern, victim)!, ApiSamples.SampleBody(key, victim)), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{key}: a rep expected 403, got {(int)response.StatusCode}");
        }
    }

    private sealed record IdOnly(Guid Id);

    private sealed record NameOnly(string Name);

    private sealed record UserOnly(string Role, bool IsActive);

    private sealed record ActivityOnly(string Subject, bool Done);
    private sealed record AccountOnly(string Name, Guid OwnerId, bool IsArchived, int Version);

    private sealed record ContactOnly(string FirstName, DateOnly? LeftOn, int Version);
}
