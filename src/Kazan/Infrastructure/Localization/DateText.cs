using System.Globalization;
using System.Text.RegularExpressions;

namespace Kazan.Infrastructure.Localization;

/// <summary>Why typed text is not a date.</summary>
public enum DateProblemKind
{
    Required,
    NotADate,
    NoSuchDate,
    OutOfRange,
}

/// <summary>What was wrong with a typed date; <paramref name="Example"/> is a date written the user's way.</summary>
public sealed record DateProblem(DateProblemKind Kind, string Example);

/// <summary>The outcome of reading a date box: a date (null for an empty optional box) or a problem.</summary>
public readonly record struct DateRead(DateOnly? Value, DateProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// The one date format of Kazan, on screen and in documents, and the one way typed dates are read — with the UI
/// culture, never the browser's. Turkish shows <c>05.12.2026</c> and accepts <c>5.12.2026</c>, <c>5/12/2026</c>,
/// <c>05.12.26</c> and ISO <c>2026-12-05</c>. English shows <c>05 Dec 2026</c> (unambiguous to any English reader)
/// and accepts that, <c>Dec 5, 2026</c>, ISO, and the US <c>12/5/2026</c>. Two-digit years are 20yy. Dates that do
/// not exist (<c>31.02.2026</c>) are refused. The browser script <c>wwwroot/js/inputs.js</c> follows the same rules.
/// </summary>
public static partial class DateText
{
    public static readonly DateOnly MinDate = new(1900, 1, 1);
    public static readonly DateOnly MaxDate = new(2199, 12, 31);

    // '/' in a .NET date pattern is the culture's date separator (a dot in Turkish): escaped where a slash is meant.
    private static readonly string[] TurkishFormats = ["d.M.yyyy", "d.M.yy", @"d\/M\/yyyy", @"d\/M\/yy", "d-M-yyyy", "yyyy-M-d"];

    private static readonly string[] EnglishFormats =
    [
        "d MMM yyyy", "d MMMM yyyy", "d MMM yy", "MMM d yyyy", "MMM d, yyyy", "MMMM d yyyy", "MMMM d, yyyy", "d-MMM-yyyy",
        @"M\/d\/yyyy", @"M\/d\/yy", "yyyy-M-d",
    ];

    /// <summary>The date format of the culture: <c>dd.MM.yyyy</c> (Turkish), <c>dd MMM yyyy</c> (English).</summary>
    public static string Pattern(CultureInfo? culture = null) => IsTurkish(culture ?? CultureInfo.CurrentCulture) ? "dd.MM.yyyy" : "dd MMM yyyy";

    /// <summary>A date as Kazan shows it: <c>05.12.2026</c> (Turkish), <c>05 Dec 2026</c> (English).</summary>
    public static string Format(DateOnly date, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        return date.ToString(Pattern(culture), culture);
    }

    /// <summary>An optional date; null is empty text.</summary>
    public static string Format(DateOnly? date, CultureInfo? culture = null) => date is { } d ? Format(d, culture) : "";

    /// <summary>A local date and time: <c>05.12.2026 14:30</c> (Turkish), <c>05 Dec 2026 2:30 PM</c> (English).</summary>
    public static string Format(DateTime local, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        return local.ToString(Pattern(culture) + (IsTurkish(culture) ? " HH:mm" : " h:mm tt"), culture);
    }

    /// <summary>Reads a typed date in the user's language (see the class summary); empty is null, or a problem when required.</summary>
    public static DateRead Parse(string? text, CultureInfo? culture = null, bool required = false)
    {
        culture ??= CultureInfo.CurrentCulture;
        var example = Format(new DateOnly(2026, 12, 5), culture);
        var s = Spaces().Replace((text ?? "").Trim(), " ");
        if (s.Length == 0)
        {
            return required ? new DateRead(null, new DateProblem(DateProblemKind.Required, example)) : new DateRead(null, null);
        }

        var reading = (CultureInfo)culture.Clone();
        reading.DateTimeFormat.Calendar.TwoDigitYearMax = 2099;
        var formats = IsTurkish(culture) ? TurkishFormats : EnglishFormats;
        if (DateOnly.TryParseExact(s, formats, reading, DateTimeStyles.AllowWhiteSpaces, out var date))
        {
            return date < MinDate || date > MaxDate ? new DateRead(null, new DateProblem(DateProblemKind.OutOfRange, example)) : new DateRead(date, null);
        }

        // Three numbers in a date's shape that make no date (31.02.2026, 13/25/2026) are a date that does not exist.
        return new DateRead(null, new DateProblem(NumericDate().IsMatch(s) || NamedMonthDate().IsMatch(s) ? DateProblemKind.NoSuchDate : DateProblemKind.NotADate, example));
    }

    /// <summary>
    /// Reads a date from a link or a saved filter: ISO (<c>2026-12-05</c>, the form Kazan writes into links), else the
    /// user's way of writing it.
    /// </summary>
    public static DateRead ParseLink(string? text, CultureInfo? culture = null) =>
        DateOnly.TryParseExact((text ?? "").Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var iso)
            ? new DateRead(iso, null)
            : Parse(text, culture);

    /// <summary>The culture-free form of a date for links, saved filters and the hidden calendar box: <c>2026-12-05</c>.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static bool IsTurkish(CultureInfo culture) => culture.TwoLetterISOLanguageName == "tr";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^\d{1,4}[./-]\d{1,2}[./-]\d{1,4}$")]
    private static partial Regex NumericDate();

    [GeneratedRegex(@"^(\d{1,2} \p{L}+,? \d{2,4}|\p{L}+ \d{1,2},? \d{2,4})$")]
    private static partial Regex NamedMonthDate();
}
