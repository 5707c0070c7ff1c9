using Kazan.Features.Accounts;

namespace Kazan.Tests.Accounts;

public sealed class AccountNameKeyTests
{
    [Theory]
    [InlineData("İstanbul Çelik A.Ş.")]
    [InlineData("ISTANBUL CELIK AŞ")]
    [InlineData("istanbul çelik a.ş")]
    [InlineData("İstanbul Çelik San. ve Tic. Ltd. Şti.")]
    [InlineData("İSTANBUL ÇELİK SANAYİ VE TİCARET ANONİM ŞİRKETİ")]
    [InlineData("  İstanbul   Çelik  ")]
    public void Spellings_and_legal_forms_of_one_company_share_a_key(string name) =>
        Assert.Equal("istanbul celik", Account.KeyOf(name));

    [Fact]
    public void Different_companies_keep_different_keys()
    {
        Assert.NotEqual(Account.KeyOf("İstanbul Çelik A.Ş."), Account.KeyOf("İstanbul Çelikhane A.Ş."));
        Assert.NotEqual(Account.KeyOf("Anadolu Makina"), Account.KeyOf("Anadolu Makina Sanayi Kimya"));
    }

    [Fact]
    public void Only_trailing_legal_form_words_are_dropped() =>
        Assert.Equal("ve sanayi odasi", Account.KeyOf("Ve Sanayi Odası Ltd."));

    [Fact]
    public void A_name_that_is_only_a_legal_form_keeps_its_folded_self() =>
        Assert.Equal("as", Account.KeyOf("A.Ş."));

    [Fact]
    public void Renaming_keeps_the_key_in_step_and_the_city_key_follows_the_city()
    {
        var account = new Account(Guid.NewGuid(), Guid.NewGuid(), AccountKind.Company, "Şahin Gıda Ltd. Şti.", DateTimeOffset.UtcNow);
        Assert.Equal("sahin gida", account.NameKey);

        account.Rename("Öztürk Ticaret");
        account.City = " İSTANBUL ";

        Assert.Equal("ozturk", account.NameKey);
        Assert.Equal("İSTANBUL", account.City);
        Assert.Equal("istanbul", account.CityKey);

        account.City = "  ";
        Assert.Null(account.City);
        Assert.Null(account.CityKey);
    }
}
