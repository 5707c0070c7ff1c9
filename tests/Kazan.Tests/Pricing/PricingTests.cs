using CsCheck;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Pricing;

public sealed class PricingTests
{
    private static DocumentTotals Totals(decimal documentDiscount, params LineTerms[] lines) => Kazan.Features.Pricing.Pricing.Totals(lines, documentDiscount);

    private static LineTerms Terms(decimal quantity, decimal unitPrice, decimal discountPercent, decimal vatRate) =>
        LineTerms.Create(0, quantity, unitPrice, discountPercent, vatRate);

    [Fact]
    public void Three_times_33_333_is_99_999_net_rounded_per_line()
    {
        var t = Totals(0, Terms(3m, 33.333m, 0, 20));
        Assert.Equal(100.00m, t.Net); // 99.999 rounds half away from zero to 100.00
        Assert.Equal(20.00m, t.Vat);
        Assert.Equal(120.00m, t.Total);
    }

    [Fact]
    public void Twelve_and_a_half_percent_discounts_on_line_and_document_compound()
    {
        // 7 × 19.99 = 139.93; × 0.875 × 0.875 = 107.1338… → 107.13; VAT 20 % = 21.426 → 21.43
        var t = Totals(12.5m, Terms(7m, 19.99m, 12.5m, 20));
        Assert.Equal(139.93m, t.Gross);
        Assert.Equal(107.13m, t.Net);
        Assert.Equal(32.80m, t.Discount);
        Assert.Equal(21.43m, t.Vat);
        Assert.Equal(128.56m, t.Total);
    }

    [Fact]
    public void Mixed_1_10_and_20_percent_lines_are_reported_per_rate()
    {
        var t = Totals(0,
            Terms(2m, 10.005m, 0, 1),   // net 20.01, VAT 0.2001 → 0.20
            Terms(1m, 99.95m, 0, 10),   // net 99.95, VAT 9.995 → 10.00 (half away from zero)
            Terms(3m, 0.35m, 0, 20),    // net 1.05, VAT 0.21
            Terms(1m, 250m, 10m, 20));  // net 225.00, VAT 45.00
        Assert.Equal([1m, 10m, 20m], t.VatByRate.Select(v => v.Rate));
        Assert.Equal(new VatGroup(1m, 20.01m, 0.20m), t.VatByRate[0]);
        Assert.Equal(new VatGroup(10m, 99.95m, 10.00m), t.VatByRate[1]);
        Assert.Equal(new VatGroup(20m, 226.05m, 45.21m), t.VatByRate[2]);
        Assert.Equal(346.01m, t.Net);
        Assert.Equal(55.41m, t.Vat);
        Assert.Equal(401.42m, t.Total);
    }

    [Fact]
    public void Half_a_kurus_rounds_away_from_zero_not_to_even()
    {
        Assert.Equal(0.13m, Totals(0, Terms(1m, 0.125m, 0, 0)).Net);
        Assert.Equal(0.01m, Totals(0, Terms(1m, 0.05m, 0, 10)).Vat); // 0.005 → 0.01
        Assert.Equal(2.50m, Totals(0, Terms(1m, 12.5m, 0, 20)).Vat);
    }

    [Fact]
    public void Large_quantities_and_prices_stay_exact()
    {
        var t = Totals(0, Terms(999_999_999m, 999_999.9999m, 0, 20));
        Assert.Equal(999_999_998_900_000.00m, t.Net); // 999 999 999 × 999 999.9999 = 999 999 998 900 000.0001
        Assert.Equal(199_999_999_780_000.00m, t.Vat);
    }

    [Fact]
    public void A_full_discount_leaves_nothing_to_pay()
    {
        var t = Totals(100m, Terms(5m, 10m, 0, 20));
        Assert.Equal(0m, t.Net);
        Assert.Equal(0m, t.Vat);
        Assert.Equal(50m, t.Discount);
    }

    [Theory]
    [InlineData(0, 10, 0, 20)]
    [InlineData(-1, 10, 0, 20)]
    [InlineData(1, -0.01, 0, 20)]
    [InlineData(1, 10, 100.01, 20)]
    [InlineData(1, 10, -5, 20)]
    [InlineData(1, 10, 0, 101)]
    public void Bad_lines_are_refused(decimal qty, decimal price, decimal discount, decimal vat) =>
        Assert.Throws<DomainRuleException>(() => Terms(qty, price, discount, vat));

    private static readonly Gen<LineTerms> GenLine =
        from qty in Gen.Int[1, 1_000_000].Select(i => i / 1000m)
        from price in Gen.Long[0, 10_000_000_000].Select(i => i / 10_000m)
        from discount in Gen.Int[0, 10_000].Select(i => i / 100m)
        from vat in Gen.OneOf(Gen.Const(0m), Gen.Const(1m), Gen.Const(10m), Gen.Const(20m), Gen.Int[0, 10_000].Select(i => i / 100m))
        select Terms(qty, price, discount, vat);

    [Fact]
    public void Totals_always_equal_the_sums_of_the_rounded_lines() =>
        Gen.Select(GenLine.List[1, 30], Gen.Int[0, 10_000].Select(i => i / 100m)).Sample((lines, docDiscount) =>
        {
            var t = Kazan.Features.Pricing.Pricing.Totals(lines, docDiscount);
            return t.Net == t.Lines.Sum(l => l.Net)
                && t.Vat == t.Lines.Sum(l => l.Vat)
                && t.Gross == t.Lines.Sum(l => l.Gross)
                && t.Lines.All(l => l.Net == decimal.Round(l.Net, 2) && l.Vat == decimal.Round(l.Vat, 2))
                && t.Gross - t.Discount == t.Net;
        });

    [Fact]
    public void Vat_per_rate_sums_to_the_total_vat_and_net() =>
        GenLine.List[1, 30].Sample(lines =>
        {
            var t = Kazan.Features.Pricing.Pricing.Totals(lines, 0);
            return t.VatByRate.Sum(v => v.Vat) == t.Vat
                && t.VatByRate.Sum(v => v.Net) == t.Net
                && t.VatByRate.Select(v => v.Rate).Distinct().Count() == t.VatByRate.Count;
        });

    [Fact]
    public void A_line_never_has_negative_money_and_discounts_never_raise_the_net() =>
        Gen.Select(GenLine, Gen.Int[0, 10_000].Select(i => i / 100m)).Sample((line, docDiscount) =>
        {
            var discounted = Kazan.Features.Pricing.Pricing.Line(line, docDiscount);
            var plain = Kazan.Features.Pricing.Pricing.Line(Terms(line.Quantity, line.UnitPrice, 0, line.VatRate), 0);
            return discounted.Net >= 0 && discounted.Vat >= 0 && discounted.Net <= plain.Net;
        });
}
