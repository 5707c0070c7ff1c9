using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Features.Contacts;
using Kazan.Features.Mail;
using Kazan.Features.Opportunities;
using Kazan.Tests.Orders;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// An organization holding one record of every kind the API serves (the "victim"), a concrete route and a valid body
/// for every API endpoint: what the authorization matrix and the API fuzz test send their requests with. A new
/// endpoint needs a sample route here (and a body when it takes one), or both tests fail.
/// </summary>
public sealed class ApiSamples(KazanFactory factory)
{
    public sealed record Victim(TestOrganization Org, Guid TeamId, Guid InvitationId, Guid TokenId, string Canary, Guid AccountId, Guid ContactId, Guid OpportunityId = default, Guid ActivityId = default)
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
    public sealed record Sales(Guid PipelineId, Guid StageId, Guid LostReasonId, Guid AccountId, Guid ContactId, Guid OpportunityId, Guid SavedFilterId)
    {
        public IEnumerable<Guid> Ids => [PipelineId, StageId, LostReasonId, AccountId, ContactId, OpportunityId, SavedFilterId];
    }

    public async Task<Victim> ArrangeVictimAsync()
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

    public static string? ConcreteRoute(string pattern, Victim v) => pattern switch
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
    public static object? SampleBody(string key, Victim v) => key switch
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

    public IEnumerable<(string Key, string Method, string Pattern, EndpointMetadataCollection Metadata)> ApiEndpoints() =>
        factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => ($"{m} {e.RoutePattern.RawText!.TrimEnd('/')}", m, e.RoutePattern.RawText!.TrimEnd('/'), e.Metadata)));

    public static HttpRequestMessage Request(string method, string url, object? body, string? ifMatch = "\"0\"")
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

    private sealed record IdOnly(Guid Id);
}
