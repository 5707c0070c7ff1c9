using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.ApiTokens;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kazan.Tests.Import;

/// <summary>
/// <c>kill -9</c> in the middle of an import, on the real process: after the restart none of the rows is there, the
/// job says it was interrupted, and running it again imports the file whole. On the database the suite runs on.
/// </summary>
public sealed class ImportCrashTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_import_killed_mid_run_leaves_no_rows_says_interrupted_and_can_be_run_again()
    {
        var name = "kazan_crash_" + Guid.NewGuid().ToString("N")[..12];
        var data = Path.Combine(Path.GetTempPath(), name + "-data");
        var sqlite = Path.Combine(Path.GetTempPath(), name + ".db");
        var connection = KazanFactory.UsePostgres
            ? new NpgsqlConnectionStringBuilder(KazanFactory.PostgresServer) { Database = name }.ToString()
            : $"Data Source={sqlite};Foreign Keys=True";
        if (KazanFactory.UsePostgres)
        {
            await using var admin = new NpgsqlConnection(KazanFactory.PostgresServer);
            await admin.OpenAsync(Ct);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
            await create.ExecuteNonQueryAsync(Ct);
        }

        var url = $"http://127.0.0.1:{Ports.Free()}";
        var server = Start(url, connection, data);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await ReadyAsync(http, server);
            var onboarded = await (await http.PostAsJsonAsync("/api/v1/onboarding", new
            {
                organizationName = "Çöken Sunucu A.Ş.",
                baseCurrency = "TRY",
                culture = "tr-TR",
                adminName = "Yönetici",
                adminEmail = "admin@coken.example",
                adminPassword = TestOrganization.Password,
            }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
                await TokenAsync(connection, onboarded.GetProperty("organizationId").GetGuid(), onboarded.GetProperty("adminId").GetGuid()));
            await http.CreateAccountAsync("Büyük Liste A.Ş.");
            var csv = new StringBuilder("Ad,Soyad,E-posta,Müşteri\n");
            for (var i = 0; i < 6_000; i++)
            {
                csv.Append("Kişi").Append(i).Append(",Şahin,k").Append(i).Append("@liste.com.tr,Büyük Liste A.Ş.\n");
            }

            var job = await http.UploadAsync("contacts", Encoding.UTF8.GetBytes(csv.ToString()), "büyük.csv");
            var id = job.GetProperty("id").GetGuid();
            await (await http.PostAsJsonAsync($"/api/v1/imports/{id}/run", new { onError = "StopOnFirstError" }, Ct)).EnsureSuccessAsync();
            JsonElement running;
            do
            {
                running = await http.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
                Assert.NotEqual("Imported", running.GetProperty("status").GetString());
            }
            while (running.GetProperty("processedRows").GetInt32() < 2_000);

            server.Kill(); // SIGKILL: no shutdown, no rollback by the app; the database's own atomicity is all there is
            await server.WaitForExitAsync(Ct);
            server.Dispose();
            server = Start(url, connection, data);
            await ReadyAsync(http, server);

            var after = await http.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
            Assert.Equal(("Interrupted", 0), (after.GetProperty("status").GetString(), after.GetProperty("createdRows").GetInt32()));
            var contacts = await http.GetFromJsonAsync<JsonElement>("/api/v1/contacts?limit=5", Ct);
            Assert.Equal(0, contacts.GetProperty("items").GetArrayLength());
            var search = await http.GetFromJsonAsync<JsonElement>("/api/v1/search?q=kişi1", Ct);
            Assert.DoesNotContain("Şahin", search.GetRawText(), StringComparison.Ordinal);

            var again = await http.RunAsync(after);
            Assert.Equal(("Imported", 6_000), (again.GetProperty("status").GetString(), again.GetProperty("createdRows").GetInt32()));
            contacts = await http.GetFromJsonAsync<JsonElement>("/api/v1/contacts?limit=5", Ct);
            Assert.Equal(5, contacts.GetProperty("items").GetArrayLength());
        }
        finally
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }

            server.Dispose();
            if (KazanFactory.UsePostgres)
            {
                NpgsqlConnection.ClearAllPools();
                await using var admin = new NpgsqlConnection(KazanFactory.PostgresServer);
                await admin.OpenAsync(CancellationToken.None);
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync(CancellationToken.None);
            }
            else
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var f in new[] { sqlite, sqlite + "-wal", sqlite + "-shm" })
                {
                    File.Delete(f);
                }
            }

            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static Process Start(string url, string connection, string data)
    {
        var start = new ProcessStartInfo("dotnet", ["Kazan.dll", "--urls", url])
        {
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Kazan"] = connection,
                ["Database__Provider"] = KazanFactory.UsePostgres ? "Postgres" : "Sqlite",
                ["Kazan__DataDirectory"] = data,
                ["Kazan__AllowSignup"] = "true",
                ["Kazan__PasswordHashIterations"] = "1000",
                ["Kazan__RateLimit__PermitsPerMinute"] = "0",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Kazan__RequireHttps"] = "false", // the test calls the API over plain HTTP on loopback
                ["Kazan__PublicUrl"] = "https://crash.kazan.invalid",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task ReadyAsync(HttpClient http, Process server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !server.HasExited)
        {
            try
            {
                using var health = await http.GetAsync("/health", Ct);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200, Ct);
        }

        Assert.Fail("Kazan did not start.");
    }

    /// <summary>An API token for the admin, written straight into the database (issuing tokens is tested on its own).</summary>
    private static async Task<string> TokenAsync(string connection, Guid organizationId, Guid userId)
    {
        await using KazanDbContext db = KazanFactory.UsePostgres
            ? new PostgresKazanDbContext(new DbContextOptionsBuilder<PostgresKazanDbContext>().UseNpgsql(connection).Options, new CurrentUser())
            : new SqliteKazanDbContext(new DbContextOptionsBuilder<SqliteKazanDbContext>().UseSqlite(connection).Options, new CurrentUser());
        var (token, secret) = ApiToken.Create(organizationId, userId, "crash test", null, DateTimeOffset.UtcNow);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(Ct);
        return secret;
    }
}
