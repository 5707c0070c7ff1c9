using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Kazan.Tests.Import;

/// <summary>
/// The external id (a record's id in the company's old system), on both databases: a file with an external id column
/// matches on it, so importing it twice changes the records instead of doubling them; a value repeated in the file is
/// reported at its line; the API refuses a value another record of the organization has, and another organization may
/// use it. Also: the English activities export carries the owners' e-mails, so it imports back with its owners.
/// </summary>
public sealed class ImportExternalIdTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// The loser of two saves of one external id at the same moment passed the check as the winner did; the unique index
    /// refuses it, and the answer is the check's own coded error (a form shows it in the user's language), not a bare one.
    /// </summary>
    [Fact]
    public async Task An_external_id_taken_at_the_same_moment_is_refused_by_the_index_with_the_checks_coded_error()
    {
        var org = await factory.CreateOrganizationAsync("Aynı Anda Kimlik A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var first = new Account(org.Id, org.Admin.Id, AccountKind.Company, "Birinci Ticaret A.Ş.", DateTimeOffset.UtcNow);
            first.SetExternalId("ERP-77");
            db.Accounts.Add(first);
            await db.SaveChangesAsync(Ct);

            var outcome = await UseCase.RunAsync<Account>(db, async () =>
            {
                var twin = new Account(org.Id, org.Admin.Id, AccountKind.Company, "İkinci Ticaret A.Ş.", DateTimeOffset.UtcNow);
                twin.SetExternalId("ERP-77");
                db.Accounts.Add(twin);
                await db.SaveChangesAsync(Ct);
                return twin;
            });

            Assert.Equal(OutcomeStatus.Invalid, outcome.Status);
            Assert.Equal(ExternalIds.TakenCode, outcome.Codes![ExternalIds.Field]);
            var localizer = scope.ServiceProvider.GetRequiredService<IStringLocalizer<SharedResource>>();
            var before = CultureInfo.CurrentUICulture;
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("tr-TR");
            try
            {
                Assert.Equal("Bu harici kimliği kuruluşun başka bir kaydı kullanıyor.", Assert.Single(FormOutcomes.Errors(outcome, localizer)![ExternalIds.Field]));
            }
            finally
            {
                CultureInfo.CurrentUICulture = before;
            }

            Assert.Equal(1, await db.Accounts.CountAsync(a => a.ExternalId == "ERP-77", Ct));
        }
    }

    /// <summary>A file with an external id column, twice: the first run creates, the second changes the same records.</summary>
    [Theory]
    [InlineData("accounts")]
    [InlineData("contacts")]
    [InlineData("products")]
    [InlineData("opportunities")]
    public async Task Importing_a_file_twice_keyed_on_its_external_id_updates_the_records_instead_of_doubling_them(string target)
    {
        var org = await factory.CreateOrganizationAsync($"Harici Kimlik {target} A.Ş.");
        var admin = org.Admin.Client;
        await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", ImportRulesTests.Vkn("777777777"));
        var (first, second) = Files(target);

        var job = await admin.UploadAsync(target, Encoding.UTF8.GetBytes(first), "ilk.csv");
        Assert.Equal("externalId", job.Fields()[0]);
        job = await admin.MapAsync(job, job.Fields(), mode: "CreateOrUpdate", numberFormat: "en");
        var created = await admin.RunAsync(job);
        Assert.True(created.GetProperty("status").GetString() == "Imported", $"{created} {(await admin.ErrorsAsync(created)).GetRawText()}");
        Assert.Equal((2, 0), (created.Count("createdRows"), created.Count("updatedRows")));

        var again = await admin.UploadAsync(target, Encoding.UTF8.GetBytes(second), "ikinci.csv");
        again = await admin.MapAsync(again, again.Fields(), mode: "CreateOrUpdate", numberFormat: "en");
        var updated = await admin.RunAsync(again);
        Assert.True(updated.GetProperty("status").GetString() == "Imported", $"{updated} {(await admin.ErrorsAsync(updated)).GetRawText()}");
        Assert.Equal((0, 2), (updated.Count("createdRows"), updated.Count("updatedRows")));

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            switch (target)
            {
                case "accounts":
                    var accounts = await db.Accounts.Where(a => a.ExternalId != null).OrderBy(a => a.ExternalId).ToListAsync(Ct);
                    Assert.Equal([("C-1", "Ankara Değirmen A.Ş.", "Kırşehir"), ("C-2", "Öztürk Gıda Ltd.", "Bursa")], accounts.Select(a => (a.ExternalId, a.Name, a.City)));
                    break;
                case "contacts":
                    var contacts = await db.Contacts.OrderBy(c => c.ExternalId).ToListAsync(Ct);
                    Assert.Equal([("K-1", "Gülşen", "Çınar-Ak", "gulsen@ilgaz.com.tr"), ("K-2", "İsmail", "Ağaoğlu", "ismail.yeni@ilgaz.com.tr")], contacts.Select(c => (c.ExternalId, c.FirstName, c.LastName, c.Email)));
                    break;
                case "products":
                    var products = await db.Products.OrderBy(p => p.ExternalId).ToListAsync(Ct);
                    Assert.Equal([("S-1", "UN-50", 1500m), ("S-2", "KEPEK-25", 80m)], products.Select(p => (p.ExternalId, p.Code, p.ListPrice)));
                    break;
                default:
                    var deals = await db.Opportunities.OrderBy(o => o.ExternalId).ToListAsync(Ct);
                    Assert.Equal(2, deals.Count);
                    Assert.Equal(("F-1", "Değirmen hattı", 2500m, OpportunityStatus.Won, new DateOnly(2026, 11, 30)), (deals[0].ExternalId, deals[0].Title, deals[0].ExpectedAmount, deals[0].Status, deals[0].ClosedOn));
                    Assert.Equal(("F-2", "Silo bakımı", 990m, OpportunityStatus.Open, new DateOnly(2027, 2, 1)), (deals[1].ExternalId, deals[1].Title, deals[1].ExpectedAmount, deals[1].Status, deals[1].ExpectedCloseDate));
                    var stage = await db.Stages.Where(s => s.Id == deals[1].StageId).Select(s => s.Name).SingleAsync(Ct);
                    Assert.Equal("Teklif", stage);
                    var kinds = await db.OpportunityEvents.Where(e => e.OpportunityId == deals[0].Id).OrderBy(e => e.At).Select(e => e.Kind).ToListAsync(Ct);
                    Assert.Equal([OpportunityEventKind.Created, OpportunityEventKind.Won], kinds.Where(k => k != OpportunityEventKind.Changed));
                    break;
            }
        }
    }

    private static (string First, string Second) Files(string target) => target switch
    {
        "accounts" => (
            "External id,Name,City\nC-1,Ankara Değirmen A.Ş.,Ankara\nC-2,Öztürk Gıda Ltd.,İzmir\n",
            "External ID,Name,City\nC-2,Öztürk Gıda Ltd.,Bursa\nC-1,Ankara Değirmen A.Ş.,Kırşehir\n"),
        "contacts" => (
            "Harici kimlik,First name,Last name,Account,E-mail\nK-1,Gülşen,Çınar,Ilgaz Un Sanayi A.Ş.,gulsen@ilgaz.com.tr\nK-2,İsmail,Ağaoğlu,Ilgaz Un Sanayi A.Ş.,ismail@ilgaz.com.tr\n",
            "Dış kimlik,Last name,Account,E-mail\nK-1,Çınar-Ak,Ilgaz Un Sanayi A.Ş.,gulsen@ilgaz.com.tr\nK-2,Ağaoğlu,Ilgaz Un Sanayi A.Ş.,ismail.yeni@ilgaz.com.tr\n"),
        "products" => (
            "External id,Code,Name,Price\nS-1,UN-50,Buğday unu,1234.5\nS-2,KEPEK,Kepek,75\n",
            "External id,Code,Name,Price\nS-1,UN-50,Buğday unu,1500\nS-2,KEPEK-25,Kepek 25 kg,80\n"),
        _ => (
            "External id,Title,Account,Amount,Expected close date,Stage\nF-1,Değirmen hattı,Ilgaz Un Sanayi A.Ş.,1000,2026-12-31,\nF-2,Silo bakımı,Ilgaz Un Sanayi A.Ş.,990,2027-01-15,\n",
            "External id,Title,Account,Amount,Expected close date,Stage,Status,Won/lost date\nF-1,Değirmen hattı,Ilgaz Un Sanayi A.Ş.,2500,2026-12-31,,won,2026-11-30\nF-2,Silo bakımı,Ilgaz Un Sanayi A.Ş.,990,2027-02-01,Teklif,,\n"),
    };

    [Fact]
    public async Task An_external_id_repeated_in_the_file_is_reported_at_its_line_and_neither_row_is_merged()
    {
        var org = await factory.CreateOrganizationAsync("Tekrarlı Kimlik A.Ş.");
        var admin = org.Admin.Client;
        var csv = "External id,Code,Name,Price\nS-1,UN-50,Buğday unu,10\nS-2,KEPEK,Kepek,5\nS-1,UN-25,Buğday unu 25 kg,6\n";
        var job = await admin.UploadAsync("products", Encoding.UTF8.GetBytes(csv), "urunler.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "CreateOrUpdate", numberFormat: "en");

        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 2, 1), (done.GetProperty("status").GetString(), done.Count("createdRows"), done.Count("invalidRows")));
        var error = Assert.Single((await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray());
        Assert.Equal((4, "External id", "import.key-repeated"), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetString(), error.GetProperty("code").GetString()));
        Assert.Contains("2", error.GetProperty("message").GetString(), StringComparison.Ordinal); // the line it was first on
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(["KEPEK", "UN-50"], await db.Products.OrderBy(p => p.Code).Select(p => p.Code).ToListAsync(Ct));
        }
    }

    [Fact]
    public async Task An_external_id_another_record_of_the_organization_has_is_refused_and_another_organization_may_use_it()
    {
        var org = await factory.CreateOrganizationAsync("Tekil Kimlik A.Ş.");
        var other = await factory.CreateOrganizationAsync("Başka Şirket A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Temsilci Ayşe");
        var admin = org.Admin.Client;
        var account = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", ImportRulesTests.Vkn("888888888"));
        var repAccount = await rep.Client.CreateAccountAsync("Rep Müşterisi Ltd.");
        var otherAccount = await other.Admin.Client.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", ImportRulesTests.Vkn("888888888"));

        (string Path, Func<Guid, object> Body)[] kinds =
        [
            ("accounts", _ => new { kind = "Company", name = "Yeni Müşteri " + Guid.NewGuid().ToString("N")[..6], externalId = "ESKİ-1" }),
            ("contacts", a => new { accountId = a, firstName = "Ali", lastName = "Veli", externalId = "ESKİ-1" }),
            ("products", _ => new { code = "P-" + Guid.NewGuid().ToString("N")[..6], name = "Ürün", unit = "adet", listPrice = 1m, currency = "TRY", vatRate = 20m, externalId = "ESKİ-1" }),
            ("opportunities", a => new { title = "Fırsat", accountId = a, expectedAmount = 100m, expectedCloseDate = "2027-01-31", externalId = "ESKİ-1" }),
        ];
        foreach (var (path, body) in kinds)
        {
            var first = await admin.PostAsJsonAsync($"/api/v1/{path}", body(account.Id), Ct);
            await first.EnsureSuccessAsync();
            Assert.Equal("ESKİ-1", (await first.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("externalId").GetString());

            var twice = await admin.PostAsJsonAsync($"/api/v1/{path}", body(account.Id), Ct);
            Assert.Equal("external-id.taken", (await twice.ProblemAsync(400)).GetProperty("codes").GetProperty("externalId").GetString());

            var elsewhere = await other.Admin.Client.PostAsJsonAsync($"/api/v1/{path}", body(otherAccount.Id), Ct);
            await elsewhere.EnsureSuccessAsync();
        }

        // A rep does not see the admin's account, and still may not take its external id.
        var repTakes = await rep.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{repAccount.Id}", new { kind = "Company", name = "Rep Müşterisi Ltd.", externalId = " ESKİ-1 " }, "\"" + repAccount.Version + "\"");
        var problem = await repTakes.ProblemAsync(400);
        Assert.Equal("external-id.taken", problem.GetProperty("codes").GetProperty("externalId").GetString());

        // A record keeps its own value on update; a blank value clears it.
        var own = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/accounts?limit=50", Ct);
        var mine = own.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("name").GetString()!.StartsWith("Yeni Müşteri", StringComparison.Ordinal)).GetProperty("id").GetGuid();
        var current = await admin.GetAsync($"/api/v1/accounts/{mine}", Ct);
        var name = (await current.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("name").GetString();
        var kept = await admin.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{mine}", new { kind = "Company", name, externalId = "ESKİ-1" }, current.Headers.ETag!.ToString());
        await kept.EnsureSuccessAsync();
        var cleared = await admin.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{mine}", new { kind = "Company", name, externalId = "  " }, kept.Headers.ETag!.ToString());
        await cleared.EnsureSuccessAsync();
        Assert.Equal(JsonValueKind.Null, (await cleared.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("externalId").ValueKind);
    }

    [Fact]
    public async Task A_file_keyed_on_external_ids_refuses_one_an_existing_record_has_under_create()
    {
        var org = await factory.CreateOrganizationAsync("Var Olan Kimlik A.Ş.");
        var admin = org.Admin.Client;
        await (await admin.PostAsJsonAsync("/api/v1/products", new { code = "UN-50", name = "Un", unit = "adet", listPrice = 1m, currency = "TRY", vatRate = 20m, externalId = "S-1" }, Ct)).EnsureSuccessAsync();
        var csv = "External id,Code,Name,Price\nS-1,UN-51,Un,2\nS-2,UN-50,Başka un,3\nS-3,UN-60,Yeni un,4\n";
        var job = await admin.UploadAsync("products", Encoding.UTF8.GetBytes(csv), "urunler.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "Create", numberFormat: "en");

        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 1, 2), (done.GetProperty("status").GetString(), done.Count("createdRows"), done.Count("invalidRows")));
        var errors = (await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal([(2, "External id", "import.key-exists"), (3, "Code", "product.code-taken")], errors);
    }

    [Fact]
    public async Task The_english_activities_export_imports_into_a_new_organization_with_its_owners()
    {
        var from = await factory.CreateOrganizationAsync("Activity Source Ltd.", "en-US");
        var to = await factory.CreateOrganizationAsync("Activity Target Ltd.", "en-US");
        var source = from.Admin.Client;
        var manager = await from.AddUserAsync(UserRole.Manager, "Gülşen Çınar");
        var account = await source.CreateAccountAsync("Anatolia Mills Inc.");
        await to.Admin.Client.CreateAccountAsync("Anatolia Mills Inc.");
        await (await source.PostAsJsonAsync("/api/v1/activities", new { kind = "Call", subject = "Price call", accountId = account.Id, ownerId = manager.Id, dueAt = new DateTimeOffset(2030, 1, 15, 9, 0, 0, TimeSpan.Zero) }, Ct)).EnsureSuccessAsync();
        await (await source.PostAsJsonAsync("/api/v1/activities", new { kind = "Task", subject = "Send the contract", accountId = account.Id }, Ct)).EnsureSuccessAsync();

        using var export = new HttpRequestMessage(HttpMethod.Get, "/api/v1/activities/export?format=csv");
        export.Headers.AcceptLanguage.ParseAdd("en-US");
        var response = await source.SendAsync(export, Ct);
        await response.EnsureSuccessAsync();
        var file = await response.Content.ReadAsByteArrayAsync(Ct);

        // The same people in the new organization: each e-mail is now a user of the target.
        foreach (var person in new[] { from.Admin, manager })
        {
            var (moving, sourceDb) = factory.DbAs(from.Id, from.Admin.Id);
            using (moving)
            {
                var user = await sourceDb.Users.SingleAsync(u => u.Id == person.Id, Ct);
                user.Email = user.UserName = "moved-" + person.Email;
                user.NormalizedEmail = user.NormalizedUserName = user.Email.ToUpperInvariant();
                await sourceDb.SaveChangesAsync(Ct);
            }

            await to.AddUserAsync(UserRole.Manager, "Moved " + person.Role, email: person.Email);
        }

        var target = to.Admin.Client;
        target.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var job = await target.UploadAsync("activities", file, "activities.csv");
        Assert.Equal(1, job.Fields().Count(f => f == "owner")); // the "Owner e-mail" column; the names' "Owner" stays out
        var done = await target.RunAsync(job);

        Assert.True(done.GetProperty("status").GetString() == "Imported", $"{job} {done} {(await target.ErrorsAsync(done)).GetRawText()}");
        var (scope, db) = factory.DbAs(to.Id, to.Admin.Id);
        using (scope)
        {
            var owners = await db.Activities.OrderBy(a => a.Subject)
                .Select(a => new { a.Subject, Email = db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.Email).First() })
                .ToListAsync(Ct);
            Assert.Equal([("Price call", manager.Email), ("Send the contract", from.Admin.Email)], owners.Select(o => (o.Subject, o.Email)));
        }
    }
}
