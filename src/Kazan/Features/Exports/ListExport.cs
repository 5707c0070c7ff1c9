using System.Runtime.CompilerServices;
using Kazan.Features.Reports;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Kazan.Features.Exports;

/// <summary>A column of a list export: the resource key of its header and the cell of a row (text, number, amount or date).</summary>
public sealed record ExportColumn<T>(string Header, Func<T, object?> Value);

/// <summary>
/// Every list's export (<c>GET /api/v1/{list}/export?format=csv|xlsx&amp;…the list's filters</c>): the rows the list
/// itself returns for those filters — read through the list's own paged query, a keyset batch at a time, so rep
/// visibility, organization scoping, filters and sort are the list's — written as the batches arrive by
/// <see cref="TableFiles"/>, with headers in the caller's language. Memory holds one batch whatever the row count.
/// </summary>
public static class ListExport
{
    /// <summary>Rows read per query while exporting (one keyset page of the list's query).</summary>
    public const int BatchSize = 1000;

    /// <summary>The export's <c>format</c>: csv (the default) or xlsx; an error added for anything else.</summary>
    public static Dictionary<string, string[]> CheckFormat(string? format, Dictionary<string, string[]>? errors = null)
    {
        errors ??= [];
        if (format is not (null or "csv" or "xlsx"))
        {
            errors["format"] = ["format is csv (the default) or xlsx."];
        }

        return errors;
    }

    /// <summary>
    /// The download of a list: <paramref name="page"/> is the list's paged query (cursor, limit); <paramref name="prepare"/>,
    /// when given, runs once per batch before its rows are written (to look up names the list rows only carry as ids).
    /// </summary>
    public static TableDownload Download<T>(
        string? format, string name, OrganizationTime time, IStringLocalizer l, IReadOnlyList<ExportColumn<T>> columns,
        Func<string?, int, CancellationToken, Task<Page<T>>> page, Func<IReadOnlyList<T>, CancellationToken, Task>? prepare = null)
    {
        var xlsx = format == "xlsx";
        var headers = columns.Select(c => l[c.Header].Value).ToList();
        var fileName = $"{name}-{time.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}.{(xlsx ? "xlsx" : "csv")}";
        return new TableDownload(fileName, xlsx, l["Export.Sheet." + name].Value, headers, ct => RowsAsync(columns, page, prepare, ct));
    }

    private static async IAsyncEnumerable<object?[]> RowsAsync<T>(
        IReadOnlyList<ExportColumn<T>> columns, Func<string?, int, CancellationToken, Task<Page<T>>> page,
        Func<IReadOnlyList<T>, CancellationToken, Task>? prepare, [EnumeratorCancellation] CancellationToken ct)
    {
        string? cursor = null;
        do
        {
            var batch = await page(cursor, BatchSize, ct);
            if (prepare is not null && batch.Items.Count > 0)
            {
                await prepare(batch.Items, ct);
            }

            foreach (var item in batch.Items)
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = columns[i].Value(item);
                }

                yield return row;
            }

            cursor = batch.Next;
        }
        while (cursor is not null);
    }

    /// <summary>A moment as the organization's wall-clock time (an XLSX date cell has no zone).</summary>
    public static DateTime? Local(OrganizationTime time, DateTimeOffset? at) =>
        at is { } moment ? TimeZoneInfo.ConvertTime(moment, time.Zone).DateTime : null;

    /// <summary>The external ids of a batch's records that have one, by id (the lists' rows do not carry them).</summary>
    public static Task<Dictionary<Guid, string>> ExternalIdsAsync<T>(IQueryable<T> records, IEnumerable<Guid> ids, CancellationToken ct)
        where T : class, IHasExternalId
    {
        var wanted = ids.ToList();
        return records.AsNoTracking()
            .Where(r => wanted.Contains(EF.Property<Guid>(r, nameof(IHasExternalId.Id))) && EF.Property<string?>(r, nameof(IHasExternalId.ExternalId)) != null)
            .Select(r => new { Id = EF.Property<Guid>(r, nameof(IHasExternalId.Id)), ExternalId = EF.Property<string>(r, nameof(IHasExternalId.ExternalId)) })
            .ToDictionaryAsync(r => r.Id, r => r.ExternalId, ct);
    }

    /// <summary>The e-mail addresses of a batch's owners, by user id (the lists' rows carry the owner's name only).</summary>
    public static Task<Dictionary<Guid, string?>> OwnerEmailsAsync(KazanDbContext db, IEnumerable<Guid> ownerIds, CancellationToken ct)
    {
        var wanted = ownerIds.Distinct().ToList();
        return db.Users.AsNoTracking().Where(u => wanted.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
    }

    /// <summary>Yes or no in the caller's language.</summary>
    public static string YesNo(IStringLocalizer l, bool value) => l[value ? "Common.Yes" : "Common.No"].Value;
}

/// <summary>
/// A list export answered as a file download: headers (type, <c>Content-Disposition: attachment</c>) first, then the
/// rows streamed into the response body as they are read.
/// </summary>
public sealed class TableDownload(string fileName, bool xlsx, string sheetName, IReadOnlyList<string> headers, Func<CancellationToken, IAsyncEnumerable<object?[]>> rows)
    : IResult, Microsoft.AspNetCore.Http.Metadata.IEndpointMetadataProvider
{
    public string FileName => fileName;

    /// <summary>For the API's description: a 200 answer is a CSV or XLSX file.</summary>
    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new Microsoft.AspNetCore.Http.ProducesResponseTypeMetadata(
            StatusCodes.Status200OK, typeof(byte[]), ["text/csv", TableFiles.XlsxContentType]));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var ct = httpContext.RequestAborted;
        var response = httpContext.Response;
        response.ContentType = xlsx ? TableFiles.XlsxContentType : TableFiles.CsvContentType;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = fileName, FileNameStar = fileName }.ToString();
        response.Headers.CacheControl = "no-store";
        httpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (xlsx)
        {
            await TableFiles.WriteXlsxAsync(response.Body, sheetName, headers, rows(ct), ct);
        }
        else
        {
            await TableFiles.WriteCsvAsync(response.Body, headers, rows(ct), ct);
        }
    }
}
