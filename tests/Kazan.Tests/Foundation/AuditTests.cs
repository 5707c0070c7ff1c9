using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Users;
using Kazan.Infrastructure.Auditing;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Foundation;

public sealed class AuditTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_update_writes_who_when_and_the_old_and_new_value()
    {
        var org = await factory.CreateOrganizationAsync("Denetim A.Ş.");
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Eskişehir" }, Ct);
        var team = await created.Content.ReadFromJsonAsync<TeamDto>(Ct);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/teams/{team!.Id}") { Content = JsonContent.Create(new { name = "Eskişehir Merkez" }) };
        request.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(request, Ct)).EnsureSuccessAsync();

        var page = await org.Admin.Client.GetFromJsonAsync<AuditPage>($"/api/v1/audit?entityType=Team&entityId={team.Id}", Ct);

        Assert.Equal(["Update", "Insert"], page!.Items.Select(e => e.Action));
        var update = page.Items[0];
        Assert.Equal(org.Admin.Id, update.UserId);
        var name = JsonDocument.Parse(update.Changes).RootElement.GetProperty("Name");
        Assert.Equal("Eskişehir", name[0].GetString());
        Assert.Equal("Eskişehir Merkez", name[1].GetString());
    }

    [Fact]
    public async Task A_failed_transaction_writes_no_audit_entry()
    {
        var org = await factory.CreateOrganizationAsync("Geri Alma A.Ş.");
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Van" }, Ct)).EnsureSuccessAsync();
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var before = await db.AuditEntries.CountAsync(Ct);
            var duplicate = new Team(org.Id, "Van"); // violates the unique team name: the whole SaveChanges fails
            var fine = new Team(org.Id, "Muş");
            db.Teams.AddRange(fine, duplicate);

            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));

            db.ChangeTracker.Clear();
            Assert.Equal(before, await db.AuditEntries.CountAsync(Ct));
            Assert.False(await db.Teams.AnyAsync(t => t.Name == "Muş", Ct));
        }
    }

    [Fact]
    public async Task Audit_entries_cannot_be_changed()
    {
        var org = await factory.CreateOrganizationAsync("Değişmez A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var entry = await db.AuditEntries.FirstAsync(Ct);
            db.AuditEntries.Remove(entry);
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Ct));
        }

        var endpoints = factory.Services.GetService(typeof(Microsoft.AspNetCore.Routing.EndpointDataSource)) as Microsoft.AspNetCore.Routing.EndpointDataSource;
        var auditRoutes = endpoints!.Endpoints.OfType<Microsoft.AspNetCore.Routing.RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText!.StartsWith("/api/v1/audit", StringComparison.Ordinal))
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods).Distinct();
        Assert.Equal(["GET"], auditRoutes);
    }

    [Fact]
    public async Task Secrets_are_not_written_to_the_audit_trail()
    {
        var org = await factory.CreateOrganizationAsync("Sır A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var userAudit = await db.AuditEntries.Where(a => a.EntityType == nameof(User) && a.Action == AuditAction.Insert).Select(a => a.Changes).ToListAsync(Ct);
            Assert.NotEmpty(userAudit);
            Assert.All(userAudit, c => Assert.DoesNotContain("PasswordHash", c, StringComparison.Ordinal));
            var tokenAudit = await db.AuditEntries.Where(a => a.EntityType == "ApiToken").Select(a => a.Changes).ToListAsync(Ct);
            Assert.All(tokenAudit, c => Assert.DoesNotContain("TokenHash", c, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_quote_lines_price_change_and_the_quotes_currency_are_in_the_trail()
    {
        var org = await factory.CreateOrganizationAsync("İz Sürme A.Ş.");
        var account = await factory.AccountAsync(org, "Fiyat Takip Ltd.");
        var opportunity = await factory.OpportunityAsync(org, account);
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "EUR",
            exchangeRate = 37.5m,
            lines = new[] { new { kind = "Item", description = "Kompresör", quantity = 2m, unit = "adet", unitPrice = 1_000m, discountPercent = 0m, vatRate = 20m } },
        }, Ct);
        await created.EnsureSuccessAsync();
        var quote = (await created.Content.ReadFromJsonAsync<Quotes.QuotesApiTests.QuoteDto>(Ct))!;
        var edit = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/quotes/{quote.Id}")
        {
            Content = JsonContent.Create(new
            {
                currency = "EUR",
                exchangeRate = 37.5m,
                lines = new[] { new { key = quote.Lines[0].Key, kind = "Item", description = "Kompresör", quantity = 2m, unit = "adet", unitPrice = 900m, discountPercent = 0m, vatRate = 20m } },
            }),
        };
        edit.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(edit, Ct)).EnsureSuccessAsync();

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var trail = await db.AuditEntries.Where(a => a.OrganizationId == org.Id).Where(a => a.EntityType == "QuoteLine" || (a.EntityType == "Quote" && a.EntityId == quote.Id.ToString()))
                .OrderBy(a => a.Id).Select(a => new { a.EntityType, a.Action, a.Changes }).ToListAsync(Ct);

            var quoteInsert = JsonDocument.Parse(trail.Single(a => a.EntityType == "Quote" && a.Action == AuditAction.Insert).Changes).RootElement;
            Assert.Equal("EUR", quoteInsert.GetProperty("Currency")[1].GetString());
            Assert.Equal(37.5m, quoteInsert.GetProperty("ExchangeRate")[1].GetDecimal());
            // The new value of a field in each line entry (a removed line's entry has none).
            var written = trail.Where(a => a.EntityType == "QuoteLine").Select(a => JsonDocument.Parse(a.Changes).RootElement)
                .Select(c => (Price: NewNumber(c, "UnitPrice"), Quantity: NewNumber(c, "Quantity"))).ToList();
            Assert.Contains((1_000m, 2m), written);
            Assert.Contains((900m, 2m), written);
        }
    }

    private static decimal? NewNumber(JsonElement changes, string field) =>
        changes.TryGetProperty(field, out var values) && values[1].ValueKind == JsonValueKind.Number ? values[1].GetDecimal() : null;

    private sealed record TeamDto(Guid Id);

    private sealed record AuditPage(List<AuditDto> Items, string? Next);

    private sealed record AuditDto(string Action, Guid? UserId, string Changes);
}
