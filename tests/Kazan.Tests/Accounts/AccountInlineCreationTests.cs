using System.Net;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Accounts;

/// <summary>
/// New opportunity and new quote no longer dead-end on "account not found": the account is created right there through
/// the account creation use case (check digits, duplicate warning) and the page goes on with it; the account page offers
/// "New opportunity" for itself.
/// </summary>
public sealed class AccountInlineCreationTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_search_that_finds_nothing_offers_the_new_account_with_the_typed_name_and_goes_on_to_the_opportunity_form()
    {
        var org = await factory.CreateOrganizationAsync("Yerinde Müşteri A.Ş.");
        var client = org.Admin.Client;
        const string url = "/opportunities/new?q=Karadeniz%20Un";

        var page = WebUtility.HtmlDecode(await client.GetStringAsync(url, Ct));
        Assert.Contains("Müşteri bulunamadı. Aşağıda hemen ekleyebilirsiniz.", page, StringComparison.Ordinal);
        Assert.Contains("value=\"Karadeniz Un\"", page, StringComparison.Ordinal);
        Assert.Matches("<details[^>]*open[^>]*data-testid=\"new-account\"", page);

        var badVkn = await client.PostFormAsync(url, "account-inline", new() { ["NewAccount.Kind"] = "Company", ["NewAccount.Name"] = "Karadeniz Un A.Ş.", ["NewAccount.TaxNumber"] = "4710145326" });
        Assert.Equal(HttpStatusCode.OK, badVkn.StatusCode);
        Assert.Contains("Bu VKN geçersiz: kontrol hanesi tutmuyor.", WebUtility.HtmlDecode(await badVkn.Content.ReadAsStringAsync(Ct)), StringComparison.Ordinal);

        var created = await (await client.PostFormAsync(url, "account-inline", new()
        {
            ["NewAccount.Kind"] = "Company",
            ["NewAccount.Name"] = "Karadeniz Un A.Ş.",
            ["NewAccount.TaxNumber"] = "4710145325",
            ["NewAccount.City"] = "Trabzon",
        })).RedirectedAsync();

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var account = await db.Accounts.SingleAsync(Ct);
            Assert.Equal(("Karadeniz Un A.Ş.", "4710145325", "Trabzon"), (account.Name, account.TaxNumber, account.City));
            Assert.Equal($"/opportunities/new?accountId={account.Id}", created!.PathAndQuery);
        }

        var form = WebUtility.HtmlDecode(await client.GetStringAsync(created.PathAndQuery, Ct));
        Assert.Contains("data-testid=\"account-name\">Karadeniz Un A.Ş.<", form, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"opportunity-title\"", form, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_likely_duplicate_is_shown_first_with_a_way_to_use_it_and_creating_anyway_needs_a_second_press()
    {
        var org = await factory.CreateOrganizationAsync("Mükerrer Yerinde A.Ş.");
        var existing = await factory.AccountAsync(org, "Kaya İnşaat A.Ş.");
        const string url = "/quotes/new?q=kaya%20insaat%20ltd";
        var fields = new Dictionary<string, string> { ["NewAccount.Kind"] = "Company", ["NewAccount.Name"] = "KAYA İNŞAAT LTD. ŞTİ." };

        var warned = await org.Admin.Client.PostFormAsync(url, "account-inline", fields);
        var html = WebUtility.HtmlDecode(await warned.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, warned.StatusCode);
        Assert.Contains("Olası mükerrer kayıtlar", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/quotes/new?accountId={existing}\" data-testid=\"duplicate-use\"", html, StringComparison.Ordinal);
        Assert.Contains("Yine de kaydet", html, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(org));

        var confirmed = System.Text.RegularExpressions.Regex.Match(html, "name=\"NewAccount.Confirmed\" value=\"([^\"]*)\"").Groups[1].Value;
        var next = await (await org.Admin.Client.PostFormAsync(url, "account-inline", new(fields) { ["NewAccount.Confirmed"] = confirmed })).RedirectedAsync();

        Assert.Equal(2, await CountAsync(org));
        Assert.StartsWith("/quotes/new?accountId=", next!.PathAndQuery, StringComparison.Ordinal);
        Assert.DoesNotContain(existing.ToString(), next.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_page_offers_a_new_opportunity_for_itself()
    {
        var org = await factory.CreateOrganizationAsync("Hesaptan Fırsat A.Ş.");
        var account = await factory.AccountAsync(org, "Ege Zeytin A.Ş.");

        var page = await org.Admin.Client.GetStringAsync($"/accounts/{account}", Ct);
        var form = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync($"/opportunities/new?accountId={account}", Ct));

        Assert.Contains($"href=\"/opportunities/new?accountId={account}\" data-testid=\"account-new-opportunity\"", page, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"account-name\">Ege Zeytin A.Ş.<", form, StringComparison.Ordinal);
    }

    private async Task<int> CountAsync(TestOrganization org)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            return await db.Accounts.CountAsync(Ct);
        }
    }
}
