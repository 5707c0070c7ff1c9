using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Kazan.Features.Reports;

/// <summary>
/// A report's table as it leaves Kazan — a header row and rows of text, whole numbers and amounts — and its two file
/// forms, written by <see cref="TableFiles"/>, the one place every report and every list export goes through.
/// </summary>
public sealed record ReportTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<object[]> Rows)
{
    public byte[] Csv()
    {
        var csv = new StringBuilder();
        TableFiles.AppendCsvLine(csv, [.. Headers]);
        foreach (var row in Rows)
        {
            TableFiles.AppendCsvLine(csv, row);
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public byte[] Xlsx()
    {
        using var stream = new MemoryStream();
        TableFiles.SaveXlsx(stream, Name, Headers, Rows);
        return stream.ToArray();
    }
}

/// <summary>
/// The two file forms of a table: CSV (RFC 4180: commas, CRLF, quotes doubled; UTF-8 with a byte order mark so
/// spreadsheet programs read Turkish letters; amounts with a dot and at least two decimals; dates yyyy-MM-dd) and XLSX
/// (amounts as numbers, dates as dates, so they add up and sort in the spreadsheet). A text cell a spreadsheet would
/// take for a formula (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return) gets a leading
/// apostrophe in CSV; in XLSX every text cell is a string cell, never a formula. Rows can be streamed: CSV straight to
/// the output, XLSX through a temporary file (MiniExcel writes a sheet from a synchronous enumerable into a zip it
/// seeks in), both holding one batch of rows at a time.
/// </summary>
public static class TableFiles
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private const int FlushAt = 1 << 16;

    /// <summary>True when a spreadsheet would read <paramref name="text"/> as a formula (or a command) if typed in a cell.</summary>
    public static bool LooksLikeFormula(string text) => text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r';

    /// <summary>
    /// A CSV cell as it was before the export's formula guard (an apostrophe before text that <see cref="LooksLikeFormula"/>):
    /// an import reads <c>'+90 212 555 00 00</c> back as <c>+90 212 555 00 00</c>. Other text is left as it is.
    /// </summary>
    public static string Unguarded(string text) => text.Length > 1 && text[0] == '\'' && LooksLikeFormula(text[1..]) ? text[1..] : text;

    public static void AppendCsvLine(StringBuilder csv, IReadOnlyList<object?> row)
    {
        for (var i = 0; i < row.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            AppendCsvCell(csv, row[i]);
        }

        csv.Append("\r\n");
    }

    private static void AppendCsvCell(StringBuilder csv, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case decimal amount:
                csv.Append(amount.ToString("0.00##", CultureInfo.InvariantCulture));
                return;
            case int count:
                csv.Append(count.ToString(CultureInfo.InvariantCulture));
                return;
            case DateOnly day:
                csv.Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                return;
            case DateTime moment:
                csv.Append(moment.ToString(moment.TimeOfDay == TimeSpan.Zero ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                return;
        }

        var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        if (LooksLikeFormula(text))
        {
            text = "'" + text;
        }

        if (text.AsSpan().IndexOfAny([',', '"', '\n', '\r']) >= 0 || text.StartsWith(' ') || text.EndsWith(' '))
        {
            csv.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
        }
        else
        {
            csv.Append(text);
        }
    }

    /// <summary>A cell as the XLSX writer gets it: dates as <see cref="DateTime"/> (a date cell), numbers as numbers, the rest as text.</summary>
    private static object? XlsxCell(object? value) => value switch
    {
        null => null,
        decimal or int or long or double or DateTime => value,
        DateOnly day => day.ToDateTime(TimeOnly.MinValue),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };

    /// <summary>Writes the header row and then each row as it comes, flushing every 64 KiB: memory stays one chunk whatever the row count.</summary>
    public static async Task WriteCsvAsync(Stream output, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        await output.WriteAsync(Encoding.UTF8.GetPreamble(), ct);
        var csv = new StringBuilder(FlushAt + 4096);
        AppendCsvLine(csv, [.. headers]);
        await foreach (var row in rows.WithCancellation(ct))
        {
            AppendCsvLine(csv, row);
            if (csv.Length >= FlushAt)
            {
                await FlushAsync(output, csv, ct);
            }
        }

        await FlushAsync(output, csv, ct);
    }

    private static async Task FlushAsync(Stream output, StringBuilder csv, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(csv.ToString());
        csv.Clear();
        await output.WriteAsync(bytes, ct);
    }

    /// <summary>
    /// The sheet written into a temporary file (deleted when closed) as the rows come, then copied to
    /// <paramref name="output"/>. MiniExcel reads a synchronous enumerable, so the rows' async source is walked blocking
    /// on a pool thread (one batch at a time; the file, not memory, holds the sheet).
    /// </summary>
    public static async Task WriteXlsxAsync(Stream output, string sheetName, IReadOnlyList<string> headers, IAsyncEnumerable<object?[]> rows, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kazan-export-{Guid.NewGuid():N}.xlsx");
        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FlushAt, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await Task.Run(() => SaveXlsx(file, sheetName, headers, rows.ToBlockingEnumerable(ct)), ct);
        file.Position = 0;
        await file.CopyToAsync(output, ct);
    }

    /// <summary>One sheet with a header row; an empty table still has its headers.</summary>
    public static void SaveXlsx(Stream stream, string sheetName, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var keys = UniqueHeaders(headers);
        using var each = rows.GetEnumerator();
        if (!each.MoveNext())
        {
            var empty = new System.Data.DataTable(sheetName) { Locale = CultureInfo.InvariantCulture };
            foreach (var key in keys)
            {
                empty.Columns.Add(key, typeof(string));
            }

            MiniExcel.SaveAs(stream, empty, sheetName: SheetName(sheetName), excelType: ExcelType.XLSX);
            return;
        }

        MiniExcel.SaveAs(stream, Sheet(keys, each), sheetName: SheetName(sheetName), excelType: ExcelType.XLSX);
    }

    private static IEnumerable<Dictionary<string, object?>> Sheet(string[] keys, IEnumerator<IReadOnlyList<object?>> each)
    {
        do
        {
            var row = each.Current;
            var cells = new Dictionary<string, object?>(keys.Length);
            for (var i = 0; i < keys.Length; i++)
            {
                cells[keys[i]] = i < row.Count ? XlsxCell(row[i]) : null;
            }

            yield return cells;
        }
        while (each.MoveNext());
    }

    /// <summary>A sheet's name: at most 31 characters, none of <c>[]:*?/\</c>.</summary>
    private static string SheetName(string name)
    {
        var clean = new string([.. name.Select(c => c is '[' or ']' or ':' or '*' or '?' or '/' or '\\' ? ' ' : c)]).Trim();
        return clean.Length == 0 ? "Sheet1" : clean.Length > 31 ? clean[..31] : clean;
    }

    /// <summary>The headers as sheet columns: two equal headers get a number so neither column is lost.</summary>
    private static string[] UniqueHeaders(IReadOnlyList<string> headers)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var keys = new string[headers.Count];
        for (var i = 0; i < headers.Count; i++)
        {
            var key = headers[i];
            for (var n = 2; !seen.Add(key); n++)
            {
                key = $"{headers[i]} ({n.ToString(CultureInfo.InvariantCulture)})";
            }

            keys[i] = key;
        }

        return keys;
    }
}
