using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Kazan.Tests.Foundation;

/// <summary>Kazan on SQLite with a 2 s busy timeout (<c>Database:SqliteBusyTimeoutSeconds</c>), so waiting it out is quick.</summary>
public sealed class ShortBusyTimeoutFactory : KazanFactory
{
    public const int BusyTimeoutSeconds = 2;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Database:SqliteBusyTimeoutSeconds"] = BusyTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// SQLite has one writer at a time: an API write that finds another write holding the lock waits for it up to the busy
/// timeout and then succeeds; past the timeout it is answered 503 database.busy at once, nothing saved, and its
/// Idempotency-Key free for the retry. With and without a key (a keyed request takes the lock when it begins). Its own
/// database, since holding the write lock stalls every other test of a shared one.
/// </summary>
public sealed class SqliteBusyTimeoutTests(ShortBusyTimeoutFactory factory) : IClassFixture<ShortBusyTimeoutFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_behind_a_write_shorter_than_the_busy_timeout_waits_for_it_and_succeeds(bool withKey)
    {
        Assert.SkipWhen(KazanFactory.UsePostgres, "PostgreSQL has no database-wide write lock.");
        var org = await factory.CreateOrganizationAsync("Sabırlı Yazar A.Ş.");
        var name = "Bekleyip Kaydolan " + Guid.NewGuid().ToString("N")[..6];
        Task<HttpResponseMessage> write;
        await using (await HoldWriteLockAsync())
        {
            write = org.Admin.Client.SendAsync(CreateAccount(name, withKey ? Guid.NewGuid().ToString() : null), Ct);
            await Task.Delay(TimeSpan.FromSeconds(1), Ct);
            Assert.False(write.IsCompleted, "The write did not wait for the lock.");
        } // the other write ends here, within the busy timeout

        var response = await write;
        await response.EnsureSuccessAsync();
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(1, await CountAccountsAsync(org, name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_write_behind_a_write_longer_than_the_busy_timeout_gets_503_when_the_timeout_ends_and_nothing_is_saved(bool withKey)
    {
        Assert.SkipWhen(KazanFactory.UsePostgres, "PostgreSQL has no database-wide write lock.");
        var org = await factory.CreateOrganizationAsync("Sabırsız Yazar A.Ş.");
        var name = "Yarım Kalmayan " + Guid.NewGuid().ToString("N")[..6];
        var key = withKey ? Guid.NewGuid().ToString() : null;
        await using (await HoldWriteLockAsync())
        {
            var watch = Stopwatch.StartNew();

            // The lock is held for as long as it takes: the answer must come when the 2 s busy timeout ends, well before
            // this test's 20 s (before, Microsoft.Data.Sqlite's own retries stretched every busy wait to 30 s).
            var response = await org.Admin.Client.SendAsync(CreateAccount(name, key), Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

            var problem = await response.ProblemAsync(503);
            Assert.Equal("database.busy", problem.GetProperty("code").GetString());
            Assert.Equal("5", response.Headers.RetryAfter?.ToString());
            Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(ShortBusyTimeoutFactory.BusyTimeoutSeconds - 0.5), $"Answered busy after {watch.Elapsed} only.");
        }

        Assert.Equal(0, await CountAccountsAsync(org, name));

        // The retry (with the same key, when there was one) is a fresh attempt that saves the account once.
        var retry = await org.Admin.Client.SendAsync(CreateAccount(name, key), Ct);
        await retry.EnsureSuccessAsync();
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.False(retry.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountAccountsAsync(org, name));
    }

    private static HttpRequestMessage CreateAccount(string name, string? idempotencyKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/accounts") { Content = JsonContent.Create(new { kind = "Company", name }) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return request;
    }

    private static async Task<int> CountAccountsAsync(TestOrganization org, string name)
    {
        var page = await org.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/accounts?q={Uri.EscapeDataString(name)}&limit=50", Ct);
        return page.GetProperty("items").EnumerateArray().Count(a => a.GetProperty("name").GetString() == name);
    }

    /// <summary>Another writer: a connection of its own that holds SQLite's write lock until it is disposed (rolled back).</summary>
    private async Task<WriteLock> HoldWriteLockAsync()
    {
        var connection = new SqliteConnection(factory.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE";
        await begin.ExecuteNonQueryAsync(Ct);
        return new WriteLock(connection);
    }

    private sealed class WriteLock(SqliteConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // A pooled connection keeps a transaction begun in SQL open when it is closed: end it first.
            await using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await connection.DisposeAsync();
        }
    }
}
