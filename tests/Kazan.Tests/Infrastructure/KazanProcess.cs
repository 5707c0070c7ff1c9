using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.ApiTokens;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// Kazan as a real process (<c>dotnet Kazan.dll</c> from the tests' bin folder), for what an in-memory host cannot show:
/// <c>kill -9</c>, a restart on the same files, a command line run next to a running server.
/// </summary>
public static class KazanProcess
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Bin => Path.GetDirectoryName(typeof(Program).Assembly.Location)!;

    /// <summary>
    /// The settings of a test server: <paramref name="connection"/> on the suite's database (null: SQLite's default file
    /// <c>{data}/kazan.db</c>), cheap password hashing, no rate limit, plain HTTP on loopback.
    /// </summary>
    public static Dictionary<string, string?> Settings(string? connection, string data, bool postgres) => new()
    {
        ["ConnectionStrings__Kazan"] = connection,
        ["Database__Provider"] = postgres ? "Postgres" : "Sqlite",
        ["Kazan__DataDirectory"] = data,
        ["Kazan__AllowSignup"] = "true",
        ["Kazan__PasswordHashIterations"] = "1000",
        ["Kazan__RateLimit__PermitsPerMinute"] = "0",
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["Kazan__RequireHttps"] = "false", // the tests call the API over plain HTTP on loopback
        ["Kazan__PublicUrl"] = "https://crash.kazan.invalid",
        ["Logging__LogLevel__Default"] = "Warning",
    };

    /// <summary>Starts the server listening on <paramref name="url"/>; wait for it with <see cref="ReadyAsync"/>.</summary>
    public static Process Start(string url, Dictionary<string, string?> settings)
    {
        var process = Process.Start(Info(["--urls", url], settings))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs Kazan with a command line that does its work and exits (e.g. <c>backup &lt;file&gt;</c>).</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(string[] args, Dictionary<string, string?> settings)
    {
        using var process = Process.Start(Info(args, settings))!;
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await output, await error);
    }

    private static ProcessStartInfo Info(string[] args, Dictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet", ["Kazan.dll", .. args])
        {
            WorkingDirectory = Bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var (key, value) in settings)
        {
            if (value is null)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>Waits until <c>/health</c> answers 200; fails when the process exits or two minutes pass first.</summary>
    public static async Task ReadyAsync(HttpClient http, Process server)
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

    /// <summary>Kills the server (SIGKILL: no shutdown, no rollback by the app) and waits for it to be gone.</summary>
    public static async Task StopAsync(Process server)
    {
        try
        {
            if (!server.HasExited)
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync(CancellationToken.None);
            }
        }
        catch (InvalidOperationException)
        {
            // Stopped and disposed before (a test that restarts the server stops it again in its finally).
        }

        server.Dispose();
    }

    /// <summary>
    /// Signs up an organization through the API and gives <paramref name="http"/> its admin's API token (written straight
    /// into the database at <paramref name="connection"/>: issuing tokens is tested on its own).
    /// </summary>
    public static async Task SignUpAsync(HttpClient http, string connection, bool postgres, string organizationName)
    {
        var response = await http.PostAsJsonAsync("/api/v1/onboarding", new
        {
            organizationName,
            baseCurrency = "TRY",
            culture = "tr-TR",
            adminName = "Yönetici",
            adminEmail = $"admin-{Guid.NewGuid():N}@kazan.example",
            adminPassword = TestOrganization.Password,
        }, Ct);
        await response.EnsureSuccessAsync();
        var onboarded = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        await using KazanDbContext db = postgres
            ? new PostgresKazanDbContext(new DbContextOptionsBuilder<PostgresKazanDbContext>().UseNpgsql(connection).Options, new CurrentUser())
            : new SqliteKazanDbContext(new DbContextOptionsBuilder<SqliteKazanDbContext>().UseSqlite(connection).Options, new CurrentUser());
        var (token, secret) = ApiToken.Create(onboarded.GetProperty("organizationId").GetGuid(), onboarded.GetProperty("adminId").GetGuid(),
            "process test", null, DateTimeOffset.UtcNow);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(Ct);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
    }
}
