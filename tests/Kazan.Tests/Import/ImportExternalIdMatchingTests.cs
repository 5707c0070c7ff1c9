using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Auditing;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Import;

/// <summary>
/// Files with an external id column meeting records that were there before it, on both databases: a row whose id no
/// record has meets one by the kind's own key and gives it the id when it has none (and fails when it has another); ids
/// differing only in case are two ids, in the file as in the database; a lost deal that stays lost takes a new note in
/// place and a new reason as a new loss; a deal's open orders follow the owner a row gives it.
/// </summary>
public sealed class ImportExternalIdMatchingTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("accounts")]
    [InlineData("contacts")]
    [InlineData("products")]
    [InlineData("opportunities")]
    public async Task A_row_whose_external_id_is_new_meets_a_record_without_one_by_its_own_key_and_gives_it_the_id(string target)
    {
        var org = await factory.CreateOrganizationAsync($"Kimliksiz Kayıt {target} A.Ş.");
        var admin = org.Admin.Client;
        var vkn = ImportRulesTests.Vkn("711111111");
        var account = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", vkn, "Ankara");
        await admin.CreateContactAsync(account.Id, "Gülşen", "Çınar", "gulsen@ilgaz.com.tr");
        await (await admin.PostAsJsonAsync("/api/v1/products", new { code = "UN-50", name = "Buğday unu", unit = "adet", listPrice = 10m, currency = "TRY", vatRate = 20m }, Ct)).EnsureSuccessAsync();
        await (await admin.PostAsJsonAsync("/api/v1/opportunities", new { title = "Değirmen hattı", accountId = account.Id, expectedAmount = 1000m, expectedCloseDate = "2027-01-31" }, Ct)).EnsureSuccessAsync();
        var csv = target switch
        {
            "accounts" => $"External id,Tax number,Name,City\nC-1,{vkn},Ilgaz Un Sanayi A.Ş.,Çorum\n",
            "contacts" => "External id,E-mail,Account,Last name\nK-1,gulsen@ilgaz.com.tr,Ilgaz Un Sanayi A.Ş.,Çınar-Ak\n",
            "products" => "External id,Code,Name,Price\nS-1,UN-50,Buğday unu,12.5\n",
            _ => "External id,Title,Account,Amount,Expected close date\nF-1,değirmen hattı,Ilgaz Un Sanayi A.Ş.,2500,2027-02-28\n",
        };

        var job = await admin.UploadAsync(target, Encoding.UTF8.GetBytes(csv), "eslesme.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "CreateOrUpdate", numberFormat: "en");
        var done = await admin.RunAsync(job);

        Assert.True(done.GetProperty("status").GetString() == "Imported", $"{done} {(await admin.ErrorsAsync(done)).GetRawText()}");
        Assert.Equal((0, 1), (done.Count("createdRows"), done.Count("updatedRows")));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            switch (target)
            {
                case "accounts":
                    Assert.Equal([("C-1", "Çorum")], (await db.Accounts.ToListAsync(Ct)).Select(a => (a.ExternalId, a.City)));
                    break;
                case "contacts":
                    Assert.Equal([("K-1", "Çınar-Ak")], (await db.Contacts.ToListAsync(Ct)).Select(c => (c.ExternalId, c.LastName)));
                    break;
                case "products":
                    Assert.Equal([("S-1", 12.5m)], (await db.Products.ToListAsync(Ct)).Select(p => (p.ExternalId, p.ListPrice)));
                    break;
                default:
                    Assert.Equal([("F-1", "değirmen hattı", 2500m)], (await db.Opportunities.ToListAsync(Ct)).Select(o => (o.ExternalId, o.Title, o.ExpectedAmount)));
                    break;
            }
        }
    }

    [Theory]
    [InlineData("accounts")]
    [InlineData("opportunities")]
    public async Task A_row_meeting_by_its_own_key_a_record_with_another_external_id_fails_naming_it_and_changes_nothing(string target)
    {
        var org = await factory.CreateOrganizationAsync($"Başka Kimlik {target} A.Ş.");
        var admin = org.Admin.Client;
        var vkn = ImportRulesTests.Vkn("722222222");
        var account = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", vkn, "Ankara");
        await admin.CreateAccountAsync("Şölen Gıda A.Ş.", ImportRulesTests.Vkn("733333333"), "Bursa");
        if (target == "accounts")
        {
            var current = await admin.GetAsync($"/api/v1/accounts/{account.Id}", Ct);
            await (await admin.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{account.Id}", new { kind = "Company", name = account.Name, taxNumber = vkn, city = "Ankara", externalId = "ESKİ-9" }, current.Headers.ETag!.ToString())).EnsureSuccessAsync();
        }
        else
        {
            await (await admin.PostAsJsonAsync("/api/v1/opportunities", new { title = "Değirmen hattı", accountId = account.Id, expectedAmount = 1000m, expectedCloseDate = "2027-01-31", externalId = "ESKİ-9" }, Ct)).EnsureSuccessAsync();
            await (await admin.PostAsJsonAsync("/api/v1/opportunities", new { title = "Silo bakımı", accountId = account.Id, expectedAmount = 300m, expectedCloseDate = "2027-01-31" }, Ct)).EnsureSuccessAsync();
        }

        // Line 2 meets the record that has ESKİ-9; line 3 gives a record without one its id; line 4 gives that same record another id.
        var csv = target == "accounts"
            ? $"External id,Tax number,Name,City\nC-1,{vkn},Ilgaz Un Sanayi A.Ş.,Çorum\nC-2,{ImportRulesTests.Vkn("733333333")},Şölen Gıda A.Ş.,İzmir\nC-3,{ImportRulesTests.Vkn("733333333")},Şölen Gıda A.Ş.,Adana\n"
            : "External id,Title,Account,Amount,Expected close date\nF-1,Değirmen hattı,Ilgaz Un Sanayi A.Ş.,2500,2027-02-28\nF-2,Silo bakımı,Ilgaz Un Sanayi A.Ş.,400,2027-02-28\nF-3,Silo bakımı,Ilgaz Un Sanayi A.Ş.,500,2027-02-28\n";
        var job = await admin.UploadAsync(target, Encoding.UTF8.GetBytes(csv), "baska.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "CreateOrUpdate", numberFormat: "en");
        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 0, 1, 2), (done.GetProperty("status").GetString(), done.Count("createdRows"), done.Count("updatedRows"), done.Count("invalidRows")));
        var errors = (await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal([(2, "External id", "import.external-id-differs"), (4, "External id", "import.external-id-differs")],
            errors.Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())));
        Assert.Contains("ESKİ-9", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(target == "accounts" ? "C-1" : "F-1", errors[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(target == "accounts" ? "C-2" : "F-2", errors[1].GetProperty("message").GetString(), StringComparison.Ordinal);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            if (target == "accounts")
            {
                var accounts = await db.Accounts.OrderBy(a => a.Name).ToListAsync(Ct);
                Assert.Equal([("ESKİ-9", "Ankara"), ("C-2", "İzmir")], accounts.Select(a => (a.ExternalId, a.City)));
            }
            else
            {
                var deals = await db.Opportunities.OrderBy(o => o.Title).ToListAsync(Ct);
                Assert.Equal([("ESKİ-9", 1000m), ("F-2", 400m)], deals.Select(o => (o.ExternalId, o.ExpectedAmount)));
            }
        }
    }

    [Fact]
    public async Task Two_deals_of_the_rows_title_on_its_account_make_the_row_ambiguous_rather_than_picking_one()
    {
        var org = await factory.CreateOrganizationAsync("İki Aynı Fırsat A.Ş.");
        var admin = org.Admin.Client;
        var account = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.");
        for (var i = 0; i < 2; i++)
        {
            await (await admin.PostAsJsonAsync("/api/v1/opportunities", new { title = "Silo bakımı", accountId = account.Id, expectedAmount = 300m, expectedCloseDate = "2027-01-31" }, Ct)).EnsureSuccessAsync();
        }

        var job = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes("External id,Title,Account,Amount,Expected close date\nF-2,Silo bakımı,Ilgaz Un Sanayi A.Ş.,400,2027-02-28\n"), "iki.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "CreateOrUpdate", numberFormat: "en");
        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        var error = Assert.Single((await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray());
        Assert.Equal((2, "Title", "import.key-ambiguous"), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetString(), error.GetProperty("code").GetString()));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.All(await db.Opportunities.ToListAsync(Ct), o => Assert.Equal((null, 300m), (o.ExternalId, o.ExpectedAmount)));
        }
    }

    /// <summary>The rule: an external id is compared as written, in the file as by the database's unique index.</summary>
    [Fact]
    public async Task External_ids_differing_only_in_case_are_two_ids_in_a_file_and_in_the_database()
    {
        var org = await factory.CreateOrganizationAsync("Büyük Küçük Harf A.Ş.");
        var admin = org.Admin.Client;
        var job = await admin.UploadAsync("products", Encoding.UTF8.GetBytes("External id,Code,Name,Price\nA-1,UN-50,Buğday unu,10\na-1,UN-25,Buğday unu 25 kg,6\n"), "harf.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "CreateOrUpdate", numberFormat: "en");
        var created = await admin.RunAsync(job);
        Assert.True(created.GetProperty("status").GetString() == "Imported", $"{created} {(await admin.ErrorsAsync(created)).GetRawText()}");
        Assert.Equal((2, 0), (created.Count("createdRows"), created.Count("invalidRows")));

        var again = await admin.UploadAsync("products", Encoding.UTF8.GetBytes("External id,Code,Name,Price\na-1,UN-25,Buğday unu 25 kg,7\n"), "harf2.csv");
        again = await admin.MapAsync(again, again.Fields(), mode: "Update", numberFormat: "en");
        var updated = await admin.RunAsync(again);
        Assert.Equal(("Imported", 1), (updated.GetProperty("status").GetString(), updated.Count("updatedRows")));

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var products = await db.Products.OrderBy(p => p.Code).ToListAsync(Ct);
            Assert.Equal([("a-1", "UN-25", 7m), ("A-1", "UN-50", 10m)], products.Select(p => (p.ExternalId, p.Code, p.ListPrice)));
        }
    }

    [Fact]
    public async Task A_lost_deal_that_stays_lost_takes_a_new_note_in_place_with_an_audit_entry_and_a_new_reason_as_a_new_loss()
    {
        var org = await factory.CreateOrganizationAsync("Kayıp Notu A.Ş.");
        var admin = org.Admin.Client;
        await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.");
        const string Header = "External id,Title,Account,Amount,Expected close date,Status,Lost reason,Lost note,Won/lost date\n";
        var first = Header +
            "F-1,Değirmen hattı,Ilgaz Un Sanayi A.Ş.,1000,2026-12-31,lost,Fiyat,Rakip ucuz verdi,2026-10-15\n" +
            "F-2,Silo bakımı,Ilgaz Un Sanayi A.Ş.,300,2026-12-31,lost,Fiyat,Pahalı bulundu,2026-10-16\n" +
            "F-3,Kepek hattı,Ilgaz Un Sanayi A.Ş.,200,2026-12-31,lost,Fiyat,Aynı kalır,2026-10-17\n";
        var job = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes(first), "ilk.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "CreateOrUpdate", numberFormat: "en");
        var created = await admin.RunAsync(job);
        Assert.True(created.GetProperty("status").GetString() == "Imported", $"{created} {(await admin.ErrorsAsync(created)).GetRawText()}");

        // The same deals, still lost: F-1 with another note, F-2 with another reason (no date: it keeps its own), F-3 as it was.
        var second = Header +
            "F-1,Değirmen hattı,Ilgaz Un Sanayi A.Ş.,1000,2026-12-31,lost,Fiyat,Rakip %15 ucuz verdi,2026-10-15\n" +
            "F-2,Silo bakımı,Ilgaz Un Sanayi A.Ş.,300,2026-12-31,lost,Bütçe yok,Bütçe kesildi,\n" +
            "F-3,Kepek hattı,Ilgaz Un Sanayi A.Ş.,200,2026-12-31,lost,Fiyat,Aynı kalır,2026-10-17\n";
        var again = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes(second), "ikinci.csv");
        again = await admin.MapAsync(again, again.Fields(), mode: "Update", numberFormat: "en");
        var done = await admin.RunAsync(again);
        Assert.True(done.GetProperty("status").GetString() == "Imported", $"{done} {(await admin.ErrorsAsync(done)).GetRawText()}");

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var reasons = await db.LostReasons.ToDictionaryAsync(r => r.Id, r => r.Name, Ct);
            var byId = await db.Opportunities.ToDictionaryAsync(o => o.ExternalId!, Ct);
            var (f1, f2, f3) = (byId["F-1"], byId["F-2"], byId["F-3"]);
            Assert.Equal((OpportunityStatus.Lost, "Fiyat", "Rakip %15 ucuz verdi", new DateOnly(2026, 10, 15)), (f1.Status, reasons[f1.LostReasonId!.Value], f1.LostNote, f1.ClosedOn));
            Assert.Equal((OpportunityStatus.Lost, "Bütçe yok", "Bütçe kesildi", new DateOnly(2026, 10, 16)), (f2.Status, reasons[f2.LostReasonId!.Value], f2.LostNote, f2.ClosedOn));
            Assert.Equal((OpportunityStatus.Lost, "Fiyat", "Aynı kalır"), (f3.Status, reasons[f3.LostReasonId!.Value], f3.LostNote));

            async Task<List<OpportunityEventKind>> History(Opportunity o) =>
                (await db.OpportunityEvents.Where(e => e.OpportunityId == o.Id).OrderBy(e => e.At).ThenBy(e => e.Sequence).Select(e => e.Kind).ToListAsync(Ct))
                    .Where(k => k != OpportunityEventKind.Changed).ToList();
            Assert.Equal([OpportunityEventKind.Created, OpportunityEventKind.Lost], await History(f1));
            Assert.Equal([OpportunityEventKind.Created, OpportunityEventKind.Lost, OpportunityEventKind.Reopened, OpportunityEventKind.Lost], await History(f2));
            Assert.Equal([OpportunityEventKind.Created, OpportunityEventKind.Lost], await History(f3));

            // The note's change is in the audit trail, by the importer, as an edit through the API would be.
            var audits = await db.AuditEntries.Where(a => a.EntityType == nameof(Opportunity) && a.Action == AuditAction.Update).ToListAsync(Ct);
            var noteChange = Assert.Single(audits, a => a.EntityId == f1.Id.ToString() && a.Changes.Contains("LostNote", StringComparison.Ordinal));
            Assert.Equal(org.Admin.Id, noteChange.UserId);
            var changes = JsonDocument.Parse(noteChange.Changes).RootElement.GetProperty("LostNote");
            Assert.Equal(("Rakip ucuz verdi", "Rakip %15 ucuz verdi"), (changes[0].GetString(), changes[1].GetString()));
            Assert.DoesNotContain(audits, a => a.EntityId == f3.Id.ToString());
        }
    }

    [Fact]
    public async Task A_deals_import_giving_a_deal_another_owner_by_its_external_id_moves_its_orders_to_that_owner()
    {
        var org = await factory.CreateOrganizationAsync("Sahip Değişimi A.Ş.");
        var admin = org.Admin.Client;
        var manager = await org.AddUserAsync(UserRole.Manager, "Gülşen Çınar");
        var account = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.");
        var created = await admin.PostAsJsonAsync("/api/v1/opportunities", new { title = "Değirmen hattı", accountId = account.Id, expectedAmount = 1000m, expectedCloseDate = "2027-01-31", externalId = "F-1" }, Ct);
        await created.EnsureSuccessAsync();
        var deal = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var order = await DirectOrderAsync(admin, account.Id, deal, Line("Vals", 2, 500m));
        var elsewhere = await factory.OpportunityAsync(org, account.Id, "Başka iş");
        var untouched = await DirectOrderAsync(admin, account.Id, elsewhere, Line("Elek", 1, 100m));

        var job = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes($"External id,Owner e-mail\nF-1,{manager.Email}\n"), "sahip.csv");
        job = await admin.MapAsync(job, job.Fields(), mode: "Update", numberFormat: "en");
        var done = await admin.RunAsync(job);

        Assert.True(done.GetProperty("status").GetString() == "Imported", $"{done} {(await admin.ErrorsAsync(done)).GetRawText()}");
        Assert.Equal(1, done.Count("updatedRows"));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(manager.Id, await db.Opportunities.Where(o => o.Id == deal).Select(o => o.OwnerId).SingleAsync(Ct));
            var owners = await db.Orders.ToDictionaryAsync(o => o.Id, o => o.OwnerId, Ct);
            Assert.Equal((manager.Id, org.Admin.Id), (owners[order.Id], owners[untouched.Id]));
        }
    }
}
