using CsCheck;
using Kazan.Features.Pricing;

namespace Kazan.Tests.Pricing;

/// <summary>The one base conversion: amount × rate, rounded half away from zero to kuruş.</summary>
public sealed class BaseConversionTests
{
    [Fact]
    public void Base_conversion_rounds_half_away_from_zero() =>
        Gen.Select(Gen.Long[-1_000_000_000_000, 1_000_000_000_000].Select(i => i / 100m), Gen.Long[1, 10_000_000_000].Select(i => i / 10_000m))
            .Sample((amount, rate) =>
            {
                var exact = amount * rate;
                var converted = ExchangeRate.ToBase(amount, rate);
                var gap = Math.Abs(exact - converted);
                return converted == decimal.Round(converted, 2)
                    && (gap < 0.005m || (gap == 0.005m && Math.Abs(converted) > Math.Abs(exact)));
            });

    [Fact]
    public void Half_a_kurus_goes_away_from_zero_not_to_even()
    {
        Assert.Equal(0.13m, ExchangeRate.ToBase(0.05m, 2.5m));    // 0.125 → 0.13 (to even would give 0.12)
        Assert.Equal(-0.13m, ExchangeRate.ToBase(-0.05m, 2.5m));
        Assert.Equal(1.01m, ExchangeRate.ToBase(1m, 1.005m));
    }

    [Fact]
    public void Converting_between_currencies_goes_through_the_base_and_leaves_the_same_currency_alone()
    {
        Assert.Equal(100m, ExchangeRate.Convert(100m, CurrencyRate.Create("EUR", 37.5m, "test"), CurrencyRate.Create("EUR", 40m, "test")));
        Assert.Equal(109.72m, ExchangeRate.Convert(100m, CurrencyRate.Create("EUR", 37.5m, "test"), CurrencyRate.Create("USD", 34.1780m, "test"))); // 3750 ÷ 34.178 = 109.7197…
    }
}
