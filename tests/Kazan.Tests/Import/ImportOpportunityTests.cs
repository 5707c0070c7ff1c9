using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.Opportunities;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Import;

/// <summary>
/// Deals through the import, on both databases: a Turkish Excel CSV with pipelines, stages, owners and lost reasons by
/// name and Turkish amounts; won and lost rows going through the deal's own verbs (so history and reports see them);
/// the rows the API would refuse, listed at their line and column; all or nothing; the list's export imported back.
/// </summary>
public sealed class ImportOpportunityTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Encoding Turkish = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1254);
    }

    /// <summary>A second pipeline beside the default "Satış süreci" (Yeni, Görüşme, İhtiyaç analizi, Teklif, Pazarlık).</summary>
    private static async Task AddDealerPipelineAsync(HttpClient admin)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/pipelines", new
        {
            name = "Bayi satışı",
            isDefault = false,
            stages = new[] { new { name = "Başvuru", probability = 10, rottingDays = (int?)null }, new { name = "Sözleşme", probability = 70, rottingDays = (int?)null } },
        }, Ct);
        await response.EnsureSuccessAsync();
    }

    [Fact]
    public async Task A_turkish_deals_csv_imports_open_won_and_lost_deals_by_name_with_their_history_and_the_list_and_board_show_them()
    {
        var org = await factory.CreateOrganizationAsync("Fırsat Aktarımı Değirmencilik A.Ş.");
        var admin = org.Admin.Client;
        await AddDealerPipelineAsync(admin);
        var manager = await org.AddUserAsync(Kazan.Features.Users.UserRole.Manager, "Gülşen Çınar");
        var vkn = ImportRulesTests.Vkn("555555555");
        var ilgaz = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", vkn);
        var solen = await admin.CreateAccountAsync("Şölen Gıda Ürünleri A.Ş.");
        var csv = "Fırsat Adı;Müşteri;Satış Süreci;Aşama;Sorumlu E-posta;Tutar;Para Birimi;Kur;Beklenen Kapanış Tarihi;Durum;Kaybetme Nedeni\r\n" +
                  $"Değirmen yenileme;{vkn};;Teklif;{manager.Email.ToUpperInvariant()};1.234.567,89;;;31.12.2026;Açık;\r\n" +
                  "Bayi sözleşmesi;Şölen Gıda Ürünleri A.Ş.;Bayi satışı;sözleşme;;250.000;EUR;35,1234;2026-11-15;Kazanıldı;\r\n" +
                  "Paketleme hattı;ŞÖLEN GIDA ÜRÜNLERİ;;Görüşme;;12.500,5;TRY;;15.01.2027;kaybedildi;Fiyat\r\n";
        var job = await admin.UploadAsync("opportunities", Turkish.GetBytes(csv), "fırsatlar.csv");

        Assert.Equal(("windows-1254", ";", "tr"), (job.GetProperty("encoding").GetString(), job.GetProperty("delimiter").GetString(), job.GetProperty("numberFormat").GetString()));
        Assert.Equal("title,account,pipeline,stage,owner,amount,currency,exchangeRate,closeDate,status,lostReason", string.Join(",", job.Fields()));
        var preview = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{job.GetProperty("id")}/preview", Ct);
        Assert.All(preview.EnumerateArray(), r => Assert.Equal(("create", 0), (r.GetProperty("action").GetString(), r.GetProperty("problems").GetArrayLength())));
        Assert.Equal(("1.234.567,89", "31.12.2026"), (preview[0].GetProperty("values").GetProperty("amount").GetString(), preview[0].GetProperty("values").GetProperty("closeDate").GetString()));

        var done = await admin.RunAsync(job);

        Assert.True(done.GetProperty("status").GetString() == "Imported", $"{done} {(await admin.ErrorsAsync(done)).GetRawText()}");
        Assert.Equal(3, done.Count("createdRows"));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var deals = await db.Opportunities.OrderBy(o => o.ExpectedCloseDate).ToListAsync(Ct);
            var stages = await db.Stages.ToDictionaryAsync(s => s.Id, s => s.Name, Ct);
            var reasons = await db.LostReasons.ToDictionaryAsync(r => r.Id, r => r.Name, Ct);
            var today = Kazan.Infrastructure.Time.OrganizationTime.DayIn(Kazan.Infrastructure.Time.OrganizationTime.DefaultZone, DateTimeOffset.UtcNow);

            var (won, open, lost) = (deals[0], deals[1], deals[2]);
            Assert.Equal(("Bayi sözleşmesi", solen.Id, "Sözleşme", OpportunityStatus.Won, today), (won.Title, won.AccountId, stages[won.StageId], won.Status, won.ClosedOn));
            Assert.Equal((250_000m, "EUR", 35.1234m, org.Admin.Id), (won.ExpectedAmount, won.Currency.Code, won.Currency.Rate, won.OwnerId)); // the account's owner
            Assert.Equal(("Değirmen yenileme", ilgaz.Id, "Teklif", OpportunityStatus.Open, 60), (open.Title, open.AccountId, stages[open.StageId], open.Status, open.Probability));
            Assert.Equal((1_234_567.89m, "TRY", 1m, manager.Id, new DateOnly(2026, 12, 31)), (open.ExpectedAmount, open.Currency.Code, open.Currency.Rate, open.OwnerId, open.ExpectedCloseDate));
            Assert.Equal(("Paketleme hattı", "Görüşme", OpportunityStatus.Lost, 12_500.5m, "Fiyat"), (lost.Title, stages[lost.StageId], lost.Status, lost.ExpectedAmount, reasons[lost.LostReasonId!.Value]));

            // History starts at the import: the creation, then the outcome through the deal's own verb.
            var history = await db.OpportunityEvents.OrderBy(e => e.At).ThenBy(e => e.Id).ToListAsync(Ct); // as the history shows them
            Assert.Equal([OpportunityEventKind.Created, OpportunityEventKind.Won], history.Where(e => e.OpportunityId == won.Id).Select(e => e.Kind));
            Assert.Equal([OpportunityEventKind.Created], history.Where(e => e.OpportunityId == open.Id).Select(e => e.Kind));
            Assert.Equal([OpportunityEventKind.Created, OpportunityEventKind.Lost], history.Where(e => e.OpportunityId == lost.Id).Select(e => e.Kind));
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Opportunity) && a.EntityId == open.Id.ToString(), Ct));

            var api = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/opportunities/{won.Id}/history", Ct);
            Assert.Equal(["Created", "Won"], api.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("kind").GetString()));
        }

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/v1/opportunities?status=Open", Ct);
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(("Değirmen yenileme", 1_234_567.89m, "Teklif"), (item.GetProperty("title").GetString(), item.GetProperty("forecastAmount").GetDecimal(), item.GetProperty("stageName").GetString()));
        var board = await admin.GetFromJsonAsync<JsonElement>("/api/v1/board", Ct);
        Assert.Contains("Değirmen yenileme", board.GetRawText(), StringComparison.Ordinal);
        Assert.Contains("1234567.89", board.GetRawText(), StringComparison.Ordinal);

        // The same file again adds nothing: each row's deal exists already.
        var again = await admin.RunAsync(await admin.UploadAsync("opportunities", Turkish.GetBytes(csv), "fırsatlar.csv"), onError: "SkipInvalidRows");
        Assert.Equal(("Imported", 0, 3), (again.GetProperty("status").GetString(), again.Count("createdRows"), again.Count("invalidRows")));
        Assert.All((await admin.ErrorsAsync(again)).GetProperty("items").EnumerateArray(), e => Assert.Equal(("Fırsat Adı", "import.key-exists"), (e.GetProperty("column").GetString(), e.GetProperty("code").GetString())));
    }

    [Fact]
    public async Task Deal_rows_the_api_would_refuse_are_listed_at_their_line_and_column_and_under_stop_on_first_error_nothing_is_written()
    {
        var org = await factory.CreateOrganizationAsync("Hatalı Fırsatlar A.Ş.");
        var admin = org.Admin.Client;
        await AddDealerPipelineAsync(admin);
        await admin.CreateAccountAsync("Şölen Gıda Ürünleri A.Ş.");
        var csv = "Başlık;Müşteri;Aşama;Sorumlu e-posta;Tutar;Para birimi;Kur;Beklenen kapanış;Durum;Kaybetme nedeni\n" +
                  "İyi satır;Şölen Gıda Ürünleri A.Ş.;Yeni;;1.000;;;01.02.2027;;\n" +
                  "Bilinmeyen aşama;Şölen Gıda Ürünleri A.Ş.;Sözleşme imzası;;1.000;;;01.02.2027;;\n" +
                  "Başka sürecin aşaması;Şölen Gıda Ürünleri A.Ş.;Sözleşme;;1.000;;;01.02.2027;;\n" +
                  "Bilinmeyen sahip;Şölen Gıda Ürünleri A.Ş.;;kimse@yok.com.tr;1.000;;;01.02.2027;;\n" +
                  "Kötü para birimi;Şölen Gıda Ürünleri A.Ş.;;;1.000;XYZ;;01.02.2027;;\n" +
                  "Dövizli ama kursuz;Şölen Gıda Ürünleri A.Ş.;;;1.000;USD;;01.02.2027;;\n" +
                  "Nedensiz kayıp;Şölen Gıda Ürünleri A.Ş.;;;1.000;;;01.02.2027;Kaybedildi;\n" +
                  "Bilinmeyen neden;Şölen Gıda Ürünleri A.Ş.;;;1.000;;;01.02.2027;Kaybedildi;Hava durumu\n" +
                  "Olmayan tarih;Şölen Gıda Ürünleri A.Ş.;;;1.000;;;31.02.2027;;\n" +
                  "Yanlış durum;Şölen Gıda Ürünleri A.Ş.;;;1.000;;;01.02.2027;belki;\n" +
                  "Tutarsız;Şölen Gıda Ürünleri A.Ş.;;;;;;01.02.2027;;\n" +
                  "Müşterisi yok;Kimsenin Şirketi Ltd.;;;1.000;;;01.02.2027;;\n";
        var job = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes(csv), "fırsatlar.csv");
        Assert.Equal("title,account,stage,owner,amount,currency,exchangeRate,closeDate,status,lostReason", string.Join(",", job.Fields()));

        var refused = await admin.SendAsync(HttpMethod.Put, $"/api/v1/imports/{job.GetProperty("id")}/mapping",
            new { columns = job.Fields(), mode = "CreateOrUpdate", numberFormat = "tr" }, $"\"{job.GetProperty("version").GetInt32()}\"");
        Assert.Equal("import.create-only", (await refused.ProblemAsync(400)).GetProperty("codes").GetProperty("mode").GetString());

        var checkedJob = await admin.RunAsync(job, dryRun: true);
        Assert.Equal(("Checked", 1, 11), (checkedJob.GetProperty("status").GetString(), checkedJob.Count("createdRows"), checkedJob.Count("invalidRows")));
        var done = await admin.RunAsync(checkedJob);

        Assert.Equal(("Failed", 0), (done.GetProperty("status").GetString(), done.Count("createdRows")));
        var errors = (await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToList();
        Assert.Equal(
            [
                (3, "Aşama", "stage.unknown"), (4, "Aşama", "opportunity.stage-of-other-pipeline"), (5, "Sorumlu e-posta", "import.owner-unknown"),
                (6, "Para birimi", "currency.unknown"), (7, "Kur", "opportunity.exchange-rate-required"), (8, "Kaybetme nedeni", "opportunity.lost-reason-required"),
                (9, "Kaybetme nedeni", "lost-reason.unknown"), (10, "Beklenen kapanış", "import.date"), (11, "Durum", "import.status"),
                (12, "Tutar", "import.required"), (13, "Müşteri", "opportunity.account-unknown"),
            ],
            errors);
        var messages = (await admin.ErrorsAsync(done)).GetRawText();
        Assert.Contains("'Sözleşme' aşaması 'Satış süreci' sürecine değil, 'Bayi satışı' sürecine ait.", messages, StringComparison.Ordinal);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Opportunities.CountAsync(Ct)); // not even the good row
            Assert.Equal(0, await db.OpportunityEvents.CountAsync(Ct));
        }
    }

    [Fact]
    public async Task An_english_file_reads_us_dates_and_numbers_and_the_page_offers_updating_deals_only_for_a_file_with_external_ids()
    {
        var org = await factory.CreateOrganizationAsync("Deal Import Ltd.", "en-US");
        var admin = org.Admin.Client;
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        await admin.CreateAccountAsync("Anatolia Mills Inc.");
        var csv = "Deal Name,Customer,Stage,Amount,Currency,Expected Close Date,Status,Lost Reason,Won/Lost Date,Probability\n" +
                  "Flour line,Anatolia Mills Inc.,Proposal,\"1,234.56\",TRY,12/31/2026,won,,11/30/2026,\n" +
                  "Silo,Anatolia Mills Inc.,,99.5,,2027-01-15,open,,,55.5\n" +
                  "Old deal,Anatolia Mills Inc.,,10,,1/2/2027,LOST,,,\n";
        var job = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes(csv), "deals.csv");
        Assert.Equal(("en", "title,account,stage,amount,currency,closeDate,status,lostReason,closedOn,probability"), (job.GetProperty("numberFormat").GetString(), string.Join(",", job.Fields())));

        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 2, 1), (done.GetProperty("status").GetString(), done.Count("createdRows"), done.Count("invalidRows")));
        var error = Assert.Single((await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray());
        Assert.Equal((4, "Lost Reason", "Choose a lost reason to mark the opportunity lost."), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetString(), error.GetProperty("message").GetString()));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var deals = await db.Opportunities.OrderBy(o => o.Title).ToListAsync(Ct);
            Assert.Equal(("Flour line", 1234.56m, new DateOnly(2026, 12, 31), OpportunityStatus.Won, new DateOnly(2026, 11, 30)), (deals[0].Title, deals[0].ExpectedAmount, deals[0].ExpectedCloseDate, deals[0].Status, deals[0].ClosedOn));
            Assert.Equal(("Silo", 99.5m, new DateOnly(2027, 1, 15), 56), (deals[1].Title, deals[1].ExpectedAmount, deals[1].ExpectedCloseDate, deals[1].Probability));
        }

        var session = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password, "en-US");
        var imports = await (await session.GetAsync("/imports")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<option value=\"opportunities\"", imports, StringComparison.Ordinal);
        Assert.Contains(">Opportunities</option>", imports, StringComparison.Ordinal);
        var fresh = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes(csv), "deals.csv");
        var page = await (await session.GetAsync($"/imports/{fresh.GetProperty("id")}")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Expected close date", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Create\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"CreateOrUpdate\"", page, StringComparison.Ordinal); // no external id column: deals are only created
        Assert.Contains("rows are matched on it", page, StringComparison.Ordinal);
        var keyed = await admin.UploadAsync("opportunities", Encoding.UTF8.GetBytes("External id,Deal Name,Customer,Amount,Expected Close Date\nX-1,Silo,Anatolia Mills Inc.,1,2027-01-15\n"), "keyed.csv");
        var keyedPage = await (await session.GetAsync($"/imports/{keyed.GetProperty("id")}")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("value=\"CreateOrUpdate\"", keyedPage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xlsx", "tr-TR")]
    [InlineData("csv", "en-US")]
    public async Task Exported_deals_import_into_an_empty_organization_as_the_same_deals(string format, string language)
    {
        var from = await factory.CreateOrganizationAsync("Kaynak Fırsatlar A.Ş.");
        var to = await factory.CreateOrganizationAsync("Hedef Fırsatlar A.Ş.");
        foreach (var org in new[] { from, to })
        {
            await org.Admin.Client.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", ImportRulesTests.Vkn("666666666"));
            await AddDealerPipelineAsync(org.Admin.Client);
        }

        var source = from.Admin.Client;
        var manager = await from.AddUserAsync(Kazan.Features.Users.UserRole.Manager, "Gülşen Çınar");
        var account = (await source.GetFromJsonAsync<JsonElement>("/api/v1/accounts", Ct)).GetProperty("items")[0].GetProperty("id").GetGuid();
        var pipelines = (await source.GetFromJsonAsync<JsonElement>("/api/v1/pipelines", Ct)).EnumerateArray().ToList();
        Guid StageOf(string pipeline, string stage) => pipelines.Single(p => p.GetProperty("name").GetString() == pipeline)
            .GetProperty("stages").EnumerateArray().Single(s => s.GetProperty("name").GetString() == stage).GetProperty("id").GetGuid();
        Guid price;
        var (scope, db) = factory.DbAs(from.Id, from.Admin.Id);
        using (scope)
        {
            price = await db.LostReasons.Where(r => r.Name == "Fiyat").Select(r => r.Id).SingleAsync(Ct);
        }

        var deals = new[]
        {
            (Title: "Un değirmeni; \"yeni\" hat", Amount: 1234.5m, Stage: (Guid?)StageOf("Satış süreci", "Teklif"), Probability: (int?)null, Currency: (string?)null, Rate: (decimal?)null, Owner: (Guid?)null, Outcome: ""),
            ("Silo bakımı", 98_765.43m, null, 35, null, null, manager.Id, ""),
            ("Kazanılmış iş", 10m, null, null, null, null, null, "won"),
            ("Kaybedilmiş iş", 2_500m, StageOf("Satış süreci", "Görüşme"), null, null, null, manager.Id, "lost"),
            ("Bayi sözleşmesi", 250_000m, StageOf("Bayi satışı", "Sözleşme"), null, "EUR", 35.1234m, manager.Id, ""),
        };
        var number = 0;
        foreach (var deal in deals)
        {
            number++;
            var created = await source.PostAsJsonAsync("/api/v1/opportunities", new
            {
                title = deal.Title,
                accountId = account,
                stageId = deal.Stage,
                expectedAmount = deal.Amount,
                currency = deal.Currency,
                exchangeRate = deal.Rate,
                expectedCloseDate = "2027-03-31",
                probability = deal.Probability,
                ownerId = deal.Owner,
                source = number % 2 == 0 ? "Fuar; İzmir" : null,
                externalId = number == 3 ? null : $"ESKİ-{number}",
            }, Ct);
            await created.EnsureSuccessAsync();
            var id = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
            if (deal.Outcome == "won")
            {
                await (await source.PostWithEtagAsync($"/api/v1/opportunities/{id}", "won", new { closedOn = "2026-11-30" })).EnsureSuccessAsync();
            }
            else if (deal.Outcome == "lost")
            {
                await (await source.PostWithEtagAsync($"/api/v1/opportunities/{id}", "lost", new { lostReasonId = price, note = "Rakip \"ucuz\" verdi", closedOn = "2026-10-15" })).EnsureSuccessAsync();
            }
            else if (number == 1)
            {
                // A quote makes the forecast amount (quoted) differ from the deal's own expected amount: the export writes the latter.
                await (await source.PostAsJsonAsync("/api/v1/quotes", new { accountId = account, opportunityId = id, currency = "TRY", lines = new[] { Kazan.Tests.Orders.OrderTestData.Line("Değirmen", 1, 5000) } }, Ct)).EnsureSuccessAsync();
            }
        }

        using var export = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/opportunities/export?format={format}");
        export.Headers.AcceptLanguage.ParseAdd(language);
        var response = await source.SendAsync(export, Ct);
        await response.EnsureSuccessAsync();
        var file = await response.Content.ReadAsByteArrayAsync(Ct);

        // The same people in the new organization (as in another Kazan): each e-mail is now a user of the target.
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

            await to.AddUserAsync(Kazan.Features.Users.UserRole.Manager, "Taşınan " + person.Role, email: person.Email);
        }

        var target = to.Admin.Client;
        var job = await target.UploadAsync("opportunities", file, $"fırsatlar.{format}");
        Assert.Equal( // the export's own headers, suggested: the list's derived columns (owner's name, base amounts, created) stay unmapped
            "title,account,,stage,status,amount,currency,,,probability,closeDate,,pipeline,owner,exchangeRate,lostReason,closedOn,lostNote,source,externalId",
            string.Join(",", job.Fields()));
        var done = await target.RunAsync(job);

        Assert.True(done.GetProperty("status").GetString() == "Imported", $"{job} {done} {(await target.ErrorsAsync(done)).GetRawText()}");
        var copied = await Snapshot(to);
        Assert.Equal(await Snapshot(from), copied);
        Assert.Contains("Bayi sözleşmesi|Bayi satışı|Sözleşme|Open|250000.00|EUR|35.1234|", copied, StringComparison.Ordinal);
        Assert.Contains("Kaybedilmiş iş|Satış süreci|Görüşme|Lost|2500.00|TRY|1.0000|", copied, StringComparison.Ordinal);
        Assert.Contains("|Fiyat|2026-10-15|Rakip \"ucuz\" verdi|", copied, StringComparison.Ordinal);
        Assert.Contains("Un değirmeni; \"yeni\" hat|Satış süreci|Teklif|Open|1234.50|", copied, StringComparison.Ordinal);
        Assert.Contains("|Fuar; İzmir|ESKİ-2", copied, StringComparison.Ordinal);
    }

    /// <summary>What the list shows of an organization's deals, without ids: owners by e-mail (without the prefix a moved user's old one got).</summary>
    private async Task<string> Snapshot(TestOrganization org)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var deals = await db.Opportunities.Join(db.Stages, o => o.StageId, s => s.Id, (o, s) => new { o, Stage = s.Name })
                .Select(x => new
                {
                    x.o,
                    x.Stage,
                    Pipeline = db.Pipelines.Where(p => p.Id == x.o.PipelineId).Select(p => p.Name).First(),
                    Owner = db.Users.Where(u => u.Id == x.o.OwnerId).Select(u => u.Email).First(),
                    Reason = db.LostReasons.Where(r => r.Id == x.o.LostReasonId).Select(r => r.Name).FirstOrDefault(),
                })
                .ToListAsync(Ct);
            Assert.Equal(5, deals.Count);
            return string.Join("\n", deals.OrderBy(x => x.o.Title, StringComparer.Ordinal).Select(x => string.Create(CultureInfo.InvariantCulture,
                $"{x.o.Title}|{x.Pipeline}|{x.Stage}|{x.o.Status}|{x.o.ExpectedAmount:0.00}|{x.o.Currency.Code}|{x.o.Currency.Rate:0.0000}|{x.Owner!.Replace("moved-", "", StringComparison.Ordinal)}" +
                $"|{x.o.Probability}|{x.o.ProbabilityOverride}|{x.o.ExpectedCloseDate:yyyy-MM-dd}|{x.Reason}|{x.o.ClosedOn:yyyy-MM-dd}|{x.o.LostNote}|{x.o.Source}|{x.o.ExternalId}")));
        }
    }
}
