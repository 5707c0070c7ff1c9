using System.Net;
using Kazan.Infrastructure.Localization;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>One percent format: Turkish writes the sign first (%10), English after (10%) — on every page that shows one.</summary>
public sealed class PercentFormatTests(KazanFactory factory)
{
    [Theory]
    [InlineData("tr-TR", 10, "%10")]
    [InlineData("tr-TR", 7.5, "%7,5")]
    [InlineData("en-US", 10, "10%")]
    [InlineData("en-US", 7.5, "7.5%")]
    [InlineData("en-US", 0, "0%")]
    public void A_percentage_follows_the_culture(string culture, double value, string expected) =>
        Assert.Equal(expected, Formats.Percent((decimal)value, Formats.Culture(culture)));

    [Theory]
    [InlineData("en-US", "20%", "%20")]
    [InlineData("tr-TR", "%20", "20%")]
    public async Task The_product_list_and_the_stage_picker_write_percentages_the_users_way(string culture, string expected, string wrong)
    {
        var ct = TestContext.Current.CancellationToken;
        var org = await factory.CreateOrganizationAsync("Yüzde " + culture + " A.Ş.", culture);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            db.Products.Add(new Kazan.Features.Products.Product(org.Id, "P-1", "Pompa", "adet", 10m, "TRY", 20m));
            await db.SaveChangesAsync(ct);
        }

        var products = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync("/products", ct));
        var account = await org.Admin.Client.CreateAccountAsync("Yüzde Müşterisi");
        var newDeal = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync($"/opportunities/new?accountId={account.Id}", ct));

        Assert.Contains($">{expected}<", products, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, products, StringComparison.Ordinal);
        Assert.Contains(culture == "en-US" ? "(10%)" : "(%10)", newDeal, StringComparison.Ordinal);
        Assert.DoesNotContain(culture == "en-US" ? "%10" : "10%", newDeal, StringComparison.Ordinal);
    }
}
