using System.Globalization;
using Kazan.Infrastructure.Localization;

namespace Kazan.Infrastructure.Pdf;

/// <summary>
/// Words and formats every Kazan document shares, in the document's language (tr or en) — which is the language
/// chosen on the document, not the reader's UI culture, so they are not in the UI resources.
/// </summary>
public static class PdfText
{
    public static bool IsTurkish(string language) => language == "tr";

    /// <summary>The culture money and numbers are written in: tr-TR (<c>1.234,56 ₺</c>) or en-US.</summary>
    public static CultureInfo Culture(string language) => Formats.Culture(IsTurkish(language) ? "tr-TR" : "en-US");

    public static string PageOf(string language, int page, int total) =>
        IsTurkish(language) ? $"Sayfa {page} / {total}" : $"Page {page} of {total}";

    /// <summary>Kazan's one date format (<see cref="DateText"/>): 31.03.2026 in Turkish, 31 Mar 2026 in English.</summary>
    public static string Date(DateOnly date, string language) => DateText.Format(date, Culture(language));

    /// <summary>%20 in Turkish (the sign comes first), 20% in English; decimals only when present (%12,5).</summary>
    public static string Percent(decimal value, string language) => Formats.Percent(value, Culture(language));

    /// <summary>A quantity with as many decimals as it has (up to 4): 10, 2,5, 1.250,125.</summary>
    public static string Quantity(decimal value, string language) => value.ToString("#,##0.####", Culture(language));

    /// <summary>A document amount, always 2 decimals, in the document's culture: 1.234,56 ₺ / €1,234.56.</summary>
    public static string Money(decimal amount, string currency, string language) => Formats.Money(amount, currency, Culture(language));

    /// <summary>A unit price: 2 decimals, or up to 4 when the price has them (33,3333 ₺), so qty × price visibly adds up.</summary>
    public static string UnitPrice(decimal amount, string currency, string language)
    {
        var scale = (decimal.Round(amount, 4) % 0.01m) == 0 ? 2 : (decimal.Round(amount, 4) % 0.001m) == 0 ? 3 : 4;
        return Formats.Money(amount, currency, Culture(language), scale);
    }

    public static string TaxOffice(string language) => IsTurkish(language) ? "Vergi Dairesi" : "Tax office";

    /// <summary>VKN is 10 digits (companies), TCKN 11 (persons); the label names the one given.</summary>
    public static string TaxNumber(string? number, string language) => (IsTurkish(language), number?.Length) switch
    {
        (true, 11) => "TCKN",
        (true, _) => "VKN",
        (false, 11) => "National ID",
        (false, _) => "Tax no",
    };

    public static string Phone(string language) => IsTurkish(language) ? "Tel" : "Phone";

    public static string Email(string language) => IsTurkish(language) ? "E-posta" : "E-mail";
}
