using System.Globalization;
using Kazan.Features.Reports;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Import;

/// <summary>Why a row failed: the column (its header in the file; null for the row as a whole), the message and its code.</summary>
public sealed record ImportProblem(string? Column, string Message, string? Code);

/// <summary>
/// One row of the file seen through the mapping: its values by field, read as text or numbers the way the file writes
/// them (<c>1.234,56</c> in a Turkish file), and the problems found on it, each at its column.
/// </summary>
public sealed class ImportRow(ImportLine line, ImportMapping mapping, IStringLocalizer l)
{
    public int Line => line.Line;

    public object?[] Cells => line.Cells;

    public List<ImportProblem> Problems { get; } = [];

    public bool Failed => Problems.Count > 0;

    public bool Has(string field) => mapping.ColumnOf.ContainsKey(field);

    /// <summary>The field's text, trimmed; null when the column is not mapped or the cell is empty.</summary>
    public string? Text(string field)
    {
        if (!mapping.ColumnOf.TryGetValue(field, out var column))
        {
            return null;
        }

        var text = line.Cells[column] switch
        {
            null => null,
            string s => TableFiles.Unguarded(s),
            double d => d.ToString("0.############", CultureInfo.InvariantCulture),
            DateTime t => t.TimeOfDay == TimeSpan.Zero ? t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : t.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            var other => other.ToString(),
        };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    /// <summary>What the row does when it is written: "create" or "update" (set by the rules once the row passed).</summary>
    public string? Action { get; set; }

    private bool _keyRead;
    private string? _key;

    /// <summary>The row's key as <paramref name="read"/> finds it, read once: the in-file duplicate check and the batch both ask.</summary>
    public string? Key(Func<ImportRow, string?> read)
    {
        if (!_keyRead)
        {
            _key = read(this);
            _keyRead = true;
        }

        return _key;
    }

    /// <summary>The field as a number: a typed XLSX number as it is, text in the file's number format (currency words dropped). An unreadable one fails the row.</summary>
    public decimal? Number(string field)
    {
        if (Read(field, out var value))
        {
            return value;
        }

        Fail(field, string.Format(CultureInfo.CurrentCulture, l["Import.Error.Number"].Value, Text(field)), "import.number");
        return null;
    }

    /// <summary>
    /// The field as a date: a typed XLSX date as it is; text in ISO (<c>2026-12-31</c>) or the way the file's language
    /// writes dates (<c>31.12.2026</c>, <c>31/12/2026</c> in a Turkish file; <c>12/31/2026</c>, <c>31 Dec 2026</c> in an
    /// English one), read by <see cref="DateText"/>. An unreadable or impossible one fails the row.
    /// </summary>
    public DateOnly? Date(string field)
    {
        if (ReadDate(field, out var value))
        {
            return value;
        }

        Fail(field, string.Format(CultureInfo.CurrentCulture, l["Import.Error.Date"].Value, Text(field)), "import.date");
        return null;
    }

    /// <summary>
    /// The field as a day with an optional time of day: a typed XLSX date (its time when it has one), or text read like
    /// <see cref="Date"/> with an optional trailing time (<c>15.01.2027 14:30</c>, <c>2027-01-15 9:00</c>). An unreadable
    /// or impossible one fails the row.
    /// </summary>
    public (DateOnly? Day, TimeOnly? Time) Moment(string field)
    {
        if (mapping.ColumnOf.TryGetValue(field, out var column) && line.Cells[column] is DateTime typed)
        {
            return (DateOnly.FromDateTime(typed), typed.TimeOfDay == TimeSpan.Zero ? null : TimeOnly.FromTimeSpan(typed.TimeOfDay));
        }

        if (Text(field) is not { } text)
        {
            return (null, null);
        }

        var cut = text.LastIndexOf(' ');
        if (cut > 0 && ReadTime(text[(cut + 1)..]) is { } time && DateText.ParseLink(text[..cut].Trim(), mapping.Dates) is { Ok: true } withTime)
        {
            return (withTime.Value, time);
        }

        return (Date(field), null);
    }

    /// <summary>The field as a time of day: <c>14:30</c>, <c>9.00</c>, <c>2:30 PM</c>, or a typed XLSX time. An unreadable one fails the row.</summary>
    public TimeOnly? Time(string field)
    {
        if (!mapping.ColumnOf.TryGetValue(field, out var column))
        {
            return null;
        }

        switch (line.Cells[column])
        {
            case DateTime typed:
                return TimeOnly.FromTimeSpan(typed.TimeOfDay);
            case double fraction when fraction is >= 0 and < 1:
                return TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(Math.Round(fraction * 24 * 60)));
        }

        if (Text(field) is not { } text)
        {
            return null;
        }

        if (ReadTime(text) is { } time)
        {
            return time;
        }

        Fail(field, string.Format(CultureInfo.CurrentCulture, l["Import.Error.Time"].Value, text), "import.time");
        return null;
    }

    private static readonly string[] TimeFormats = ["H:mm", "HH:mm", "H.mm", "HH.mm", "H:mm:ss", "HH:mm:ss", "h:mm tt", "h:mmtt", "h tt"];

    private static TimeOnly? ReadTime(string text) =>
        TimeOnly.TryParseExact(text.Trim().ToUpperInvariant(), TimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;

    /// <summary>The field as the preview shows it: numbers and dates as read (in the reader's language), text as it will be saved.</summary>
    public string? Show(string field) =>
        ImportFields.IsNumber(field) && Read(field, out var value) && value is { } number ? number.ToString("#,##0.####", CultureInfo.CurrentCulture)
        : ImportFields.IsDate(field) && ReadDate(field, out var date) && date is { } day ? DateText.Format(day)
        : Text(field);

    private bool ReadDate(string field, out DateOnly? value)
    {
        value = null;
        if (!mapping.ColumnOf.TryGetValue(field, out var column) || line.Cells[column] is null)
        {
            return true;
        }

        if (line.Cells[column] is DateTime typed)
        {
            value = DateOnly.FromDateTime(typed);
            return true;
        }

        if (Text(field) is not { } text)
        {
            return true;
        }

        var read = DateText.ParseLink(text, mapping.Dates);
        value = read.Value;
        return read.Ok;
    }

    private bool Read(string field, out decimal? value)
    {
        value = null;
        if (!mapping.ColumnOf.TryGetValue(field, out var column) || line.Cells[column] is null)
        {
            return true;
        }

        if (line.Cells[column] is double d)
        {
            if (!double.IsFinite(d) || Math.Abs(d) >= 1e15)
            {
                return false;
            }

            value = Math.Round((decimal)d, 4);
            return true;
        }

        if (Text(field) is not { } text)
        {
            return true;
        }

        var bare = text.Replace("₺", "", StringComparison.Ordinal).Replace("TL", "", StringComparison.OrdinalIgnoreCase)
            .Replace("%", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal).Replace("\u00a0", "", StringComparison.Ordinal);
        if (decimal.TryParse(bare, NumberStyles.Number, mapping.Numbers, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A problem with one field's cell.</summary>
    public void Fail(string field, string message, string? code) =>
        Problems.Add(new ImportProblem(mapping.HeaderOf(field), message, code));

    /// <summary>A command's refusal (the same one the API and the form give), in the job's language, at the fields it names.</summary>
    public void Fail(Failure failure)
    {
        Outcome<object> outcome = failure;
        foreach (var (field, messages) in FormOutcomes.Errors(outcome, l) ?? [])
        {
            var code = failure.Codes?.GetValueOrDefault(field) ?? failure.Rule?.Code;
            foreach (var message in messages)
            {
                Problems.Add(new ImportProblem(field == "$" ? null : mapping.HeaderOf(field), message, code));
            }
        }
    }

    /// <summary>An entity's rule, in the job's language, at the field it concerns when the rules know it.</summary>
    public void Fail(DomainRuleException rule, string? field = null) =>
        Problems.Add(new ImportProblem(field is null ? null : mapping.HeaderOf(field), RuleMessages.For(l, rule), rule.Code));
}

/// <summary>Which column each field comes from, and how the file writes numbers.</summary>
public sealed class ImportMapping
{
    public ImportMapping(IReadOnlyList<string> header, IReadOnlyList<string?> fields, string numberFormat)
    {
        Header = header;
        for (var i = 0; i < Math.Min(header.Count, fields.Count); i++)
        {
            if (fields[i] is { Length: > 0 } field)
            {
                ColumnOf[field] = i;
            }
        }

        Numbers = numberFormat == "en" ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo("tr-TR");
        Dates = CultureInfo.GetCultureInfo(numberFormat == "en" ? "en-US" : "tr-TR");
    }

    public IReadOnlyList<string> Header { get; }

    public Dictionary<string, int> ColumnOf { get; } = new(StringComparer.OrdinalIgnoreCase);

    public CultureInfo Numbers { get; }

    /// <summary>The language dates are read in besides ISO: the file's, told by its number format.</summary>
    public CultureInfo Dates { get; }

    public string? HeaderOf(string field) => ColumnOf.TryGetValue(field, out var column) ? Header[column] : null;
}
