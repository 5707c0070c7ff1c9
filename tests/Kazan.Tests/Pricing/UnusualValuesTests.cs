using Kazan.Features.Pricing;

namespace Kazan.Tests.Pricing;

/// <summary>The values the editors ask about before saving or sending: legal, but usually a slip.</summary>
public sealed class UnusualValuesTests
{
    private static CheckedLine Line(int line, decimal price, decimal discount = 0m, decimal? list = null) => new(line, "Vana", price, discount, list);

    [Fact]
    public void Discounts_above_fifty_percent_are_unusual_fifty_itself_is_not()
    {
        var found = UnusualValues.Find([Line(1, 100m, 50m), Line(2, 100m, 75m)], documentDiscountPercent: 50.01m);

        Assert.Equal(
            [new UnusualValue(UnusualKind.LineDiscount, 2, "Vana", 75m), new UnusualValue(UnusualKind.DocumentDiscount, null, null, 50.01m)],
            found);
    }

    [Theory]
    [InlineData(48_750_000, true)] // three zeros too many
    [InlineData(48_749_999, false)]
    [InlineData(48.75, true)] // three zeros too few
    [InlineData(48.76, false)]
    [InlineData(0, true)] // given away
    [InlineData(48_750, false)]
    public void A_price_a_thousand_times_the_list_price_or_a_thousandth_of_it_is_unusual(decimal price, bool unusual) =>
        Assert.Equal(unusual, UnusualValues.Find([Line(1, price, list: 48_750m)], 0m).Any(v => v.Kind == UnusualKind.PriceFarFromList));

    [Fact]
    public void Lines_without_a_comparable_list_price_are_not_compared()
    {
        Assert.Empty(UnusualValues.Find([Line(1, 1_000_000_000m), Line(2, 0m, list: 0m)], 0m));
    }

    [Fact]
    public void A_list_price_counts_in_the_documents_currency_or_from_the_base_currency_at_the_documents_rate()
    {
        Assert.Equal(100m, UnusualValues.ListPriceIn("USD", 35m, "TRY", 100m, "USD"));
        Assert.Equal(100m, UnusualValues.ListPriceIn("USD", 35m, "TRY", 3_500m, "TRY"));
        Assert.Null(UnusualValues.ListPriceIn("EUR", 38m, "TRY", 100m, "USD"));
    }

    [Fact]
    public void The_confirmation_names_exactly_the_values_confirmed()
    {
        var first = UnusualValues.Signature(UnusualValues.Find([Line(1, 100m, 75m)], 0m));
        var changed = UnusualValues.Signature(UnusualValues.Find([Line(1, 100m, 80m)], 0m));

        Assert.NotEqual(first, changed);
        Assert.Equal(first, UnusualValues.Signature(UnusualValues.Find([Line(1, 100m, 75.00m)], 0m)));
    }
}
