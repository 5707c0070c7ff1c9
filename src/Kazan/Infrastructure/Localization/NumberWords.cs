namespace Kazan.Infrastructure.Localization;

/// <summary>
/// Whole numbers and money amounts in words, as Turkish commercial documents write the total under the figures
/// ("Yalnız: on iki bin üç yüz kırk beş Türk Lirası altmış yedi Kuruş"). Turkish says "yüz" and "bin", never
/// "bir yüz" / "bir bin", but "bir milyon". English follows US usage: no "and" inside the number, hyphens from
/// twenty-one to ninety-nine; "and" joins the main unit to the subunit.
/// </summary>
public static class NumberWords
{
    private static readonly string[] TrOnes = ["", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"];
    private static readonly string[] TrTens = ["", "on", "yirmi", "otuz", "kırk", "elli", "altmış", "yetmiş", "seksen", "doksan"];
    private static readonly string[] TrScales = ["", "bin", "milyon", "milyar", "trilyon", "katrilyon", "kentilyon", "seksilyon", "septilyon", "oktilyon"];

    private static readonly string[] EnSmall =
    [
        "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen",
        "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] EnTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
    private static readonly string[] EnScales = ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion", "sextillion", "septillion", "octillion"];

    /// <summary>Main unit and subunit names: (Turkish main, Turkish sub, English singular, English plural, English sub singular, English sub plural).</summary>
    private static readonly Dictionary<string, (string TrMain, string TrSub, string EnOne, string EnMany, string EnSubOne, string EnSubMany)> Units = new(StringComparer.Ordinal)
    {
        ["TRY"] = ("Türk Lirası", "Kuruş", "Turkish lira", "Turkish lira", "kuruş", "kuruş"),
        ["USD"] = ("ABD Doları", "Sent", "US dollar", "US dollars", "cent", "cents"),
        ["EUR"] = ("Avro", "Sent", "euro", "euros", "cent", "cents"),
        ["GBP"] = ("İngiliz Sterlini", "Peni", "pound sterling", "pounds sterling", "penny", "pence"),
        ["CHF"] = ("İsviçre Frangı", "Santim", "Swiss franc", "Swiss francs", "centime", "centimes"),
    };

    /// <summary>The whole part of <paramref name="number"/> in Turkish words: 1 000 → "bin", 1 001 → "bin bir".</summary>
    public static string Turkish(decimal number) => Words(number, "eksi", "sıfır", TrScales, TurkishGroup, static (group, scale) => scale == 1 && group == 1);

    /// <summary>The whole part of <paramref name="number"/> in English words: 1 001 → "one thousand one".</summary>
    public static string English(decimal number) => Words(number, "minus", "zero", EnScales, EnglishGroup, static (_, _) => false);

    /// <summary>
    /// An amount in words with its currency, rounded to 2 decimals (half away from zero); the subunit is left out
    /// when it is zero. Currencies without known names read as their ISO code, with the cents in figures (/100).
    /// </summary>
    public static string Amount(decimal amount, string currency, string language)
    {
        var turkish = language == "tr";
        var rounded = decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
        var whole = decimal.Truncate(Math.Abs(rounded));
        var cents = (int)((Math.Abs(rounded) - whole) * 100);
        var sign = rounded < 0 ? (turkish ? "eksi " : "minus ") : "";
        var main = turkish ? Turkish(whole) : English(whole);

        if (!Units.TryGetValue(currency, out var unit))
        {
            return $"{sign}{main} {currency}" + (cents > 0 ? $" {cents:00}/100" : "");
        }

        if (turkish)
        {
            return $"{sign}{main} {unit.TrMain}" + (cents > 0 ? $" {Turkish(cents)} {unit.TrSub}" : "");
        }

        return $"{sign}{main} {(whole == 1 ? unit.EnOne : unit.EnMany)}"
            + (cents > 0 ? $" and {English(cents)} {(cents == 1 ? unit.EnSubOne : unit.EnSubMany)}" : "");
    }

    private static string Words(decimal number, string minus, string zero, string[] scales, Func<int, string> group, Func<int, int, bool> dropOne)
    {
        var whole = decimal.Truncate(Math.Abs(number));
        if (whole == 0)
        {
            return zero;
        }

        var parts = new List<string>();
        var groups = new List<int>();
        while (whole > 0)
        {
            groups.Add((int)(whole % 1000));
            whole = decimal.Truncate(whole / 1000);
        }

        for (var scale = groups.Count - 1; scale >= 0; scale--)
        {
            var value = groups[scale];
            if (value == 0)
            {
                continue;
            }

            if (!dropOne(value, scale))
            {
                parts.Add(group(value));
            }

            if (scale > 0)
            {
                parts.Add(scales[scale]);
            }
        }

        var text = string.Join(' ', parts);
        return number <= -1 ? $"{minus} {text}" : text;
    }

    private static string TurkishGroup(int value)
    {
        var hundreds = value / 100;
        var parts = new List<string>();
        if (hundreds > 0)
        {
            parts.Add(hundreds == 1 ? "yüz" : $"{TrOnes[hundreds]} yüz");
        }

        if (value % 100 / 10 > 0)
        {
            parts.Add(TrTens[value % 100 / 10]);
        }

        if (value % 10 > 0)
        {
            parts.Add(TrOnes[value % 10]);
        }

        return string.Join(' ', parts);
    }

    private static string EnglishGroup(int value)
    {
        var hundreds = value / 100;
        var rest = value % 100;
        var parts = new List<string>();
        if (hundreds > 0)
        {
            parts.Add($"{EnSmall[hundreds]} hundred");
        }

        if (rest is > 0 and < 20)
        {
            parts.Add(EnSmall[rest]);
        }
        else if (rest >= 20)
        {
            parts.Add(rest % 10 == 0 ? EnTens[rest / 10] : $"{EnTens[rest / 10]}-{EnSmall[rest % 10]}");
        }

        return string.Join(' ', parts);
    }
}
