using System.Net;
using System.Text.RegularExpressions;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Quotes;

/// <summary>The server-rendered quote pages, read as HTML (the editor journey is in Kazan.BrowserTests).</summary>
public sealed partial class QuotePagesTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static QuoteLineDraft Item(Guid key, string description, decimal qty, decimal price, decimal discount = 0m, decimal vat = 20m) =>
        new(key, QuoteLineKind.Item, null, description, qty, "adet", price, discount, vat);

    private static QuoteHeader Header => new("TRY", null, "tr", null, 0m, null, null);

    private async Task<Quote> CreateAsync(TestOrganization org, Guid accountId, Guid? opportunityId, params QuoteLineDraft[] lines)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
            var created = await QuoteCommands.CreateAsync(db, me, new OrganizationTime(TimeProvider.System, me), accountId, opportunityId, null, Header, lines, Ct);
            return created.Done().Quote;
        }
    }

    [Fact]
    public async Task The_quotes_page_lists_a_quote_with_its_account_status_totals_in_lira_and_primary_mark()
    {
        var org = await factory.CreateOrganizationAsync("Liste Teklif A.Ş.");
        var account = await factory.AccountAsync(org, "Ege Makine A.Ş.");
        var quote = await CreateAsync(org, account, null, Item(Guid.NewGuid(), "Pompa", 2, 617.28m));

        var html = await org.Admin.Client.GetStringAsync("/quotes", Ct);

        Assert.Contains(quote.DisplayNumber, html, StringComparison.Ordinal);
        Assert.Contains("Ege Makine A.Ş.", html, StringComparison.Ordinal);
        Assert.Contains("Taslak", html, StringComparison.Ordinal);
        Assert.Contains("1.234,56 ₺", html, StringComparison.Ordinal); // net
        Assert.Contains("1.481,47 ₺", html, StringComparison.Ordinal); // with 20 % VAT
        Assert.Contains("data-testid=\"primary-mark\"", html, StringComparison.Ordinal);

        var sentOnly = await org.Admin.Client.GetStringAsync("/quotes?status=Sent", Ct);
        Assert.DoesNotContain(quote.DisplayNumber, sentOnly, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_quotes_page_pages_with_a_next_link()
    {
        var org = await factory.CreateOrganizationAsync("Sayfa Teklif A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        for (var i = 0; i < 51; i++)
        {
            await CreateAsync(org, account, opportunity);
        }

        var first = await org.Admin.Client.GetStringAsync($"/quotes?accountId={account}", Ct);
        var next = WebUtility.HtmlDecode(NextLink().Match(first).Groups[1].Value);
        var second = await org.Admin.Client.GetStringAsync(next, Ct);

        Assert.Equal(50, QuoteRow().Count(first));
        Assert.Contains($"accountId={account}", next, StringComparison.Ordinal);
        Assert.Equal(1, QuoteRow().Count(second));
        Assert.Contains("-00001<", second, StringComparison.Ordinal); // the oldest comes last
    }

    [Fact]
    public async Task The_diff_page_shows_added_removed_and_changed_lines_and_the_totals_change()
    {
        var org = await factory.CreateOrganizationAsync("Fark A.Ş.");
        var account = await factory.AccountAsync(org);
        var (kept, dropped, changed) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var original = await CreateAsync(org, account, null,
            Item(kept, "Montaj", 1, 1000m), Item(dropped, "Eski kalem", 1, 500m), Item(changed, "Kompresör", 2, 10_000m));
        Guid revisionId;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
            var time = new OrganizationTime(TimeProvider.System, me);
            var quote = (await QuoteCommands.SendAsync(db, original.Id, original.Version, null, time, Ct)).Done();
            var revision = (await QuoteCommands.ReviseAsync(db, me, quote.Id, quote.Version, time, Ct)).Done();
            (await QuoteCommands.UpdateAsync(db, revision.Id, revision.Version, Header,
                [Item(kept, "Montaj", 1, 1000m), Item(changed, "Kompresör", 2, 9_500m), Item(Guid.NewGuid(), "Yeni bakım paketi", 1, 750m)], Ct)).Done();
            revisionId = revision.Id;
        }

        var quotePage = await org.Admin.Client.GetStringAsync($"/quotes/{revisionId}", Ct);
        var html = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync($"/quotes/{revisionId}/diff", Ct));

        Assert.Contains($"/quotes/{revisionId}/diff", quotePage, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"diff-added\"[^<]*>(.|\\n)*?Yeni bakım paketi", html);
        Assert.Matches("data-testid=\"diff-removed\"[^<]*>(.|\\n)*?<s>Eski kalem</s>", html);
        Assert.Matches("data-testid=\"diff-changed\"[^<]*>(.|\\n)*?Kompresör(.|\\n)*?10.000,00 ₺</span><span> → </span><mark[^>]*>9.500,00 ₺</mark>", html);
        Assert.Contains("data-testid=\"diff-unchanged\"", html, StringComparison.Ordinal);
        // Net: 21 500 → 20 750, so the change is −750,00 ₺.
        Assert.Contains("21.500,00 ₺", html, StringComparison.Ordinal);
        Assert.Contains("20.750,00 ₺", html, StringComparison.Ordinal);
        Assert.Contains("-750,00 ₺", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sent_quote_page_is_read_only_with_its_totals_and_accept_reject_revise_actions()
    {
        var org = await factory.CreateOrganizationAsync("Gönderim A.Ş.");
        var account = await factory.AccountAsync(org);
        var original = await CreateAsync(org, account, null, Item(Guid.NewGuid(), "Vana", 3, 100m));
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
            (await QuoteCommands.SendAsync(db, original.Id, original.Version, null, new OrganizationTime(TimeProvider.System, me), Ct)).Done();
        }

        var html = await org.Admin.Client.GetStringAsync($"/quotes/{original.Id}", Ct);

        Assert.Contains("Gönderildi", html, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"quote-editor\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"quote-accept\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"quote-reject\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"quote-revise\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("quote-compare", html, StringComparison.Ordinal);
        Assert.Contains("360,00 ₺", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_account_page_lists_its_quotes_and_offers_a_new_quote()
    {
        var org = await factory.CreateOrganizationAsync("Hesap Teklif A.Ş.");
        var account = await factory.AccountAsync(org);
        var quote = await CreateAsync(org, account, null, Item(Guid.NewGuid(), "Vana", 1, 100m));

        var html = await org.Admin.Client.GetStringAsync($"/accounts/{account}", Ct);

        Assert.Contains($"/quotes/new?accountId={account}", html, StringComparison.Ordinal);
        Assert.Contains($"/quotes/{quote.Id}", html, StringComparison.Ordinal);
        Assert.Contains(quote.DisplayNumber, html, StringComparison.Ordinal);
    }

    [GeneratedRegex("href=\"([^\"]+)\" data-testid=\"next-page\"")]
    private static partial Regex NextLink();

    [GeneratedRegex("data-testid=\"quote-row\"")]
    private static partial Regex QuoteRow();
}
