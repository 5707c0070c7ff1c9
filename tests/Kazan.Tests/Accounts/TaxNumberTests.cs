using Kazan.Features.Accounts;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Accounts;

/// <summary>VKN (10 digits) and TCKN (11 digits) with their check digits. Valid samples were computed with the published algorithms.</summary>
public sealed class TaxNumberTests
{
    [Theory]
    [InlineData("1234567890")]
    [InlineData("9876543217")]
    [InlineData("4710145325")]
    [InlineData("1111111114")]
    [InlineData("0000000001")]
    public void A_vkn_with_a_matching_check_digit_is_valid(string vkn)
    {
        Assert.True(TaxNumber.IsValidVkn(vkn));
        Assert.True(TaxNumber.IsValid(vkn));
        Assert.Equal(TaxNumberError.None, TaxNumber.Check(vkn));
    }

    [Theory]
    [InlineData("10000000146")]
    [InlineData("12345678950")]
    [InlineData("98765432150")]
    [InlineData("55555555550")]
    public void A_tckn_with_matching_check_digits_is_valid(string tckn)
    {
        Assert.True(TaxNumber.IsValidTckn(tckn));
        Assert.True(TaxNumber.IsValid(tckn));
        Assert.Equal(TaxNumberError.None, TaxNumber.Check(tckn));
    }

    [Theory]
    [InlineData("1234567890")]
    [InlineData("4710145325")]
    public void Every_other_check_digit_makes_a_vkn_invalid(string valid)
    {
        foreach (var digit in "0123456789".Where(d => d != valid[9]))
        {
            var wrong = valid[..9] + digit;
            Assert.False(TaxNumber.IsValid(wrong), wrong);
            Assert.Equal(TaxNumberError.VknCheckDigit, TaxNumber.Check(wrong));
        }
    }

    [Theory]
    [InlineData("10000000146")]
    [InlineData("12345678950")]
    public void Every_other_last_two_digits_make_a_tckn_invalid(string valid)
    {
        for (var n = 0; n < 100; n++)
        {
            var wrong = valid[..9] + n.ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            if (wrong != valid)
            {
                Assert.False(TaxNumber.IsValid(wrong), wrong);
                Assert.Equal(TaxNumberError.TcknCheckDigits, TaxNumber.Check(wrong));
            }
        }
    }

    [Fact]
    public void A_tckn_never_starts_with_zero()
    {
        // 0 + nine digits with self-consistent check digits: the algorithm alone would accept it, the rule does not.
        Assert.False(TaxNumber.IsValidTckn("00000000000"));
        Assert.Equal(TaxNumberError.TcknCheckDigits, TaxNumber.Check("00000000000"));
    }

    [Theory]
    [InlineData("123456789", TaxNumberError.Length)]
    [InlineData("123456789012", TaxNumberError.Length)]
    [InlineData("12345678AB", TaxNumberError.NotDigits)]
    [InlineData("１２３４５６７８９０", TaxNumberError.NotDigits)] // full-width digits are not ASCII digits
    [InlineData("1234567891", TaxNumberError.VknCheckDigit)]
    [InlineData("10000000147", TaxNumberError.TcknCheckDigits)]
    public void An_invalid_number_says_why(string value, TaxNumberError expected)
    {
        Assert.False(TaxNumber.IsValid(value));
        Assert.Equal(expected, TaxNumber.Check(value));
        Assert.Contains(value, TaxNumber.Explain(expected, value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(" 123 456 78 90 ", "1234567890")]
    [InlineData("100 000 001 46", "10000000146")]
    [InlineData("   ", null)]
    [InlineData(null, null)]
    public void Spaces_people_type_are_not_part_of_the_number(string? typed, string? stored)
    {
        Assert.Equal(stored, TaxNumber.Normalize(typed));
        var account = new Account(Guid.NewGuid(), Guid.NewGuid(), AccountKind.Company, "Boşluk A.Ş.", DateTimeOffset.UtcNow);
        account.SetTaxNumber(typed);
        Assert.Equal(stored, account.TaxNumber);
    }

    [Fact]
    public void An_account_refuses_an_invalid_tax_number_and_keeps_the_old_one()
    {
        var account = new Account(Guid.NewGuid(), Guid.NewGuid(), AccountKind.Person, "Ayşe Yılmaz", DateTimeOffset.UtcNow);
        account.SetTaxNumber("10000000146");

        var error = Assert.Throws<DomainRuleException>(() => account.SetTaxNumber("10000000147"));

        Assert.Equal("account.tax-number", error.Code);
        Assert.Equal("10000000146", account.TaxNumber);
    }
}
