using Kazan.Features.Exports;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Import;

/// <summary>A column of the file and the field it goes to (null: left out).</summary>
public sealed record ImportColumnResponse(string Header, string? Field);

/// <summary>A field a column can go to, with its name in the caller's language.</summary>
public sealed record ImportFieldResponse(string Key, string Label, bool Required, bool IsKey);

/// <summary>
/// An import: the file, its mapping and how its last run went. While a run goes on, the counts are live and
/// <c>rowsPerSecond</c> and <c>secondsLeft</c> give its pace.
/// </summary>
public sealed record ImportResponse(
    Guid Id, ImportTarget Target, string FileName, long FileBytes, ImportFormat Format, string? Encoding, string? Delimiter,
    string NumberFormat, IReadOnlyList<ImportColumnResponse> Columns, IReadOnlyList<ImportFieldResponse> Fields,
    ImportMode Mode, ImportErrorPolicy OnError, ImportStatus Status, bool DryRun,
    int? TotalRows, int ProcessedRows, int InvalidRows, int CreatedRows, int UpdatedRows, int? RowsPerSecond, int? SecondsLeft,
    string? Message, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int Version);

/// <summary>A failing row's problem: its line in the file (the header is line 1), the column and why.</summary>
public sealed record ImportErrorResponse(int Line, string? Column, string Message, string? Code);

public sealed record ImportErrorsResponse(int Total, IReadOnlyList<ImportErrorResponse> Items);

public static class ImportQueries
{
    public static Task<ImportJob?> GetAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.ImportJobs.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct);

    /// <summary>The organization's latest imports, newest first.</summary>
    public static Task<List<ImportJob>> LatestAsync(KazanDbContext db, int limit, CancellationToken ct) =>
        db.ImportJobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id).Take(limit).ToListAsync(ct);

    public static ImportResponse ToResponse(ImportJob job, ImportProgress progress, IStringLocalizer l)
    {
        var live = job.Status == ImportStatus.Running ? progress.Of(job.Id) : null;
        var counts = live?.Counts ?? new ImportCounts(job.ProcessedRows, job.InvalidRows, job.CreatedRows, job.UpdatedRows);
        return new ImportResponse(
            job.Id, job.Target, job.FileName, job.FileBytes, job.Format, job.Encoding, job.Delimiter, job.NumberFormat,
            job.ColumnList.Zip(job.MappingList, (h, f) => new ImportColumnResponse(h, f)).ToList(),
            ImportFields.Of(job.Target).Select(f => new ImportFieldResponse(f.Key, Label(l, job.Target, f.Key), f.Required, f.IsKey)).ToList(),
            job.Mode, job.OnError, job.Status, job.DryRun, job.TotalRows,
            counts.Processed, counts.Invalid, counts.Created, counts.Updated,
            live is null ? null : (int)live.RowsPerSecond, live?.SecondsLeft,
            job.Message, job.CreatedAt, job.StartedAt, job.FinishedAt, job.Version);
    }

    /// <summary>A field's name in the reader's language.</summary>
    public static string Label(IStringLocalizer l, ImportTarget target, string field) => l[$"Import.Field.{target}.{field}"].Value;

    public static async Task<ImportErrorsResponse> ErrorsAsync(KazanDbContext db, Guid id, int limit, CancellationToken ct)
    {
        var errors = db.ImportRowErrors.AsNoTracking().Where(e => e.JobId == id);
        var items = await errors.OrderBy(e => e.Line).ThenBy(e => e.Id).Take(limit)
            .Select(e => new ImportErrorResponse(e.Line, e.Column, e.Message, e.Code)).ToListAsync(ct);
        return new ImportErrorsResponse(await errors.CountAsync(ct), items);
    }

    /// <summary>
    /// The error file: the failing rows as they are in the file (every column, the header first) with a last column
    /// saying what is wrong, to fix and import again. Rows are read from the uploaded file, never served from it raw.
    /// </summary>
    public static async Task<TableDownload> ErrorFileAsync(KazanDbContext db, ImportJob job, ImportLimits limits, string? format, IStringLocalizer l, CancellationToken ct)
    {
        var errors = (await db.ImportRowErrors.AsNoTracking().Where(e => e.JobId == job.Id).OrderBy(e => e.Line).ThenBy(e => e.Id)
            .Select(e => new { e.Line, e.Column, e.Message }).ToListAsync(ct))
            .GroupBy(e => e.Line)
            .ToDictionary(g => g.Key, g => string.Join("; ", g.Select(e => e.Column is null ? e.Message : $"{e.Column}: {e.Message}")));
        var (header, lines) = ImportFile.Open(Path.Combine(limits.Folder, job.StoredName), job.Format, job.Encoding, job.Delimiter, limits);
        var xlsx = format == "xlsx";
        var name = Path.GetFileNameWithoutExtension(job.FileName);
        var headers = header.Append(l["Import.ErrorColumn"].Value).ToList();
        return new TableDownload($"{name}-{l["Import.ErrorsFileSuffix"].Value}.{(xlsx ? "xlsx" : "csv")}", xlsx, "Errors", headers, _ => Rows(lines, errors));
    }

    private static async IAsyncEnumerable<object?[]> Rows(IEnumerable<ImportLine> lines, Dictionary<int, string> errors)
    {
        await Task.CompletedTask;
        foreach (var line in lines)
        {
            if (errors.TryGetValue(line.Line, out var message))
            {
                yield return [.. line.Cells, message];
            }
        }
    }
}
