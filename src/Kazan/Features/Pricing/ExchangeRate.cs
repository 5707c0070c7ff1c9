using Kazan.Features.Organizations;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Pricing;

/// <summary>
/// The currency a document (opportunity, quote, order) is written in and its rate to the organization's base currency:
/// how many base units one unit is worth. Immutable, and valid by construction: a known ISO 4217 code, upper case, and
/// a rate greater than 0 and at most <see cref="ExchangeRate.Max"/>, kept to four decimals. Stored as an EF complex type
/// on the <c>Currency</c> and <c>ExchangeRate</c> columns (<see cref="CurrencyRateConfiguration"/>).
/// </summary>
public sealed record CurrencyRate
{
    // Also the constructor EF Core uses to read a stored pair back (parameter names match the properties).
    private CurrencyRate(string code, decimal rate)
    {
        Code = code;
        Rate = rate;
    }

    /// <summary>The ISO 4217 code: TRY, EUR, USD…</summary>
    public string Code { get; private init; }

    /// <summary>Units of the base currency per unit of <see cref="Code"/> (1 for the base currency itself).</summary>
    public decimal Rate { get; private init; }

    /// <summary>The pair as stored, or a rule violation (<c>currency.unknown</c>, <c>{subject}.exchange-rate</c>).</summary>
    public static CurrencyRate Create(string code, decimal rate, string subject) =>
        new(Currencies.Normalize(code), ExchangeRate.Checked(rate, subject));

    /// <summary>The same currency at another rate (a quote fixes its rate when it is sent).</summary>
    public CurrencyRate At(decimal rate, string subject) => new(Code, ExchangeRate.Checked(rate, subject));

    /// <summary>The code, so that a currency printed anywhere reads "EUR", never the record's fields.</summary>
    public override string ToString() => Code;
}

/// <summary>The one mapping of <see cref="CurrencyRate"/> (an EF Core complex type) on the documents' existing columns.</summary>
public static class CurrencyRateConfiguration
{
    public static void Map(ComplexPropertyBuilder<CurrencyRate> currency)
    {
        currency.Property(c => c.Code).HasColumnName("Currency").HasMaxLength(3);
        currency.Property(c => c.Rate).HasColumnName("ExchangeRate");
    }
}

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
            return CurrencyRate.Create(code, 1m, subject);
        }

        if (rate is null)
        {
            return Outcome.Invalid("exchangeRate", $"A {subject} in {code} needs its exchange rate: how many {baseCurrency} one {code} is worth.",
                $"{subject}.exchange-rate-required");
        }

        var rounded = Round(rate.Value);
        return InRange(rounded)
            ? CurrencyRate.Create(code, rounded, subject)
            : Outcome.Invalid("exchangeRate", RangeMessage, $"{subject}.exchange-rate");
    }

    /// <summary>The rate an entity stores, checked and rounded to four decimals; a rule violation otherwise.</summary>
    public static decimal Checked(decimal rate, string subject)
    {
        var rounded = Round(rate);
        return InRange(rounded) ? rounded : throw new DomainRuleException(RangeMessage, $"{subject}.exchange-rate");
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
        from.Code == to.Code ? amount : Pricing.Round2(amount * from.Rate / to.Rate);

    private const string RangeMessage = "The exchange rate must be greater than 0 and at most 1 000 000.";

    private static decimal Round(decimal rate) => Pricing.Round(rate, 4);

    private static bool InRange(decimal rounded) => rounded is > 0 and <= Max;
}
