using System.Diagnostics;
using System.Net;
using Kazan.Features.Demo;
using Kazan.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Kazan.Tests.Foundation;

/// <summary><c>dotnet run --project src/Kazan -- --demo --urls …</c>: the switch may stand anywhere and the sign-in is printed framed.</summary>
public sealed class DemoCommandLineTests
{
    [Theory]
    [InlineData("--demo", "--urls", "http://127.0.0.1:5999")]
    [InlineData("--urls", "http://127.0.0.1:5999", "--demo")]
    [InlineData("--urls=http://127.0.0.1:5999", "--DEMO")]
    public void The_demo_switch_is_taken_out_wherever_it_stands_and_the_urls_reach_the_host(params string[] args)
    {
        var (demo, hostArgs) = DemoSignIn.Split(args);

        Assert.True(demo);
        Assert.DoesNotContain(hostArgs, a => a.Contains("demo", StringComparison.OrdinalIgnoreCase));
        var config = new ConfigurationBuilder().AddCommandLine(hostArgs).Build();
        Assert.Equal("http://127.0.0.1:5999", config["urls"]);
    }

    [Fact]
    public void Without_the_switch_the_arguments_pass_unchanged()
    {
        var (demo, hostArgs) = DemoSignIn.Split(["--urls", "http://127.0.0.1:5998"]);

        Assert.False(demo);
        Assert.Equal(["--urls", "http://127.0.0.1:5998"], hostArgs);
    }

    [Fact]
    public void The_sign_in_is_a_framed_block_with_the_url_the_email_and_the_password()
    {
        var banner = new DemoSignIn("admin@anadolu.example", ["selin@anadolu.example"], "s3cr3t-7a").Banner(["http://127.0.0.1:5080"]);

        var lines = banner.TrimEnd().Split(Environment.NewLine);
        Assert.StartsWith("╔", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("╚", lines[^1], StringComparison.Ordinal);
        Assert.All(lines, l => Assert.Equal(lines[0].Length, l.Length));
        Assert.Contains(lines, l => l.Contains("URL:      http://127.0.0.1:5080", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("E-mail:   admin@anadolu.example", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("Password: s3cr3t-7a", StringComparison.Ordinal));
        Assert.Contains("selin@anadolu.example", banner, StringComparison.Ordinal);
    }

    /// <summary>The real process: "--demo" before "--urls" listens on the given address and prints the block with it.</summary>
    [Fact]
    public async Task Kazan_started_with_demo_before_urls_listens_on_those_urls_and_prints_the_sign_in()
    {
        var ct = TestContext.Current.CancellationToken;
        var port = Ports.Free();
        var url = $"http://127.0.0.1:{port}";
        var dbPath = Path.Combine(Path.GetTempPath(), $"kazan-demo-{Guid.NewGuid():N}.db");
        var bin = Path.GetDirectoryName(typeof(Program).Assembly.Location)!;
        var start = new ProcessStartInfo("dotnet", ["Kazan.dll", "--demo", "--urls", url])
        {
            WorkingDirectory = bin,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment =
            {
                ["ConnectionStrings__Kazan"] = $"Data Source={dbPath}",
                ["Database__Provider"] = "Sqlite",
                ["Kazan__PasswordHashIterations"] = "1000",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["Logging__LogLevel__Default"] = "Warning",
            },
        };
        using var process = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        var banner = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data?.StartsWith('╚') == true)
                {
                    banner.TrySetResult(output.ToString());
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync(ct);
            var first = await Task.WhenAny(banner.Task, exited, Task.Delay(TimeSpan.FromSeconds(120), ct));
            Assert.True(first == banner.Task, "no sign-in block was printed:\n" + output);
            var text = await banner.Task;
            Assert.Contains("URL:      " + url, text, StringComparison.Ordinal);
            Assert.Contains("E-mail:   admin@anadolu.example", text, StringComparison.Ordinal);
            Assert.Matches(@"Password: \S{8,}", text);

            using var http = new HttpClient();
            using var health = await http.GetAsync(url + "/health", ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None);
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" })
            {
                File.Delete(f);
            }
        }
    }
}
