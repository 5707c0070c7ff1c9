using System.Globalization;
using System.Xml.Linq;
using Kazan.Infrastructure.Localization;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

public sealed class LocalizationTests(KazanFactory factory)
{
    private static string ResourcePath(string file)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kazan.slnx")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir!.FullName, "src", "Kazan", "Resources", file);
    }

    private static HashSet<string> Keys(string file) =>
        XDocument.Load(ResourcePath(file)).Root!.Elements("data").Select(d => d.Attribute("name")!.Value).ToHashSet();

    [Fact]
    public void Every_english_string_has_a_turkish_translation_and_vice_versa()
    {
        var en = Keys("SharedResource.resx");
        var tr = Keys("SharedResource.tr.resx");
        Assert.Empty(en.Except(tr));
        Assert.Empty(tr.Except(en));
    }

    [Theory]
    [InlineData(1234.56, "TRY", "tr-TR", "1.234,56 ₺")]
    [InlineData(-1234.5, "TRY", "tr-TR", "-1.234,50 ₺")]
    [InlineData(1234567.891, "EUR", "tr-TR", "1.234.567,89 €")]
    [InlineData(1234.56, "USD", "en-US", "$1,234.56")]
    [InlineData(1234.56, "TRY", "en-US", "₺1,234.56")]
    [InlineData(0.005, "TRY", "tr-TR", "0,01 ₺")]
    public void Money_is_formatted_the_way_the_culture_writes_it(decimal amount, string currency, string culture, string expected) =>
        Assert.Equal(expected, Formats.Money(amount, currency, Formats.Culture(culture)));

    [Fact]
    public void The_turkish_culture_writes_dates_and_numbers_turkish_style()
    {
        var tr = Formats.Culture("tr-TR");
        Assert.Equal("27.11.2026", new DateTime(2026, 11, 27).ToString("d", tr));
        Assert.Equal("13.251,50", 13251.5m.ToString("N2", tr));
        Assert.Equal("İSTANBUL", "istanbul".ToUpper(tr));
        Assert.NotSame(CultureInfo.InvariantCulture, tr);
    }

    [Theory]
    [InlineData("tr-TR,tr;q=0.9", "Giriş yap", "Şifre")]
    [InlineData("en-US,en;q=0.9", "Sign in", "Password")]
    public async Task Pages_speak_the_browsers_language_with_turkish_letters_as_characters(string acceptLanguage, string title, string label)
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Add("Accept-Language", acceptLanguage);
        await factory.CreateOrganizationAsync("Dil A.Ş."); // with an organization, /signin shows the form instead of onboarding

        var html = await client.GetStringAsync("/signin", TestContext.Current.CancellationToken);

        Assert.Contains(title, html, StringComparison.Ordinal);
        Assert.Contains(label, html, StringComparison.Ordinal);
        Assert.DoesNotContain("&#x15F;", html, StringComparison.Ordinal); // ş must not be entity-encoded
    }
}
