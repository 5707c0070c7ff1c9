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
using Npgsql;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// Kazan as a real child process (<c>dotnet Kazan.dll</c> from the test's own build), for what an in-memory host cannot
/// show: <c>kill -9</c>, several instances on one database, a real reverse proxy. Production environment, a low
/// password-hashing cost and sign-up allowed; anything else comes from <c>settings</c> (configuration keys, e.g.
/// <c>Kazan:PublicUrl</c>). What the process prints is kept for failure messages. <see cref="RunAsync"/> runs a command
/// line that does its work and exits (<c>backup &lt;file&gt;</c>) the same way.
/// </summary>
public sealed class KazanProcess : IAsyncDisposable
{
    private const int KeptOutputChars = 20_000;
    private readonly StringBuilder _output = new();
    private Process _process;
    private bool _disposed;

    private KazanProcess(ProcessStartInfo info, Uri address)
    {
        Address = address;
        _process = Launch(info);
    }

    /// <summary>Where it listens (plain HTTP on loopback).</summary>
    public Uri Address { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed (standard output and error).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The settings of a test that calls the API over plain HTTP on loopback, as fast as it can.</summary>
    public static readonly IReadOnlyDictionary<string, string> PlainHttp = new Dictionary<string, string>
    {
        ["Kazan:RateLimit:PermitsPerMinute"] = "0",
        ["Kazan:RequireHttps"] = "false",
        ["Kazan:PublicUrl"] = "https://process.kazan.invalid",
    };

    /// <summary>
    /// Starts Kazan on a free loopback port; <see cref="ReadyAsync"/> waits until it answers. A null
    /// <paramref name="connection"/> is SQLite's default file, <c>{dataDirectory}/kazan.db</c>.
    /// </summary>
    public static KazanProcess Start(string? connection, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null) =>
        Start(new Uri($"http://127.0.0.1:{Ports.Free()}"), connection, dataDirectory, settings);

    public static KazanProcess Start(Uri address, string? connection, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null) =>
        new(StartInfo(["--urls", address.ToString().TrimEnd('/')], connection, dataDirectory, settings), address);

    /// <summary>Runs Kazan with a command line that does its work and exits (e.g. <c>backup &lt;file&gt;</c>); two minutes at most.</summary>
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(
        string[] args, string? connection, string dataDirectory, IReadOnlyDictionary<string, string>? settings = null)
    {
        using var process = Process.Start(StartInfo(args, connection, dataDirectory, settings))!;
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
            Assert.Fail($"Kazan {string.Join(' ', args)} did not end within two minutes.");
        }

        return (process.ExitCode, await output, await error);
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

    /// <summary>Kills the process at once (SIGKILL: no shutdown, no rollback by the app) and starts it again with the same settings.</summary>
    public async Task CrashAndRestartAsync()
    {
        var info = _process.StartInfo;
        await KillAsync();
        _process.Dispose();
        Append("--- killed and restarted ---");
        _process = Launch(info);
    }

    /// <summary>Waits until <c>/health</c> answers 200; fails the test with the process's output if it exits or takes over two minutes.</summary>
    public async Task ReadyAsync()
    {
        // The first answer waits for the JIT, which on a busy machine takes many seconds: only the deadline counts.
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(120) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                using var health = await http.GetAsync(new Uri("/health", UriKind.Relative), Ct);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200, Ct);
        }

        Assert.Fail($"Kazan on {Address} did not start{(_process.HasExited ? $" (exit code {_process.ExitCode})" : "")}:\n{Output}");
    }

    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Kills it; may be called again (a test that stops the server in its body stops it again in its finally).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await KillAsync();
        _process.Dispose();
    }

    private static ProcessStartInfo StartInfo(string[] args, string? connection, string dataDirectory, IReadOnlyDictionary<string, string>? settings)
    {
        var info = new ProcessStartInfo("dotnet", ["Kazan.dll", .. args])
        {
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["Database__Provider"] = KazanFactory.UsePostgres ? "Postgres" : "Sqlite",
                ["Kazan__DataDirectory"] = dataDirectory,
                ["Kazan__AllowSignup"] = "true",
                ["Kazan__PasswordHashIterations"] = "1000",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        if (connection is not null)
        {
            info.Environment["ConnectionStrings__Kazan"] = connection;
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return info;
    }

    private Process Launch(ProcessStartInfo info)
    {
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            if (_output.Length > KeptOutputChars)
            {
                _output.Remove(0, _output.Length - KeptOutputChars);
            }
        }
    }
}

/// <summary>
/// A fresh database of the provider the suite runs on (a PostgreSQL database on <see cref="KazanFactory.PostgresServer"/>,
/// or an SQLite file) and a data folder, for child processes; dropped and deleted on dispose.
/// </summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private readonly string _name;
    private readonly string? _sqlitePath;

    private ScratchDatabase(string name, string connection, string? sqlitePath)
    {
        _name = name;
        ConnectionString = connection;
        _sqlitePath = sqlitePath;
        DataDirectory = Path.Combine(Path.GetTempPath(), name + "-data");
    }

    public string ConnectionString { get; }

    public string DataDirectory { get; }

    /// <summary>Creates it; <paramref name="prefix"/> names it (lower case letters and underscores).</summary>
    public static async Task<ScratchDatabase> CreateAsync(string prefix)
    {
        var name = prefix + "_" + Guid.NewGuid().ToString("N")[..12];
        if (!KazanFactory.UsePostgres)
        {
            var path = Path.Combine(Path.GetTempPath(), name + ".db");
            return new ScratchDatabase(name, $"Data Source={path};Foreign Keys=True", path);
        }

        await using var admin = new NpgsqlConnection(KazanFactory.PostgresServer);
        await admin.OpenAsync(TestContext.Current.CancellationToken);
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        await create.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        return new ScratchDatabase(name, new NpgsqlConnectionStringBuilder(KazanFactory.PostgresServer) { Database = name }.ToString(), null);
    }

    /// <summary>A context on this database that sees every organization (no caller): for arranging and checking rows.</summary>
    public KazanDbContext Open() => KazanFactory.UsePostgres
        ? new PostgresKazanDbContext(new DbContextOptionsBuilder<PostgresKazanDbContext>().UseNpgsql(ConnectionString).Options, new CurrentUser())
        : new SqliteKazanDbContext(new DbContextOptionsBuilder<SqliteKazanDbContext>().UseSqlite(ConnectionString).Options, new CurrentUser());

    public async ValueTask DisposeAsync()
    {
        if (_sqlitePath is null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var admin = new NpgsqlConnection(KazanFactory.PostgresServer);
            await admin.OpenAsync(CancellationToken.None);
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_name} WITH (FORCE)", admin);
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
        else
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
    }
}
