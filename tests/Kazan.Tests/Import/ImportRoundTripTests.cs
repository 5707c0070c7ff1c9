using System.Net.Http.Json;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Import;

/// <summary>
/// Out and in again: the lists' own exports, imported into an empty organization with the suggested mapping, give the
/// same records (ImportCancelTests: a long import's progress, its cancel and the one slot).
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
        foreach (var (code, name, price, currency, vat, external) in new[] { ("UN-50", "Buğday unu, 50 kg", 1234.5m, "TRY", 1m, "STK-0001"), ("ÇUVAL", "Çuval \"özel\"", 0.0125m, "EUR", 20m, null) })
        {
            await (await source.PostAsJsonAsync("/api/v1/products", new { code, name, unit = "adet", listPrice = price, currency, vatRate = vat, description = "İthal; kuru", externalId = external }, Ct)).EnsureSuccessAsync();
        }

        // Some records carry their id in the old system; the exports write it and the imports match on it.
        var (arranging, sourceDb) = factory.DbAs(from.Id, from.Admin.Id);
        using (arranging)
        {
            (await sourceDb.Accounts.SingleAsync(a => a.Id == ilgaz.Id, Ct)).SetExternalId("CARİ-120.01");
            (await sourceDb.Contacts.SingleAsync(c => c.Email == "gulsen@ilgaz.com.tr", Ct)).SetExternalId("KİŞİ 7");

            // Phones written the international way start with "+": the CSV export guards them as text ('+90…), the import
            // reads them back as they were.
            (await sourceDb.Accounts.SingleAsync(a => a.Id == ilgaz.Id, Ct)).Phone = "+90 376 213 00 00";
            (await sourceDb.Contacts.SingleAsync(c => c.Email == "ismail@ilgaz.com.tr", Ct)).Phone = "+90 532 000 00 01";
            await sourceDb.SaveChangesAsync(Ct);
        }

        var target = to.Admin.Client;
        foreach (var list in new[] { "accounts", "contacts", "products" })
        {
            var file = await source.GetByteArrayAsync($"/api/v1/{list}/export?format={(list == "products" ? "xlsx" : "csv")}", Ct);
            var job = await target.UploadAsync(list, file, $"{list}.{(list == "products" ? "xlsx" : "csv")}");
            var done = await target.RunAsync(job);
            Assert.True(done.GetProperty("status").GetString() == "Imported", $"{list}: {done} {(await target.ErrorsAsync(done)).GetRawText()}");
        }

        var copied = await Snapshot(to);
        Assert.Equal(await Snapshot(from), copied);
        Assert.Contains("|CARİ-120.01", copied, StringComparison.Ordinal);
        Assert.Contains("|KİŞİ 7", copied, StringComparison.Ordinal);
        Assert.Contains("|STK-0001", copied, StringComparison.Ordinal);
        Assert.Contains("|+90 376 213 00 00|", copied, StringComparison.Ordinal);
        Assert.Contains("|+90 532 000 00 01|", copied, StringComparison.Ordinal);
    }

    /// <summary>What the lists show of an organization, without ids and owners (an import makes the importer the owner).</summary>
    private async Task<string> Snapshot(TestOrganization org)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var accounts = await db.Accounts.OrderBy(a => a.NameKey).Select(a => $"{a.Name}|{a.Kind}|{a.TaxNumber}|{a.City}|{a.Phone}|{a.ExternalId}").ToListAsync(Ct);
            var contacts = await db.Contacts.Join(db.Accounts, c => c.AccountId, a => a.Id, (c, a) => new { c, a.Name })
                .OrderBy(x => x.c.NameKey).Select(x => $"{x.c.FirstName}|{x.c.LastName}|{x.c.Email}|{x.c.Phone}|{x.Name}|{x.c.ExternalId}").ToListAsync(Ct);
            var products = (await db.Products.OrderBy(p => p.Code).ToListAsync(Ct)).Select(p => $"{p.Code}|{p.Name}|{p.Unit}|{p.ListPrice:0.####}|{p.Currency}|{p.VatRate:0.##}|{p.Description}|{p.ExternalId}");
            Assert.NotEmpty(contacts);
            return string.Join("\n", accounts.Concat(contacts).Concat(products));
        }
    }
}
