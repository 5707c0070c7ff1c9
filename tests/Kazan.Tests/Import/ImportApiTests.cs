using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.Contacts;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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

/// <summary>Accounts and products: keys, both error policies, typed XLSX cells and Turkish numbers, the error file, broken files.</summary>
public sealed class ImportRulesTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A valid VKN starting with the nine given digits (the tenth is the check digit).</summary>
    public static string Vkn(string nine) =>
        Enumerable.Range(0, 10).Select(d => nine + d).First(Kazan.Features.Accounts.TaxNumber.IsValidVkn);

    [Fact]
    public async Task Valid_rows_go_in_and_each_failing_row_is_listed_with_its_line_and_column_and_comes_back_in_the_error_file()
    {
        var org = await factory.CreateOrganizationAsync("Hatalı Satırlar A.Ş.");
        var admin = org.Admin.Client;
        var taken = Vkn("111111111");
        await admin.CreateAccountAsync("Zaten Var Ltd.", taken);
        var (a, b) = (Vkn("222222222"), Vkn("333333333"));
        var csv = "\uFEFFUnvan,VKN/TCKN,Vergi Dairesi,Şehir,E-posta,Tür\n" +
                  $"Ilgaz Un Sanayi A.Ş.,{a},Kızılbey,Ankara,info@ilgaz.com.tr,Şirket\n" +
                  $"Yanlış Numara Ltd.,1234567891,,İzmir,,\n" +
                  $"Zaten Var Ltd.,{taken},,,,\n" +
                  $"Tekrar Eden A.Ş.,{a},,,,\n" +
                  $"\"Bozuk, Posta\",{b},,,not-an-email,\n" +
                  $"Ayşe Yılmaz,,,Bursa,,Şahıs\n";
        var job = await admin.UploadAsync("accounts", Encoding.UTF8.GetBytes(csv), "hesaplar.csv");
        Assert.Equal(("utf-8", ",", "en"), (job.GetProperty("encoding").GetString(), job.GetProperty("delimiter").GetString(), job.GetProperty("numberFormat").GetString()));
        Assert.Equal("name,taxNumber,taxOffice,city,email,kind", string.Join(",", job.Fields()));

        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 6, 2, 4), (done.GetProperty("status").GetString(), done.Count("processedRows"), done.Count("createdRows"), done.Count("invalidRows")));
        var errors = (await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal(
            [(3, "VKN/TCKN", "account.tax-vkn-check-digit"), (4, "VKN/TCKN", "import.key-exists"), (5, "VKN/TCKN", "import.key-repeated"), (6, "E-posta", "account.email-invalid")],
            errors);
        var messages = await admin.ErrorsAsync(done);
        Assert.Contains("2. satırda da var", messages.GetRawText(), StringComparison.Ordinal); // in the Turkish of the caller

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var accounts = await db.Accounts.OrderBy(x => x.NameKey).ToListAsync(Ct);
            Assert.Equal(["Ayşe Yılmaz", "Ilgaz Un Sanayi A.Ş.", "Zaten Var Ltd."], accounts.Select(x => x.Name));
            var ilgaz = accounts[1];
            Assert.Equal((a, "Kızılbey", "Ankara", Kazan.Features.Accounts.AccountKind.Company), (ilgaz.TaxNumber, ilgaz.TaxOffice, ilgaz.City, ilgaz.Kind));
            Assert.Equal(Kazan.Features.Accounts.AccountKind.Person, accounts[0].Kind);
        }

        var file = await admin.GetAsync($"/api/v1/imports/{done.GetProperty("id")}/errors/file?format=csv", Ct);
        await file.EnsureSuccessAsync();
        var lines = Encoding.UTF8.GetString((await file.Content.ReadAsByteArrayAsync(Ct))[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal("Unvan,VKN/TCKN,Vergi Dairesi,Şehir,E-posta,Tür,Hata", lines[0]);
        Assert.StartsWith("Yanlış Numara Ltd.,1234567891,,İzmir,,,VKN/TCKN: ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("\"Bozuk, Posta\"", lines[4], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Under_stop_on_first_error_one_bad_row_leaves_nothing_written_and_the_dry_run_lists_every_bad_row()
    {
        var org = await factory.CreateOrganizationAsync("Ya Hep Ya Hiç A.Ş.");
        var admin = org.Admin.Client;
        var csv = "Ürün Kodu;Ürün Adı;Liste Fiyatı;Para Birimi;KDV Oranı\n" +
                  "K-1;Kalem;1.234,56;TRY;20\n" +
                  "K-2;Defter;on iki;TRY;20\n" +
                  "K-3;Silgi;12,5;XYZ;10\n" +
                  "K-4;Cetvel;7;EUR;%1\n";
        var job = await admin.UploadAsync("products", Encoding.UTF8.GetBytes(csv), "ürünler.csv");
        Assert.Equal("code,name,listPrice,currency,vatRate", string.Join(",", job.Fields()));

        var dry = await admin.RunAsync(job, dryRun: true);
        Assert.Equal(("Checked", 2, 2), (dry.GetProperty("status").GetString(), dry.Count("createdRows"), dry.Count("invalidRows")));
        var codes = (await admin.ErrorsAsync(dry)).GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal([(3, "import.number"), (4, "product.currency-unknown")], codes);

        var failed = await admin.RunAsync(dry);
        Assert.Equal(("Failed", 0), (failed.GetProperty("status").GetString(), failed.Count("createdRows")));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Products.CountAsync(Ct));
            Assert.False(await db.AuditEntries.AnyAsync(e => e.EntityType == "Product", Ct));
        }

        var valid = await admin.RunAsync(failed, onError: "SkipInvalidRows");
        Assert.Equal(("Imported", 2), (valid.GetProperty("status").GetString(), valid.Count("createdRows")));
        (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var products = await db.Products.OrderBy(p => p.Code).ToListAsync(Ct);
            Assert.Equal([("K-1", 1234.56m, "TRY", 20m), ("K-4", 7m, "EUR", 1m)], products.Select(p => (p.Code, p.ListPrice, p.Currency, p.VatRate)));
        }
    }

    [Fact]
    public async Task An_xlsx_with_typed_cells_updates_products_by_code_and_leaves_unmapped_fields_alone()
    {
        var org = await factory.CreateOrganizationAsync("Fiyat Güncelleme A.Ş.");
        var admin = org.Admin.Client;
        var created = await admin.PostAsJsonAsync("/api/v1/products", new { code = "VANA-50", name = "Küresel vana 50 mm", unit = "adet", listPrice = 100m, currency = "TRY", vatRate = 20m, description = "Pirinç" }, Ct);
        await created.EnsureSuccessAsync();
        using var xlsx = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(xlsx, new[]
        {
            new Dictionary<string, object?> { ["Stok Kodu"] = "VANA-50", ["Satış Fiyatı"] = 1234.5678, ["Birim"] = "adet" },
            new Dictionary<string, object?> { ["Stok Kodu"] = "YOK-1", ["Satış Fiyatı"] = 10, ["Birim"] = "kutu" },
        }, cancellationToken: Ct);
        var job = await admin.UploadAsync("products", xlsx.ToArray(), "fiyatlar.xlsx");
        Assert.Equal(("Xlsx", "code,listPrice,unit"), (job.GetProperty("format").GetString(), string.Join(",", job.Fields())));
        job = await admin.MapAsync(job, job.Fields(), mode: "Update");

        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 1, 1), (done.GetProperty("status").GetString(), done.Count("updatedRows"), done.Count("invalidRows")));
        var error = (await admin.ErrorsAsync(done)).GetProperty("items")[0];
        Assert.Equal((3, "import.key-not-found"), (error.GetProperty("line").GetInt32(), error.GetProperty("code").GetString()));
        var product = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/products?q=VANA", Ct)).GetProperty("items")[0];
        Assert.Equal((1234.5678m, "Küresel vana 50 mm", "Pirinç", 1), (product.GetProperty("listPrice").GetDecimal(), product.GetProperty("name").GetString(), product.GetProperty("description").GetString(), product.GetProperty("version").GetInt32()));
    }
}

/// <summary>The import's own limits, small here so that breaking them is cheap.</summary>
public sealed class SmallImportLimitsFactory : KazanFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kazan:Import:MaxFileBytes"] = "200000",
        ["Kazan:Import:MaxRows"] = "50",
    };
}

/// <summary>Files that cannot be imported: refused at upload with a reason the user can act on, and not kept. Its own host, so its data folder is its own.</summary>
public sealed class ImportFileTests(SmallImportLimitsFactory factory) : IClassFixture<SmallImportLimitsFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Broken_files_are_refused_with_a_clear_reason_and_nothing_is_kept()
    {
        var org = await factory.CreateOrganizationAsync("Bozuk Dosya A.Ş.");
        var admin = org.Admin.Client;
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        junk[10] = 0;
        using var xlsx = new MemoryStream();
        await MiniExcelLibs.MiniExcel.SaveAsAsync(xlsx, Enumerable.Range(0, 500).Select(i => new Dictionary<string, object?> { ["Kod"] = "P" + i, ["Ad"] = "Ürün " + i }), cancellationToken: Ct);
        var wide = string.Join(",", Enumerable.Range(0, 10_000).Select(i => "C" + i)) + "\n" + string.Join(",", Enumerable.Range(0, 10_000).Select(i => i)) + "\n";
        var cases = new (byte[] File, string Name, string Code)[]
        {
            (junk, "junk.csv", "import.file-unreadable"),
            (xlsx.ToArray()[..(int)(xlsx.Length / 2)], "truncated.xlsx", "import.file-unreadable"),
            (Encoding.UTF8.GetBytes(wide), "wide.csv", "import.too-many-columns"),
            (Encoding.UTF8.GetBytes("Kod,Ad\nA-1,\"Kapanmayan tırnak\nA-2,İkinci\n"), "quote.csv", "import.quote-unclosed"),
            (Encoding.UTF8.GetBytes(""), "empty.csv", "import.file-empty"),
            (Encoding.UTF8.GetBytes("\n\n"), "blank.csv", "import.no-header"),
        };
        var folder = Path.Combine(factory.DataDirectory, "imports");
        var kept = Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0;
        foreach (var (file, name, code) in cases)
        {
            var problem = await (await admin.PostFileAsync("products", file, name)).ProblemAsync(422);
            Assert.True(code == problem.GetProperty("code").GetString(), $"{name}: {problem}");
        }

        await (await admin.PostFileAsync("leads", Encoding.UTF8.GetBytes("a\n1\n"), "x.csv")).ProblemAsync(400);
        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/imports", Ct)).GetArrayLength());
        Assert.Equal(kept, Directory.Exists(folder) ? Directory.GetFiles(folder).Length : 0); // no upload of them stays on disk
    }

    [Fact]
    public async Task Files_over_the_size_or_row_limit_are_refused_before_anything_is_kept()
    {
        var org = await factory.CreateOrganizationAsync("Sınır A.Ş.");
        var admin = org.Admin.Client;

        var big = Encoding.UTF8.GetBytes("Kod,Ad\n" + string.Concat(Enumerable.Range(0, 20_000).Select(i => $"K{i},Ürün {i}\n")));
        var tooLarge = await (await admin.PostFileAsync("products", big, "big.csv")).ProblemAsync(413);
        Assert.Equal("import.file-too-large", tooLarge.GetProperty("code").GetString());

        // A client that declares 2 GB is refused on its word, before a byte of the body is read.
        using var declared = new StreamContent(new MemoryStream(new byte[16]));
        declared.Headers.ContentLength = 2L * 1024 * 1024 * 1024;
        var claim = await admin.PostAsync("/api/v1/imports?target=products&fileName=huge.csv", declared, Ct);
        Assert.Equal(413, (int)claim.StatusCode);

        var rows = Encoding.UTF8.GetBytes("Kod,Ad\n" + string.Concat(Enumerable.Range(0, 51).Select(i => $"K{i},Ürün {i}\n")));
        var tooMany = await (await admin.PostFileAsync("products", rows, "rows.csv")).ProblemAsync(422);
        Assert.Equal("import.too-many-rows", tooMany.GetProperty("code").GetString());

        Assert.Equal(0, (await admin.GetFromJsonAsync<JsonElement>("/api/v1/imports", Ct)).GetArrayLength());
    }
}

/// <summary>
/// SQLite has one writer: a save that waited out the busy timeout (behind a long import, say) is a 503 to retry, not a
/// 500. Its own database, since holding the write lock stalls every other test of a shared one.
/// </summary>
public sealed class BusyDatabaseTests(OwnDatabaseFactory factory) : IClassFixture<OwnDatabaseFactory>
{
    [Fact]
    public async Task A_save_behind_a_long_write_on_sqlite_gets_503_with_retry_after_and_nothing_half_written()
    {
        Assert.SkipWhen(KazanFactory.UsePostgres, "PostgreSQL has no database-wide write lock.");
        var ct = TestContext.Current.CancellationToken;
        var org = await factory.CreateOrganizationAsync("Meşgul Veritabanı A.Ş.");
        await using (var holder = new Microsoft.Data.Sqlite.SqliteConnection(factory.ConnectionString))
        {
            await holder.OpenAsync(ct);
            await using var hold = holder.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE";
            await hold.ExecuteNonQueryAsync(ct);

            var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Bekleyen Ekip" }, ct);

            var problem = await response.ProblemAsync(503);
            Assert.Equal("database.busy", problem.GetProperty("code").GetString());
            Assert.Equal("5", response.Headers.RetryAfter?.ToString());
            hold.CommandText = "ROLLBACK";
            await hold.ExecuteNonQueryAsync(ct);
        }

        Assert.DoesNotContain("Bekleyen Ekip", await org.Admin.Client.GetStringAsync("/api/v1/teams", ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_with_a_fresh_api_token_is_answered_while_a_long_write_holds_sqlite_and_its_use_is_recorded_after()
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await factory.CreateOrganizationAsync("Okuyan Müşteri A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep); // a token never used yet: its use is to be recorded
        await using (var holder = new Microsoft.Data.Sqlite.SqliteConnection(KazanFactory.UsePostgres ? "Data Source=:memory:" : factory.ConnectionString))
        {
            await holder.OpenAsync(ct);
            await using var hold = holder.CreateCommand();
            hold.CommandText = "BEGIN IMMEDIATE";
            await hold.ExecuteNonQueryAsync(ct);

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var response = await rep.Client.GetAsync("/api/v1/accounts", ct);

            await response.EnsureSuccessAsync();
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"The read waited {watch.Elapsed} for the write lock.");
            hold.CommandText = "ROLLBACK";
            await hold.ExecuteNonQueryAsync(ct);
        }

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            await factory.Services.GetRequiredService<Kazan.Infrastructure.Auth.ApiTokenUse>().FlushAsync(db, ct);
            var used = await db.ApiTokens.IgnoreQueryFilters().Where(t => t.UserId == rep.Id).Select(t => t.LastUsedAt).SingleAsync(ct);
            Assert.NotNull(used);
        }
    }
}
