using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

/// <summary>A host whose saves of a team named in <see cref="CrashAfterSave.Once"/> fail right after the write, once.</summary>
public sealed class CrashAfterSaveFactory : KazanFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureDbContext<SqliteKazanDbContext>((_, o) => o.AddInterceptors(CrashAfterSave.Instance));
            services.ConfigureDbContext<PostgresKazanDbContext>((_, o) => o.AddInterceptors(CrashAfterSave.Instance));
        });
    }
}

/// <summary>Throws after the rows of a save were written (as a crash between the write and the answer would).</summary>
public sealed class CrashAfterSave : SaveChangesInterceptor
{
    public static readonly CrashAfterSave Instance = new();

    /// <summary>Team names whose next save crashes.</summary>
    public static readonly ConcurrentDictionary<string, bool> Once = new();

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        var crash = eventData.Context!.ChangeTracker.Entries<Team>().Any(e => Once.TryRemove(e.Entity.Name, out _));
        return crash ? throw new InvalidOperationException("Simulated crash after the write.") : ValueTask.FromResult(result);
    }
}

/// <summary>
/// Issue 14.2: a retry with the same Idempotency-Key always ends quickly, in the original response when the write
/// committed or in a fresh attempt when it did not; a request that failed after its write leaves no half.
/// </summary>
public sealed class IdempotencyCrashTests(CrashAfterSaveFactory factory) : IClassFixture<CrashAfterSaveFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage CreateTeam(string key, string name)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/teams") { Content = JsonContent.Create(new { name }) };
        request.Headers.Add(IdempotencyMiddleware.Header, key);
        return request;
    }

    private async Task<int> CountAsync(TestOrganization org, string name)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            return await db.Teams.CountAsync(t => t.Name == name, Ct);
        }
    }

    [Fact]
    public async Task A_request_that_fails_after_its_write_keeps_neither_the_write_nor_the_key_and_its_retry_creates_once()
    {
        var org = await factory.CreateOrganizationAsync("Çökme A.Ş.");
        var name = "Çöken Ekip " + Guid.NewGuid().ToString("N")[..6];
        var key = Guid.NewGuid().ToString();
        CrashAfterSave.Once[name] = true;

        var failed = await org.Admin.Client.SendAsync(CreateTeam(key, name), Ct);
        await failed.ProblemAsync(500);
        Assert.Equal(0, await CountAsync(org, name));

        var clock = Stopwatch.StartNew();
        var retry = await org.Admin.Client.SendAsync(CreateTeam(key, name), Ct);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The retry took {clock.Elapsed}.");
        var replay = await org.Admin.Client.SendAsync(CreateTeam(key, name), Ct);
        Assert.Equal(HttpStatusCode.Created, replay.StatusCode);
        Assert.Equal(await retry.Content.ReadAsStringAsync(Ct), await replay.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, await CountAsync(org, name));
    }

    [Fact]
    public async Task A_claim_left_without_a_response_is_taken_over_at_once()
    {
        var org = await factory.CreateOrganizationAsync("Yarım Kalan A.Ş.");
        var key = Guid.NewGuid().ToString();
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id, UserRole.Admin);
        using (scope)
        {
            // What a crash left before claims committed with their writes: a claim and no response.
            db.IdempotencyRecords.Add(new IdempotencyRecord { OrganizationId = org.Id, UserId = org.Admin.Id, Key = key, RequestHash = "x", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(Ct);
        }

        var clock = Stopwatch.StartNew();
        var response = await org.Admin.Client.SendAsync(CreateTeam(key, "Kalan Ekip"), Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"The request took {clock.Elapsed}.");
        Assert.Equal(1, await CountAsync(org, "Kalan Ekip"));
    }

    [Fact]
    public async Task Documents_created_with_a_key_replay_and_a_refused_one_leaves_no_gap_in_the_numbers()
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Numara A.Ş.");
        var client = org.Admin.Client;
        var quoteKey = Guid.NewGuid().ToString();
        var quote = new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = new[] { Kazan.Tests.Orders.OrderTestData.Line("Pompa", 2, 1_250.50m) } };
        var first = await Send(client, "/api/v1/quotes", quote, quoteKey);
        var again = await Send(client, "/api/v1/quotes", quote, quoteKey);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await again.Content.ReadAsStringAsync(Ct));

        // A refused order with a key: its number was taken inside the request's transaction and is given back.
        var lost = await factory.OpportunityAsync(org, account, "Kaybedilen iş");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var deal = await db.Opportunities.SingleAsync(o => o.Id == lost, Ct);
            var reason = await db.LostReasons.FirstAsync(Ct);
            deal.MarkLost(reason, null, org.Admin.Id, DateTimeOffset.UtcNow, Kazan.Tests.Orders.OrderTestData.OrgToday);
            await db.SaveChangesAsync(Ct);
        }

        var line = new[] { Kazan.Tests.Orders.OrderTestData.Line("Vana", 1, 100m) };
        var refused = await Send(client, "/api/v1/orders", new { accountId = account, opportunityId = lost, currency = "TRY", lines = line }, Guid.NewGuid().ToString());
        await refused.ProblemAsync(422);
        var orderKey = Guid.NewGuid().ToString();
        var order = await Send(client, "/api/v1/orders", new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = line }, orderKey);
        Assert.Equal(HttpStatusCode.Created, order.StatusCode);
        var next = await Send(client, "/api/v1/orders", new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = line }, null);
        var numbers = new[] { await NumberAsync(order), await NumberAsync(next) };
        Assert.EndsWith("0001", numbers[0], StringComparison.Ordinal);
        Assert.EndsWith("0002", numbers[1], StringComparison.Ordinal);
    }

    private static async Task<string> NumberAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("number").GetString()!;

    private static Task<HttpResponseMessage> Send(HttpClient client, string url, object body, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(IdempotencyMiddleware.Header, key);
        }

        return client.SendAsync(request, Ct);
    }
}
