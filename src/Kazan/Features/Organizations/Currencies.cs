using Kazan.Infrastructure.Errors;

namespace Kazan.Features.Organizations;

/// <summary>ISO 4217 codes Kazan accepts. A short list on purpose: an unknown code is a typo, not a currency.</summary>
public static class Currencies
{
    public static readonly IReadOnlySet<string> Known = new HashSet<string>(StringComparer.Ordinal)
    {
        "TRY", "USD", "EUR", "GBP", "CHF", "JPY", "CNY", "RUB", "AED", "SAR", "AZN", "GEL", "KZT", "UZS",
        "BGN", "RON", "PLN", "CZK", "HUF", "SEK", "NOK", "DKK", "CAD", "AUD", "NZD", "INR", "KRW", "QAR", "KWD", "IQD", "EGP", "ILS", "UAH",
    };

    public static bool IsKnown(string? code) => code is not null && Known.Contains(code.Trim().ToUpperInvariant());

    public static string Normalize(string code)
    {
        var upper = code.Trim().ToUpperInvariant();
        return Known.Contains(upper)
            ? upper
            : throw new DomainRuleException($"Unknown currency '{code}'. Use an ISO 4217 code such as TRY, USD or EUR.", "currency.unknown");
    }
}
