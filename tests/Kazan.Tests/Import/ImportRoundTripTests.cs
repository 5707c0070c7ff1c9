using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Import;

/// <summary>
/// Out and in again: the lists' own exports, imported into an empty organization with the suggested mapping, give the
/// same records; a long import shows its progress, can be cancelled with nothing written, and holds the organization's
/// one import slot while it runs.
/// </summary>
public sealed class ImportRoundTripTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Exported_accounts_contacts_and_products_import_into_an_empty_organization_as_the_same_records()
    {
        var from = await factory.CreateOrganizationAsync("Kaynak Şirket A.Ş.");
        var to = await factory.CreateOrganizationAsync("Hedef Şirket A.Ş.");
        var source = from.Admin.Client;
        var ilgaz = await source.CreateAccountAsync("Ilgaz Un Sanayi ve Ticaret A.Ş.", ImportRulesTests.Vkn("444444444"), "Çankırı");
        await source.CreateAccountAsync("Öztürk Şükrü", "10000000146", "İzmir", kind: "Person");
        await source.CreateContactAsync(ilgaz.Id, "Gülşen", "Çınar", "gulsen@ilgaz.com.tr");
        await source.CreateContactAsync(ilgaz.Id, "İsmail", "Ağaoğlu", "ismail@ilgaz.com.tr");
        foreach (var (code, name, price, currency, vat) in new[] { ("UN-50", "Buğday unu, 50 kg", 1234.5m, "TRY", 1m), ("ÇUVAL", "Çuval \"özel\"", 0.0125m, "EUR", 20m) })
        {
            await (await source.PostAsJsonAsync("/api/v1/products", new { code, name, unit = "adet", listPrice = price, currency, vatRate = vat, description = "İthal; kuru" }, Ct)).EnsureSuccessAsync();
        }

        var target = to.Admin.Client;
        foreach (var list in new[] { "accounts", "contacts", "products" })
        {
            var file = await source.GetByteArrayAsync($"/api/v1/{list}/export?format={(list == "products" ? "xlsx" : "csv")}", Ct);
            var job = await target.UploadAsync(list, file, $"{list}.{(list == "products" ? "xlsx" : "csv")}");
            var done = await target.RunAsync(job);
            Assert.True(done.GetProperty("status").GetString() == "Imported", $"{list}: {done} {(await target.ErrorsAsync(done)).GetRawText()}");
        }

        Assert.Equal(await Snapshot(from), await Snapshot(to));
    }

    /// <summary>What the lists show of an organization, without ids and owners (an import makes the importer the owner).</summary>
    private async Task<string> Snapshot(TestOrganization org)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var accounts = await db.Accounts.OrderBy(a => a.NameKey).Select(a => $"{a.Name}|{a.Kind}|{a.TaxNumber}|{a.City}").ToListAsync(Ct);
            var contacts = await db.Contacts.Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => new { c, a.Name })
                .OrderBy(x => x.c.NameKey).Select(x => $"{x.c.FirstName}|{x.c.LastName}|{x.c.Email}|{x.Name}").ToListAsync(Ct);
            var products = (await db.Products.OrderBy(p => p.Code).ToListAsync(Ct)).Select(p => $"{p.Code}|{p.Name}|{p.Unit}|{p.ListPrice:0.####}|{p.Currency}|{p.VatRate:0.##}|{p.Description}");
            Assert.NotEmpty(contacts);
            return string.Join("\n", accounts.Concat(contacts).Concat(products));
        }
    }

    [Fact]
    public async Task A_long_import_shows_its_progress_holds_the_one_slot_and_when_cancelled_writes_nothing()
    {
        var org = await factory.CreateOrganizationAsync("İptal Edilen Aktarım A.Ş.");
        var admin = org.Admin.Client;
        await admin.CreateAccountAsync("Büyük Liste A.Ş.");
        // Big enough that the import is still running when the cancel comes, even on a fast idle machine (15 000 rows once
        // finished in under 2 s, before the cancel arrived): 100 000 rows take many seconds.
        const int rows = 100_000;
        var csv = new StringBuilder("Ad,Soyad,E-posta,Müşteri\n");
        for (var i = 0; i < rows; i++)
        {
            csv.Append("Kişi").Append(i).Append(",Şahin,k").Append(i).Append("@liste.com.tr,Büyük Liste A.Ş.\n");
        }

        var job = await admin.UploadAsync("contacts", Encoding.UTF8.GetBytes(csv.ToString()), "büyük.csv");
        var other = await admin.UploadAsync("products", Encoding.UTF8.GetBytes("Kod,Ad,Fiyat\nA,B,1\n"), "küçük.csv");
        var id = job.GetProperty("id").GetGuid();
        await (await admin.PostAsJsonAsync($"/api/v1/imports/{id}/run", new { onError = "SkipInvalidRows" }, Ct)).EnsureSuccessAsync();
        var second = await (await admin.PostAsync($"/api/v1/imports/{other.GetProperty("id")}/run", null, Ct)).ProblemAsync(422);
        Assert.Equal("import.another-running", second.GetProperty("code").GetString());

        // Running: the counts grow, with a pace and the time left.
        JsonElement running;
        do
        {
            running = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{id}", Ct);
            Assert.NotEqual("Imported", running.GetProperty("status").GetString());
        }
        while (running.GetProperty("processedRows").GetInt32() == 0);

        await (await admin.PostAsync($"/api/v1/imports/{id}/cancel", null, Ct)).EnsureSuccessAsync();
        Assert.Equal(("Running", rows), (running.GetProperty("status").GetString(), running.GetProperty("totalRows").GetInt32()));
        Assert.True(running.GetProperty("rowsPerSecond").GetInt32() > 0 && running.GetProperty("secondsLeft").GetInt32() >= 0, running.ToString());
        var cancelled = await admin.WaitAsync(id);

        Assert.Equal(("Cancelled", 0), (cancelled.GetProperty("status").GetString(), cancelled.GetProperty("createdRows").GetInt32()));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Contacts.CountAsync(Ct));
            Assert.Equal(0, await db.SearchEntries.CountAsync(e => e.EntityType == "Contact", Ct));
        }

        var again = await admin.RunAsync(cancelled, onError: "SkipInvalidRows"); // the slot is free again and the file can still be imported
        Assert.Equal(("Imported", rows), (again.GetProperty("status").GetString(), again.GetProperty("createdRows").GetInt32()));
    }
}
