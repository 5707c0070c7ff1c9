using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Features.Activities;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Import;

/// <summary>
/// Activities through the import, on both databases: a Turkish Excel CSV of calls, meetings, tasks and notes on
/// accounts named by VKN or name, with a contact by e-mail and a deal by title, planned ones at their day and time in
/// the organization's zone and done ones logged; the rows the API would refuse, listed at their line and column; all or
/// nothing; an English file.
/// </summary>
public sealed class ImportActivityTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly Encoding Turkish = CodePages();

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1254);
    }

    private static async Task<Guid> CreateDealAsync(HttpClient client, Guid accountId, string title)
    {
        var response = await client.PostAsJsonAsync("/api/v1/opportunities", new { title, accountId, expectedAmount = 1000m, expectedCloseDate = "2031-03-31" }, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_turkish_activities_csv_plans_and_logs_calls_meetings_tasks_and_notes_on_their_accounts_contacts_and_deals()
    {
        var org = await factory.CreateOrganizationAsync("Aktivite Aktarımı Değirmencilik A.Ş.");
        var admin = org.Admin.Client;
        var manager = await org.AddUserAsync(Kazan.Features.Users.UserRole.Manager, "Gülşen Çınar");
        var vkn = ImportRulesTests.Vkn("444444444");
        var ilgaz = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", vkn);
        var solen = await admin.CreateAccountAsync("Şölen Gıda Ürünleri A.Ş.");
        var ayse = await admin.CreateContactAsync(ilgaz.Id, "Ayşe", "Öztürk", "ayse@ilgaz.com.tr");
        var deal = await CreateDealAsync(admin, ilgaz.Id, "Değirmen yenileme");
        var csv = "Konu;Tür;Müşteri;Kişi;Fırsat;Tarih;Saat;Yapıldı;Açıklama;Sorumlu E-posta\r\n" +
                  $"Fiyat teklifi araması;Arama;{vkn};AYSE@ilgaz.com.tr;Değirmen yenileme;15.01.2030;14:30;hayır;Yeni fiyatları konuş;{manager.Email}\r\n" +
                  "Fabrika ziyareti;toplantı;ŞÖLEN GIDA ÜRÜNLERİ;;;03.11.2025 10:00;;evet;Hat gezildi;\r\n" +
                  $"Sözleşme taslağını gönder;görev;Ilgaz Un Sanayi A.Ş.;;DEĞİRMEN YENİLEME;;;;;\r\n" +
                  $"Ziyaret notu;Not;{vkn};;;;;;Bir ay sonra tekrar uğra;\r\n";
        var job = await admin.UploadAsync("activities", Turkish.GetBytes(csv), "aktiviteler.csv");

        Assert.Equal(("windows-1254", ";"), (job.GetProperty("encoding").GetString(), job.GetProperty("delimiter").GetString()));
        Assert.Equal("subject,kind,account,contact,opportunity,dueDate,dueTime,done,notes,owner", string.Join(",", job.Fields()));
        var preview = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/imports/{job.GetProperty("id")}/preview", Ct);
        Assert.All(preview.EnumerateArray(), r => Assert.Equal(("create", 0), (r.GetProperty("action").GetString(), r.GetProperty("problems").GetArrayLength())));
        Assert.Equal("15.01.2030", preview[0].GetProperty("values").GetProperty("dueDate").GetString());

        var done = await admin.RunAsync(job);

        Assert.True(done.GetProperty("status").GetString() == "Imported", $"{done} {(await admin.ErrorsAsync(done)).GetRawText()}");
        Assert.Equal(4, done.Count("createdRows"));

        // Where a user sees them: the account's activities, through the list API.
        var onIlgaz = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/activities?accountId={ilgaz.Id}", Ct)).GetProperty("items").EnumerateArray().ToList();
        var call = onIlgaz.Single(a => a.GetProperty("subject").GetString() == "Fiyat teklifi araması");
        Assert.Equal(("Call", false, deal, manager.Id, "Yeni fiyatları konuş"),
            (call.GetProperty("kind").GetString(), call.GetProperty("done").GetBoolean(), call.GetProperty("opportunityId").GetGuid(), call.GetProperty("ownerId").GetGuid(), call.GetProperty("notes").GetString()));
        Assert.Equal(new DateTimeOffset(2030, 1, 15, 11, 30, 0, TimeSpan.Zero), call.GetProperty("dueAt").GetDateTimeOffset()); // 14:30 in İstanbul
        Assert.Equal([ayse.Id], call.GetProperty("contactIds").EnumerateArray().Select(c => c.GetGuid()));
        var task = onIlgaz.Single(a => a.GetProperty("subject").GetString() == "Sözleşme taslağını gönder");
        Assert.Equal(("Task", false, deal, org.Admin.Id, JsonValueKind.Null), // the deal's owner
            (task.GetProperty("kind").GetString(), task.GetProperty("done").GetBoolean(), task.GetProperty("opportunityId").GetGuid(), task.GetProperty("ownerId").GetGuid(), task.GetProperty("dueAt").ValueKind));
        var note = onIlgaz.Single(a => a.GetProperty("subject").GetString() == "Ziyaret notu");
        Assert.Equal(("Note", true), (note.GetProperty("kind").GetString(), note.GetProperty("done").GetBoolean()));

        var onSolen = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/activities?accountId={solen.Id}", Ct)).GetProperty("items").EnumerateArray().ToList();
        var meeting = Assert.Single(onSolen);
        var heldAt = new DateTimeOffset(2025, 11, 3, 7, 0, 0, TimeSpan.Zero); // 10:00 in İstanbul
        Assert.Equal(("Fabrika ziyareti", "Meeting", true, heldAt, heldAt, "Hat gezildi"),
            (meeting.GetProperty("subject").GetString(), meeting.GetProperty("kind").GetString(), meeting.GetProperty("done").GetBoolean(),
             meeting.GetProperty("doneAt").GetDateTimeOffset(), meeting.GetProperty("dueAt").GetDateTimeOffset(), meeting.GetProperty("notes").GetString()));

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            // As the API's create does, an activity on a deal touches it (its rotting clock), and each one is audited.
            Assert.NotNull((await db.Opportunities.SingleAsync(o => o.Id == deal, Ct)).LastActivityAt);
            var id = call.GetProperty("id").GetGuid().ToString();
            Assert.True(await db.AuditEntries.AnyAsync(a => a.EntityType == nameof(Activity) && a.EntityId == id, Ct));
        }

        var session = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password);
        var page = await (await session.GetAsync($"/accounts/{ilgaz.Id}/activities")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Fiyat teklifi araması", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activity_rows_the_api_would_refuse_are_listed_at_their_line_and_column_and_under_stop_on_first_error_nothing_is_written()
    {
        var org = await factory.CreateOrganizationAsync("Hatalı Aktiviteler A.Ş.");
        var admin = org.Admin.Client;
        var ilgaz = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.");
        await admin.CreateAccountAsync("Şölen Gıda Ürünleri A.Ş.");
        await admin.CreateContactAsync(ilgaz.Id, "Ayşe", "Öztürk", "ayse@ilgaz.com.tr");
        await CreateDealAsync(admin, ilgaz.Id, "Değirmen yenileme");
        var csv = "Konu;Tür;Müşteri;Kişi;Fırsat;Tarih;Yapıldı;Sorumlu e-posta\n" +
                  "İyi satır;arama;Şölen Gıda Ürünleri A.Ş.;;;01.02.2025;evet;\n" +
                  "Bilinmeyen müşteri;arama;Kimsenin Şirketi Ltd.;;;;;\n" +
                  "Başkasının kişisi;arama;Şölen Gıda Ürünleri A.Ş.;ayse@ilgaz.com.tr;;;;\n" +
                  "Başkasının fırsatı;görev;Şölen Gıda Ürünleri A.Ş.;;Değirmen yenileme;;;\n" +
                  "Bilinmeyen sahip;görev;Şölen Gıda Ürünleri A.Ş.;;;;;kimse@yok.com.tr\n" +
                  "E-posta gönder;e-posta;Şölen Gıda Ürünleri A.Ş.;;;;;\n" +
                  "Olmayan tarih;görev;Şölen Gıda Ürünleri A.Ş.;;;31.02.2027;;\n" +
                  ";görev;Şölen Gıda Ürünleri A.Ş.;;;;;\n" +
                  "Belirsiz;görev;Şölen Gıda Ürünleri A.Ş.;;;;belki;\n" +
                  "Gelecekte yapılmış;arama;Şölen Gıda Ürünleri A.Ş.;;;01.02.2031;evet;\n" +
                  "Bilinmeyen kişi;arama;Ilgaz Un Sanayi A.Ş.;kimse@yok.com.tr;;;;\n";
        var job = await admin.UploadAsync("activities", Encoding.UTF8.GetBytes(csv), "aktiviteler.csv");
        Assert.Equal("subject,kind,account,contact,opportunity,dueDate,done,owner", string.Join(",", job.Fields()));

        var refused = await admin.SendAsync(HttpMethod.Put, $"/api/v1/imports/{job.GetProperty("id")}/mapping",
            new { columns = job.Fields(), mode = "Update", numberFormat = "tr" }, $"\"{job.GetProperty("version").GetInt32()}\"");
        Assert.Equal("import.create-only", (await refused.ProblemAsync(400)).GetProperty("codes").GetProperty("mode").GetString());

        var checkedJob = await admin.RunAsync(job, dryRun: true);
        Assert.Equal(("Checked", 1, 10), (checkedJob.GetProperty("status").GetString(), checkedJob.Count("createdRows"), checkedJob.Count("invalidRows")));
        var done = await admin.RunAsync(checkedJob);

        Assert.Equal(("Failed", 0), (done.GetProperty("status").GetString(), done.Count("createdRows")));
        var items = (await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [
                (3, "Müşteri", "activity.account-unknown"), (4, "Kişi", "activity.contact-of-other-account"), (5, "Fırsat", "activity.opportunity-not-found"),
                (6, "Sorumlu e-posta", "import.owner-unknown"), (7, "Tür", "import.kind"), (8, "Tarih", "import.date"), (9, "Konu", "import.required"),
                (10, "Yapıldı", "import.done"), (11, "Tarih", "activity.logged-in-future"), (12, "Kişi", "activity.contact-not-found"),
            ],
            items.Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("code").GetString())).ToList());
        var messages = items.Select(e => e.GetProperty("message").GetString()).ToList();
        Assert.Contains("'ayse@ilgaz.com.tr' kişisi 'Şölen Gıda Ürünleri A.Ş.' müşterisinin kişisi değil: aktivitenin kişisi kendi müşterisinden olmalı.", messages);
        Assert.Contains("'e-posta' bir aktivite türü değil: görev, arama, toplantı ya da not yazın.", messages);
        Assert.Contains("'Şölen Gıda Ürünleri A.Ş.' müşterisinin 'Değirmen yenileme' başlıklı bir fırsatı yok.", messages);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(0, await db.Activities.CountAsync(Ct)); // not even the good row
        }
    }

    [Fact]
    public async Task An_english_file_reads_us_dates_and_times_and_the_pages_offer_activities_with_create_as_the_only_mode()
    {
        var org = await factory.CreateOrganizationAsync("Activity Import Ltd.", "en-US");
        var admin = org.Admin.Client;
        admin.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");
        var mills = await admin.CreateAccountAsync("Anatolia Mills Inc.");
        var csv = "Subject,Type,Account,Due Date,Time,Done,Done Date,Notes\n" +
                  "Quarterly review,meeting,Anatolia Mills Inc.,12/31/2030,2:30 PM,no,,Bring the figures\n" +
                  "Intro call,Call,Anatolia Mills Inc.,,,yes,11/30/2025,Reached the buyer\n" +
                  "Send brochure,email,Anatolia Mills Inc.,,,,,\n" +
                  "Lunch,meeting,Anatolia Mills Inc.,1/2/2031,25:00,,,\n";
        var job = await admin.UploadAsync("activities", Encoding.UTF8.GetBytes(csv), "activities.csv");
        Assert.Equal(("en", "subject,kind,account,dueDate,dueTime,done,doneDate,notes"), (job.GetProperty("numberFormat").GetString(), string.Join(",", job.Fields())));

        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 2, 2), (done.GetProperty("status").GetString(), done.Count("createdRows"), done.Count("invalidRows")));
        var errors = (await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray()
            .Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString(), e.GetProperty("message").GetString())).ToList();
        Assert.Equal(
            [
                (4, "Type", "'email' is not a kind of activity: write task, call, meeting or note."),
                (5, "Time", "'25:00' is not a time of day (write 14:30)."),
            ],
            errors);
        var items = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/activities?accountId={mills.Id}", Ct)).GetProperty("items").EnumerateArray().ToList();
        var review = items.Single(a => a.GetProperty("subject").GetString() == "Quarterly review");
        Assert.Equal(("Meeting", false, new DateTimeOffset(2030, 12, 31, 11, 30, 0, TimeSpan.Zero)), (review.GetProperty("kind").GetString(), review.GetProperty("done").GetBoolean(), review.GetProperty("dueAt").GetDateTimeOffset()));
        var intro = items.Single(a => a.GetProperty("subject").GetString() == "Intro call");
        Assert.Equal(("Call", true, new DateTimeOffset(2025, 11, 29, 21, 0, 0, TimeSpan.Zero), "Reached the buyer"),
            (intro.GetProperty("kind").GetString(), intro.GetProperty("done").GetBoolean(), intro.GetProperty("doneAt").GetDateTimeOffset(), intro.GetProperty("notes").GetString()));

        var session = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password, "en-US");
        var imports = await (await session.GetAsync("/imports")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("<option value=\"activities\"", imports, StringComparison.Ordinal);
        Assert.Contains(">Activities</option>", imports, StringComparison.Ordinal);
        var fresh = await admin.UploadAsync("activities", Encoding.UTF8.GetBytes(csv), "activities.csv");
        var page = await (await session.GetAsync($"/imports/{fresh.GetProperty("id")}")).Content.ReadAsStringAsync(Ct);
        Assert.Contains("Due date", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Create\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("value=\"CreateOrUpdate\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_imported_again_adds_no_activity_twice_and_a_row_repeated_in_the_file_is_refused()
    {
        var org = await factory.CreateOrganizationAsync("Tekrar Aktarım Değirmencilik A.Ş.");
        var admin = org.Admin.Client;
        var vkn = ImportRulesTests.Vkn("333333333");
        var ilgaz = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.", vkn);
        await admin.CreateAccountAsync("Şölen Gıda Ürünleri A.Ş.");
        var csv = "Konu;Tür;Müşteri;Tarih;Saat;Yapıldı;Yapılma tarihi\r\n" +
                  "Fiyat teklifi araması;Arama;Ilgaz Un Sanayi A.Ş.;15.01.2030;14:30;;\r\n" +
                  "Fiyat teklifi araması;Arama;Ilgaz Un Sanayi A.Ş.;16.01.2030;14:30;;\r\n" +
                  "Fabrika ziyareti;toplantı;Şölen Gıda Ürünleri A.Ş.;03.11.2025 10:00;;evet;\r\n" +
                  "Tanışma araması;arama;Ilgaz Un Sanayi A.Ş.;;;evet;01.11.2025 09:15\r\n" +
                  "Sözleşme taslağını gönder;görev;Ilgaz Un Sanayi A.Ş.;;;;\r\n" +
                  "Ziyaret notu;Not;Ilgaz Un Sanayi A.Ş.;;;;\r\n" +
                  "Fiyat teklifi araması;Arama;Ilgaz Un Sanayi A.Ş.;15.01.2030;14:30;;\r\n";
        var job = await admin.UploadAsync("activities", Turkish.GetBytes(csv), "aktiviteler.csv");
        Assert.Contains(job.GetProperty("fields").EnumerateArray(), f => f.GetProperty("key").GetString() == "subject" && f.GetProperty("isKey").GetBoolean());

        var first = await admin.RunAsync(job, onError: "SkipInvalidRows");

        // The same call twice in the file: the second is refused at its line; the one on another day is another call.
        Assert.Equal(("Imported", 6, 1), (first.GetProperty("status").GetString(), first.Count("createdRows"), first.Count("invalidRows")));
        var repeated = Assert.Single((await admin.ErrorsAsync(first)).GetProperty("items").EnumerateArray());
        Assert.Equal((8, "Konu", "import.key-repeated"), (repeated.GetProperty("line").GetInt32(), repeated.GetProperty("column").GetString(), repeated.GetProperty("code").GetString()));
        Assert.Equal("'Fiyat teklifi araması (Ilgaz Un Sanayi A.Ş., 15.01.2030 14:30)' 2. satırda da var: bir dosyada her kayıt bir kez olur.", repeated.GetProperty("message").GetString());

        // Again: each dated row, and the open one without a date, meets its activity; only the dateless note (logged at the import's time) has no key.
        var again = await admin.RunAsync(await admin.UploadAsync("activities", Turkish.GetBytes(csv), "aktiviteler.csv"), onError: "SkipInvalidRows");
        Assert.Equal(("Imported", 1, 6), (again.GetProperty("status").GetString(), again.Count("createdRows"), again.Count("invalidRows")));
        var errors = (await admin.ErrorsAsync(again)).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(
            [(2, "import.key-exists"), (3, "import.key-exists"), (4, "import.key-exists"), (5, "import.key-exists"), (6, "import.key-exists"), (8, "import.key-repeated")],
            errors.Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("code").GetString())).ToList());
        Assert.All(errors, e => Assert.Equal("Konu", e.GetProperty("column").GetString()));
        Assert.Equal("Fiyat teklifi araması (Ilgaz Un Sanayi A.Ş., 15.01.2030 14:30) aktivitesi zaten var: yeniden içe aktarılan bir dosya onu ikinci kez eklemez.", errors[0].GetProperty("message").GetString());

        // The same activity written otherwise — the account by VKN, the subject in capitals, an ISO date — is the same activity.
        var otherwise = "Konu;Tür;Müşteri;Tarih\r\nFİYAT TEKLİFİ ARAMASI;arama;" + vkn + ";2030-01-15 14:30\r\n";
        var third = await admin.RunAsync(await admin.UploadAsync("activities", Turkish.GetBytes(otherwise), "aktiviteler.csv"), onError: "SkipInvalidRows");
        Assert.Equal((0, 1), (third.Count("createdRows"), third.Count("invalidRows")));

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(7, await db.Activities.CountAsync(Ct)); // six, and the note twice
            Assert.Equal(2, await db.Activities.CountAsync(a => a.AccountId == ilgaz.Id && a.Subject == "Ziyaret notu", Ct));
        }
    }

    [Fact]
    public async Task The_activities_list_exported_and_imported_back_adds_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Geri Aktarım Değirmencilik A.Ş.");
        var admin = org.Admin.Client;
        var ilgaz = await admin.CreateAccountAsync("Ilgaz Un Sanayi A.Ş.");
        var deal = await CreateDealAsync(admin, ilgaz.Id, "Değirmen yenileme");
        var now = DateTimeOffset.UtcNow;
        foreach (var activity in new object[]
        {
            new { kind = "Call", subject = "Fiyat teklifi araması", accountId = ilgaz.Id, opportunityId = (Guid?)deal, dueAt = (DateTimeOffset?)new DateTimeOffset(2030, 1, 15, 11, 30, 0, TimeSpan.Zero) },
            new { kind = "Meeting", subject = "Fabrika ziyareti", accountId = ilgaz.Id, done = true, doneAt = now.AddDays(-2).AddSeconds(-17) },
            new { kind = "Task", subject = "Sözleşme taslağını gönder", accountId = ilgaz.Id },
            new { kind = "Note", subject = "Ziyaret notu", accountId = ilgaz.Id, notes = "Bir ay sonra tekrar uğra" },
        })
        {
            await (await admin.PostAsJsonAsync("/api/v1/activities", activity, Ct)).EnsureSuccessAsync();
        }

        var file = await admin.GetByteArrayAsync("/api/v1/activities/export?format=csv", Ct);
        var job = await admin.UploadAsync("activities", file, "aktiviteler.csv");
        Assert.Contains("doneDate", job.Fields());
        var done = await admin.RunAsync(job, onError: "SkipInvalidRows");

        Assert.Equal(("Imported", 0, 4), (done.GetProperty("status").GetString(), done.Count("createdRows"), done.Count("invalidRows")));
        Assert.All((await admin.ErrorsAsync(done)).GetProperty("items").EnumerateArray(), e => Assert.Equal("import.key-exists", e.GetProperty("code").GetString()));
    }
}
