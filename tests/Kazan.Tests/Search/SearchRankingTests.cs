using Kazan.Features.Search;

namespace Kazan.Tests.Search;

public sealed class SearchRankingTests
{
    [Theory]
    [InlineData("ist", "isu")]
    [InlineData("a", "b")]
    [InlineData("z9", "z:")]
    [InlineData("ab\uffff", "ac")]
    public void A_prefix_range_ends_just_above_every_word_with_that_prefix(string prefix, string end) =>
        Assert.Equal(end, SearchQueries.PrefixEnd(prefix));

    [Fact]
    public void Every_word_with_the_prefix_falls_inside_the_range_and_no_other_does()
    {
        var end = SearchQueries.PrefixEnd("ist")!;
        string[] inside = ["ist", "istanbul", "istzzzz", "ist\u0131"];
        string[] outside = ["is", "isu", "isa", "isua", "jst"];

        Assert.All(inside, w => Assert.True(string.CompareOrdinal(w, "ist") >= 0 && string.CompareOrdinal(w, end) < 0, w));
        Assert.All(outside, w => Assert.False(string.CompareOrdinal(w, "ist") >= 0 && string.CompareOrdinal(w, end) < 0, w));
    }

    [Theory]
    [InlineData("Kazan", 0)]
    [InlineData("Kazan Makina", 1)]
    [InlineData("Ege Kazan Makina", 2)]
    [InlineData("Kazanlı Makina Ltd.", 3)]
    [InlineData("Ege Tekstil", 4)]
    public void Titles_rank_from_exact_to_found_by_another_field(string title, int rank) =>
        Assert.Equal(rank, SearchQueries.Rank(title, "kazan", ["kazan"]));

    [Fact]
    public void Multi_word_queries_rank_by_all_words_in_any_order()
    {
        Assert.Equal(1, SearchQueries.Rank("İstanbul Çelik A.Ş.", "istanbul celik", ["istanbul", "celik"]));
        Assert.Equal(2, SearchQueries.Rank("Çelik İstanbul", "istanbul celik", ["istanbul", "celik"]));
        Assert.Equal(3, SearchQueries.Rank("İstanbullu Çelikçi", "istanbul celik", ["istanbul", "celik"]));
        Assert.Equal(4, SearchQueries.Rank("İstanbul Tekstil", "istanbul celik", ["istanbul", "celik"]));
    }

    [Fact]
    public void A_query_needs_one_word_of_two_characters()
    {
        Assert.False(SearchQueries.IsSearchable(SearchQueries.WordsOf("a")));
        Assert.False(SearchQueries.IsSearchable(SearchQueries.WordsOf("!! ?")));
        Assert.True(SearchQueries.IsSearchable(SearchQueries.WordsOf("a ist")));
        Assert.Equal(SearchQueries.MaxWords, SearchQueries.WordsOf("a b c d e f g h").Count);
    }
}
