using Kazan.Infrastructure.Text;

namespace Kazan.Tests.Search;

public sealed class TurkishTextTests
{
    [Theory]
    [InlineData("istanbul")]
    [InlineData("İstanbul")]
    [InlineData("ISTANBUL")]
    [InlineData("Istanbul")]
    [InlineData("İSTANBUL")]
    [InlineData("ıstanbul")]
    public void Every_spelling_of_istanbul_folds_alike(string text) => Assert.Equal("istanbul", TurkishText.Fold(text));

    [Theory]
    [InlineData("ısparta")]
    [InlineData("ISPARTA")]
    [InlineData("Isparta")]
    [InlineData("isparta")]
    [InlineData("İSPARTA")]
    public void Dotless_and_dotted_i_fold_alike(string text) => Assert.Equal("isparta", TurkishText.Fold(text));

    [Theory]
    [InlineData("Şahin", "sahin")]
    [InlineData("ŞAHİN", "sahin")]
    [InlineData("Çağlar Öğüt", "caglar ogut")]
    [InlineData("ÜMİT IŞIK", "umit isik")]
    [InlineData("Gülşen Çiçek", "gulsen cicek")]
    public void Turkish_letters_fold_to_plain_letters(string text, string folded) => Assert.Equal(folded, TurkishText.Fold(text));

    [Fact]
    public void Decomposed_letters_fold_like_composed_ones() =>
        Assert.Equal(TurkishText.Fold("Şahin Çelik"), TurkishText.Fold("S\u0327ahin C\u0327elik"));

    [Theory]
    [InlineData("  Ali   Veli  ", "ali veli")]
    [InlineData("Kazan-Makina/İzmir", "kazan makina izmir")]
    [InlineData("info@kazan.com.tr", "info@kazan.com.tr")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("!!! ---", "")]
    public void Punctuation_separates_words_and_spaces_collapse(string? text, string folded) => Assert.Equal(folded, TurkishText.Fold(text));

    [Fact]
    public void Words_are_distinct_and_at_most_64_characters()
    {
        var words = TurkishText.Words("İstanbul ISTANBUL Ankara", null, new string('a', 100)).ToList();

        Assert.Equal(["istanbul", "ankara", new string('a', 64)], words);
    }
}
