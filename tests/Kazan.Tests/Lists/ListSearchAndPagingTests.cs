using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kazan.Features.Accounts;
using Kazan.Features.Quotes;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;

namespace Kazan.Tests.Lists;

/// <summary>
/// The lists a user works through: a Turkish-aware search box on accounts, contacts and quotes, the quotes' owner and
/// date filters, a bounded count of matches, and pages both ways (previous and next) — through the API and the pages.
/// </summary>
public sealed partial class ListSearchAndPagingTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_accounts_search_box_finds_names_cities_and_tax_numbers_the_Turkish_way_and_counts_the_matches()
    {
        var org = await factory.CreateOrganizationAsync("Arama Listesi A.Ş.");
        var client = org.Admin.Client;
        await client.CreateAccountAsync("İSTANBUL Çelik Döküm A.Ş.", city: "Bursa");
        await client.CreateAccountAsync("Şahin Gıda Ltd. Şti.", taxNumber: "4710145325", city: "Konya");
        await client.CreateAccountAsync("Ege Tekstil A.Ş.", city: "İzmir");

        Assert.Equal(["İSTANBUL Çelik Döküm A.Ş."], await NamesAsync(client, "/api/v1/accounts?q=istanbul celik"));
        Assert.Equal(["Şahin Gıda Ltd. Şti."], await NamesAsync(client, "/api/v1/accounts?q=SAHIN"));
        Assert.Equal(["Şahin Gıda Ltd. Şti."], await NamesAsync(client, "/api/v1/accounts?q=47101"));
        Assert.Equal(["Ege Tekstil A.Ş."], await NamesAsync(client, "/api/v1/accounts?q=izmir"));
        Assert.Empty(await NamesAsync(client, "/api/v1/accounts?q=istanbul tekstil"));

        var html = await client.GetStringAsync("/accounts?q=%C5%9Fahin", Ct);
        Assert.Contains("Şahin Gıda Ltd. Şti.", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Ege Tekstil", html, StringComparison.Ordinal);
        Assert.Contains("value=\"şahin\"", html, StringComparison.Ordinal);
        Assert.Contains(">1 kayıt<", html, StringComparison.Ordinal);
        Assert.Contains(">3 kayıt<", await client.GetStringAsync("/accounts", Ct), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/accounts?q=a")]
    [InlineData("/api/v1/contacts?q=%C3%A7")]
    [InlineData("/api/v1/quotes?q=x")]
    public async Task A_search_without_a_word_of_two_letters_is_a_400_naming_q(string url)
    {
        var org = await factory.CreateOrganizationAsync("Kısa Arama A.Ş.");

        var problem = await (await org.Admin.Client.GetAsync(url, Ct)).ProblemAsync(400);

        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }

    [Fact]
    public async Task A_search_longer_than_200_characters_is_a_400_and_the_page_says_what_to_type()
    {
        var org = await factory.CreateOrganizationAsync("Uzun Arama A.Ş.");

        await (await org.Admin.Client.GetAsync("/api/v1/accounts?q=" + new string('a', 201), Ct)).ProblemAsync(400);
        var html = await org.Admin.Client.GetStringAsync("/contacts?q=x", Ct);

        Assert.Contains("data-testid=\"search-error\"", html, StringComparison.Ordinal);
        Assert.Contains("en az iki harf", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_contacts_search_box_finds_people_by_name_and_email()
    {
        var org = await factory.CreateOrganizationAsync("Kişi Arama A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Rize Çay A.Ş.");
        await org.Admin.Client.CreateContactAsync(account.Id, "Gülşen", "Öztürk", "gulsen@rizecay.example");
        await org.Admin.Client.CreateContactAsync(account.Id, "Ümit", "Koç", "umit@rizecay.example");

        using var page = JsonDocument.Parse(await org.Admin.Client.GetStringAsync("/api/v1/contacts?q=GULSEN ozturk", Ct));
        var byMail = await org.Admin.Client.GetStringAsync("/contacts?q=umit%40rize", Ct);

        Assert.Equal(["Gülşen"], page.RootElement.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("firstName").GetString()));
        Assert.Contains("Ümit", byMail, StringComparison.Ordinal);
        Assert.DoesNotContain("Gülşen", byMail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quotes_are_found_by_number_in_any_of_its_forms_by_customer_words_by_owner_and_by_dates()
    {
        var org = await factory.CreateOrganizationAsync("Teklif Arama A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Selin Satış");
        var kaya = await factory.AccountAsync(org, "Kaya İnşaat A.Ş.");
        var ozturk = await factory.AccountAsync(org, "Öztürk Gıda Ltd. Şti.", rep.Id);
        var first = await OrderTestData.QuoteAsync(org.Admin.Client, kaya, await factory.OpportunityAsync(org, kaya), OrderTestData.Line("Vana", 1, 100));
        var created = await rep.Client.PostAsJsonAsync("/api/v1/quotes", new { accountId = ozturk, currency = "TRY", lines = new[] { OrderTestData.Line("Pompa", 1, 100) } }, Ct);
        await created.EnsureSuccessAsync();
        var second = (await created.Content.ReadFromJsonAsync<OrderTestData.QuoteDto>(Ct))!;
        var secondNumber = second.DisplayNumber;                 // TKL-2026-00002
        var sequence = int.Parse(secondNumber[^5..], System.Globalization.CultureInfo.InvariantCulture);
        var year = secondNumber.Split('-')[1];

        Assert.Equal([secondNumber], await NumbersAsync(org, "q=" + secondNumber));
        Assert.Equal([secondNumber], await NumbersAsync(org, $"q={year}-{sequence}"));
        Assert.Equal([secondNumber], await NumbersAsync(org, $"q={sequence}"));
        Assert.Equal([secondNumber], await NumbersAsync(org, "q=" + Uri.EscapeDataString(secondNumber + " / R1")));
        Assert.Equal([secondNumber, first.DisplayNumber], await NumbersAsync(org, $"q=TKL-{year}"));
        Assert.Equal([secondNumber], await NumbersAsync(org, "q=ozturk"));
        Assert.Equal([first.DisplayNumber], await NumbersAsync(org, "q=" + Uri.EscapeDataString("KAYA İNŞ")));
        Assert.Equal([secondNumber], await NumbersAsync(org, $"ownerId={rep.Id}"));

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.Equal(2, (await NumbersAsync(org, $"createdFrom={today.AddDays(-1):yyyy-MM-dd}&createdTo={today.AddDays(1):yyyy-MM-dd}")).Count);
        Assert.Empty(await NumbersAsync(org, $"createdTo={today.AddDays(-2):yyyy-MM-dd}"));
        Assert.Equal(2, (await NumbersAsync(org, $"validFrom={today.AddDays(29):yyyy-MM-dd}&validTo={today.AddDays(31):yyyy-MM-dd}")).Count);
        Assert.Empty(await NumbersAsync(org, $"validTo={today.AddDays(5):yyyy-MM-dd}"));

        var html = await org.Admin.Client.GetStringAsync($"/quotes?q=ozturk&ownerId={rep.Id}&dates=valid&from={today.AddDays(29):yyyy-MM-dd}", Ct);
        Assert.Contains(secondNumber, html, StringComparison.Ordinal);
        Assert.DoesNotContain(first.DisplayNumber, html, StringComparison.Ordinal);
        Assert.Contains(">1 kayıt<", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("createdFrom=2026-05-02&createdTo=2026-05-01", "createdTo")]
    [InlineData("validFrom=2026-05-02&validTo=2026-05-01", "validTo")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("ownerId=nobody", "ownerId")]
    public async Task Bad_quote_filters_are_a_400_problem(string query, string field)
    {
        var org = await factory.CreateOrganizationAsync("Teklif Filtre A.Ş.");

        var problem = await (await org.Admin.Client.GetAsync("/api/v1/quotes?" + query, Ct)).ProblemAsync(400);

        Assert.Contains(field, problem.GetRawText(), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("TKL-2026-00042", 2026, 42)]
    [InlineData("tkl-2026-42 / r3", 2026, 42)]
    [InlineData("2026-7", 2026, 7)]
    [InlineData("00042", null, 42)]
    [InlineData("TKL-2026", 2026, null)]
    public void A_quote_number_is_read_whole_or_in_parts(string text, int? year, int? sequence)
    {
        var search = QuoteSearch.Parse(text);

        Assert.Equal(year, search.Year);
        Assert.Equal(sequence, search.Sequence);
        Assert.Empty(search.CustomerWords);
    }

    [Fact]
    public async Task Paging_forward_then_back_shows_the_same_pages_through_the_api_and_the_pager()
    {
        var org = await factory.CreateOrganizationAsync("İleri Geri A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            for (var i = 1; i <= 12; i++)
            {
                db.Accounts.Add(new Account(org.Id, org.Admin.Id, AccountKind.Company, $"Hesap {i:00}", DateTimeOffset.UtcNow));
            }

            await db.SaveChangesAsync(Ct);
        }

        var page1 = await PageAsync(org.Admin.Client, "/api/v1/accounts?limit=5");
        var page2 = await PageAsync(org.Admin.Client, "/api/v1/accounts?limit=5&cursor=" + page1.Next);
        var page3 = await PageAsync(org.Admin.Client, "/api/v1/accounts?limit=5&cursor=" + page2.Next);
        var back2 = await PageAsync(org.Admin.Client, "/api/v1/accounts?limit=5&cursor=" + page3.Previous);
        var back1 = await PageAsync(org.Admin.Client, "/api/v1/accounts?limit=5&cursor=" + back2.Previous);

        Assert.Null(page1.Previous);
        Assert.Equal(["Hesap 11", "Hesap 12"], page3.Names);
        Assert.Null(page3.Next);
        Assert.Equal(page2.Names, back2.Names);
        Assert.Equal(page1.Names, back1.Names);
        Assert.Null(back1.Previous);
        Assert.Equal(page2.Names, (await PageAsync(org.Admin.Client, "/api/v1/accounts?limit=5&cursor=" + back1.Next)).Names);

        // The page: 50 a page, so with 53 accounts the second page has a previous link back to the first.
        var (scope2, db2) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope2)
        {
            for (var i = 13; i <= 53; i++)
            {
                db2.Accounts.Add(new Account(org.Id, org.Admin.Id, AccountKind.Company, $"Hesap {i:00}", DateTimeOffset.UtcNow));
            }

            await db2.SaveChangesAsync(Ct);
        }

        var first = await org.Admin.Client.GetStringAsync("/accounts", Ct);
        Assert.DoesNotContain("data-testid=\"previous-page\"", first, StringComparison.Ordinal);
        Assert.Contains(">Sonraki →<", first, StringComparison.Ordinal);
        Assert.DoesNotContain("→ →", first, StringComparison.Ordinal);
        var second = await org.Admin.Client.GetStringAsync(Link(first, "next-page"), Ct);
        Assert.Contains("Hesap 53", second, StringComparison.Ordinal);
        Assert.Contains(">← Önceki<", second, StringComparison.Ordinal);
        var backToFirst = await org.Admin.Client.GetStringAsync(Link(second, "previous-page"), Ct);
        Assert.Contains("Hesap 01", backToFirst, StringComparison.Ordinal);
        Assert.Contains("Hesap 50", backToFirst, StringComparison.Ordinal);
        Assert.DoesNotContain("Hesap 51", backToFirst, StringComparison.Ordinal);
        Assert.DoesNotContain("data-testid=\"previous-page\"", backToFirst, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/opportunities")]
    [InlineData("/accounts")]
    [InlineData("/contacts")]
    [InlineData("/quotes")]
    [InlineData("/orders")]
    [InlineData("/products")]
    public async Task Every_paged_list_shows_a_count_and_localized_pager_labels_in_English_too(string path)
    {
        var org = await factory.CreateOrganizationAsync("Sayılı Liste " + path.Trim('/') + " Ltd.", "en-US");

        var html = await org.Admin.Client.GetStringAsync(path, Ct);

        Assert.Matches(">0 found<", html);
        Assert.Contains("data-testid=\"pager\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_count_stops_at_1000_and_says_more()
    {
        var org = await factory.CreateOrganizationAsync("Bin Artı A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            for (var i = 0; i < 1001; i++)
            {
                db.Products.Add(new Kazan.Features.Products.Product(org.Id, $"P-{i:0000}", $"Ürün {i:0000}", "adet", 10m, "TRY", 20m));
            }

            await db.SaveChangesAsync(Ct);
        }

        var html = await org.Admin.Client.GetStringAsync("/products", Ct);

        Assert.Contains(">1.000+ kayıt<", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    private static string Link(string html, string testId) =>
        WebUtility.HtmlDecode(Regex.Match(html, $"<a href=\"([^\"]+)\" data-testid=\"{testId}\"").Groups[1].Value);

    private static async Task<List<string>> NamesAsync(HttpClient client, string url) =>
        (await PageAsync(client, url)).Names;

    private static async Task<List<string>> NumbersAsync(TestOrganization org, string query)
    {
        var response = await org.Admin.Client.GetAsync("/api/v1/quotes?" + query, Ct);
        await response.EnsureSuccessAsync();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return json.RootElement.GetProperty("items").EnumerateArray().Select(q => q.GetProperty("displayNumber").GetString()!).ToList();
    }

    private static async Task<ListPage> PageAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        await response.EnsureSuccessAsync();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = json.RootElement;
        return new ListPage(
            root.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("name").GetString()!).ToList(),
            root.GetProperty("next").GetString() is { } n ? Uri.EscapeDataString(n) : null,
            root.GetProperty("previous").GetString() is { } p ? Uri.EscapeDataString(p) : null);
    }

    private sealed record ListPage(List<string> Names, string? Next, string? Previous);
}
