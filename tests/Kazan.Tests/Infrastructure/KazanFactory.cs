using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kazan.Features.ApiTokens;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

// One Kazan host and database for the whole run (per provider: test.sh runs the assembly once per provider), shared by
// every test class that takes a plain KazanFactory; each test signs up its own organization, so tenancy keeps them apart
// and the classes still run in parallel. A class that cannot share (it reads the whole database or needs other
// settings) asks for its own factory type through IClassFixture, with a comment saying why.
[assembly: AssemblyFixture(typeof(Kazan.Tests.Infrastructure.KazanFactory))]

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// Hosts Kazan on a fresh, real database per factory. The provider comes from <c>KAZAN_TEST_DB</c>
/// (<c>sqlite</c>, the default, or <c>postgres</c> with <c>KAZAN_TEST_PG</c> naming a server); test.sh runs every
/// test once per provider. The plain <see cref="KazanFactory"/> is the assembly's shared fixture; subclasses give a
/// test class a host and database of its own.
/// </summary>
public class KazanFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly Lock _clientsGate = new();
    private readonly string _databaseName = "kazan_test_" + Guid.NewGuid().ToString("N")[..12];
    private string? _sqlitePath;

    public static bool UsePostgres => string.Equals(Environment.GetEnvironmentVariable("KAZAN_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase);

    public static string ProviderName => UsePostgres ? "postgres" : "sqlite";

    public static string PostgresServer => Environment.GetEnvironmentVariable("KAZAN_TEST_PG")
        ?? "Host=127.0.0.1;Port=5433;Username=postgres;Include Error Detail=true";

    public string ConnectionString { get; private set; } = "";

    /// <summary>The host's data folder (uploaded import files), removed with the factory.</summary>
    public string DataDirectory => Path.Combine(Path.GetTempPath(), _databaseName + "-data");

    /// <summary>Extra settings a test class needs (e.g. a low rate limit).</summary>
    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected virtual string EnvironmentName => "Development";

    public async ValueTask InitializeAsync()
    {
        if (UsePostgres)
        {
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {_databaseName}", admin);
            await cmd.ExecuteNonQueryAsync();
            ConnectionString = new NpgsqlConnectionStringBuilder(PostgresServer) { Database = _databaseName }.ToString();
        }
        else
        {
            _sqlitePath = Path.Combine(Path.GetTempPath(), _databaseName + ".db");
            ConnectionString = $"Data Source={_sqlitePath};Foreign Keys=True;Pooling=True";
        }

        // Start the host (and migrate) now, once: WebApplicationFactory builds its server lazily and without a lock, so
        // test classes sharing this factory in parallel could otherwise each start one.
        StartServer();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrorLog(ProviderName)));
        builder.UseSetting("Database:Provider", UsePostgres ? "Postgres" : "Sqlite");
        builder.UseSetting("ConnectionStrings:Kazan", ConnectionString);
        builder.UseSetting("Kazan:AllowSignup", "true");
        builder.UseSetting("Kazan:DataDirectory", DataDirectory);

        // Identity's hashing cost is a production setting; tests keep it low so hundreds of sign-ups stay fast.
        builder.UseSetting("Kazan:PasswordHashIterations", "1000");
        builder.UseSetting("Kazan:RateLimit:PermitsPerMinute", "0");
        builder.UseSetting("Kazan:RateLimit:PublicPermitsPerMinute", "0");

        // Every in-memory request comes from the same (unknown) client: the sign-in throttle is tested on its own host.
        builder.UseSetting("Kazan:SignIn:FailuresPerClient", "0");

        // Links that leave the app start with the configured address, never the request's host: the test clients' own.
        builder.UseSetting("Kazan:PublicUrl", "https://localhost");

        // No background PRAGMA optimize (SqliteOptimizeTests runs it itself): a minute into the run it would gather
        // statistics from the tests' handful of rows, and SQLite would then rightly scan those tiny tables, so the
        // plan tests (QueryPlans), which ask what a query does at scale, would pass or fail by when they ran.
        builder.UseSetting("Database:SqliteOptimizeIntervalHours", "0");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (UsePostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(PostgresServer);
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", admin);
            await cmd.ExecuteNonQueryAsync();
        }
        else if (_sqlitePath is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" })
            {
                File.Delete(f);
            }
        }

        if (Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A client with no credentials.</summary>
    public HttpClient Anonymous() => NewClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientBaseAddress });

    /// <summary>
    /// <see cref="WebApplicationFactory{TEntryPoint}.CreateClient(WebApplicationFactoryClientOptions)"/> for classes
    /// running in parallel: the factory keeps its clients in a plain list, so creating them is serialized.
    /// </summary>
    public HttpClient NewClient(WebApplicationFactoryClientOptions options)
    {
        lock (_clientsGate)
        {
            return CreateClient(options);
        }
    }

    /// <summary>In-memory server: https, so Secure cookies flow. A Kestrel-hosted factory returns its real address.</summary>
    protected virtual Uri ClientBaseAddress => new("https://localhost");

    /// <summary>Signs up a new organization through the API and returns its admin with a bearer-token client.</summary>
    public async Task<TestOrganization> CreateOrganizationAsync(string name, string culture = "tr-TR")
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        var response = await Anonymous().PostAsJsonAsync("/api/v1/onboarding", new
        {
            organizationName = name,
            baseCurrency = "TRY",
            culture,
            adminName = "Admin " + name,
            adminEmail = email,
            adminPassword = TestOrganization.Password,
        });
        await response.EnsureSuccessAsync();
        var created = (await response.Content.ReadFromJsonAsync<OnboardingResult>())!;
        var org = new TestOrganization(this, created.OrganizationId, name);
        org.Admin = new TestUser(created.AdminId, email, UserRole.Admin, await ClientForAsync(created.OrganizationId, created.AdminId));
        return org;
    }

    /// <summary>
    /// A bearer-token client for an existing user. The token row is written directly: creating tokens through the API
    /// is tested on its own, and every other test needs a caller without a browser sign-in.
    /// </summary>
    public async Task<HttpClient> ClientForAsync(Guid organizationId, Guid userId)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        var (token, secret) = ApiToken.Create(organizationId, userId, "tests", null, DateTimeOffset.UtcNow);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync();
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return client;
    }

    /// <summary>A DbContext acting as the given user, for arranging data and for checking what was stored.</summary>
    public (IServiceScope Scope, KazanDbContext Db) DbAs(Guid organizationId, Guid userId, UserRole role = UserRole.Admin)
    {
        var scope = Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(organizationId, userId, role, repsSeeAll: false);
        return (scope, scope.ServiceProvider.GetRequiredService<KazanDbContext>());
    }

    private sealed record OnboardingResult(Guid OrganizationId, Guid AdminId);
}

public sealed record TestUser(Guid Id, string Email, UserRole Role, HttpClient Client);

public sealed class TestOrganization(KazanFactory factory, Guid id, string name)
{
    public const string Password = "dogru-sifre-2026";

    public Guid Id { get; } = id;
    public string Name { get; } = name;
    public TestUser Admin { get; set; } = default!;

    /// <summary>Invites a user through the API and accepts the invitation, as a real newcomer would (a fresh e-mail unless given).</summary>
    public async Task<TestUser> AddUserAsync(UserRole role, string? displayName = null, Guid? teamId = null, string? email = null)
    {
        email ??= $"{role.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}@example.com";
        var invite = await Admin.Client.PostAsJsonAsync("/api/v1/invitations", new { email, role = role.ToString(), teamId });
        await invite.EnsureSuccessAsync();
        var link = (await invite.Content.ReadFromJsonAsync<InvitationLink>())!.Link;
        var token = link[(link.LastIndexOf('/') + 1)..];
        var accept = await factory.Anonymous().PostAsJsonAsync("/api/v1/invitations/accept",
            new { token, displayName = displayName ?? $"{role} {Name}", password = Password });
        await accept.EnsureSuccessAsync();
        var userId = (await accept.Content.ReadFromJsonAsync<Accepted>())!.UserId;
        return new TestUser(userId, email, role, await factory.ClientForAsync(Id, userId));
    }

    private sealed record InvitationLink(string Link);

    private sealed record Accepted(Guid UserId);
}

public static class HttpAssertions
{
    /// <summary>Like EnsureSuccessStatusCode, but the failure message carries the problem details body.</summary>
    public static async Task EnsureSuccessAsync(this HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.Fail($"{(int)response.StatusCode} {response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {body}");
        }
    }

    public static async Task<System.Text.Json.JsonElement> ProblemAsync(this HttpResponseMessage response, int expectedStatus)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(expectedStatus == (int)response.StatusCode, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = System.Text.Json.JsonDocument.Parse(body).RootElement;
        Assert.Equal(expectedStatus, json.GetProperty("status").GetInt32());
        return json;
    }
}

/// <summary>Kazan on a database of its own, for a test class that reads or fills the whole database.</summary>
public sealed class OwnDatabaseFactory : KazanFactory;
