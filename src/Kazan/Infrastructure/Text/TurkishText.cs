using System.Globalization;
using System.Text;

namespace Kazan.Infrastructure.Text;

/// <summary>
/// Turkish-aware text folding for search and duplicate checks. Lower-cases with Turkish rules (I → ı, İ → i),
/// then folds every dotted/dotless i and the Turkish letters to plain ASCII, so <c>İstanbul</c>, <c>ISTANBUL</c>,
/// <c>istanbul</c> and <c>Istanbul</c> all become <c>istanbul</c>, and <c>Şahin</c> is found by <c>sahin</c>.
/// </summary>
public static class TurkishText
{
    private static readonly CultureInfo Turkish = CultureInfo.GetCultureInfo("tr-TR");

    /// <summary>The folded form: lower-case ASCII letters and digits, single spaces between words.</summary>
    public static string Fold(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var lower = text.ToLower(Turkish).Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(lower.Length);
        var space = false;
        foreach (var c in lower)
        {
            var folded = c switch
            {
                'ı' => 'i',
                'ş' => 's',
                'ğ' => 'g',
                'ü' => 'u',
                'ö' => 'o',
                'ç' => 'c',
                _ => c,
            };
            if (CharUnicodeInfo.GetUnicodeCategory(folded) == UnicodeCategory.NonSpacingMark)
            {
                continue; // the dot of i̇, the cedilla of ş in decomposed form, accents
            }

            if (char.IsLetterOrDigit(folded) || folded == '@' || folded == '.')
            {
                if (space && sb.Length > 0)
                {
                    sb.Append(' ');
                }

                sb.Append(folded);
                space = false;
            }
            else
            {
                space = true;
            }
        }

        return sb.ToString();
    }

    /// <summary>The distinct words of the folded text, for the search index (at most 64 chars each).</summary>
    public static IEnumerable<string> Words(params string?[] texts) =>
        texts.SelectMany(t => Fold(t).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(w => w.Length > 64 ? w[..64] : w)
            .Distinct(StringComparer.Ordinal);
}
