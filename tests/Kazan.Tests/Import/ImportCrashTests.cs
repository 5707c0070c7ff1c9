using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.ApiTokens;
using Kazan.Tests.Infrastructure;

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
        await using var database = await ScratchDatabase.CreateAsync("kazan_crash");
        await using var server = KazanProcess.Start(database.ConnectionString, database.DataDirectory, KazanProcess.PlainHttp);
        await server.ReadyAsync();
        using var http = new HttpClient { BaseAddress = server.Address };
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
            await TokenAsync(database, onboarded.GetProperty("organizationId").GetGuid(), onboarded.GetProperty("adminId").GetGuid()));
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

        await server.CrashAndRestartAsync(); // SIGKILL: no shutdown, no rollback by the app; the database's own atomicity is all there is
        await server.ReadyAsync();

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

    /// <summary>An API token for the admin, written straight into the database (issuing tokens is tested on its own).</summary>
    private static async Task<string> TokenAsync(ScratchDatabase database, Guid organizationId, Guid userId)
    {
        await using var db = database.Open();
        var (token, secret) = ApiToken.Create(organizationId, userId, "crash test", null, DateTimeOffset.UtcNow);
        db.ApiTokens.Add(token);
        await db.SaveChangesAsync(Ct);
        return secret;
    }
}
