using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Kazan.Bench.Data;
using Kazan.Features.Contacts;
using Kazan.Features.Search;
using Kazan.Infrastructure.Auditing;
using Kazan.Infrastructure.Text;

namespace Kazan.Bench.Scenarios;

public sealed partial class Runner
{
    /// <summary>"import" to run the import scenario alone.</summary>
    public string? Only { get; init; }

    /// <summary>Contacts in the import scenario's file; by default 10 000 at tier S and 1 000 000 above.</summary>
    public int? ImportRows { get; init; }

    /// <summary>
    /// 9. Import contacts from a Turkish CSV (semicolons, UTF-8) into the main organization through the API — upload,
    /// the suggested mapping, a dry run, then the import — and the rows per second of each, from the job's own start and
    /// end. Baseline in the same run: the bench's bulk loader (prepared INSERTs / binary COPY) writing the same rows the
    /// import writes — each contact, its search words and its audit entry — into the same database, rolled back. The
    /// imported contacts are deleted afterwards, so the data stays as generated for the next run.
    /// </summary>
    private async Task ImportContactsAsync(HttpClient main, AppProcess app, OrganizationInfo org)
    {
        var count = ImportRows ?? (manifest.Tier == "S" ? 10_000 : 1_000_000);
        var accounts = await _sql.ImportAccountsAsync(org.Id, 1_000, _ct);
        if (accounts.Count == 0)
        {
            Checks.Add(new Check("Import contacts: the organization has accounts with a tax number", false, "none found"));
            return;
        }

        var stamp = DateTime.UtcNow.Ticks.ToString("x", CultureInfo.InvariantCulture);
        var contacts = Enumerable.Range(0, count).Select(i => ImportedContact.Make(i, stamp, accounts[i % accounts.Count])).ToList();
        var file = Path.Combine(outDir, "import-contacts.csv");
        await using (var writer = new StreamWriter(file, false, new UTF8Encoding(false)))
        {
            await writer.WriteLineAsync("Ad;Soyad;E-posta;Telefon;Unvan;Firma VKN");
            foreach (var c in contacts)
            {
                await writer.WriteLineAsync($"{c.First};{c.Last};{c.Email};{c.Phone};{c.Title};{c.Account.TaxNumber}");
            }
        }

        var peakBefore = app.PeakMemoryMiB();
        var upload = Stopwatch.StartNew();
        JsonElement job;
        await using (var body = File.OpenRead(file))
        {
            using var content = new StreamContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
            using var response = await main.PostAsync(new Uri("/api/v1/imports?target=contacts&fileName=import-contacts.csv", UriKind.Relative), content, _ct);
            job = await ExpectAsync(response, HttpStatusCode.Created);
        }

        var uploadSeconds = upload.Elapsed.TotalSeconds;
        var id = job.GetProperty("id").GetGuid();
        var mapped = job.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("field").GetString()).ToList();
        Checks.Add(new Check("Import contacts: the Turkish headers are mapped by themselves",
            mapped.SequenceEqual(["firstName", "lastName", "email", "phone", "title", "account"]), string.Join(", ", mapped)));

        var dry = await RunImportAsync(main, id, "dry-run", "Checked");
        var run = await RunImportAsync(main, id, "run", "Imported");
        var peakAfter = app.PeakMemoryMiB();
        var created = run.Job.GetProperty("createdRows").GetInt32();
        Checks.Add(new Check("Import contacts: every row is created", created == count && run.Job.GetProperty("invalidRows").GetInt32() == 0,
            string.Create(CultureInfo.InvariantCulture, $"{created:N0} of {count:N0} created, status {run.Job.GetProperty("status").GetString()}")));
        var removed = await _sql.DeleteImportedContactsAsync(org.Id, "@" + ImportedContact.Domain(stamp), _ct);

        // The baseline: the same rows, each written as it is stored, by the bulk loader in one transaction, then undone.
        var baseline = Stopwatch.StartNew();
        await using (var bulk = await BulkWriter.OpenAsync(provider, manifest.ConnectionString, _ct, live: true))
        {
            var contactRows = bulk.For<Contact>("Id", "OrganizationId", "OwnerId", "AccountId", "FirstName", "LastName", "NameKey", "Title", "Email",
                "Phone", "IsArchived", "CreatedAt", "Version");
            var words = bulk.For<SearchEntry>("OrganizationId", "OwnerId", "EntityType", "EntityId", "Term");
            var audit = bulk.For<AuditEntry>("Id", "OrganizationId", "UserId", "At", "EntityType", "EntityId", "Action", "Changes");
            var now = DateTimeOffset.UtcNow;
            foreach (var c in contacts)
            {
                var contactId = Guid.CreateVersion7();
                var nameKey = TurkishText.Fold($"{c.Last} {c.First}");
                await contactRows.AddAsync(_ct, contactId, org.Id, c.Account.OwnerId, c.Account.Id, c.First, c.Last, nameKey, c.Title, c.Email, c.Phone, false, now, 0);
                foreach (var term in TurkishText.Words(c.First, c.Last, c.Email, c.Phone).Distinct())
                {
                    await words.AddAsync(_ct, org.Id, c.Account.OwnerId, nameof(Contact), contactId, term);
                }

                var changes = JsonSerializer.Serialize(new Dictionary<string, object?[]>
                {
                    ["Id"] = [null, contactId],
                    ["OrganizationId"] = [null, org.Id],
                    ["OwnerId"] = [null, c.Account.OwnerId],
                    ["AccountId"] = [null, c.Account.Id],
                    ["FirstName"] = [null, c.First],
                    ["LastName"] = [null, c.Last],
                    ["Title"] = [null, c.Title],
                    ["Email"] = [null, c.Email],
                    ["Phone"] = [null, c.Phone],
                    ["IsArchived"] = [null, false],
                    ["CreatedAt"] = [null, now],
                });
                await audit.AddAsync(_ct, Guid.CreateVersion7(), org.Id, org.AdminId, now, nameof(Contact), contactId.ToString(), AuditAction.Insert, changes);
            }

            await bulk.FlushAndUndoAsync(_ct);
        }

        var baselineSeconds = baseline.Elapsed.TotalSeconds;
        var appRate = count / run.Seconds;
        var baseRate = count / baselineSeconds;
        var goal = provider == Kazan.Infrastructure.Data.DatabaseProvider.Sqlite ? 50_000 : 100_000;
        Rows.Add(new ResultRow(string.Create(CultureInfo.InvariantCulture, $"Import contacts CSV ({count:N0} rows: upload, dry run, import)"), null, null,
            string.Create(CultureInfo.InvariantCulture,
                $"import {run.Seconds:N1} s = {appRate:N0} rows/s; dry run {count / dry.Seconds:N0} rows/s; upload {uploadSeconds:N1} s; app peak RSS {peakBefore:N0} → {peakAfter:N0} MiB"),
            string.Create(CultureInfo.InvariantCulture, $"bulk loader, same rows: {baselineSeconds:N1} s = {baseRate:N0} rows/s"),
            string.Create(CultureInfo.InvariantCulture, $"≥ {goal:N0} rows/s at 1M rows, peak < 500 MiB"),
            appRate >= goal && peakAfter < 500 ? "met" : "missed",
            string.Create(CultureInfo.InvariantCulture, $"{baselineSeconds / run.Seconds:P0} of the baseline's rate; {removed:N0} imported contacts removed after")));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  Import contacts: {count:N0} rows, import {run.Seconds:N1} s ({appRate:N0} rows/s), dry run {dry.Seconds:N1} s, upload {uploadSeconds:N1} s, baseline {baselineSeconds:N1} s ({baseRate:N0} rows/s), peak RSS {peakBefore:N0} → {peakAfter:N0} MiB"));
        File.Delete(file);
    }

    /// <summary>Starts a dry run or the import and waits for its end; its seconds are the job's own, start to finish.</summary>
    private async Task<(JsonElement Job, double Seconds)> RunImportAsync(HttpClient client, Guid id, string verb, string expected)
    {
        using (var content = JsonContent.Create(new { onError = "stopOnFirstError" }))
        using (var start = await client.PostAsync(new Uri($"/api/v1/imports/{id}/{verb}", UriKind.Relative), content, _ct))
        {
            await ExpectAsync(start, HttpStatusCode.OK);
        }

        var watch = Stopwatch.StartNew();
        while (true)
        {
            await Task.Delay(250, _ct);
            using var response = await client.GetAsync(new Uri($"/api/v1/imports/{id}", UriKind.Relative), _ct);
            var job = await ExpectAsync(response, HttpStatusCode.OK);
            var status = job.GetProperty("status").GetString();
            if (status is "Queued" or "Running")
            {
                if (watch.Elapsed > TimeSpan.FromHours(2))
                {
                    throw new TimeoutException($"Import {verb} still {status} after {watch.Elapsed}.");
                }

                continue;
            }

            if (status != expected)
            {
                throw new InvalidOperationException($"Import {verb} ended {status}: {job.GetProperty("message")}");
            }

            var seconds = (job.GetProperty("finishedAt").GetDateTimeOffset() - job.GetProperty("startedAt").GetDateTimeOffset()).TotalSeconds;
            return (job, Math.Max(seconds, 0.001));
        }
    }

    private async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync(_ct);
        if (response.StatusCode != status)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>One contact of the generated file: a Turkish name, a unique e-mail of this run, and an account named by its VKN.</summary>
    private sealed record ImportedContact(string First, string Last, string Email, string Phone, string Title, ImportAccount Account)
    {
        private static readonly string[] Firsts = ["Ayşe", "Gülşen", "Çağrı", "İsmail", "Şükrü", "Öznur", "Ümit", "Barış", "Ilgın", "Doğan"];
        private static readonly string[] Lasts = ["Öztürk", "Şahin", "Yıldız", "Çelik", "Güneş", "Işık", "Ağaoğlu", "Erdoğdu", "Kılıç", "Aydın"];
        private static readonly string[] Titles = ["Satın Alma Müdürü", "Genel Müdür", "Muhasebe", "Üretim Şefi", "İK Uzmanı"];

        public static string Domain(string stamp) => $"import-{stamp}.bench.example";

        public static ImportedContact Make(int i, string stamp, ImportAccount account) => new(
            Firsts[i % Firsts.Length], Lasts[i / Firsts.Length % Lasts.Length], $"kisi{i}@{Domain(stamp)}",
            string.Create(CultureInfo.InvariantCulture, $"+90 5{i % 100:00} {i % 1000:000} {i % 10000:0000}"), Titles[i % Titles.Length], account);
    }
}
