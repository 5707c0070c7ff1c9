namespace Kazan.Features.Accounts;

/// <summary>
/// Turkish tax identifiers: VKN (vergi kimlik numarası, 10 digits, companies) and TCKN (T.C. kimlik numarası,
/// 11 digits, persons), each with its check digits.
/// </summary>
public static class TaxNumber
{
    public static bool IsValid(string? value) => value is not null && (IsValidVkn(value) || IsValidTckn(value));

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
