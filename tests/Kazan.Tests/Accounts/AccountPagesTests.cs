using System.Net;
using System.Text.RegularExpressions;
using Kazan.Features.Accounts;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Accounts;

/// <summary>The server-rendered pages, read as HTML with a bearer client (the browser journeys are in Kazan.BrowserTests).</summary>
public sealed partial class AccountPagesTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_accounts_page_pages_with_a_next_link_that_carries_the_cursor_and_the_filters()
    {
        var org = await factory.CreateOrganizationAsync("Sayfalama A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            for (var i = 1; i <= 53; i++)
            {
                var account = new Account(org.Id, org.Admin.Id, AccountKind.Company, $"Hesap {i:000}", DateTimeOffset.UtcNow) { City = "Bursa" };
                db.Accounts.Add(account);
            }

            db.Accounts.Add(new Account(org.Id, org.Admin.Id, AccountKind.Company, "Başka Şehir", DateTimeOffset.UtcNow) { City = "Van" });
            await db.SaveChangesAsync(Ct);
        }

        var first = await org.Admin.Client.GetStringAsync("/accounts?city=BURSA", Ct);

        Assert.Contains("Hesap 001", first, StringComparison.Ordinal);
        Assert.Contains("Hesap 050", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Hesap 051", first, StringComparison.Ordinal);
        Assert.DoesNotContain("Başka Şehir", first, StringComparison.Ordinal);
        var next = WebUtility.HtmlDecode(NextLink().Match(first).Groups[1].Value);
        Assert.Contains("city=BURSA", next, StringComparison.Ordinal);
        Assert.Contains("cursor=", next, StringComparison.Ordinal);

        var second = await org.Admin.Client.GetStringAsync(next, Ct);

        Assert.Contains("Hesap 051", second, StringComparison.Ordinal);
        Assert.Contains("Hesap 053", second, StringComparison.Ordinal);
        Assert.DoesNotContain("Hesap 050", second, StringComparison.Ordinal);
        Assert.DoesNotMatch(NextLink(), second);
        Assert.Contains("data-testid=\"first-page\"", second, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_page_shows_its_fields_contacts_and_opportunities_with_stage_status_and_amount()
    {
        var org = await factory.CreateOrganizationAsync("Detay A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Konya Şeker A.Ş.", "4710145325", "Konya");
        await org.Admin.Client.CreateContactAsync(account.Id, "Mehmet", "Tatlı", "mehmet@konyaseker.com.tr");
        await factory.OpportunityAsync(org, account.Id, "Paketleme hattı", 1234.56m, org.Admin.Id);

        var html = await org.Admin.Client.GetStringAsync($"/accounts/{account.Id}", Ct);

        Assert.Contains("Konya Şeker A.Ş.", html, StringComparison.Ordinal);
        Assert.Contains("4710145325", html, StringComparison.Ordinal);
        Assert.Contains("Mehmet Tatlı", html, StringComparison.Ordinal);
        Assert.Contains("Paketleme hattı", html, StringComparison.Ordinal);
        Assert.Contains("Yeni", html, StringComparison.Ordinal); // the default pipeline's first stage
        Assert.Contains("Açık", html, StringComparison.Ordinal);
        Assert.Contains("1.234,56 ₺", html, StringComparison.Ordinal);
        Assert.Contains($"/contacts/new?accountId={account.Id}", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rep_gets_not_found_on_another_reps_account_page_and_search_page()
    {
        var org = await factory.CreateOrganizationAsync("Sayfa Görünürlük A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep);
        var mehmet = await org.AddUserAsync(UserRole.Rep);
        var hers = await ayse.Client.CreateAccountAsync("Gizli Müşteri Ltd.");

        var page = await mehmet.Client.GetStringAsync($"/accounts/{hers.Id}", Ct);
        var search = await mehmet.Client.GetStringAsync("/search?q=gizli", Ct);
        var own = await ayse.Client.GetStringAsync("/search?q=GIZLI", Ct);

        Assert.DoesNotContain("Gizli Müşteri", page, StringComparison.Ordinal);
        Assert.Contains("Bulunamadı", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Gizli Müşteri", search, StringComparison.Ordinal);
        Assert.Contains("Gizli Müşteri Ltd.", own, StringComparison.Ordinal);
        Assert.Contains($"/accounts/{hers.Id}", own, StringComparison.Ordinal);
    }

    [GeneratedRegex("<a href=\"([^\"]+)\" data-testid=\"next-page\"")]
    private static partial Regex NextLink();
}
