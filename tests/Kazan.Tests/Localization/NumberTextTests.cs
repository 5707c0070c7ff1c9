using System.Globalization;
using Kazan.Infrastructure.Localization;

namespace Kazan.Tests.Localization;

/// <summary>
/// Typed numbers read with the user's language (never the browser's): the table of what Turkish and English users type,
/// what Kazan stores, and what it refuses with which message.
/// </summary>
public sealed class NumberTextTests
{
    private static readonly CultureInfo Tr = Formats.Culture("tr-TR");
    private static readonly CultureInfo En = Formats.Culture("en-US");

    private static NumberRule Rule(string name) => name switch
    {
        "amount" => NumberRule.Amount,
        "price" => NumberRule.Price,
        "quantity" => NumberRule.Quantity,
        "line-quantity" => NumberRule.LineQuantity,
        "percent" => NumberRule.Percent,
        "probability" => NumberRule.Probability,
        "rate" => NumberRule.ExchangeRate,
        "days" => NumberRule.Whole(1, 3650),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static CultureInfo Culture(string language) => language == "tr" ? Tr : En;

    [Theory]
    // Turkish: dots group thousands, a comma marks decimals.
    [InlineData("tr", "price", "148.500", "148500")]
    [InlineData("tr", "price", "1.234,56", "1234.56")]
    [InlineData("tr", "price", "1234,56", "1234.56")]
    [InlineData("tr", "price", "1.234.567,8912", "1234567.8912")]
    [InlineData("tr", "price", "999.999.999,99", "999999999.99")]
    [InlineData("tr", "price", "148 500", "148500")]
    [InlineData("tr", "price", "148\u00A0500,50", "148500.50")]
    [InlineData("tr", "price", "148.500 ₺", "148500")]
    [InlineData("tr", "price", "148.500 TL", "148500")]
    [InlineData("tr", "price", "₺1.250", "1250")]
    [InlineData("tr", "price", "0", "0")]
    [InlineData("tr", "price", ",5", "0.5")]
    [InlineData("tr", "price", "  12,50  ", "12.5")]
    [InlineData("tr", "price", "7,5000", "7.5")]
    [InlineData("tr", "percent", "7,5", "7.5")]
    [InlineData("tr", "percent", "%7,5", "7.5")]
    [InlineData("tr", "percent", "7,5 %", "7.5")]
    [InlineData("tr", "percent", "100", "100")]
    [InlineData("tr", "quantity", "2,5", "2.5")]
    [InlineData("tr", "quantity", "1.000", "1000")]
    [InlineData("tr", "quantity", "0,0001", "0.0001")]
    [InlineData("tr", "rate", "34,5678", "34.5678")]
    [InlineData("tr", "amount", "1.000.000.000.000", "1000000000000")]
    [InlineData("tr", "days", "3.650", "3650")]
    [InlineData("tr", "probability", "%40", "40")]
    // English: commas group thousands, a point marks decimals.
    [InlineData("en", "price", "1,234.56", "1234.56")]
    [InlineData("en", "price", "148.500", "148.5")]
    [InlineData("en", "price", "1,234", "1234")]
    [InlineData("en", "price", "148,500", "148500")]
    [InlineData("en", "price", "999,999,999.99", "999999999.99")]
    [InlineData("en", "price", "$1,250.00", "1250")]
    [InlineData("en", "price", "€ 99.9", "99.9")]
    [InlineData("en", "price", ".5", "0.5")]
    [InlineData("en", "price", "1 234.5", "1234.5")]
    [InlineData("en", "percent", "7.5", "7.5")]
    [InlineData("en", "percent", "12.5%", "12.5")]
    [InlineData("en", "quantity", "1.234", "1.234")]
    [InlineData("en", "rate", "0.0312", "0.0312")]
    public void Good_text_reads_as_the_users_language_writes_it(string language, string rule, string text, string expected)
    {
        var read = NumberText.Parse(text, Rule(rule), Culture(language));

        Assert.Null(read.Problem);
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), read.Value);
    }

    [Theory]
    // The other language's separators: refused with the number written the user's way, never guessed.
    [InlineData("tr", "price", "12,345.6", "12.345,6")]
    [InlineData("tr", "price", "1,234.56", "1.234,56")]
    [InlineData("tr", "price", "1.5", "1,5")]
    [InlineData("tr", "price", "148.50", "148,5")]
    [InlineData("tr", "percent", "7.5", "7,5")]
    [InlineData("tr", "price", "1.2345", "1,2345")]
    [InlineData("tr", "price", ".5", "0,5")]
    [InlineData("en", "percent", "7,5", "7.5")]
    [InlineData("en", "price", "1.234,5", "1,234.5")]
    [InlineData("en", "price", "148,50", "148.5")]
    [InlineData("en", "price", "12,3456", "12.3456")]
    public void The_other_languages_separators_are_refused_with_the_users_way_of_writing_it(string language, string rule, string text, string suggestion)
    {
        var read = NumberText.Parse(text, Rule(rule), Culture(language));

        Assert.Null(read.Value);
        Assert.Equal(NumberProblemKind.WrongSeparator, read.Problem!.Kind);
        Assert.Equal(suggestion, read.Problem.Suggestion);
    }

    [Theory]
    [InlineData("tr", "abc")]
    [InlineData("tr", "1.2.3")]
    [InlineData("tr", "1,2,3")]
    [InlineData("tr", "12.34.567")]
    [InlineData("tr", "1.234.5678")]
    [InlineData("tr", "5,")]
    [InlineData("tr", "1.234,5.6")]
    [InlineData("tr", "1 234.567")]
    [InlineData("tr", "12a")]
    [InlineData("tr", "--5")]
    [InlineData("tr", "+5")]
    [InlineData("tr", "5 %")]
    [InlineData("en", "abc")]
    [InlineData("en", "1.2.3")]
    [InlineData("en", "1,2,3")]
    [InlineData("en", "1e5")]
    [InlineData("en", "0x10")]
    public void Text_that_is_no_number_is_refused_with_an_example(string language, string text)
    {
        var read = NumberText.Parse(text, NumberRule.Price, Culture(language));

        Assert.Null(read.Value);
        Assert.Equal(NumberProblemKind.NotANumber, read.Problem!.Kind);
        Assert.Equal(language == "tr" ? "1.234,56" : "1,234.56", read.Problem.Suggestion);
    }

    [Theory]
    [InlineData("tr", "amount", "12,345", 2)]
    [InlineData("tr", "price", "1,23456", 4)]
    [InlineData("tr", "percent", "7,125", 2)]
    [InlineData("en", "amount", "1.234", 2)]
    [InlineData("en", "quantity", "0.00001", 4)]
    [InlineData("tr", "days", "3,5", 0)]
    [InlineData("en", "probability", "40.5", 0)]
    public void More_decimals_than_the_box_keeps_are_refused_never_rounded(string language, string rule, string text, int decimals)
    {
        var read = NumberText.Parse(text, Rule(rule), Culture(language));

        Assert.Null(read.Value);
        Assert.Equal(NumberProblemKind.TooManyDecimals, read.Problem!.Kind);
        Assert.Equal(decimals, read.Problem.Decimals);
    }

    [Theory]
    [InlineData("tr", "percent", "100,01", "0", "100", false)]
    [InlineData("tr", "percent", "-5", "0", "100", false)]
    [InlineData("tr", "price", "1.000.000.000,01", "0", "1.000.000.000", false)]
    [InlineData("tr", "price", "99999999999999999999999999999999", "0", "1.000.000.000", false)]
    [InlineData("tr", "line-quantity", "0", "0", "1.000.000.000", true)]
    [InlineData("en", "rate", "0", "0", "1,000,000", true)]
    [InlineData("en", "days", "0", "1", "3,650", false)]
    [InlineData("en", "days", "4,000", "1", "3,650", false)]
    public void Values_outside_the_boxs_range_are_refused_with_the_bounds(string language, string rule, string text, string min, string max, bool exclusive)
    {
        var read = NumberText.Parse(text, Rule(rule), Culture(language));

        Assert.Null(read.Value);
        Assert.Equal(NumberProblemKind.OutOfRange, read.Problem!.Kind);
        Assert.Equal((min, max, exclusive), (read.Problem.Min, read.Problem.Max, read.Problem.MinExclusive));
    }

    [Fact]
    public void An_empty_box_is_no_value_unless_it_is_required()
    {
        Assert.Equal(new NumberRead(null, null), NumberText.Parse("  ", NumberRule.Price, Tr));
        Assert.Equal(NumberProblemKind.Required, NumberText.Parse("", NumberRule.Price, Tr, required: true).Problem!.Kind);
    }

    [Fact]
    public void Negative_numbers_only_pass_where_the_range_allows_them()
    {
        var signed = new NumberRule(NumberStyle.Quantity, 2, -100m, 100m);

        Assert.Equal(-7.5m, NumberText.Parse("-7,5", signed, Tr).Value);
        Assert.Equal(-1.5m, NumberText.Parse("\u22121.5", signed, En).Value);
        Assert.Equal(NumberProblemKind.OutOfRange, NumberText.Parse("-7,5", NumberRule.Percent, Tr).Problem!.Kind);
    }

    [Theory]
    [InlineData("tr", "price", "148500", "148.500,00")]
    [InlineData("tr", "price", "1234.5678", "1.234,5678")]
    [InlineData("tr", "price", "999999999.99", "999.999.999,99")]
    [InlineData("tr", "amount", "0", "0,00")]
    [InlineData("tr", "quantity", "2.5", "2,5")]
    [InlineData("tr", "quantity", "1000", "1.000")]
    [InlineData("tr", "quantity", "3.0000", "3")]
    [InlineData("tr", "percent", "7.50", "7,5")]
    [InlineData("tr", "percent", "20", "20")]
    [InlineData("tr", "rate", "34.5678", "34,5678")]
    [InlineData("tr", "days", "3650", "3650")]
    [InlineData("en", "price", "148500", "148,500.00")]
    [InlineData("en", "price", "1234.5678", "1,234.5678")]
    [InlineData("en", "quantity", "1234.25", "1,234.25")]
    [InlineData("en", "percent", "12.5", "12.5")]
    public void Values_are_written_back_grouped_in_the_users_language(string language, string rule, string value, string expected)
    {
        var text = NumberText.Format(decimal.Parse(value, CultureInfo.InvariantCulture), Rule(rule), Culture(language));

        Assert.Equal(expected, text);
        Assert.Equal(decimal.Parse(value, CultureInfo.InvariantCulture), NumberText.Parse(text, Rule(rule), Culture(language)).Value);
    }

    [Theory]
    [InlineData("tr", "148500.5", "148500.5")]
    [InlineData("tr", "1234.56", "1234.56")]
    [InlineData("tr", "148.500", "148500")]
    [InlineData("tr", "148.500,5", "148500.5")]
    [InlineData("tr", "1500", "1500")]
    [InlineData("en", "1234.56", "1234.56")]
    [InlineData("en", "1,234.56", "1234.56")]
    public void Links_carry_the_culture_free_form_and_typed_filters_the_users_own(string language, string text, string expected) =>
        Assert.Equal(decimal.Parse(expected, CultureInfo.InvariantCulture), NumberText.ParseLink(text, NumberRule.Amount, Culture(language)).Value);

    [Fact]
    public void Links_are_written_without_grouping_with_a_point()
    {
        Assert.Equal("148500.5", NumberText.Canonical(148_500.50m));
        Assert.Equal("1000", NumberText.Canonical(1000.00m));
    }
}
