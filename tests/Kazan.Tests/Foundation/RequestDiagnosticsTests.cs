using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Infrastructure.Observability;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

public sealed class SqlCountFactory : KazanFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kazan:Diagnostics:SqlCount"] = "true",
    };
}

// Its own host: SQL counting is a host setting, off in the shared host.
/// <summary>The benchmark's opt-in view into a request: how many SQL commands it ran (docs/performance.md).</summary>
public sealed class RequestDiagnosticsTests(SqlCountFactory factory) : IClassFixture<SqlCountFactory>
{
    [Fact]
    public async Task With_sql_counting_on_a_list_of_many_accounts_runs_as_many_commands_as_a_list_of_one()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await factory.CreateOrganizationAsync("Sayaç Makine A.Ş.");
        (await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", new { kind = "Company", name = "Birinci Ltd. Şti." }, ct)).EnsureSuccessStatusCode();
        var one = await CommandsAsync(org.Admin.Client, ct);

        for (var i = 0; i < 15; i++)
        {
            (await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", new { kind = "Company", name = $"Müşteri {i} A.Ş." }, ct)).EnsureSuccessStatusCode();
        }

        var many = await CommandsAsync(org.Admin.Client, ct);
        Assert.True(one > 0, "the header counts the commands");
        Assert.Equal(one, many);
    }

    [Fact]
    public async Task Reading_a_deal_with_contacts_and_activities_runs_two_statements_after_the_caller_check()
    {
        var ct = TestContext.Current.CancellationToken;
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync("Tek Sorgu A.Ş.");
        var bare = await CommandsAsync(org.Admin.Client, $"/api/v1/opportunities/{opportunity}", ct);
        var caller = await CommandsAsync(org.Admin.Client, "/api/v1/me", ct);

        for (var i = 0; i < 3; i++)
        {
            var contact = await org.Admin.Client.CreateContactAsync(account, $"Kişi {i}", "Çağlar");
            (await org.Admin.Client.PostAsJsonAsync($"/api/v1/opportunities/{opportunity}/contacts", new { contactId = contact.Id }, ct)).EnsureSuccessStatusCode();
            (await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Call", subject = $"Ara {i}", accountId = account, opportunityId = opportunity, dueAt = DateTimeOffset.UtcNow.AddDays(i) }, ct)).EnsureSuccessStatusCode();
        }

        var full = await CommandsAsync(org.Admin.Client, $"/api/v1/opportunities/{opportunity}", ct);
        Assert.Equal(bare, full);

        // The deal with its names and next activity is one statement, its contacts a second: one more than /me
        // (which reads the user and organization in one). It was five statements.
        Assert.Equal(caller + 1, full);
    }

    [Fact]
    public async Task A_known_api_token_costs_no_query_on_sqlite_and_a_revoked_one_is_refused_on_the_next_request()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await factory.CreateOrganizationAsync("Tanıdık Anahtar A.Ş.");
        var created = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/api-tokens", new { name = "Önbellek" }, ct)).Content.ReadFromJsonAsync<JsonElement>(ct);
        using var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", created.GetProperty("token").GetString());

        // /me reads the user and organization in one statement; finding the token's caller was a second on every request.
        // SQLite keeps the callers of known tokens (one process owns the file); PostgreSQL asks each time (several instances).
        Assert.Equal(KazanFactory.UsePostgres ? 2 : 1, await CommandsAsync(client, "/api/v1/me", ct));

        (await org.Admin.Client.DeleteAsync($"/api/v1/api-tokens/{created.GetProperty("id").GetGuid()}", ct)).EnsureSuccessStatusCode();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", ct)).StatusCode);
    }

    /// <summary>The fewest commands over a few calls: caches (token use, organization settings) only ever remove commands.</summary>
    private static Task<int> CommandsAsync(HttpClient client, CancellationToken ct) => CommandsAsync(client, "/api/v1/accounts?limit=50", ct);

    private static async Task<int> CommandsAsync(HttpClient client, string url, CancellationToken ct)
    {
        var counts = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.GetAsync(url, ct);
            response.EnsureSuccessStatusCode();
            counts.Add(int.Parse(response.Headers.GetValues(RequestDiagnostics.SqlCommandsHeader).Single(), System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(long.Parse(response.Headers.GetValues(RequestDiagnostics.AllocatedBytesHeader).Single(), System.Globalization.CultureInfo.InvariantCulture) > 0);
        }

        return counts.Min();
    }
}

public sealed class RequestDiagnosticsOffTests(KazanFactory factory)
{
    [Fact]
    public async Task By_default_responses_carry_no_diagnostic_headers()
    {
        var org = await factory.CreateOrganizationAsync("Sessiz A.Ş.");
        using var response = await org.Admin.Client.GetAsync("/api/v1/accounts", TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        Assert.False(response.Headers.Contains(RequestDiagnostics.SqlCommandsHeader));
        Assert.False(response.Headers.Contains(RequestDiagnostics.AllocatedBytesHeader));
    }
}
