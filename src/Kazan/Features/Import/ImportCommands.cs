using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Import;

/// <summary>How the columns of a file go to fields, and how its rows meet existing records.</summary>
public interface IImportMappingFields
{
    /// <summary>One entry per column of the file: the field it goes to, or null to leave the column out.</summary>
    IReadOnlyList<string?> Columns { get; }

    ImportMode Mode { get; }

    /// <summary>"tr" (1.234,56) or "en" (1,234.56).</summary>
    string NumberFormat { get; }
}

/// <summary>A row of the preview: its line, the action it would take, its values by field as read, and its problems.</summary>
public sealed record ImportPreviewRow(int Line, string? Action, IReadOnlyDictionary<string, string?> Values, IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// The import use cases (managers and admins), one function each, for the API and the import pages: upload a file,
/// map its columns, preview the first rows, start a dry run or the import, cancel, delete.
/// </summary>
public static class ImportCommands
{
    private const string What = "Import";

    /// <summary>Rows the preview shows.</summary>
    public const int PreviewRows = 20;

    /// <summary>
    /// Keeps an uploaded file and reads it through once: the format from its bytes, the encoding and delimiter of a
    /// CSV (unless given), its header and row count, all within the limits. The columns get their suggested fields
    /// (what the organization mapped these headers to before, else Turkish and English header names). A file that
    /// cannot be imported is refused with its reason and not kept.
    /// </summary>
    public static Task<Outcome<ImportJob>> UploadAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, ImportLimits limits, ImportTarget target, string? fileName,
        Stream body, string? encoding, string? delimiter, string culture, CancellationToken ct) =>
        UseCase.RunAsync<ImportJob>(db, async () =>
        {
            if (encoding is not null && !ImportFile.IsKnownEncoding(encoding))
            {
                return Outcome.Invalid("encoding", "encoding is utf-8 or windows-1254.", "import.encoding");
            }

            if (delimiter is not null && !ImportFile.IsKnownDelimiter(delimiter))
            {
                return Outcome.Invalid("delimiter", "delimiter is one of , ; | or a tab.", "import.delimiter");
            }

            var upload = Path.Combine(limits.Folder, $"{Guid.NewGuid():N}.upload");
            try
            {
                var bytes = await ImportFile.SaveAsync(body, upload, limits.MaxFileBytes, ct);
                var format = ImportFile.Sniff(upload);
                var job = new ImportJob(me.RequiredOrganizationId, me.RequiredUserId, target, Path.GetFileName(fileName ?? "") is { Length: > 0 } name ? name : "import", bytes, format, clock.GetUtcNow());
                if (format == ImportFormat.Csv)
                {
                    encoding ??= ImportFile.DetectEncoding(upload);
                    delimiter ??= ImportFile.DetectDelimiter(upload, encoding).ToString();
                }
                else
                {
                    encoding = delimiter = null;
                }

                var (header, rows) = ImportFile.Open(upload, format, encoding, delimiter, limits);
                var count = rows.Count();
                job.Read(header, encoding, delimiter, count);
                var remembered = await db.ImportMappings.Where(m => m.Target == target).ToDictionaryAsync(m => m.HeaderKey, m => m.Field, ct);
                var numbers = delimiter == ";" || encoding == ImportFile.Turkish ? "tr" : delimiter == "," ? "en" : culture;
                job.Map(ImportFields.Suggest(target, header, remembered), ImportMode.Create, numbers);
                File.Move(upload, Path.Combine(limits.Folder, job.StoredName));
                db.ImportJobs.Add(job);
                await db.SaveChangesAsync(ct);
                return job;
            }
            catch (ImportFileException e)
            {
                return Outcome.Broken(e.ToRule());
            }
            finally
            {
                File.Delete(upload);
            }
        });

    /// <summary>
    /// Sets the mapping: one field per column at most, every field the target needs for a new record (for the modes
    /// that create), the key field for the modes that match. The headers mapped are remembered for the next file.
    /// </summary>
    public static Task<Outcome<ImportJob>> MapAsync(KazanDbContext db, Guid id, int version, IImportMappingFields fields, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async job =>
        {
            if (Check(job, fields) is { } invalid)
            {
                return invalid;
            }

            job.Map(fields.Columns.Select(c => string.IsNullOrWhiteSpace(c) ? null : c).ToList(), fields.Mode, fields.NumberFormat);
            await RememberAsync(db, job, ct);
            return null;
        }, ct);

    /// <summary>Queues a dry run (nothing is written) or the import; the worker takes it as soon as no other import runs.</summary>
    public static async Task<Outcome<ImportJob>> StartAsync(
        KazanDbContext db, ImportSchedule schedule, Guid id, int? version, bool dryRun, ImportErrorPolicy onError, string culture, CancellationToken ct)
    {
        var outcome = await UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async job =>
        {
            if (await db.ImportJobs.AnyAsync(j => j.Id != id && (j.Status == ImportStatus.Queued || j.Status == ImportStatus.Running), ct))
            {
                return Outcome.Broken("Another import of the organization is running: wait for it to finish.", "import.another-running");
            }

            job.Queue(dryRun, onError, culture);
            await db.ImportRowErrors.Where(e => e.JobId == id).ExecuteDeleteAsync(ct);
            return null;
        }, ct);
        if (outcome.IsOk)
        {
            schedule.Add(id);
        }

        return outcome;
    }

    /// <summary>Stops a run: a queued one at once, a running one at its next batch (its transaction rolls back, nothing is written).</summary>
    public static async Task<Outcome<ImportJob>> CancelAsync(KazanDbContext db, ImportProgress progress, TimeProvider clock, Guid id, CancellationToken ct)
    {
        var job = await Load(db, id, ct);
        if (job is null)
        {
            return Outcome.NotFound(What);
        }

        if (job.Status == ImportStatus.Running && progress.Cancel(id))
        {
            return job;
        }

        return await UseCase.ChangeAsync(db, () => Task.FromResult<ImportJob?>(job), What, null, j => j.CancelQueued(clock.GetUtcNow()), ct);
    }

    /// <summary>Deletes a job that is not running, with its errors and its file.</summary>
    public static Task<Outcome<ImportJob>> DeleteAsync(KazanDbContext db, ImportLimits limits, Guid id, CancellationToken ct) =>
        UseCase.RunAsync<ImportJob>(db, async () =>
        {
            var job = await Load(db, id, ct);
            if (job is null)
            {
                return Outcome.NotFound(What);
            }

            if (job.IsBusy)
            {
                return Outcome.Broken("The import is running: cancel it first.", "import.busy");
            }

            db.ImportJobs.Remove(job);
            await db.SaveChangesAsync(ct);
            File.Delete(Path.Combine(limits.Folder, job.StoredName));
            return job;
        });

    /// <summary>
    /// The first rows as they would be saved: each checked by the same rules as the import (records found by key,
    /// accounts and owners looked up), nothing written.
    /// </summary>
    public static async Task<Outcome<IReadOnlyList<ImportPreviewRow>>> PreviewAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, ImportLimits limits, IStringLocalizer l, Guid id, CancellationToken ct)
    {
        var job = await Load(db, id, ct);
        if (job is null)
        {
            return Outcome.NotFound(What);
        }

        try
        {
            var (header, lines) = ImportFile.Open(Path.Combine(limits.Folder, job.StoredName), job.Format, job.Encoding, job.Delimiter, limits);
            var mapping = new ImportMapping(header, job.MappingList, job.NumberFormat);
            var rows = lines.Take(PreviewRows).Select(line => new ImportRow(line, mapping, l)).ToList();
            var baseCurrency = await db.Organizations.Select(o => o.BaseCurrency).FirstAsync(ct);
            var users = await UsersByEmailAsync(db, ct);
            var rules = ImportRules.For(job.Target, new ImportContext(db, me, clock.GetUtcNow(), job.Mode, l, users, baseCurrency, ImportContext.MatchesOnExternalId(job.MappingList)));
            await rules.ApplyAsync(rows, ct);
            db.ChangeTracker.Clear();
            return rows.Select(r => new ImportPreviewRow(
                r.Line, r.Failed ? null : r.Action,
                mapping.ColumnOf.Keys.ToDictionary(f => f, r.Show),
                r.Problems)).ToList();
        }
        catch (ImportFileException e)
        {
            return Outcome.Broken(e.ToRule());
        }
    }

    /// <summary>The organization's active users by e-mail (upper case), for the owner column.</summary>
    public static async Task<IReadOnlyDictionary<string, Guid>> UsersByEmailAsync(KazanDbContext db, CancellationToken ct) =>
        (await db.Users.Where(u => u.IsActive && u.Email != null).Select(u => new { u.Email, u.Id }).ToListAsync(ct))
            .ToDictionary(u => u.Email!.ToUpperInvariant(), u => u.Id);

    private static Failure? Check(ImportJob job, IImportMappingFields fields)
    {
        var known = ImportFields.Of(job.Target);
        if (fields.Columns.Count != job.ColumnList.Count)
        {
            return Outcome.Invalid("columns", $"The file has {job.ColumnList.Count} columns: give one field (or null) for each.", "import.columns-count");
        }

        if (fields.NumberFormat is not ("tr" or "en"))
        {
            return Outcome.Invalid("numberFormat", "numberFormat is tr (1.234,56) or en (1,234.56).", "import.number-format");
        }

        var mapped = fields.Columns.Where(c => !string.IsNullOrWhiteSpace(c)).ToList();
        if (mapped.FirstOrDefault(c => known.All(f => f.Key != c)) is { } unknown)
        {
            return Outcome.Invalid("columns", $"'{unknown}' is not a field of {job.Target}: {string.Join(", ", known.Select(f => f.Key))}.", "import.field-unknown");
        }

        if (mapped.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return Outcome.Invalid("columns", $"Two columns go to '{twice.Key}': a field takes one column.", "import.field-twice");
        }

        var byExternalId = ImportContext.MatchesOnExternalId(mapped);
        if (!ImportFields.ModesOf(job.Target, mapped).Contains(fields.Mode))
        {
            return Outcome.Invalid(
                "mode",
                job.Target == ImportTarget.Opportunities
                    ? "Deals are updated only when matched on their external id: map a column to externalId, or use the mode Create."
                    : $"{job.Target} are imported as new records only: the mode is Create.",
                "import.create-only");
        }

        if (fields.Mode != ImportMode.Update && known.FirstOrDefault(f => f.Required && !mapped.Contains(f.Key)) is { } missing)
        {
            return Outcome.Invalid("columns", $"New records need the field '{missing.Key}': map a column to it.", "import.field-missing");
        }

        if (job.Target == ImportTarget.Contacts && fields.Mode != ImportMode.Update && !mapped.Any(c => c is "firstName" or "lastName" or "fullName"))
        {
            return Outcome.Invalid("columns", "New contacts need a name: map a column to firstName, lastName or fullName.", "import.field-missing");
        }

        // Deals and activities are created only unless matched on the external id: their own key never needs mapping (it
        // only refuses a record twice). Matched on the external id, its column is the key.
        var key = byExternalId ? ExternalIds.Field : known.FirstOrDefault(f => f.IsKey)?.Key;
        return fields.Mode != ImportMode.Create && key is not null && !mapped.Contains(key)
            ? Outcome.Invalid("columns", $"Matching rows to records needs the key field '{key}': map a column to it.", "import.key-unmapped")
            : null;
    }

    /// <summary>Remembers each mapped header's field for the organization's next file of the same kind.</summary>
    private static async Task RememberAsync(KazanDbContext db, ImportJob job, CancellationToken ct)
    {
        var pairs = job.ColumnList.Zip(job.MappingList)
            .Where(p => p.Second is not null && ImportFields.HeaderKey(p.First).Length > 0)
            .GroupBy(p => ImportFields.HeaderKey(p.First)).ToDictionary(g => g.Key, g => g.First().Second!);
        var keys = pairs.Keys.ToList();
        var known = await db.ImportMappings.Where(m => m.Target == job.Target && keys.Contains(m.HeaderKey)).ToListAsync(ct);
        foreach (var (key, field) in pairs)
        {
            if (known.FirstOrDefault(m => m.HeaderKey == key) is { } memory)
            {
                memory.Field = field;
            }
            else
            {
                db.ImportMappings.Add(new ImportMappingMemory(job.OrganizationId, job.Target, key, field));
            }
        }
    }

    private static Task<ImportJob?> Load(KazanDbContext db, Guid id, CancellationToken ct) => db.ImportJobs.FirstOrDefaultAsync(j => j.Id == id, ct);
}
