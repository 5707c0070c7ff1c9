using System.Globalization;

namespace Kazan.Infrastructure.Localization;

/// <summary>
/// Culture-correct display of money and numbers. Turkish documents write the symbol after the amount
/// (<c>1.234,56 ₺</c>), although ICU's tr-TR puts it first; Kazan follows the Turkish convention.
/// </summary>
public static class Formats
{
    private static readonly Dictionary<string, string> Symbols = new(StringComparer.Ordinal)
    {
        ["TRY"] = "₺",
        ["USD"] = "$",
        ["EUR"] = "€",
        ["GBP"] = "£",
    };

    /// <summary>The cultures Kazan serves, with the Turkish currency pattern fixed.</summary>
    public static CultureInfo Culture(string name)
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo(name).Clone();
        if (culture.TwoLetterISOLanguageName == "tr")
        {
            culture.NumberFormat.CurrencyPositivePattern = 3; // n $
            culture.NumberFormat.CurrencyNegativePattern = 8; // -n $
        }

        return culture;
    }

    /// <summary>
    /// A percentage as the culture writes it, with up to two decimals: <c>%10</c> and <c>%7,5</c> in Turkish,
    /// <c>10%</c> and <c>7.5%</c> in English. <paramref name="percent"/> is in percent (10 means 10 %), as Kazan stores
    /// rates, discounts and probabilities. The one place percentages are formatted for people (pages, timelines, PDFs).
    /// </summary>
    public static string Percent(decimal percent, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        var nf = culture.NumberFormat;
        var number = Math.Abs(percent).ToString("#,##0.##", culture);
        var sign = percent < 0 ? nf.NegativeSign : "";
        return sign + nf.PercentPositivePattern switch
        {
            0 => number + " " + nf.PercentSymbol,
            2 => nf.PercentSymbol + number,
            3 => nf.PercentSymbol + " " + number,
            _ => number + nf.PercentSymbol,
        };
    }

    public static string Symbol(string currency) => Symbols.TryGetValue(currency, out var s) ? s : currency;

    /// <summary>
    /// Formats an amount in its currency for the culture: <c>1.234,56 ₺</c> (tr-TR), <c>$1,234.56</c> (en-US).
    /// Two decimals unless <paramref name="decimals"/> says otherwise (unit prices may carry up to 4).
    /// </summary>
    public static string Money(decimal amount, string currency, CultureInfo? culture = null, int decimals = 2)
    {
        culture ??= CultureInfo.CurrentCulture;
        var nf = (NumberFormatInfo)culture.NumberFormat.Clone();
        nf.CurrencySymbol = Symbol(currency);
        if (culture.TwoLetterISOLanguageName == "tr")
        {
            nf.CurrencyPositivePattern = 3;
            nf.CurrencyNegativePattern = 8;
        }

        return amount.ToString("C" + decimals.ToString(CultureInfo.InvariantCulture), nf);
    }
}
