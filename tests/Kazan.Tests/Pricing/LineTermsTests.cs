using CsCheck;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Pricing;

/// <summary>Pure rules of a line's terms: whatever a caller types, a <see cref="LineTerms"/> holds only stored, in-range figures.</summary>
public sealed class LineTermsTests
{
    private static readonly Gen<decimal> AnyFigure = Gen.OneOf(
        Gen.Long[-2_000_000_000_000L, 2_000_000_000_000L].Select(i => i / 1000m),
        Gen.Long[-20_000_000, 20_000_000].Select(i => i / 100_000m),
        Gen.OneOf(Gen.Const(0m), Gen.Const(100m), Gen.Const(100.004m), Gen.Const(100.005m), Gen.Const(-0.00004m), Gen.Const(1_000_000_000m), Gen.Const(1_000_000_000.00005m)));

    [Fact]
    public void Terms_never_hold_an_out_of_range_or_over_precise_figure() =>
        Gen.Select(Gen.Int[0, 1999], AnyFigure, AnyFigure, AnyFigure, AnyFigure).Sample((position, qty, price, discount, vat) =>
        {
            LineTerms terms;
            try
            {
                terms = LineTerms.Create(position, qty, price, discount, vat);
            }
            catch (DomainRuleException e)
            {
                // Refused once, naming the line, with one of the line codes.
                return e.Line == position + 1 && e.Message.StartsWith($"Line {position + 1}: ", StringComparison.Ordinal)
                    && e.Code is "line.quantity" or "line.price" or "line.discount" or "line.vat"
                    && LineTerms.TryCreate(qty, price, discount, vat) is null;
            }

            return terms.Quantity is > 0 and <= Kazan.Features.Pricing.Pricing.MaxQuantity
                && terms.UnitPrice is >= 0 and <= Kazan.Features.Pricing.Pricing.MaxUnitPrice
                && terms.DiscountPercent is >= 0 and <= 100
                && terms.VatRate is >= 0 and <= 100
                && terms.Quantity == decimal.Round(terms.Quantity, 4) && terms.UnitPrice == decimal.Round(terms.UnitPrice, 4)
                && terms.DiscountPercent == decimal.Round(terms.DiscountPercent, 2) && terms.VatRate == decimal.Round(terms.VatRate, 2)
                && terms == LineTerms.TryCreate(qty, price, discount, vat);
        });

    [Fact]
    public void Figures_are_rounded_half_away_from_zero_to_their_stored_precision()
    {
        var terms = LineTerms.Create(0, 1.00005m, 2.00015m, 12.345m, 20.005m);
        Assert.Equal(1.0001m, terms.Quantity);
        Assert.Equal(2.0002m, terms.UnitPrice);
        Assert.Equal(12.35m, terms.DiscountPercent);
        Assert.Equal(20.01m, terms.VatRate);
    }

    [Fact]
    public void A_figure_that_rounds_into_range_is_taken_and_one_that_rounds_out_is_refused()
    {
        Assert.Equal(100m, LineTerms.Create(0, 1, 1, 100.004m, 0).DiscountPercent);
        var refused = Assert.Throws<DomainRuleException>(() => LineTerms.Create(2, 1, 1, 100.005m, 0));
        Assert.Equal("line.discount", refused.Code);
        Assert.Equal(3, refused.Line);
        Assert.Equal("Line 3: A discount must be between 0 and 100 %.", refused.Message);
        Assert.Equal("line.quantity", Assert.Throws<DomainRuleException>(() => LineTerms.Create(0, 0.00004m, 1, 0, 0)).Code); // rounds to 0
    }

    [Fact]
    public void Equal_figures_make_equal_terms() =>
        Assert.Equal(LineTerms.Create(0, 2, 10.5m, 5, 20), LineTerms.Create(7, 2.00001m, 10.50004m, 5.001m, 19.999m));

    [Fact]
    public void Pricing_part_of_a_line_is_pricing_a_line_of_that_quantity() =>
        Gen.Select(Gen.Int[1, 100_000].Select(i => i / 100m), Gen.Int[0, 100].Select(i => i / 100m), Gen.Int[0, 10_000].Select(i => i / 100m))
            .Sample((qty, share, docDiscount) =>
            {
                var terms = LineTerms.Create(0, qty, 19.99m, 7.5m, 20);
                var part = Kazan.Features.Pricing.Pricing.Round(qty * share, 4);
                var expected = part == 0 ? new LineAmounts(0, 0, 0, 0)
                    : Kazan.Features.Pricing.Pricing.Line(LineTerms.Create(0, part, 19.99m, 7.5m, 20), docDiscount);
                return Kazan.Features.Pricing.Pricing.Line(terms, part, docDiscount) == expected;
            });
}
