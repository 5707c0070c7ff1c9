using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

/// <summary>
/// 50 API clients of two organizations read and write at once against Kazan on a real socket (Kestrel), for
/// <c>KAZAN_LOAD_SECONDS</c> (15 s unless set; 60 s for the figures in docs/performance.md), on the database the suite
/// runs on. No answer may be a 5xx, a 429, a database-busy answer or anything but what the request asks for (a 412 only
/// where two managers move the same deal); everything answered 201 must be in the database afterwards, whole.
/// Its own host and database: the load would slow every other test of a shared one.
/// </summary>
public sealed class MixedLoadTests(KestrelFactory factory) : IClassFixture<KestrelFactory>
{
    public const int Clients = 50;

    public static TimeSpan Duration => TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("KAZAN_LOAD_SECONDS"), out var seconds) && seconds > 0 ? seconds : 15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Fifty_clients_reading_and_writing_at_once_get_no_error_and_every_acknowledged_write_is_kept()
    {
        var holding = await ArrangeAsync("Yük Testi Holding A.Ş.", managers: 1, reps: 3, startAt: 0);
        var trading = await ArrangeAsync("Yük Testi Ticaret Ltd. Şti.", managers: 0, reps: 2, startAt: holding.Users.Count);
        var users = holding.Users.Concat(trading.Users).ToList();
        var clients = new List<LoadClient>();
        for (var i = 0; i < Clients; i++)
        {
            var (org, user, role) = users[i % users.Count];
            var token = (await factory.ClientForAsync(org.Id, user)).DefaultRequestHeaders.Authorization!.Parameter!; // one token per client, as integrations have
            var shop = org == holding.Org ? holding : trading;
            clients.Add(new LoadClient(i, token, org.Id, role != UserRole.Rep, shop.Stages, shop.SharedDeals));
        }

        var load = new MixedLoad(factory.ClientOptions.BaseAddress, clients, Duration);
        await load.RunAsync(Ct);

        var report = load.Report($"Mixed load on {KazanFactory.ProviderName}");
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        if (Environment.GetEnvironmentVariable("KAZAN_ARTIFACTS") is { Length: > 0 } artifacts)
        {
            Directory.CreateDirectory(artifacts);
            await File.WriteAllTextAsync(Path.Combine(artifacts, $"mixed-load-{KazanFactory.ProviderName}.md"), report, Ct);
        }

        var firstOfEach = load.Failures.GroupBy(f => (f.Operation, f.Status)).Select(g => $"{g.Count()} × {g.Key.Operation}: {g.First().Text}");
        Assert.True(load.Failures.Count == 0, $"{load.Failures.Count} failed answers:\n{string.Join("\n", firstOfEach.Take(20))}\n\n{report}");
        Assert.DoesNotContain(load.Samples, s => s.Status >= 500 || s.Status == 429);

        // The load did what it says: every kind of call ran, and the managers' moves of shared deals raced.
        var operations = load.Samples.Select(s => s.Operation).ToHashSet();
        Assert.Subset(operations, new HashSet<string>
        {
            "list opportunities", "board", "search", "report", "create account", "create account (keyed)", "create contact", "create opportunity",
            "move own deal (If-Match)", "move shared deal (If-Match)", "create quote (keyed, sent twice at once)", "create activity",
        });
        Assert.True(load.Samples.Count >= Clients * 4, $"Only {load.Samples.Count} requests in {load.Elapsed}.\n{report}");

        await AssertEveryAcknowledgedWriteIsKeptAsync(load, [holding.Org.Id, trading.Org.Id]);
    }

    private async Task AssertEveryAcknowledgedWriteIsKeptAsync(MixedLoad load, Guid[] organizations)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        foreach (var (kind, ids) in load.Created)
        {
            var acknowledged = ids.Distinct().ToList();
            var stored = kind switch
            {
                "account" => await db.Accounts.IgnoreQueryFilters().CountAsync(a => acknowledged.Contains(a.Id), Ct),
                "contact" => await db.Contacts.IgnoreQueryFilters().CountAsync(c => acknowledged.Contains(c.Id), Ct),
                "opportunity" => await db.Opportunities.IgnoreQueryFilters().CountAsync(o => acknowledged.Contains(o.Id), Ct),
                "quote" => await db.Quotes.IgnoreQueryFilters().CountAsync(q => acknowledged.Contains(q.Id), Ct),
                "activity" => await db.Activities.IgnoreQueryFilters().CountAsync(a => acknowledged.Contains(a.Id), Ct),
                _ => throw new InvalidOperationException(kind),
            };
            Assert.True(acknowledged.Count == stored, $"{acknowledged.Count} {kind} writes were answered 201, {stored} are in the database.");
        }

        Assert.Equal(5, load.Created.Count);

        // Each quote has every line it was sent with, and no two quotes of an organization share a number.
        var quotes = load.QuoteLines.Keys.ToList();
        var lines = await db.QuoteLines.IgnoreQueryFilters().Where(l => quotes.Contains(l.QuoteId))
            .GroupBy(l => l.QuoteId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, Ct);
        Assert.All(load.QuoteLines, q => Assert.Equal(q.Value, lines.GetValueOrDefault(q.Key)));
        var numbers = await db.Quotes.IgnoreQueryFilters().Where(q => organizations.Contains(q.OrganizationId))
            .Select(q => new { q.OrganizationId, q.Number, q.Revision }).ToListAsync(Ct);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());

        // A deal's stage is the one its last acknowledged move put it in: no move was lost.
        var own = load.OwnDealStages.Keys.ToList();
        var stages = await db.Opportunities.IgnoreQueryFilters().Where(o => own.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.StageId, Ct);
        Assert.All(load.OwnDealStages, d => Assert.Equal(d.Value, stages[d.Key]));

        // Managers raced on the shared deals with If-Match: each success answered a version of its own (no two moves
        // made from one version), and the deal stands where the latest acknowledged one put it.
        var moves = load.SharedMoves.ToList();
        Assert.NotEmpty(moves);
        foreach (var deal in moves.GroupBy(m => m.Deal))
        {
            Assert.Equal(deal.Count(), deal.Select(m => m.Version).Distinct().Count());
            var last = deal.MaxBy(m => m.Version);
            var stored = await db.Opportunities.IgnoreQueryFilters().Where(o => o.Id == deal.Key).Select(o => new { o.StageId, o.Version }).SingleAsync(Ct);
            Assert.Equal((last.Stage, last.Version), (stored.StageId, stored.Version));
        }
    }

    private sealed record Shop(TestOrganization Org, List<(TestOrganization Org, Guid User, UserRole Role)> Users, List<Guid> Stages, List<Guid> SharedDeals);

    /// <summary>An organization with its admin, managers and reps, a few accounts and deals to find, and three deals its managers share.</summary>
    private async Task<Shop> ArrangeAsync(string name, int managers, int reps, int startAt)
    {
        var org = await factory.CreateOrganizationAsync(name);
        var users = new List<(TestOrganization, Guid, UserRole)> { (org, org.Admin.Id, UserRole.Admin) };
        for (var i = 0; i < managers; i++)
        {
            users.Add((org, (await org.AddUserAsync(UserRole.Manager, $"Müdür {startAt + i}")).Id, UserRole.Manager));
        }

        for (var i = 0; i < reps; i++)
        {
            users.Add((org, (await org.AddUserAsync(UserRole.Rep, $"Temsilci {startAt + managers + i}")).Id, UserRole.Rep));
        }

        var admin = org.Admin.Client;
        var pipelines = await admin.GetFromJsonAsync<JsonElement>("/api/v1/pipelines", Ct);
        var stages = pipelines[0].GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList();
        var shared = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            var account = await admin.CreateAccountAsync($"Anadolu Çelik {name} {i}", city: "İstanbul");
            var deal = await admin.PostAsJsonAsync("/api/v1/opportunities",
                new { title = $"Ortak fırsat {i}", accountId = account.Id, expectedAmount = 50_000m, expectedCloseDate = "2027-03-31" }, Ct);
            await deal.EnsureSuccessAsync();
            if (i < 3)
            {
                shared.Add((await deal.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid());
            }
        }

        return new Shop(org, users, stages, shared);
    }
}
