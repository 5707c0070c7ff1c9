using System.Globalization;
using System.Text;

namespace Kazan.Infrastructure.Localization;

/// <summary>How a number box shows its value: money with two decimals, prices with two to four, quantities and rates
/// with up to four, percentages with up to two, whole numbers plain.</summary>
public enum NumberStyle
{
    Money,
    Price,
    Quantity,
    Percent,
    Rate,
    Whole,
}

/// <summary>
/// What one kind of number box accepts: at most <paramref name="Decimals"/> decimals (never rounded silently), between
/// <paramref name="Min"/> and <paramref name="Max"/> (the minimum itself refused when <paramref name="MinExclusive"/>).
/// </summary>
public sealed record NumberRule(NumberStyle Style, int Decimals, decimal Min, decimal Max, bool MinExclusive = false)
{
    /// <summary>Amounts typed as totals (expected amount, list filters): two decimals, up to a trillion.</summary>
    public static readonly NumberRule Amount = new(NumberStyle.Money, 2, 0m, 1_000_000_000_000m);

    /// <summary>Unit and list prices: stored with four decimals, up to the money rule's limit.</summary>
    public static readonly NumberRule Price = new(NumberStyle.Price, 4, 0m, 1_000_000_000m);

    /// <summary>A quantity that may be zero (what to deliver, return or order of a line now).</summary>
    public static readonly NumberRule Quantity = new(NumberStyle.Quantity, 4, 0m, 1_000_000_000m);

    /// <summary>A document line's quantity: more than zero.</summary>
    public static readonly NumberRule LineQuantity = Quantity with { MinExclusive = true };

    /// <summary>Discounts and VAT rates: 0 to 100 with two decimals.</summary>
    public static readonly NumberRule Percent = new(NumberStyle.Percent, 2, 0m, 100m);

    /// <summary>Win probabilities: whole percentages.</summary>
    public static readonly NumberRule Probability = new(NumberStyle.Percent, 0, 0m, 100m);

    /// <summary>An exchange rate to the base currency: more than zero, four decimals, as the central bank publishes.</summary>
    public static readonly NumberRule ExchangeRate = new(NumberStyle.Rate, 4, 0m, 1_000_000m, MinExclusive: true);

    /// <summary>A whole-number setting between two bounds (days, digits).</summary>
    public static NumberRule Whole(int min, int max) => new(NumberStyle.Whole, 0, min, max);
}

/// <summary>Why typed text is not a number for its box. <see cref="NumberProblem"/> carries the details.</summary>
public enum NumberProblemKind
{
    Required,
    NotANumber,
    WrongSeparator,
    TooManyDecimals,
    OutOfRange,
}

/// <summary>
/// What was wrong: the kind, and the text that helps the user fix it — for a wrong separator the number as it is
/// written in the user's language (<c>7,5</c>), for text that is no number an example of the box's kind
/// (<c>1.234,56</c>), for a range the bounds as the user writes them.
/// </summary>
public sealed record NumberProblem(NumberProblemKind Kind, string? Suggestion = null, string? Min = null, string? Max = null, int Decimals = 0, bool MinExclusive = false);

/// <summary>The outcome of reading a box: a value (null for an empty optional box) or a problem.</summary>
public readonly record struct NumberRead(decimal? Value, NumberProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>
/// The one way Kazan reads and writes numbers typed by people. Text is read with the UI culture (the user's
/// language — never the browser's): Turkish <c>1.234,56</c>, <c>148.500</c> = 148 500, <c>7,5</c> = 7.5; English
/// <c>1,234.56</c>, <c>148.500</c> = 148.5, <c>1,234</c> = 1 234. A group separator is only valid between groups of
/// exactly three digits (the first of one to three); spaces group digits too. Text that would mean a number only with
/// the other language's separators (Turkish <c>1.5</c> or <c>12,345.6</c>, English <c>7,5</c> or <c>1.234,5</c>) is
/// refused with the way to write it, never guessed. More decimals than the box keeps are refused, never rounded.
/// The browser script <c>wwwroot/js/inputs.js</c> follows the same rules so errors show at once; the server always
/// reads again with this class.
/// </summary>
public static class NumberText
{
    private static readonly string[] CurrencyMarks = ["₺", "TL", "TRY", "$", "USD", "€", "EUR"];

    /// <summary>Reads typed text for a box with <paramref name="rule"/>; empty text is null, or a problem when required.</summary>
    public static NumberRead Parse(string? text, NumberRule rule, CultureInfo? culture = null, bool required = false)
    {
        culture ??= CultureInfo.CurrentCulture;
        var decimalMark = culture.NumberFormat.NumberDecimalSeparator;
        var groupMark = culture.NumberFormat.NumberGroupSeparator;
        var cleaned = Clean(text, rule);
        if (cleaned.Length == 0)
        {
            return required ? Fail(new NumberProblem(NumberProblemKind.Required)) : new NumberRead(null, null);
        }

        var negative = cleaned[0] is '-' or '\u2212';
        var digits = negative ? cleaned[1..].TrimStart() : cleaned;
        var read = Read(digits, decimalMark[0], groupMark[0]);
        if (read.Kind == Shape.WrongConvention)
        {
            // Read with the other language's separators, to say how this number is written in the user's language.
            var other = Read(digits, groupMark[0], decimalMark[0]);
            return other.Kind == Shape.Number
                ? Fail(new NumberProblem(NumberProblemKind.WrongSeparator, Write(negative ? -other.Value : other.Value, culture)))
                : Fail(new NumberProblem(NumberProblemKind.NotANumber, Example(rule, culture)));
        }

        if (read.Kind != Shape.Number)
        {
            return Fail(new NumberProblem(NumberProblemKind.NotANumber, Example(rule, culture)));
        }

        var value = negative ? -read.Value : read.Value;
        if (read.Decimals > rule.Decimals)
        {
            return Fail(new NumberProblem(NumberProblemKind.TooManyDecimals, Decimals: rule.Decimals));
        }

        if (value < rule.Min || value > rule.Max || (rule.MinExclusive && value == rule.Min))
        {
            return Fail(new NumberProblem(NumberProblemKind.OutOfRange, Min: Bound(rule.Min, culture), Max: Bound(rule.Max, culture), MinExclusive: rule.MinExclusive));
        }

        return new NumberRead(value, null);
    }

    /// <summary>
    /// Reads a value from a link or a saved filter: the text as the user's language writes it, else the culture-free
    /// form Kazan writes into links (<see cref="Canonical"/>: digits and a point, no grouping). The two never collide
    /// for boxes with at most two decimals, since the Turkish form never has a point followed by one or two digits.
    /// </summary>
    public static NumberRead ParseLink(string? text, NumberRule rule, CultureInfo? culture = null)
    {
        var read = Parse(text, rule, culture);
        if (read.Ok || string.IsNullOrWhiteSpace(text))
        {
            return read;
        }

        var trimmed = text.Trim();
        var canonical = trimmed.All(c => char.IsAsciiDigit(c) || c is '.' or '-') && trimmed.Count(c => c == '.') <= 1;
        return canonical ? Parse(trimmed, rule, CultureInfo.InvariantCulture) : read;
    }

    /// <summary>A value as a box shows it, grouped in the user's language: <c>148.500,00</c> (money), <c>2,5</c> (quantity).</summary>
    public static string Format(decimal value, NumberRule rule, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        var pattern = rule.Style switch
        {
            NumberStyle.Money => "#,##0.00",
            NumberStyle.Price => "#,##0.00##",
            NumberStyle.Quantity or NumberStyle.Rate => "#,##0.####",
            NumberStyle.Percent => "#,##0.##",
            _ => "0",
        };
        return value.ToString(pattern, culture);
    }

    /// <summary>Formats an optional value; null is empty text.</summary>
    public static string Format(decimal? value, NumberRule rule, CultureInfo? culture = null) =>
        value is { } v ? Format(v, rule, culture) : "";

    /// <summary>A number of the box's kind written the user's way, to show how to type one: <c>1.234,56</c>, <c>7,5</c>.</summary>
    public static string Example(NumberRule rule, CultureInfo? culture = null) => rule.Style switch
    {
        NumberStyle.Money or NumberStyle.Price => Format(1234.56m, rule, culture),
        NumberStyle.Quantity => Format(2.5m, rule, culture),
        NumberStyle.Rate => Format(34.5678m, rule, culture),
        NumberStyle.Percent when rule.Decimals > 0 => Format(7.5m, rule, culture),
        _ => Format(30m, rule, culture),
    };

    /// <summary>A range bound as the user writes it, without decimals that say nothing (<c>1.000.000.000</c>).</summary>
    public static string Bound(decimal value, CultureInfo? culture = null) => Write(value, culture ?? CultureInfo.CurrentCulture);

    /// <summary>The culture-free form of a value for links and saved filters: <c>148500.5</c>.</summary>
    public static string Canonical(decimal value) => Write(value, CultureInfo.InvariantCulture, grouped: false);

    /// <summary>Keeps only what may surround a number: spaces, and the box's decoration (a % sign, a currency sign).</summary>
    private static string Clean(string? text, NumberRule rule)
    {
        var s = (text ?? "").Trim();
        if (rule.Style == NumberStyle.Percent)
        {
            s = s.Trim('%').Trim();
        }
        else if (rule.Style is NumberStyle.Money or NumberStyle.Price)
        {
            foreach (var mark in CurrencyMarks)
            {
                if (s.StartsWith(mark, StringComparison.OrdinalIgnoreCase))
                {
                    s = s[mark.Length..].Trim();
                }

                if (s.EndsWith(mark, StringComparison.OrdinalIgnoreCase))
                {
                    s = s[..^mark.Length].Trim();
                }
            }
        }

        return s;
    }

    private enum Shape
    {
        Number,
        NotANumber,
        WrongConvention,
    }

    private readonly record struct Reading(Shape Kind, decimal Value = 0m, int Decimals = 0);

    /// <summary>Reads unsigned digits with the given marks; says whether the text has the shape of a number at all.</summary>
    private static Reading Read(string s, char decimalMark, char groupMark)
    {
        if (s.Length == 0 || s.Any(c => !(char.IsAsciiDigit(c) || c is '.' or ',' || IsSpace(c))))
        {
            return new Reading(Shape.NotANumber);
        }

        var lastDecimal = s.LastIndexOf(decimalMark);
        var lastGroup = s.LastIndexOf(groupMark);
        string whole, fraction;
        if (lastDecimal >= 0)
        {
            // The decimal mark comes once and last; a group mark after it means the other language's separators.
            if (lastGroup > lastDecimal)
            {
                return new Reading(Shape.WrongConvention);
            }

            if (s.IndexOf(decimalMark) != lastDecimal)
            {
                return new Reading(Shape.NotANumber);
            }

            whole = s[..lastDecimal];
            fraction = s[(lastDecimal + 1)..];
            if (fraction.Length == 0 || !fraction.All(char.IsAsciiDigit))
            {
                return new Reading(Shape.NotANumber);
            }
        }
        else
        {
            whole = s;
            fraction = "";
        }

        if (!Grouped(whole, groupMark, allowEmpty: fraction.Length > 0))
        {
            // One group mark before one or two (or four and more) digits reads as the other language's decimal mark.
            var groups = whole.Count(c => c == groupMark);
            return groups == 1 && lastDecimal < 0 && !whole.Any(IsSpace) && whole[^1] != groupMark
                ? new Reading(Shape.WrongConvention)
                : new Reading(Shape.NotANumber);
        }

        var digits = new StringBuilder();
        foreach (var c in whole.Where(char.IsAsciiDigit))
        {
            digits.Append(c);
        }

        var significant = fraction.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits.Append('0');
        }

        if (significant.Length > 0)
        {
            digits.Append('.').Append(significant);
        }

        // Too many digits for a decimal is a number far out of any box's range.
        return new Reading(Shape.Number, decimal.TryParse(digits.ToString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            ? value : decimal.MaxValue, significant.Length);
    }

    /// <summary>
    /// Whether the whole part is plain digits, or digits in groups of three (the first of one to three) split by the
    /// group mark or by spaces — one kind of separator, not both.
    /// </summary>
    private static bool Grouped(string whole, char groupMark, bool allowEmpty)
    {
        if (whole.Length == 0)
        {
            return allowEmpty;
        }

        var hasMark = whole.Contains(groupMark);
        var hasSpace = whole.Any(IsSpace);
        if (!hasMark && !hasSpace)
        {
            return whole.All(char.IsAsciiDigit);
        }

        if (hasMark && hasSpace)
        {
            return false;
        }

        var parts = hasMark ? whole.Split(groupMark) : whole.Split(IsSpaceChars);
        return parts[0].Length is >= 1 and <= 3 && parts.All(p => p.All(char.IsAsciiDigit)) && parts.Skip(1).All(p => p.Length == 3);
    }

    private static readonly char[] IsSpaceChars = [' ', '\u00A0', '\u202F', '\u2009'];

    private static bool IsSpace(char c) => Array.IndexOf(IsSpaceChars, c) >= 0;

    /// <summary>A value with only the decimals it has, grouped in the culture.</summary>
    private static string Write(decimal value, CultureInfo culture, bool grouped = true) =>
        value.ToString(grouped ? "#,##0.############" : "0.############", culture);

    private static NumberRead Fail(NumberProblem problem) => new(null, problem);
}
