using System.Globalization;
using System.IO.Compression;
using System.Text;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Kazan.Features.Import;

/// <summary>A file that cannot be imported as it is, with a stable code and its English explanation (the UI translates the code).</summary>
public sealed class ImportFileException(string message, string code, int? line = null, params object?[] arguments) : Exception(message)
{
    public string Code { get; } = code;

    public int? Line { get; } = line;

    /// <summary>The same as a rule (code, arguments, line), for the outcome and for <c>RuleMessages</c> in the user's language.</summary>
    public Infrastructure.Errors.DomainRuleException ToRule() => new(Message, Code, arguments) { Line = Line };
}

/// <summary>A row of the file: its line (the header is line 1; for a CSV, the line a row starts on) and its cells.</summary>
public sealed record ImportLine(int Line, object?[] Cells);

/// <summary>The limits an uploaded file must keep (configurable under <c>Kazan:Import</c>).</summary>
public sealed class ImportLimits(Microsoft.Extensions.Configuration.IConfiguration config)
{
    public long MaxFileBytes { get; } = config.GetValue("Kazan:Import:MaxFileBytes", 256L * 1024 * 1024);

    public int MaxRows { get; } = config.GetValue("Kazan:Import:MaxRows", 1_000_000);

    public int MaxColumns { get; } = config.GetValue("Kazan:Import:MaxColumns", 200);

    /// <summary>What an XLSX may unpack to, counted while unpacking (a zip's own declared sizes can lie).</summary>
    public long MaxUnpackedBytes { get; } = config.GetValue("Kazan:Import:MaxUnpackedBytes", 2L * 1024 * 1024 * 1024);

    /// <summary>The longest cell; a longer one is most often a quote that never closes.</summary>
    public int MaxCellChars { get; } = config.GetValue("Kazan:Import:MaxCellChars", 32_000);

    /// <summary>Where uploaded files are kept (under the data folder), named after their job.</summary>
    public string Folder { get; } = Path.GetFullPath(Path.Combine(config.GetValue("Kazan:DataDirectory", "data")!, "imports"));
}

/// <summary>
/// Reads an uploaded file — CSV (any of <c>, ; tab |</c>, UTF-8 with or without BOM, or Windows-1254 as Turkish Excel
/// saves it) or XLSX (first sheet) — as a header and rows. The format is told by the bytes, not the name. Sep parses
/// CSV and MiniExcel XLSX; this class only chooses how, and keeps the limits.
/// </summary>
public static class ImportFile
{
    public const string Utf8 = "utf-8";
    public const string Turkish = "windows-1254";

    private static readonly char[] Delimiters = [';', ',', '\t', '|'];

    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Saves an upload under <paramref name="path"/>, refusing it as soon as it passes the size limit.</summary>
    public static async Task<long> SaveAsync(Stream upload, string path, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var buffer = new byte[81920];
        long total = 0;
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            int read;
            while ((read = await upload.ReadAsync(buffer, ct)) > 0)
            {
                total += read;
                if (total > maxBytes)
                {
                    throw TooLarge(maxBytes);
                }

                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }

        if (total == 0)
        {
            File.Delete(path);
            throw new ImportFileException("The file is empty.", "import.file-empty");
        }

        return total;
    }

    public static ImportFileException TooLarge(long maxBytes) =>
        new($"The file is larger than the limit of {maxBytes / (1024 * 1024)} MB.", "import.file-too-large", null, (int)(maxBytes / (1024 * 1024)));

    /// <summary>What the bytes say the file is: an XLSX (a zip), a CSV (text), or neither.</summary>
    public static ImportFormat Sniff(string path)
    {
        var head = new byte[8192];
        int read;
        using (var file = File.OpenRead(path))
        {
            read = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        if (read >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4)
        {
            return ImportFormat.Xlsx;
        }

        // Text has no NUL bytes (UTF-16 files are not accepted: Excel saves CSV as UTF-8 or the ANSI code page).
        if (Array.IndexOf(head, (byte)0, 0, read) >= 0)
        {
            throw new ImportFileException("This is not a CSV or XLSX file.", "import.file-unreadable");
        }

        return ImportFormat.Csv;
    }

    /// <summary>
    /// The encoding of a CSV: UTF-8 when it has the BOM or its bytes are valid UTF-8 throughout, else Windows-1254
    /// (Turkish Excel's "CSV (delimited)"), whose Ç, Ğ, İ, Ö, Ş, Ü are not valid UTF-8 on their own.
    /// </summary>
    public static string DetectEncoding(string path)
    {
        using var file = File.OpenRead(path);
        var strict = new UTF8Encoding(false, true).GetDecoder();
        var bytes = new byte[1 << 16];
        var chars = new char[(1 << 16) + 4];
        int read;
        try
        {
            while ((read = file.Read(bytes)) > 0)
            {
                strict.GetChars(bytes, 0, read, chars, 0, flush: false);
            }

            strict.GetChars([], 0, 0, chars, 0, flush: true);
            return Utf8;
        }
        catch (DecoderFallbackException)
        {
            return Turkish;
        }
    }

    /// <summary>The delimiter of a CSV: the one of <c>; , tab |</c> the header line has most of, outside quotes.</summary>
    public static char DetectDelimiter(string path, string encoding)
    {
        using var reader = new StreamReader(path, EncodingOf(encoding), detectEncodingFromByteOrderMarks: true);
        var counts = new int[Delimiters.Length];
        var quoted = false;
        int c;
        var seen = 0;
        while ((c = reader.Read()) >= 0 && seen++ < 65536)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && (c == '\n' || c == '\r'))
            {
                break;
            }
            else if (!quoted && Array.IndexOf(Delimiters, (char)c) is var i and >= 0)
            {
                counts[i]++;
            }
        }

        var best = 0;
        for (var i = 1; i < counts.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return Delimiters[best];
    }

    public static Encoding EncodingOf(string? name) => name == Turkish ? Encoding.GetEncoding(1254) : new UTF8Encoding(false);

    public static bool IsKnownEncoding(string? name) => name is Utf8 or Turkish;

    public static bool IsKnownDelimiter(string? delimiter) => delimiter is { Length: 1 } && Array.IndexOf(Delimiters, delimiter[0]) >= 0;

    /// <summary>
    /// The header row (line 1) and the rows after it. Empty rows are skipped; a row longer than the header keeps the
    /// header's width (the extra cells have no column to go to), a shorter one is padded with empty cells.
    /// </summary>
    public static (IReadOnlyList<string> Header, IEnumerable<ImportLine> Rows) Open(string path, ImportFormat format, string? encoding, string? delimiter, ImportLimits limits)
    {
        if (!File.Exists(path))
        {
            throw new ImportFileException("The uploaded file is no longer there (the data folder was cleaned?): upload it again.", "import.file-missing");
        }

        var lines = format == ImportFormat.Xlsx ? XlsxLines(path, limits) : CsvLines(path, encoding ?? Utf8, delimiter?[0] ?? ',', limits);
        using var first = lines.GetEnumerator();
        if (!first.MoveNext())
        {
            throw new ImportFileException("The file has no header row.", "import.no-header");
        }

        var header = Header(first.Current.Cells, limits);
        return (header, Rows(path, format, encoding, delimiter, limits, header.Count));
    }

    private static IEnumerable<ImportLine> Rows(string path, ImportFormat format, string? encoding, string? delimiter, ImportLimits limits, int width)
    {
        var lines = format == ImportFormat.Xlsx ? XlsxLines(path, limits) : CsvLines(path, encoding ?? Utf8, delimiter?[0] ?? ',', limits);
        var count = 0;
        foreach (var line in lines.Skip(1))
        {
            if (line.Cells.All(c => c is null || (c is string s && string.IsNullOrWhiteSpace(s))))
            {
                continue;
            }

            if (++count > limits.MaxRows)
            {
                throw new ImportFileException($"The file has more than {limits.MaxRows} rows: split it.", "import.too-many-rows", line.Line, limits.MaxRows);
            }

            var cells = line.Cells;
            if (cells.Length != width)
            {
                Array.Resize(ref cells, width);
            }

            yield return line with { Cells = cells };
        }
    }

    private static List<string> Header(object?[] cells, ImportLimits limits)
    {
        var header = cells.Select(c => Convert.ToString(c, CultureInfo.InvariantCulture)?.Trim() ?? "").ToList();
        while (header.Count > 0 && header[^1].Length == 0)
        {
            header.RemoveAt(header.Count - 1);
        }

        if (header.Count == 0)
        {
            throw new ImportFileException("The first row must name the columns.", "import.no-header");
        }

        if (header.Count > limits.MaxColumns)
        {
            throw new ImportFileException($"The file has {header.Count} columns; at most {limits.MaxColumns} can be imported.", "import.too-many-columns", 1, header.Count, limits.MaxColumns);
        }

        return header;
    }

    private static IEnumerable<ImportLine> CsvLines(string path, string encoding, char delimiter, ImportLimits limits)
    {
        using var text = new StreamReader(path, EncodingOf(encoding), detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        using var reader = new Sep(delimiter).Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true }).From(text);
        foreach (var row in reader)
        {
            // A row of valid CSV has an even number of quotes (an escaped one is doubled); odd means one never closes,
            // and the reader has taken the rest of the file as one cell.
            if (row.Span.Count('"') % 2 == 1)
            {
                throw new ImportFileException($"Line {row.LineNumberFrom}: a quote opens and never closes.", "import.quote-unclosed", row.LineNumberFrom);
            }

            var count = Math.Min(row.ColCount, limits.MaxColumns + 1);
            var cells = new object?[count];
            for (var i = 0; i < count; i++)
            {
                var span = row[i].Span;
                if (span.Length > limits.MaxCellChars)
                {
                    throw new ImportFileException(
                        $"Line {row.LineNumberFrom}: a cell is longer than {limits.MaxCellChars} characters (is a quote never closed?).", "import.cell-too-long", row.LineNumberFrom, limits.MaxCellChars);
                }

                cells[i] = span.Length == 0 ? null : span.ToString();
            }

            yield return new ImportLine(row.LineNumberFrom, cells);
        }
    }

    private static IEnumerable<ImportLine> XlsxLines(string path, ImportLimits limits)
    {
        CheckZip(path, limits);
        IEnumerable<IDictionary<string, object?>> rows;
        try
        {
            rows = MiniExcel.Query(path, useHeaderRow: false, excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>();
        }
        catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or NotSupportedException)
        {
            throw Unreadable();
        }

        using var each = rows.GetEnumerator();
        var line = 0;
        while (true)
        {
            try
            {
                if (!each.MoveNext())
                {
                    yield break;
                }
            }
            catch (Exception e) when (e is InvalidDataException or IOException or System.Xml.XmlException or InvalidOperationException or NotSupportedException or FormatException)
            {
                throw Unreadable();
            }

            line++;
            var cells = each.Current.Values.Take(limits.MaxColumns + 1).Select(Cell).ToArray();
            yield return new ImportLine(line, cells);
        }
    }

    private static object? Cell(object? value) => value switch
    {
        string s when s.Length == 0 => null,
        _ => value,
    };

    /// <summary>
    /// Reads every part of the zip to its end before MiniExcel does, counting what it unpacks to: a zip bomb stops at
    /// the limit, a truncated or damaged file stops here, and either way nothing has been parsed yet.
    /// </summary>
    private static void CheckZip(string path, ImportLimits limits)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            if (zip.Entries.Count > 10_000 || zip.GetEntry("xl/workbook.xml") is null)
            {
                throw Unreadable();
            }

            var buffer = new byte[1 << 16];
            long total = 0;
            foreach (var entry in zip.Entries)
            {
                using var part = entry.Open();
                int read;
                while ((read = part.Read(buffer)) > 0)
                {
                    total += read;
                    if (total > limits.MaxUnpackedBytes)
                    {
                        throw new ImportFileException("The XLSX file unpacks to more than the limit: save it as CSV, or split it.", "import.xlsx-too-large");
                    }
                }
            }
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException)
        {
            throw Unreadable();
        }
    }

    private static ImportFileException Unreadable() => new("The file cannot be read as an XLSX workbook (damaged or not a workbook).", "import.file-unreadable");
}
