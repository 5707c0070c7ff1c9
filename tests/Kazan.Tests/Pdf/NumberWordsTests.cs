using System.Globalization;
using Kazan.Infrastructure.Localization;

namespace Kazan.Tests.Pdf;

public sealed class NumberWordsTests
{
    [Theory]
    [InlineData(0L, "sıfır")]
    [InlineData(1L, "bir")]
    [InlineData(10L, "on")]
    [InlineData(11L, "on bir")]
    [InlineData(100L, "yüz")]
    [InlineData(101L, "yüz bir")]
    [InlineData(999L, "dokuz yüz doksan dokuz")]
    [InlineData(1000L, "bin")]
    [InlineData(1001L, "bin bir")]
    [InlineData(2000L, "iki bin")]
    [InlineData(21_000L, "yirmi bir bin")]
    [InlineData(100_000L, "yüz bin")]
    [InlineData(1_000_000L, "bir milyon")]
    [InlineData(1_001_000L, "bir milyon bin")]
    [InlineData(12_345L, "on iki bin üç yüz kırk beş")]
    [InlineData(1_000_000_000L, "bir milyar")]
    [InlineData(2_000_300_040_005L, "iki trilyon üç yüz milyon kırk bin beş")]
    public void Turkish_numbers_read_as_a_Turkish_reader_says_them(long number, string words) =>
        Assert.Equal(words, NumberWords.Turkish(number));

    [Fact]
    public void Turkish_says_bin_and_yuz_without_bir_but_bir_milyon_with_it()
    {
        Assert.DoesNotContain("bir bin", NumberWords.Turkish(1_100), StringComparison.Ordinal);
        Assert.DoesNotContain("bir yüz", NumberWords.Turkish(1_100), StringComparison.Ordinal);
        Assert.Equal("bin yüz", NumberWords.Turkish(1_100));
        Assert.Equal("bir milyon yüz bin", NumberWords.Turkish(1_100_000));
    }

    [Theory]
    [InlineData(0L, "zero")]
    [InlineData(1L, "one")]
    [InlineData(10L, "ten")]
    [InlineData(11L, "eleven")]
    [InlineData(100L, "one hundred")]
    [InlineData(101L, "one hundred one")]
    [InlineData(1000L, "one thousand")]
    [InlineData(1001L, "one thousand one")]
    [InlineData(1_000_000L, "one million")]
    [InlineData(12_345L, "twelve thousand three hundred forty-five")]
    [InlineData(90_019L, "ninety thousand nineteen")]
    [InlineData(1_000_000_000L, "one billion")]
    public void English_numbers_read_in_US_style(long number, string words) =>
        Assert.Equal(words, NumberWords.English(number));

    [Theory]
    [InlineData("12345.67", "TRY", "tr", "on iki bin üç yüz kırk beş Türk Lirası altmış yedi Kuruş")]
    [InlineData("12345.67", "TRY", "en", "twelve thousand three hundred forty-five Turkish lira and sixty-seven kuruş")]
    [InlineData("1000", "TRY", "tr", "bin Türk Lirası")]
    [InlineData("0.5", "TRY", "tr", "sıfır Türk Lirası elli Kuruş")]
    [InlineData("1.01", "USD", "en", "one US dollar and one cent")]
    [InlineData("2500.10", "EUR", "tr", "iki bin beş yüz Avro on Sent")]
    [InlineData("2500.10", "EUR", "en", "two thousand five hundred euros and ten cents")]
    [InlineData("99.995", "TRY", "tr", "yüz Türk Lirası")]
    [InlineData("7.25", "AED", "en", "seven AED 25/100")]
    public void Amounts_read_with_their_currency_and_subunit(string amount, string currency, string language, string words) =>
        Assert.Equal(words, NumberWords.Amount(decimal.Parse(amount, CultureInfo.InvariantCulture), currency, language));
}
