using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Tests.Infrastructure;
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
        var settings = KazanProcess.Settings(connection, data, KazanFactory.UsePostgres);
        var server = KazanProcess.Start(url, settings);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(url) };
            await KazanProcess.ReadyAsync(http, server);
            await KazanProcess.SignUpAsync(http, connection, KazanFactory.UsePostgres, "Çöken Sunucu A.Ş.");
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
            server = KazanProcess.Start(url, settings);
            await KazanProcess.ReadyAsync(http, server);

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
            await KazanProcess.StopAsync(server);
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
}
