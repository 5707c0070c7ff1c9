using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.Contacts;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Import;

/// <summary>
/// Importing through the API, on both databases: Turkish files in both encodings and both delimiters, the suggested
/// and remembered mapping, the preview, the dry run, the two error policies, matching on keys, the error file.
/// </summary>
public sealed class ImportApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Encoding Turkish = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1254);
    }

    [Fact]
    public async Task A_turkish_excel_csv_in_windows_1254_with_semicolons_imports_contacts_with_their_letters_and_search_finds_them()
    {
        var org = await factory.CreateOrganizationAsync("İçe Aktarım Çiçekçilik A.Ş.");
        var admin = org.Admin.Client;
        var account = await admin.CreateAccountAsync("Şölen Gıda Ürünleri A.Ş.");
        var csv = "Ad;Soyad;E-posta;Cep Telefonu;Firma\r\n" +
                  "Çağrı;Öztürk;cagri@solen.com.tr;0532 111 22 33;Şölen Gıda Ürünleri A.Ş.\r\n" +
                  "İlknur;Şahin;ilknur@solen.com.tr;;ŞÖLEN GIDA ÜRÜNLERİ\r\n";
        var job = await admin.UploadAsync("contacts", Turkish.GetBytes(csv), "kişiler.csv");

        Assert.Equal(("windows-1254", ";", "tr", 2), (job.GetProperty("encoding").GetString(), job.GetProperty("delimiter").GetString(), job.GetProperty("numberFormat").GetString(), job.GetProperty("totalRows").GetInt32()));
        Assert.Equal("firstName,lastName,email,mobile,account", string.Join(",", job.Fields()));
        Assert.Equal("Cep Telefonu", job.GetProperty("columns")[3].GetProperty("header").GetString());

        var preview = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{job.GetProperty("id")}/preview", Ct);
        Assert.Equal(2, preview.GetArrayLength());
        Assert.Equal(("create", "Çağrı", 0), (preview[0].GetProperty("action").GetString(), preview[0].GetProperty("values").GetProperty("firstName").GetString(), preview[0].GetProperty("problems").GetArrayLength()));

        var checkedJob = await admin.RunAsync(job, dryRun: true);
        Assert.Equal(("Checked", 2, 2, 0), (checkedJob.GetProperty("status").GetString(), checkedJob.Count("processedRows"), checkedJob.Count("createdRows"), checkedJob.Count("invalidRows")));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Contacts.CountAsync(Ct)); // a dry run writes nothing
        }

        var done = await admin.RunAsync(checkedJob);
        Assert.Equal(("Imported", 2, 0), (done.GetProperty("status").GetString(), done.Count("createdRows"), done.Count("invalidRows")));
        (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var contacts = await db.Contacts.OrderBy(c => c.Email).ToListAsync(Ct);
            Assert.Equal(["Çağrı Öztürk", "İlknur Şahin"], contacts.Select(c => c.FullName));
            Assert.All(contacts, c => Assert.Equal(account.Id, c.AccountId));
            Assert.Equal("0532 111 22 33", contacts[0].Mobile);
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Contact) && a.EntityId == contacts[1].Id.ToString(), Ct));
        }

        var found = await admin.GetFromJsonAsync<JsonElement>("/api/v1/search?q=ilknur", Ct);
        Assert.Contains("İlknur Şahin", found.GetRawText(), StringComparison.Ordinal);
    }
}
