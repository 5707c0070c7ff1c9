using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Features.Contacts;
using Kazan.Features.Mail;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Auth;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
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

    private sealed record Victim(TestOrganization Org, Guid TeamId, Guid InvitationId, Guid TokenId, string Canary, Guid AccountId, Guid ContactId, Guid OpportunityId = default, Guid ActivityId = default)
    {
        public Guid ProductId { get; init; }

        public Guid QuoteId { get; init; }

        public (Guid OrderId, Guid DeliveryId, int Version) Order { get; init; }

        public Sales Sales { get; init; } = default!;

        /// <summary>An uploaded contacts file of the victim, not imported yet.</summary>
        public Guid ImportId { get; init; }

        /// <summary>The victim team's target for January 2026.</summary>
        public Guid TargetId { get; init; }

        /// <summary>A mail in the victim's outbox.</summary>
        public Guid MailId { get; init; }
        /// <summary>A notification for the victim's admin (about the victim's quote).</summary>
        public Guid NotificationId { get; init; }
    }

    /// <summary>The victim's sales records: a pipeline and stage, a lost reason, an account, a contact, a deal, a saved filter.</summary>
    private sealed record Sales(Guid PipelineId, Guid StageId, Guid LostReasonId, Guid AccountId, Guid ContactId, Guid OpportunityId, Guid SavedFilterId)
    {
        public IEnumerable<Guid> Ids => [PipelineId, StageId, LostReasonId, AccountId, ContactId, OpportunityId, SavedFilterId];
    }

    private async Task<Victim> ArrangeVictimAsync()
    {
        var canary = "Canary" + Guid.NewGuid().ToString("N")[..8];
        var org = await factory.CreateOrganizationAsync(canary + " A.Ş.");
        var team = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = canary + " Team" }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<IdOnly>(TestContext.Current.CancellationToken);
        var invitation = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/invitations", new { email = canary + "@example.com", role = "Rep" }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<IdOnly>(TestContext.Current.CancellationToken);
        var token = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/api-tokens", new { name = canary + " token" }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<IdOnly>(TestContext.Current.CancellationToken);
        var product = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/products",
                new { code = canary, name = canary + " ürün", unit = "adet", listPrice = 10m, currency = "TRY", vatRate = 20m }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<IdOnly>(TestContext.Current.CancellationToken);
        var account = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", new { kind = "Company", name = canary + " Müşteri", taxNumber = "1234567890" }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<IdOnly>(TestContext.Current.CancellationToken);
        var contact = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/contacts", new { accountId = account!.Id, firstName = canary, lastName = "Kişi" }, TestContext.Current.CancellationToken))
            .Content.ReadFromJsonAsync<IdOnly>(TestContext.Current.CancellationToken);
        var sales = await ArrangeSalesAsync(org, account.Id, canary);
        return new Victim(org, team!.Id, invitation!.Id, token!.Id, canary, account.Id, contact!.Id, sales.OpportunityId, sales.ActivityId)
        {
            ProductId = product!.Id,
            QuoteId = await ArrangeQuoteAsync(org, account.Id, sales.OpportunityId),
            Order = await ArrangeOrderAsync(org, account.Id, sales.OpportunityId),
            Sales = await ArrangeSalesAsync(org, canary),
            TargetId = await ArrangeTargetAsync(org, team.Id),
            MailId = await ArrangeMailAsync(org, canary),
            NotificationId = await ArrangeNotificationAsync(org, canary),
            ImportId = await ArrangeImportAsync(org, canary),
        };
    }

    private static async Task<Guid> ArrangeImportAsync(TestOrganization org, string canary)
    {
        var job = await Kazan.Tests.Import.ImportSteps.UploadAsync(org.Admin.Client, "contacts", System.Text.Encoding.UTF8.GetBytes($"Ad,Soyad,E-posta,Firma\n{canary},Kişi,{canary}@example.com,{canary} Müşteri\n"), canary + ".csv");
        return job.GetProperty("id").GetGuid();
    }

    /// <summary>An unread notification for the victim's admin, titled with the canary (so a leak of it shows).</summary>
    private async Task<Guid> ArrangeNotificationAsync(TestOrganization org, string canary)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var subject = Guid.CreateVersion7();
            var notification = Kazan.Features.Notifications.NotificationCommands.Notify(db, org.Id, org.Admin.Id,
                Kazan.Features.Notifications.NotificationKind.QuoteAccepted, "Quote", subject, canary + " teklif", $"/quotes/{subject}", DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            return notification.Id;
        }
    }

    private async Task<Guid> ArrangeMailAsync(TestOrganization org, string canary)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var mail = new OutboxMail(org.Id, org.Admin.Id, "test", null, [canary + "@example.com"], [], canary + " mail", canary, DateTimeOffset.UtcNow.AddYears(1));
            db.Add(mail);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            return mail.Id;
        }
    }

    private static async Task<Guid> ArrangeTargetAsync(TestOrganization org, Guid teamId)
    {
        var response = await org.Admin.Client.PutAsJsonAsync("/api/v1/targets", new { teamId, year = 2026, months = new[] { new { month = 1, amount = 12_345m } } }, TestContext.Current.CancellationToken);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<List<IdOnly>>(TestContext.Current.CancellationToken))!.Single().Id;
    }

    /// <summary>An opportunity and an activity of the victim, made through the domain.</summary>
    private async Task<(Guid OpportunityId, Guid ActivityId)> ArrangeSalesAsync(TestOrganization org, Guid accountId, string canary)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var now = DateTimeOffset.UtcNow;
            var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync(TestContext.Current.CancellationToken);
            var opportunity = new Opportunity(org.Id, org.Admin.Id, accountId, stage, canary + " Fırsat", 1000m, "TRY", 1m, DateOnly.FromDateTime(now.UtcDateTime).AddDays(30), org.Admin.Id, now);
            var activity = new Activity(org.Id, org.Admin.Id, ActivityKind.Task, canary + " Görev", accountId, opportunity.Id, now.AddDays(-1), now);
            db.AddRange(opportunity, activity);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            return (opportunity.Id, activity.Id);
        }
    }

    private static async Task<Guid> ArrangeQuoteAsync(TestOrganization org, Guid accountId, Guid opportunityId) =>
        (await OrderTestData.QuoteAsync(org.Admin.Client, accountId, opportunityId, OrderTestData.Line("Canary line", 1, 10m))).Id;

    /// <summary>A direct order with one of its two units delivered.</summary>
    private static async Task<(Guid, Guid, int)> ArrangeOrderAsync(TestOrganization org, Guid accountId, Guid opportunityId)
    {
        var order = await OrderTestData.DirectOrderAsync(org.Admin.Client, accountId, opportunityId, OrderTestData.Line("Canary order line", 2, 10m));
        var result = await OrderTestData.DeliverAsync(org.Admin.Client, order.Id, (order.Lines[0].Id, 1m)).OkAsync<DeliveryResultDto>();
        return (order.Id, result.Delivery.Id, result.Order.Version);
    }

    private sealed record OrderOnly(Guid Id, List<IdOnly> Lines, int Version, string Status);

    private async Task<Sales> ArrangeSalesAsync(TestOrganization org, string canary)
    {
        var ct = TestContext.Current.CancellationToken;
        var pipeline = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/pipelines",
            new { name = canary + " Pipeline", stages = new[] { new { name = canary + " Stage", probability = 10 } } }, ct)).Content.ReadFromJsonAsync<PipelineOnly>(ct);
        var reason = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/lost-reasons", new { name = canary + " reason" }, ct)).Content.ReadFromJsonAsync<IdOnly>(ct);
        var filter = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/saved-filters", new { area = "opportunities", name = canary + " filter", query = "status=Open" }, ct))
            .Content.ReadFromJsonAsync<IdOnly>(ct);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        Guid accountId, contactId;
        using (scope)
        {
            var account = new Account(org.Id, org.Admin.Id, AccountKind.Company, canary + " Account", DateTimeOffset.UtcNow);
            var contact = new Contact(org.Id, org.Admin.Id, account.Id, canary, "Contact", DateTimeOffset.UtcNow);
            db.AddRange(account, contact);
            await db.SaveChangesAsync(ct);
            (accountId, contactId) = (account.Id, contact.Id);
        }

        var deal = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/opportunities", new
        {
            title = canary + " deal",
            accountId,
            pipelineId = pipeline!.Id,
            expectedAmount = 1000m,
            expectedCloseDate = "2026-12-31",
            contactIds = new[] { contactId },
        }, ct)).Content.ReadFromJsonAsync<IdOnly>(ct);
        return new Sales(pipeline.Id, pipeline.Stages[0].Id, reason!.Id, accountId, contactId, deal!.Id, filter!.Id);
    }

    private sealed record PipelineOnly(Guid Id, List<IdOnly> Stages);

    private static string? ConcreteRoute(string pattern, Victim v) => pattern switch
    {
        _ when pattern.StartsWith("/api/v1/quotes/{id:guid}", StringComparison.Ordinal) => pattern.Replace("{id:guid}", v.QuoteId.ToString(), StringComparison.Ordinal),
        _ when pattern.StartsWith("/api/v1/orders/{id:guid}", StringComparison.Ordinal) =>
            pattern.Replace("{id:guid}", v.Order.OrderId.ToString(), StringComparison.Ordinal).Replace("{deliveryId:guid}", v.Order.DeliveryId.ToString(), StringComparison.Ordinal),
        _ when pattern.StartsWith("/api/v1/users/{id:guid}", StringComparison.Ordinal) => pattern.Replace("{id:guid}", v.Org.Admin.Id.ToString(), StringComparison.Ordinal),
        "/api/v1/teams/{id:guid}" => $"/api/v1/teams/{v.TeamId}",
        "/api/v1/invitations/{id:guid}" => $"/api/v1/invitations/{v.InvitationId}",
        "/api/v1/api-tokens/{id:guid}" => $"/api/v1/api-tokens/{v.TokenId}",
        "/api/v1/audit" => $"/api/v1/audit?entityType=Team&entityId={v.TeamId}",
        "/api/v1/products/{id:guid}" => $"/api/v1/products/{v.ProductId}",
        "/api/v1/products/{id:guid}/archive" => $"/api/v1/products/{v.ProductId}/archive",
        "/api/v1/products/{id:guid}/restore" => $"/api/v1/products/{v.ProductId}/restore",
        "/api/v1/activities/{id:guid}" => $"/api/v1/activities/{v.ActivityId}",
        "/api/v1/activities/{id:guid}/done" => $"/api/v1/activities/{v.ActivityId}/done",
        "/api/v1/activities/{id:guid}/undone" => $"/api/v1/activities/{v.ActivityId}/undone",
        "/api/v1/activities/{id:guid}/reschedule" => $"/api/v1/activities/{v.ActivityId}/reschedule",
        "/api/v1/activities/{id:guid}/snooze" => $"/api/v1/activities/{v.ActivityId}/snooze",
        "/api/v1/activities" => $"/api/v1/activities?accountId={v.AccountId}",
        "/api/v1/accounts/{id:guid}/timeline" => $"/api/v1/accounts/{v.AccountId}/timeline",
        "/api/v1/opportunities/{id:guid}/timeline" => $"/api/v1/opportunities/{v.OpportunityId}/timeline",
        "/api/v1/search" => $"/api/v1/search?q={v.Canary}",
        _ when pattern.StartsWith("/api/v1/accounts/{id:guid}", StringComparison.Ordinal) => pattern.Replace("{id:guid}", v.AccountId.ToString(), StringComparison.Ordinal),
        _ when pattern.StartsWith("/api/v1/contacts/{id:guid}", StringComparison.Ordinal) => pattern.Replace("{id:guid}", v.ContactId.ToString(), StringComparison.Ordinal),
        "/api/v1/board" => $"/api/v1/board?pipelineId={v.Sales.PipelineId}",
        "/api/v1/board/column" => $"/api/v1/board/column?stageId={v.Sales.StageId}",
        "/api/v1/saved-filters" => "/api/v1/saved-filters?area=opportunities",
        "/api/v1/reports/win-rate" => $"/api/v1/reports/win-rate?pipelineId={v.Sales.PipelineId}&ownerId={v.Org.Admin.Id}&by=owner",
        "/api/v1/reports/win-rate/deals" => $"/api/v1/reports/win-rate/deals?by=pipeline&key={v.Sales.PipelineId}&outcome=lost&lostReasonId={v.Sales.LostReasonId}",
        "/api/v1/reports/reconciliation" => $"/api/v1/reports/reconciliation?pipelineId={v.Sales.PipelineId}&ownerId={v.Org.Admin.Id}&teamId={v.TeamId}&from=2026-01-01&count=12",
        "/api/v1/reports/reconciliation/deals" =>
            $"/api/v1/reports/reconciliation/deals?ownerId={v.Org.Admin.Id}&month=2026-12&gap=quoted-not-ordered&from=2026-01-01&count=12",
        _ when pattern.StartsWith("/api/v1/pipelines/{id:guid}", StringComparison.Ordinal) =>
            pattern.Replace("{id:guid}", v.Sales.PipelineId.ToString(), StringComparison.Ordinal).Replace("{stageId:guid}", v.Sales.StageId.ToString(), StringComparison.Ordinal),
        _ when pattern.StartsWith("/api/v1/opportunities/{id:guid}", StringComparison.Ordinal) =>
            pattern.Replace("{id:guid}", v.Sales.OpportunityId.ToString(), StringComparison.Ordinal).Replace("{contactId:guid}", v.Sales.ContactId.ToString(), StringComparison.Ordinal),
        "/api/v1/lost-reasons/{id:guid}" or "/api/v1/lost-reasons/{id:guid}/deactivate" or "/api/v1/lost-reasons/{id:guid}/activate" =>
            pattern.Replace("{id:guid}", v.Sales.LostReasonId.ToString(), StringComparison.Ordinal),
        "/api/v1/saved-filters/{id:guid}" => $"/api/v1/saved-filters/{v.Sales.SavedFilterId}",
        "/api/v1/targets/{id:guid}" => $"/api/v1/targets/{v.TargetId}",
        _ when pattern.StartsWith("/api/v1/imports/{id:guid}", StringComparison.Ordinal) => pattern.Replace("{id:guid}", v.ImportId.ToString(), StringComparison.Ordinal),
        "/api/v1/mail/outbox/{id:guid}/retry" => $"/api/v1/mail/outbox/{v.MailId}/retry",
        "/api/v1/settings/mail/templates/{kind}/{language}" => "/api/v1/settings/mail/templates/quote/tr",
        "/api/v1/notifications/{id:guid}/read" => $"/api/v1/notifications/{v.NotificationId}/read",
        "/api/v1/targets" => "/api/v1/targets?year=2026",
        "/api/v1/reports/forecast/deals" => $"/api/v1/reports/forecast/deals?pipelineId={v.Sales.PipelineId}&column=pipeline",
        "/api/v1/reports/funnel/deals" => $"/api/v1/reports/funnel/deals?pipelineId={v.Sales.PipelineId}&stageId={v.Sales.StageId}",
        "/api/v1/reports/velocity/deals" => $"/api/v1/reports/velocity/deals?pipelineId={v.Sales.PipelineId}&stageId={v.Sales.StageId}",
        "/api/v1/reports/stage-probability/deals" => $"/api/v1/reports/stage-probability/deals?pipelineId={v.Sales.PipelineId}&stageId={v.Sales.StageId}",
        // List exports, asked with the victim's ids as filters: the intruder's file has the headers and nothing else.
        "/api/v1/opportunities/export" => $"/api/v1/opportunities/export?format=csv&ownerId={v.Org.Admin.Id}&pipelineId={v.Sales.PipelineId}",
        "/api/v1/accounts/export" => $"/api/v1/accounts/export?format=csv&ownerId={v.Org.Admin.Id}",
        "/api/v1/contacts/export" => $"/api/v1/contacts/export?format=csv&accountId={v.AccountId}",
        "/api/v1/products/export" => $"/api/v1/products/export?format=csv&q={v.Canary}",
        "/api/v1/quotes/export" => $"/api/v1/quotes/export?format=csv&accountId={v.AccountId}&opportunityId={v.OpportunityId}",
        "/api/v1/orders/export" => $"/api/v1/orders/export?format=csv&accountId={v.AccountId}",
        "/api/v1/orders/backlog/export" => "/api/v1/orders/backlog/export?format=csv&by=product",
        "/api/v1/activities/export" => $"/api/v1/activities/export?format=csv&accountId={v.AccountId}",
        _ when !pattern.Contains('{', StringComparison.Ordinal) => pattern,
        _ => null,
    };

    /// <summary>A valid body per write endpoint, so the check reaches the handler's lookup rather than stopping at validation.</summary>
    private static object? SampleBody(string key, Victim v) => key switch
    {
        "POST /api/v1/activities" => new { kind = "Task", subject = "Intrusion", accountId = v.AccountId, opportunityId = v.OpportunityId },
        "PUT /api/v1/activities/{id:guid}" => new { subject = "Taken over", opportunityId = v.OpportunityId },
        "POST /api/v1/activities/{id:guid}/done" => new { outcome = (string?)null, notes = "Taken over" },
        "POST /api/v1/activities/{id:guid}/reschedule" => new { dueAt = "2026-12-31T09:00:00Z" },
        "POST /api/v1/activities/{id:guid}/snooze" => new { days = 1 },
        "PUT /api/v1/users/{id:guid}" => new { displayName = "Intruder", role = "Rep", teamId = (Guid?)null, isActive = true },
        "PUT /api/v1/teams/{id:guid}" => new { name = "Taken over" },
        "POST /api/v1/teams" => new { name = "Other team " + Guid.NewGuid() },
        "POST /api/v1/invitations" => new { email = $"x{Guid.NewGuid():N}@example.com", role = "Rep" },
        "POST /api/v1/api-tokens" => new { name = "other" },
        "POST /api/v1/me/password" => new { currentPassword = "not-the-password-1", newPassword = "taken-over-2026" },
        "POST /api/v1/quotes" => new { accountId = v.AccountId, opportunityId = v.OpportunityId, currency = "TRY", lines = Array.Empty<object>() },
        "PUT /api/v1/quotes/{id:guid}" => new { currency = "TRY", lines = Array.Empty<object>() },
        "POST /api/v1/orders" => new { accountId = v.AccountId, opportunityId = v.OpportunityId, currency = "TRY", lines = new[] { new { description = "Planted", quantity = 1m, unit = "adet", unitPrice = 1m } } },
        "PUT /api/v1/orders/{id:guid}" => new { customerReference = "Taken over" },
        "POST /api/v1/orders/{id:guid}/deliveries" or "POST /api/v1/orders/{id:guid}/returns" => new { lines = new[] { new { orderLineId = Guid.NewGuid(), quantity = 1m } } },
        "POST /api/v1/orders/{id:guid}/cancel" => new { reason = "Intrusion" },
        "POST /api/v1/products" => new { code = "P" + Guid.NewGuid().ToString("N")[..8], name = "Other", unit = "adet", listPrice = 1m, currency = "TRY", vatRate = 20m },
        "PUT /api/v1/products/{id:guid}" => new { code = "TAKEN", name = "Taken over", unit = "adet", listPrice = 1m, currency = "TRY", vatRate = 20m },
        "PUT /api/v1/organization" => new { name = "Other org", baseCurrency = "TRY", defaultCulture = "tr-TR", repsSeeAll = false },
        "PUT /api/v1/imports/{id:guid}/mapping" => new { columns = new string?[] { "firstName", "lastName", "email", "account" }, mode = "Create", numberFormat = "tr" },
        "POST /api/v1/accounts" => new { kind = "Company", name = "Intruder account", taxNumber = "1234567890" },
        "PUT /api/v1/accounts/{id:guid}" => new { kind = "Company", name = "Taken over" },
        "POST /api/v1/accounts/{id:guid}/transfer" => new { newOwnerId = Guid.NewGuid(), includeContacts = true },
        "POST /api/v1/contacts" => new { accountId = v.AccountId, firstName = "Planted", lastName = "Contact" },
        "PUT /api/v1/contacts/{id:guid}" => new { firstName = "Taken", lastName = "Over" },
        "POST /api/v1/contacts/{id:guid}/transfer" => new { newOwnerId = Guid.NewGuid() },
        "POST /api/v1/contacts/{id:guid}/left" => new { on = "2026-01-01" },
        "POST /api/v1/pipelines" => new { name = "Other pipeline " + Guid.NewGuid(), stages = new[] { new { name = "A", probability = 10 } } },
        "PUT /api/v1/pipelines/{id:guid}" => new { name = "Taken over" },
        "POST /api/v1/pipelines/{id:guid}/stages" => new { name = "Intruder stage", probability = 10 },
        "PUT /api/v1/pipelines/{id:guid}/stages/{stageId:guid}" => new { name = "Intruder stage", probability = 10 },
        "PUT /api/v1/pipelines/{id:guid}/stage-order" => new { stageIds = new[] { Guid.NewGuid() } },
        "POST /api/v1/lost-reasons" => new { name = "Other reason " + Guid.NewGuid() },
        "PUT /api/v1/lost-reasons/{id:guid}" => new { name = "Taken over" },
        "PUT /api/v1/lost-reasons/order" => new { ids = new[] { Guid.NewGuid() } },
        "POST /api/v1/opportunities" => new { title = "Intruder deal", accountId = Guid.NewGuid(), expectedAmount = 1m, expectedCloseDate = "2026-12-31" },
        "PUT /api/v1/opportunities/{id:guid}" => new { title = "Taken over", expectedAmount = 1m, expectedCloseDate = "2026-12-31" },
        "POST /api/v1/opportunities/{id:guid}/stage" => new { stageId = Guid.NewGuid() },
        "POST /api/v1/opportunities/{id:guid}/pipeline" => new { stageId = Guid.NewGuid() },
        "POST /api/v1/opportunities/{id:guid}/lost" => new { lostReasonId = Guid.NewGuid() },
        "PUT /api/v1/opportunities/{id:guid}/probability" => new { probability = 50 },
        "POST /api/v1/opportunities/{id:guid}/transfer" => new { ownerId = Guid.NewGuid() },
        "POST /api/v1/opportunities/{id:guid}/contacts" => new { contactId = Guid.NewGuid() },
        "POST /api/v1/saved-filters" => new { area = "opportunities", name = "Other " + Guid.NewGuid(), query = "" },
        "PUT /api/v1/saved-filters/{id:guid}" => new { name = "Taken over", query = "" },
        "POST /api/v1/reports/stage-probability/adopt" => new { stageIds = new[] { v.Sales.StageId } },
        "PUT /api/v1/settings/mail" => new { host = "smtp.intruder.example", port = 587, security = "StartTls", fromAddress = "x@intruder.example" },
        "POST /api/v1/settings/mail/test" => new { to = "x@intruder.example" },
        "PUT /api/v1/settings/mail/templates/{kind}/{language}" => new { subject = "Taken over", body = "Taken over" },
        "POST /api/v1/quotes/{id:guid}/mail" => new { to = new[] { "x@intruder.example" }, subject = "Taken over", message = "Taken over" },
        "PUT /api/v1/targets" => new { teamId = v.TeamId, year = 2026, months = new[] { new { month = 1, amount = 1m } } },
        "PUT /api/v1/me/preferences" => new { emailNotificationCopies = true },
        _ => null,
    };

    private IEnumerable<(string Key, string Method, string Pattern, EndpointMetadataCollection Metadata)> ApiEndpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => ($"{m} {e.RoutePattern.RawText!.TrimEnd('/')}", m, e.RoutePattern.RawText!.TrimEnd('/'), e.Metadata)));

    private static HttpRequestMessage Request(string method, string url, object? body, string? ifMatch = "\"0\"")
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        else if (method is "POST" or "PUT")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        if (ifMatch is not null && method is "PUT" or "PATCH" or "DELETE")
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return request;
    }

    [Fact]
    public void Every_api_endpoint_declares_an_authorization_policy_or_is_a_known_anonymous_one()
    {
        var endpoints = ApiEndpoints().ToList();
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
        var victim = await ArrangeVictimAsync();
        var anonymous = factory.Anonymous();
        foreach (var (key, method, pattern, _) in ApiEndpoints().Where(e => !AnonymousEndpoints.Contains(e.Key)))
        {
            var url = ConcreteRoute(pattern, victim);
            Assert.True(url is not null, $"Give {pattern} a sample route in ConcreteRoute.");
            var response = await anonymous.SendAsync(Request(method, url!, SampleBody(key, victim)), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{key}: expected 401, got {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Another_organization_gets_404_on_this_organizations_ids_and_never_sees_its_rows()
    {
        var victim = await ArrangeVictimAsync();
        var intruder = await factory.CreateOrganizationAsync("Intruder Ltd.");
        var victimIds = new[] { victim.Org.Id, victim.Org.Admin.Id, victim.TeamId, victim.InvitationId, victim.TokenId, victim.AccountId, victim.ContactId, victim.OpportunityId, victim.ActivityId, victim.QuoteId, victim.ProductId, victim.Order.OrderId, victim.Order.DeliveryId }
            .Concat(victim.Sales.Ids).Select(i => i.ToString()).ToList();
        victimIds.Add(victim.TargetId.ToString());
        victimIds.Add(victim.MailId.ToString());
        victimIds.Add(victim.NotificationId.ToString());

        foreach (var (key, method, pattern, _) in ApiEndpoints().Where(e => !AnonymousEndpoints.Contains(e.Key)))
        {
            var url = ConcreteRoute(pattern, victim);
            Assert.True(url is not null, $"Give {pattern} a sample route in ConcreteRoute.");
            var response = await intruder.Admin.Client.SendAsync(Request(method, url!, SampleBody(key, victim)), TestContext.Current.CancellationToken);
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

    private sealed record DealOnly(string Title, string Status, List<IdOnly> Contacts, int Version);

    [Fact]
    public async Task A_rep_gets_403_on_admin_and_manager_endpoints()
    {
        var victim = await ArrangeVictimAsync();
        var rep = await victim.Org.AddUserAsync(UserRole.Rep);
        var restricted = ApiEndpoints()
            .Where(e => e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is Policies.Admin or Policies.Manager))
            .ToList();
        Assert.NotEmpty(restricted);
        foreach (var (key, method, pattern, _) in restricted)
        {
            var response = await rep.Client.SendAsync(Request(method, ConcreteRoute(pattern, victim)!, SampleBody(key, victim)), TestContext.Current.CancellationToken);
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
