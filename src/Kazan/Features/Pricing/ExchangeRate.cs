using Kazan.Features.Organizations;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Errors;

namespace Kazan.Features.Pricing;

/// <summary>A currency and its rate to the organization's base currency (how many base units one unit is worth).</summary>
public readonly record struct CurrencyRate(string Currency, decimal Rate);

/// <summary>
/// The one exchange-rate rule, for opportunities, quotes and orders alike. The base currency is worth itself (rate 1;
/// a rate typed for it is ignored, it cannot be anything else). Any other currency needs its rate from the caller,
/// greater than 0 and at most <see cref="Max"/>, kept to four decimals. A caller's mistake is a field error
/// (<see cref="Resolve"/>); the entities check the stored rate once more (<see cref="Checked"/>) and refuse it as a rule.
/// </summary>
public static class ExchangeRate
{
    public const decimal Max = 1_000_000m;

    /// <summary>The currency (blank: the base currency) and rate a record will carry, or which field is wrong and why.</summary>
    public static Outcome<CurrencyRate> Resolve(string? currency, decimal? rate, string baseCurrency, string subject)
    {
        var code = string.IsNullOrWhiteSpace(currency) ? baseCurrency : currency.Trim().ToUpperInvariant();
        if (!Currencies.IsKnown(code))
        {
            return Outcome.Invalid("currency", $"Unknown currency '{currency}'. Use an ISO 4217 code such as TRY, USD or EUR.", "currency.unknown");
        }

        if (code == baseCurrency)
        {
            return new CurrencyRate(code, 1m);
        }

        if (rate is null)
        {
            return Outcome.Invalid("exchangeRate", $"A {subject} in {code} needs its exchange rate: how many {baseCurrency} one {code} is worth.",
                $"{subject}.exchange-rate-required");
        }

        var rounded = Round(rate.Value);
        return rounded is > 0 and <= Max
            ? new CurrencyRate(code, rounded)
            : Outcome.Invalid("exchangeRate", "The exchange rate must be greater than 0 and at most 1 000 000.", $"{subject}.exchange-rate");
    }

    /// <summary>The rate an entity stores, checked and rounded to four decimals; a rule violation otherwise.</summary>
    public static decimal Checked(decimal rate, string subject)
    {
        var rounded = Round(rate);
        return rounded is > 0 and <= Max
            ? rounded
            : throw new DomainRuleException("The exchange rate must be greater than 0 and at most 1 000 000.", $"{subject}.exchange-rate");
    }

    /// <summary>
    /// An amount in a currency worth <paramref name="rate"/> base units, in the base currency: amount × rate, rounded
    /// half away from zero to kuruş. The one base conversion (opportunity forecasts, order backlog figures).
    /// </summary>
    public static decimal ToBase(decimal amount, decimal rate) => Pricing.Round2(amount * rate);

    /// <summary>
    /// An amount from one currency into another through the base currency (amount × from rate ÷ to rate, rounded to
    /// kuruş); as is when both are the same currency.
    /// </summary>
    public static decimal Convert(decimal amount, CurrencyRate from, CurrencyRate to) =>
        from.Currency == to.Currency ? amount : Pricing.Round2(amount * from.Rate / to.Rate);

    private static decimal Round(decimal rate) => Pricing.Round(rate, 4);
}
