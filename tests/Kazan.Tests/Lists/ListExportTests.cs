using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;

namespace Kazan.Tests.Lists;

/// <summary>
/// List exports through the API: the rows are the list's own for the same filters and sort (across keyset batches),
/// Turkish text survives, reps get only their deals, other organizations never appear, XLSX cells are typed, text a
/// spreadsheet would run as a formula is defused, bad input is a 400 problem.
/// </summary>
public sealed class ListExportTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record ListItemDto(Guid Id, string Title, decimal ForecastAmountBase);

    private sealed record PageDto(List<ListItemDto> Items, string? Next);

    [Fact]
    public async Task The_opportunity_csv_has_the_lists_filtered_rows_in_its_order_with_turkish_headers_and_letters()
    {
        var org = await factory.CreateOrganizationAsync("Dışa Aktarım Çarşı A.Ş.");
        var other = await factory.CreateOrganizationAsync("Başka Şirket Ltd.");
        await factory.OpportunityAsync(other, await factory.AccountAsync(other, "Yabancı Müşteri"), "Başka kuruluşun fırsatı", 50_000m);
        var account = await factory.AccountAsync(org, "Şişeci Ğıda İçecek, Ürün \"Özel\"");
        var close = new DateOnly(2027, 3, 15);
        await factory.OpportunityAsync(org, account, "Küçük iş", 999m, closeOn: close);
        var big = await factory.OpportunityAsync(org, account, "Çok büyük ıhlamur işi", 1_234.5m, closeOn: close);
        await factory.OpportunityAsync(org, account, "Orta iş", 5_000m, currency: "EUR", rate: 40m, closeOn: close.AddDays(3));

        var query = "amountMin=1000&sort=Amount&desc=true";
        var response = await org.Admin.Client.GetAsync("/api/v1/opportunities/export?format=csv&" + query, Ct);
        await response.EnsureSuccessAsync();
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var today = OrderTestData.OrgToday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        Assert.Equal($"opportunities-{today}.csv", response.Content.Headers.ContentDisposition!.FileNameStar);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition.DispositionType);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var rows = Csv(Encoding.UTF8.GetString(bytes[3..]));

        Assert.Equal("Başlık,Müşteri,Sahibi,Aşama,Durum,Tutar,Para birimi,Tutar (ana para birimi),Ağırlıklı,Olasılık,Beklenen kapanış,Oluşturulma,Satış süreci,Sahibi (e-posta),Kur,Kaybetme nedeni,Kazanma/kaybetme tarihi,Kaybetme notu,Kaynak,Harici kimlik", string.Join(',', rows[0]));
        var list = (await org.Admin.Client.GetFromJsonAsync<PageDto>("/api/v1/opportunities?limit=200&" + query, Ct))!;
        Assert.Equal(list.Items.Select(i => i.Title), rows.Skip(1).Select(r => r[0])); // the list's rows, in its order
        Assert.Equal(["Orta iş", "Çok büyük ıhlamur işi"], rows.Skip(1).Select(r => r[0]));
        var row = rows[2];
        Assert.Equal("Şişeci Ğıda İçecek, Ürün \"Özel\"", row[1]); // quoted in the file, whole again when read
        Assert.Equal(("Açık", "1234.50", "TRY", "1234.50", "2027-03-15"), (row[4], row[5], row[6], row[7], row[10]));
        Assert.Equal(("5000.00", "EUR", "200000.00"), (rows[1][5], rows[1][6], rows[1][7]));

        // What the deals import needs to bring each deal back as it was: pipeline, owner's e-mail, rate, lost reason, won/lost date.
        Assert.Equal(("Satış süreci", org.Admin.Email, 40m, "", ""), (rows[1][12], rows[1][13], decimal.Parse(rows[1][14], CultureInfo.InvariantCulture), rows[1][15], rows[1][16]));
        Assert.Equal(1m, decimal.Parse(row[14], CultureInfo.InvariantCulture));
        Assert.DoesNotContain(rows, r => r[0] == "Başka kuruluşun fırsatı" || r[0] == "Küçük iş");
        Assert.Contains(big, list.Items.Select(i => i.Id));
    }

    [Fact]
    public async Task An_export_larger_than_a_batch_has_every_row_once_and_a_rep_gets_only_their_own_deals()
    {
        var org = await factory.CreateOrganizationAsync("Toplu Aktarım A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Rıza Temsilci");
        var account = await factory.AccountAsync(org, "Toplu Müşteri");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = db.Stages.Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault)).OrderBy(s => s.Position).First();
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < 1_030; i++)
            {
                // Many deals share a close date, so batches continue after (date, id), not after the date alone.
                db.Opportunities.Add(new Opportunity(org.Id, i % 10 == 0 ? rep.Id : org.Admin.Id, account, stage, $"İş {i:0000}", 100m + i, "TRY", 1m,
                    new DateOnly(2027, 1, 1).AddDays(i % 7), org.Admin.Id, now));
            }

            await db.SaveChangesAsync(Ct);
        }

        var all = Csv(Encoding.UTF8.GetString((await org.Admin.Client.GetByteArrayAsync("/api/v1/opportunities/export", Ct))[3..]));
        Assert.Equal(1_030, all.Count - 1);
        Assert.Equal(1_030, all.Skip(1).Select(r => r[0]).Distinct().Count());
        Assert.Equal(Enumerable.Range(0, 1_030).Sum(i => 100m + i), all.Skip(1).Sum(r => decimal.Parse(r[5], CultureInfo.InvariantCulture)));
        var dates = all.Skip(1).Select(r => r[10]).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates); // the list's default order: close date

        var mine = Csv(Encoding.UTF8.GetString((await rep.Client.GetByteArrayAsync("/api/v1/opportunities/export?format=csv", Ct))[3..]));
        Assert.Equal(103, mine.Count - 1);
        Assert.All(mine.Skip(1), r => Assert.Equal("Rıza Temsilci", r[2]));
        var theirs = Csv(Encoding.UTF8.GetString((await rep.Client.GetByteArrayAsync($"/api/v1/opportunities/export?ownerId={org.Admin.Id}", Ct))[3..]));
        Assert.Single(theirs); // the header only: asking for a colleague's deals shows none of them
    }

    [Fact]
    public async Task The_xlsx_has_dates_and_amounts_as_typed_cells_and_formula_text_stays_text()
    {
        var org = await factory.CreateOrganizationAsync("Tablo Hücre A.Ş.", culture: "en-US");
        var account = await factory.AccountAsync(org, "=HYPERLINK(\"http://evil.example\",\"Tıkla\")");
        await factory.OpportunityAsync(org, account, "Ölçü aleti ğ", 1_234.56m, closeOn: new DateOnly(2027, 5, 31));
        await factory.OpportunityAsync(org, account, "+90 212 555 00 00", 10m, closeOn: new DateOnly(2027, 6, 1));
        await factory.OpportunityAsync(org, account, "-2+3", 20m, closeOn: new DateOnly(2027, 6, 2));
        await factory.OpportunityAsync(org, account, "@SUM(A1:A9)", 30m, closeOn: new DateOnly(2027, 6, 3));

        var client = org.Admin.Client;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/opportunities/export?format=xlsx");
        request.Headers.TryAddWithoutValidation("Accept-Language", "en");
        var response = await client.SendAsync(request, Ct);
        await response.EnsureSuccessAsync();
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.EndsWith(".xlsx", response.Content.Headers.ContentDisposition!.FileNameStar, StringComparison.Ordinal);
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);

        using var sheet = new MemoryStream(bytes);
        var rows = MiniExcelLibs.MiniExcel.Query(sheet, useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(4, rows.Count);
        var first = rows[0];
        Assert.Equal("Ölçü aleti ğ", first["Title"]);
        Assert.Equal("=HYPERLINK(\"http://evil.example\",\"Tıkla\")", first["Account"]); // the text itself, as text
        Assert.IsNotType<string>(first["Amount"]);
        Assert.Equal(1_234.56m, Convert.ToDecimal(first["Amount"], CultureInfo.InvariantCulture));
        Assert.Equal(new DateTime(2027, 5, 31), Assert.IsType<DateTime>(first["Expected close"]));
        Assert.IsType<DateTime>(first["Created"]);
        Assert.IsNotType<string>(first["Exchange rate"]); // a number cell
        Assert.Equal(1m, Convert.ToDecimal(first["Exchange rate"], CultureInfo.InvariantCulture));
        Assert.Equal(("Pipeline", "Owner e-mail", "Lost reason", "Won/lost date"), (first.Keys.ElementAt(12), first.Keys.ElementAt(13), first.Keys.ElementAt(15), first.Keys.ElementAt(16)));
        Assert.Equal(["+90 212 555 00 00", "-2+3", "@SUM(A1:A9)"], rows.Skip(1).Select(r => (string)r["Title"]));

        // No cell of the sheet is a formula: the XML has no <f> element.
        using var zip = new ZipArchive(new MemoryStream(bytes));
        var xml = new StreamReader(zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).Open()).ReadToEnd();
        Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal);
        Assert.DoesNotContain(":f>", xml, StringComparison.Ordinal);
        Assert.Contains("HYPERLINK", xml, StringComparison.Ordinal);

        // In CSV each of them starts with an apostrophe, so a spreadsheet shows it instead of running it.
        var csv = Csv(Encoding.UTF8.GetString((await client.GetByteArrayAsync("/api/v1/opportunities/export?format=csv", Ct))[3..]));
        Assert.Equal("'=HYPERLINK(\"http://evil.example\",\"Tıkla\")", csv[1][1]);
        Assert.Equal(["Ölçü aleti ğ", "'+90 212 555 00 00", "'-2+3", "'@SUM(A1:A9)"], csv.Skip(1).Select(r => r[0]));
    }

    [Fact]
    public void The_csv_writer_defuses_every_formula_start_and_leaves_numbers_and_plain_text_alone()
    {
        var line = new StringBuilder();
        Kazan.Features.Reports.TableFiles.AppendCsvLine(line, ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "a=b", -5m, 7, new DateOnly(2027, 1, 2), null, "İğ, \"ş\""]);
        Assert.Equal("'=1+1,'+1,'-1,'@A1,'\tx,\"'\rx\",a=b,-5.00,7,2027-01-02,,\"İğ, \"\"ş\"\"\"\r\n", line.ToString());
    }

    [Fact]
    public async Task Every_list_exports_its_filtered_rows_and_only_its_organizations()
    {
        var org = await factory.CreateOrganizationAsync("Her Liste A.Ş.");
        var other = await factory.CreateOrganizationAsync("Diğer Liste Ltd.");
        var account = await org.Admin.Client.CreateAccountAsync("Çağlayan Ürünleri A.Ş.", city: "İzmir");
        await org.Admin.Client.CreateAccountAsync("Filtre dışı Ltd.", city: "Ankara");
        await other.Admin.Client.CreateAccountAsync("Gizli Şirket", city: "İzmir");
        await org.Admin.Client.CreateContactAsync(account.Id, "Şükrü", "Öztürk", "sukru@example.com");
        var deal = await factory.OpportunityAsync(org, account.Id, "Çağlayan işi", 1_000m);
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/products",
            new { code = "ÇKM-1", name = "Çekiç ağır", unit = "adet", listPrice = 12.5m, currency = "TRY", vatRate = 20m }, Ct)).EnsureSuccessAsync();
        await OrderTestData.QuoteAsync(org.Admin.Client, account.Id, deal, OrderTestData.Line("Çivi", 3, 10m));
        var order = await OrderTestData.DirectOrderAsync(org.Admin.Client, account.Id, deal, OrderTestData.Line("Vida ığdır", 4, 25m));
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Call", subject = "Şükrü'yü ara", accountId = account.Id }, Ct)).EnsureSuccessAsync();

        async Task<List<string[]>> Export(string url)
        {
            var response = await org.Admin.Client.GetAsync(url, Ct);
            await response.EnsureSuccessAsync();
            var text = Encoding.UTF8.GetString((await response.Content.ReadAsByteArrayAsync(Ct))[3..]);
            Assert.DoesNotContain("Gizli Şirket", text, StringComparison.Ordinal);
            return Csv(text);
        }

        var accounts = await Export("/api/v1/accounts/export?city=" + Uri.EscapeDataString("İzmir"));
        Assert.Equal(["Çağlayan Ürünleri A.Ş."], accounts.Skip(1).Select(r => r[0]));
        Assert.Equal(("Şirket", "İzmir", "Hayır"), (accounts[1][1], accounts[1][2], accounts[1][6]));
        var contacts = await Export($"/api/v1/contacts/export?accountId={account.Id}");
        Assert.Equal(("Şükrü", "Öztürk", "Çağlayan Ürünleri A.Ş.", "sukru@example.com"), (contacts[1][0], contacts[1][1], contacts[1][3], contacts[1][4]));
        var products = await Export("/api/v1/products/export?q=" + Uri.EscapeDataString("çekiç"));
        Assert.Equal(("ÇKM-1", "Çekiç ağır", "12.50", "TRY"), (products[1][0], products[1][1], products[1][3], products[1][4]));
        var quotes = await Export($"/api/v1/quotes/export?accountId={account.Id}");
        Assert.Equal(("Çağlayan Ürünleri A.Ş.", "30.00", "36.00"), (quotes[1][1], quotes[1][5], quotes[1][6]));
        var orders = await Export("/api/v1/orders/export?status=Open");
        Assert.Equal((order.Number, "Çağlayan Ürünleri A.Ş.", "100.00", "0.00"), (orders[1][0], orders[1][1], orders[1][6], orders[1][7]));
        var activities = await Export($"/api/v1/activities/export?accountId={account.Id}&done=false");
        Assert.Equal(("Şükrü'yü ara", "Çağlayan Ürünleri A.Ş."), (activities[1][1], activities[1][2]));
        var byCustomer = await Export("/api/v1/orders/backlog/export");
        Assert.Equal(("Çağlayan Ürünleri A.Ş.", "1", "100.00"), (byCustomer[1][0], byCustomer[1][1], byCustomer[1][2]));
        var byProduct = await Export("/api/v1/orders/backlog/export?by=product&format=csv");
        Assert.Equal(("4.00", "adet", "100.00"), (byProduct[1][1], byProduct[1][2], byProduct[1][3]));
        Assert.Equal(2, byProduct.Count);
    }

    [Fact]
    public async Task Bad_formats_and_filters_are_400_problems_and_anonymous_callers_401()
    {
        var org = await factory.CreateOrganizationAsync("Hatalı İstek A.Ş.");
        var client = org.Admin.Client;
        (await (await client.GetAsync("/api/v1/opportunities/export?format=xml", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("format");
        (await (await client.GetAsync("/api/v1/accounts/export?format=pdf", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("format");
        await (await client.GetAsync("/api/v1/opportunities/export?amountMin=lots", Ct)).ProblemAsync(400);
        await (await client.GetAsync("/api/v1/opportunities/export?status=Maybe", Ct)).ProblemAsync(400);
        await (await client.GetAsync("/api/v1/opportunities/export?closeFrom=31.12.2026", Ct)).ProblemAsync(400);
        (await (await client.GetAsync("/api/v1/accounts/export?city=" + new string('x', 101), Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("city");
        (await (await client.GetAsync("/api/v1/quotes/export?createdFrom=2026-02-01&createdTo=2026-01-01", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("createdTo");
        (await (await client.GetAsync("/api/v1/orders/backlog/export?by=team", Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("by");
        (await (await client.GetAsync("/api/v1/products/export?q=" + new string('x', 101), Ct)).ProblemAsync(400)).GetProperty("errors").GetProperty("q");
        (await (await client.GetAsync("/api/v1/activities/export?dueFrom=2026-02-01T00:00:00Z&dueTo=2026-01-01T00:00:00Z", Ct)).ProblemAsync(400))
            .GetProperty("errors").GetProperty("dueTo");
        await (await factory.Anonymous().GetAsync("/api/v1/opportunities/export", Ct)).ProblemAsync(401);
    }

    /// <summary>An RFC 4180 reader for the tests: quoted cells with commas, doubled quotes and line breaks, CRLF rows.</summary>
    internal static List<string[]> Csv(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }

        Assert.Equal(0, cell.Length); // every row ends with CRLF
        return rows;
    }
}
