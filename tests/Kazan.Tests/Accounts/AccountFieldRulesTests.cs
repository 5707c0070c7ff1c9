using CsCheck;
using Kazan.Features.Accounts;
using Kazan.Infrastructure.Commands;

namespace Kazan.Tests.Accounts;

/// <summary>The account field checks every entry point shares (<see cref="AccountCommands.Check"/>), without HTTP or a database.</summary>
public sealed class AccountFieldRulesTests
{
    private sealed record Fields(string Name, string? TaxNumber = null, string? Email = null) : IAccountFields
    {
        public AccountKind Kind => AccountKind.Company;
        public string? TaxOffice => null;
        public string? Address => null;
        public string? City => null;
        public string? Country => "TR";
        public string? Phone => null;
        public string? Website => null;
        public string? Notes => null;
    }

    [Fact]
    public void Valid_fields_pass()
    {
        Assert.Null(AccountCommands.Check(new Fields("Anadolu Makine", null, "satis@anadolu.com.tr")));
    }

    [Fact]
    public void Each_wrong_field_is_named_with_a_stable_code_in_one_answer()
    {
        var failure = AccountCommands.Check(new Fields("  ", "12345", "not-an-address"));

        Assert.NotNull(failure);
        Assert.Equal(OutcomeStatus.Invalid, failure.Value.Status);
        Assert.Equal("account.name-required", failure.Value.Codes!["name"]);
        Assert.Equal("account.tax-length", failure.Value.Codes["taxNumber"]);
        Assert.Equal("account.email-invalid", failure.Value.Codes["email"]);
        Assert.Equal(3, failure.Value.Errors!.Count);
    }

    [Fact]
    public void A_tax_number_is_refused_exactly_when_its_check_says_so_and_the_code_names_the_reason()
    {
        Gen.String[Gen.Char["0123456789 -x"], 0, 14].Sample(text =>
        {
            var error = TaxNumber.Check(TaxNumber.Normalize(text));
            var failure = AccountCommands.Check(new Fields("Deneme", text));
            if (error == TaxNumberError.None)
            {
                Assert.Null(failure);
            }
            else
            {
                Assert.Equal(AccountCommands.TaxCode(error), failure!.Value.Codes!["taxNumber"]);
            }
        });
    }
}
