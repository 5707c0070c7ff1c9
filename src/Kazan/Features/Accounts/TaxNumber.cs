namespace Kazan.Features.Accounts;

/// <summary>
/// Turkish tax identifiers: VKN (vergi kimlik numarası, 10 digits, companies) and TCKN (T.C. kimlik numarası,
/// 11 digits, persons), each with its check digits.
/// </summary>
public static class TaxNumber
{
    public static bool IsValid(string? value) => value is not null && (IsValidVkn(value) || IsValidTckn(value));

    /// <summary>The number as stored: whitespace removed ("123 456 78 90" → "1234567890"); null when blank.</summary>
    public static string? Normalize(string? value) =>
        string.IsNullOrWhiteSpace(value) ? null : string.Concat(value.Where(c => !char.IsWhiteSpace(c)));

    /// <summary>Why a (normalized) number is not valid, so the message can say what to fix; <see cref="TaxNumberError.None"/> when it is.</summary>
    public static TaxNumberError Check(string? value) => value switch
    {
        null => TaxNumberError.None,
        _ when !value.All(char.IsAsciiDigit) => TaxNumberError.NotDigits,
        { Length: 10 } => IsValidVkn(value) ? TaxNumberError.None : TaxNumberError.VknCheckDigit,
        { Length: 11 } => IsValidTckn(value) ? TaxNumberError.None : TaxNumberError.TcknCheckDigits,
        _ => TaxNumberError.Length,
    };

    /// <summary>An English explanation for API problems (the UI has its own translated strings per <see cref="TaxNumberError"/>).</summary>
    public static string Explain(TaxNumberError error, string value) => error switch
    {
        TaxNumberError.NotDigits => $"'{value}' is not a tax number: a VKN is 10 digits, a TCKN 11 digits, nothing else.",
        TaxNumberError.Length => $"'{value}' has {value.Length} digits: a VKN has 10 digits, a TCKN 11.",
        TaxNumberError.VknCheckDigit => $"'{value}' is not a valid VKN: its check digit (the 10th) does not match.",
        TaxNumberError.TcknCheckDigits => $"'{value}' is not a valid TCKN: its check digits (the 10th and 11th) do not match, or it starts with 0.",
        _ => "",
    };

    public static bool IsValidVkn(string value)
    {
        if (value.Length != 10 || !value.All(char.IsAsciiDigit))
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            var digit = (value[i] - '0' + 9 - i) % 10;
            var weighted = digit * (1 << (9 - i)) % 9;
            if (digit != 0 && weighted == 0)
            {
                weighted = 9;
            }

            sum += weighted;
        }

        return (10 - (sum % 10)) % 10 == value[9] - '0';
    }

    public static bool IsValidTckn(string value)
    {
        if (value.Length != 11 || !value.All(char.IsAsciiDigit) || value[0] == '0')
        {
            return false;
        }

        var d = value.Select(c => c - '0').ToArray();
        var odd = d[0] + d[2] + d[4] + d[6] + d[8];
        var even = d[1] + d[3] + d[5] + d[7];
        var tenth = (((odd * 7) - even) % 10 + 10) % 10;
        var eleventh = d.Take(10).Sum() % 10;
        return d[9] == tenth && d[10] == eleventh;
    }
}

public enum TaxNumberError
{
    None,
    NotDigits,
    Length,
    VknCheckDigit,
    TcknCheckDigits,
}
