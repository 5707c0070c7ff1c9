using System.Globalization;
using Kazan.Infrastructure.Localization;

namespace Kazan.Tests.Localization;

/// <summary>Kazan's one date format per language, and the typed dates each language accepts or refuses.</summary>
public sealed class DateTextTests
{
    private static readonly CultureInfo Tr = Formats.Culture("tr-TR");
    private static readonly CultureInfo En = Formats.Culture("en-US");

    private static CultureInfo Culture(string language) => language == "tr" ? Tr : En;

    [Theory]
    [InlineData("tr", "05.12.2026", "2026-12-05")]
    [InlineData("tr", "5.12.2026", "2026-12-05")]
    [InlineData("tr", "5/12/2026", "2026-12-05")]
    [InlineData("tr", "05/12/2026", "2026-12-05")]
    [InlineData("tr", "5-12-2026", "2026-12-05")]
    [InlineData("tr", "5.12.26", "2026-12-05")]
    [InlineData("tr", "05.12.99", "2099-12-05")]
    [InlineData("tr", "2026-12-05", "2026-12-05")]
    [InlineData("tr", " 1.2.2027 ", "2027-02-01")]
    [InlineData("tr", "29.02.2028", "2028-02-29")]
    [InlineData("en", "05 Dec 2026", "2026-12-05")]
    [InlineData("en", "5 dec 2026", "2026-12-05")]
    [InlineData("en", "5 December 2026", "2026-12-05")]
    [InlineData("en", "5 Dec 26", "2026-12-05")]
    [InlineData("en", "Dec 5, 2026", "2026-12-05")]
    [InlineData("en", "December 5 2026", "2026-12-05")]
    [InlineData("en", "05-Dec-2026", "2026-12-05")]
    [InlineData("en", "12/5/2026", "2026-12-05")]
    [InlineData("en", "12/05/26", "2026-12-05")]
    [InlineData("en", "2026-12-05", "2026-12-05")]
    public void Dates_read_the_way_the_users_language_writes_them(string language, string text, string expected)
    {
        var read = DateText.Parse(text, Culture(language));

        Assert.Null(read.Problem);
        Assert.Equal(DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture), read.Value);
    }

    [Theory]
    [InlineData("tr", "31.02.2026", DateProblemKind.NoSuchDate)]
    [InlineData("tr", "29.02.2027", DateProblemKind.NoSuchDate)]
    [InlineData("tr", "12/31/2026", DateProblemKind.NoSuchDate)]
    [InlineData("tr", "5 Dec 2026", DateProblemKind.NoSuchDate)]
    [InlineData("tr", "yarın", DateProblemKind.NotADate)]
    [InlineData("tr", "5.12", DateProblemKind.NotADate)]
    [InlineData("tr", "5.12.2026 10:00", DateProblemKind.NotADate)]
    [InlineData("en", "31 Feb 2026", DateProblemKind.NoSuchDate)]
    [InlineData("en", "13/5/2026", DateProblemKind.NoSuchDate)]
    [InlineData("en", "05.12.2026", DateProblemKind.NoSuchDate)]
    [InlineData("en", "tomorrow", DateProblemKind.NotADate)]
    [InlineData("en", "5 Dek 2026", DateProblemKind.NoSuchDate)]
    [InlineData("tr", "05.12.1850", DateProblemKind.OutOfRange)]
    public void Impossible_or_unreadable_dates_are_refused_with_an_example(string language, string text, DateProblemKind kind)
    {
        var read = DateText.Parse(text, Culture(language));

        Assert.Null(read.Value);
        Assert.Equal(kind, read.Problem!.Kind);
        Assert.Equal(language == "tr" ? "05.12.2026" : "05 Dec 2026", read.Problem.Example);
    }

    [Fact]
    public void An_empty_box_is_no_date_unless_it_is_required()
    {
        Assert.Equal(new DateRead(null, null), DateText.Parse("", Tr));
        Assert.Equal(DateProblemKind.Required, DateText.Parse(" ", Tr, required: true).Problem!.Kind);
    }

    [Fact]
    public void Turkish_shows_day_month_year_with_dots_and_English_the_month_by_name()
    {
        var day = new DateOnly(2026, 12, 5);

        Assert.Equal("05.12.2026", DateText.Format(day, Tr));
        Assert.Equal("05 Dec 2026", DateText.Format(day, En));
        Assert.Equal("05.12.2026 14:30", DateText.Format(new DateTime(2026, 12, 5, 14, 30, 0), Tr));
        Assert.Equal("05 Dec 2026 2:30 PM", DateText.Format(new DateTime(2026, 12, 5, 14, 30, 0), En));
        Assert.Equal(day, DateText.Parse(DateText.Format(day, Tr), Tr).Value);
        Assert.Equal(day, DateText.Parse(DateText.Format(day, En), En).Value);
    }

    [Fact]
    public void Links_carry_ISO_dates_that_read_in_either_language()
    {
        Assert.Equal(new DateOnly(2026, 12, 5), DateText.ParseLink("2026-12-05", Tr).Value);
        Assert.Equal(new DateOnly(2026, 12, 5), DateText.ParseLink("2026-12-05", En).Value);
        Assert.Equal(new DateOnly(2026, 12, 5), DateText.ParseLink("05.12.2026", Tr).Value);
        Assert.Equal("2026-12-05", DateText.Iso(new DateOnly(2026, 12, 5)));
    }
}
