using System.Globalization;
using System.Text;
using MiniExcelLibs;

namespace Kazan.Features.Reports;

/// <summary>
/// A report's table as it leaves Kazan — a header row and rows of text, whole numbers and amounts — and its two file
/// forms, the one place every report exports through: CSV (RFC 4180: commas, CRLF, quotes doubled; UTF-8 with a byte
/// order mark so spreadsheet programs read Turkish letters; amounts with a dot and two decimals) and XLSX (amounts as
/// numbers, so they add up in the spreadsheet).
/// </summary>
public sealed record ReportTable(string Name, IReadOnlyList<string> Headers, IReadOnlyList<object[]> Rows)
{
    public byte[] Csv()
    {
        var csv = new StringBuilder();
        foreach (var row in Rows.Prepend([.. Headers]))
        {
            csv.Append(string.Join(',', row.Select(Cell))).Append("\r\n");
        }

        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    public byte[] Xlsx()
    {
        var sheet = Rows.Select(row => Headers.Select((header, i) => (header, value: row[i])).ToDictionary(c => c.header, c => c.value)).ToList();
        using var stream = new MemoryStream();
        MiniExcel.SaveAs(stream, sheet, sheetName: Name, excelType: ExcelType.XLSX);
        return stream.ToArray();
    }

    private static string Cell(object value) => value switch
    {
        decimal amount => amount.ToString("0.00", CultureInfo.InvariantCulture),
        int count => count.ToString(CultureInfo.InvariantCulture),
        _ => Quoted(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private static string Quoted(string text) =>
        text.IndexOfAny([',', '"', '\n', '\r']) >= 0 || text.StartsWith(' ') || text.EndsWith(' ')
            ? $"\"{text.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : text;
}
