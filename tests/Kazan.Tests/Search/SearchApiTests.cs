using System.Net.Http.Json;
using Kazan.Features.Search;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Search;

public sealed class SearchApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<List<ResultDto>> SearchAsync(HttpClient client, string q, int? limit = null)
    {
        var response = await client.GetAsync($"/api/v1/search?q={Uri.EscapeDataString(q)}{(limit is null ? "" : "&limit=" + limit)}", Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<SearchDto>(Ct))!.Results;
    }

    [Theory]
    [InlineData("istanbul")]
    [InlineData("İstanbul")]
    [InlineData("ISTANBUL")]
    [InlineData("Istanbul")]
    [InlineData("İSTANBUL")]
    [InlineData("istan")]
    public async Task Every_spelling_of_istanbul_finds_the_istanbul_account(string query)
    {
        var org = await factory.CreateOrganizationAsync("Arama İstanbul A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("İstanbul Çelik A.Ş.");
        await org.Admin.Client.CreateAccountAsync("Ankara Döküm");

        var results = await SearchAsync(org.Admin.Client, query);

        Assert.Equal([account.Id], results.Select(r => r.Id));
    }

    [Fact]
    public async Task Dotless_and_dotted_i_find_each_other_both_ways()
    {
        var org = await factory.CreateOrganizationAsync("Arama Isparta A.Ş.");
        var upper = await org.Admin.Client.CreateAccountAsync("ISPARTA GÜL YAĞI");
        var dotless = await org.Admin.Client.CreateAccountAsync("ısparta halı");
        var title = await org.Admin.Client.CreateAccountAsync("Isparta Kilim");

        foreach (var query in new[] { "ısparta", "ISPARTA", "Isparta", "isparta", "İSPARTA" })
        {
            var results = await SearchAsync(org.Admin.Client, query);
            Assert.Equal(new[] { upper.Id, dotless.Id, title.Id }.Order(), results.Select(r => r.Id).Order());
        }
    }

    [Fact]
    public async Task Plain_letters_find_turkish_ones_in_names_of_contacts()
    {
        var org = await factory.CreateOrganizationAsync("Arama Şahin A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Doğu Tarım");
        var contact = await org.Admin.Client.CreateContactAsync(account.Id, "Gülşen", "Şahin", "gulsen@dogutarim.com.tr");

        foreach (var query in new[] { "sahin", "ŞAHİN", "Şahin", "gulsen sahin", "sahin gul" })
        {
            var result = Assert.Single(await SearchAsync(org.Admin.Client, query));
            Assert.Equal(("contact", contact.Id, "Gülşen Şahin", $"/contacts/{contact.Id}"), (result.Kind, result.Id, result.Title, result.Url));
            Assert.Equal("Doğu Tarım", result.Subtitle);
        }
    }

    [Fact]
    public async Task Every_word_must_match_and_words_match_word_starts_only()
    {
        var org = await factory.CreateOrganizationAsync("Arama Kelime A.Ş.");
        var celik = await org.Admin.Client.CreateAccountAsync("İstanbul Çelik A.Ş.", city: "İstanbul");
        var tekstil = await org.Admin.Client.CreateAccountAsync("İstanbul Tekstil");
        var izmir = await org.Admin.Client.CreateAccountAsync("İzmir Çelik");

        Assert.Equal([celik.Id], (await SearchAsync(org.Admin.Client, "istanbul celik")).Select(r => r.Id));
        Assert.Equal([celik.Id], (await SearchAsync(org.Admin.Client, "çel İST")).Select(r => r.Id));
        Assert.Equal(new[] { celik.Id, tekstil.Id }.Order(), (await SearchAsync(org.Admin.Client, "istanbul")).Select(r => r.Id).Order());
        Assert.Equal(new[] { celik.Id, izmir.Id }.Order(), (await SearchAsync(org.Admin.Client, "celik")).Select(r => r.Id).Order());
        Assert.Empty(await SearchAsync(org.Admin.Client, "stanbul"));
        Assert.Empty(await SearchAsync(org.Admin.Client, "istanbul ankara"));
    }

    [Fact]
    public async Task Results_are_typed_and_ranked_exact_title_first_then_title_start_then_other_fields()
    {
        var org = await factory.CreateOrganizationAsync("Arama Sıra A.Ş.");
        var byEmail = await org.Admin.Client.CreateAccountAsync("Ege Makina", city: "Kazanlı");
        var starts = await org.Admin.Client.CreateAccountAsync("Kazan Kazanları Ltd.");
        var exact = await org.Admin.Client.CreateAccountAsync("Kazan");
        var contact = await org.Admin.Client.CreateContactAsync(exact.Id, "Kazan", "Usta");
        var opportunity = await factory.OpportunityAsync(org, exact.Id, "Kazan dairesi yenileme", 1000m, org.Admin.Id);

        var results = await SearchAsync(org.Admin.Client, "kazan");

        Assert.Equal([exact.Id, starts.Id, contact.Id, opportunity, byEmail.Id], results.Select(r => r.Id));
        Assert.Equal(["account", "account", "contact", "opportunity", "account"], results.Select(r => r.Kind));
        var deal = results[3];
        Assert.Equal(("Kazan dairesi yenileme", $"/opportunities/{opportunity}"), (deal.Title, deal.Url));
        Assert.StartsWith("Kazan · ", deal.Subtitle, StringComparison.Ordinal); // account · stage
        Assert.Equal("Kazanlı", results[4].Subtitle);
        Assert.Equal(2, (await SearchAsync(org.Admin.Client, "kazan", limit: 2)).Count);
    }

    [Fact]
    public async Task A_renamed_account_is_found_by_its_new_name_only()
    {
        var org = await factory.CreateOrganizationAsync("Arama Ad A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Eski Ünvan Ltd.");
        var update = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{account.Id}", new { kind = "Company", name = "Yeni Ünvan A.Ş." }, "\"0\"");
        await update.EnsureSuccessAsync();

        Assert.Empty(await SearchAsync(org.Admin.Client, "eski"));
        Assert.Single(await SearchAsync(org.Admin.Client, "yeni unvan"));
    }

    [Fact]
    public async Task A_rep_finds_only_what_the_rep_may_see_until_reps_may_see_all()
    {
        var org = await factory.CreateOrganizationAsync("Arama Görünürlük A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep);
        var mehmet = await org.AddUserAsync(UserRole.Rep);
        var hers = await ayse.Client.CreateAccountAsync("Trabzon Fındık");
        await ayse.Client.CreateContactAsync(hers.Id, "Trabzonlu", "Hamsi");
        await factory.OpportunityAsync(org, hers.Id, "Trabzon ihracat", 1000m, ayse.Id);
        var his = await mehmet.Client.CreateAccountAsync("Trabzon Çay");

        Assert.Equal([his.Id], (await SearchAsync(mehmet.Client, "trabzon")).Select(r => r.Id));
        Assert.Equal(4, (await SearchAsync(org.Admin.Client, "trabzon")).Count);
        Assert.Equal(3, (await SearchAsync(ayse.Client, "trabzon")).Count);

        await org.SetRepsSeeAllAsync(true);

        Assert.Equal(4, (await SearchAsync(mehmet.Client, "trabzon")).Count);
    }

    [Fact]
    public async Task A_query_without_a_word_of_two_letters_or_an_out_of_range_limit_is_a_400()
    {
        var org = await factory.CreateOrganizationAsync("Arama Hata A.Ş.");

        await (await org.Admin.Client.GetAsync("/api/v1/search", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/search?q=a", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/search?q=%21%21%21", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/search?q=ab&limit=51", Ct)).ProblemAsync(400);
        Assert.Empty(await SearchAsync(org.Admin.Client, "ab"));
    }

    [Fact]
    public async Task The_search_is_a_prefix_range_on_the_index_not_a_like_scan()
    {
        var org = await factory.CreateOrganizationAsync("Arama Plan A.Ş.");
        await org.Admin.Client.CreateAccountAsync("İstanbul Çelik A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id, UserRole.Rep);
        using (scope)
        {
            var query = SearchQueries.Candidates(db, SearchQueries.WordsOf("İstanbul çel"), 100);
            var sql = query.ToQueryString();

            Assert.DoesNotContain("LIKE", sql, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("lower(", sql, StringComparison.OrdinalIgnoreCase);
            Assert.Contains(">=", sql, StringComparison.Ordinal);
            Assert.Contains("<", sql, StringComparison.Ordinal);

            // The plan reads the (OrganizationId, Term) index by range.
            var plan = await QueryPlans.ExplainAsync(db, query, Ct);
            var text = string.Join("\n", plan);
            if (KazanFactory.UsePostgres)
            {
                Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
                Assert.Contains(plan, line => line.Contains("IX_SearchEntries_OrganizationId", StringComparison.Ordinal));
                Assert.Contains(plan, line => line.Contains("Index Cond", StringComparison.Ordinal)
                    && line.Contains("Term", StringComparison.Ordinal) && line.Contains(">=", StringComparison.Ordinal));
            }
            else
            {
                // "SCAN x" is a full scan; "SEARCH x USING INDEX … (OrganizationId=? AND Term>? AND Term<?)" is the range.
                // The second word is one more range read once, not a probe per candidate.
                Assert.DoesNotContain(plan, line => line.StartsWith("SCAN ", StringComparison.Ordinal));
                Assert.DoesNotContain(plan, line => line.Contains("CORRELATED", StringComparison.Ordinal));
                // Both ranges are read from the index alone (it holds EntityId and EntityType), and the index order is
                // the query's order: no visit of the table per row, no sort of everything a common prefix matched.
                Assert.Equal(2, plan.Count(line => line.Contains("USING COVERING INDEX IX_SearchEntries_OrganizationId_Term_EntityId (OrganizationId=? AND Term>? AND Term<?)", StringComparison.Ordinal)));
                Assert.DoesNotContain(plan, line => line.Contains("TEMP B-TREE", StringComparison.Ordinal));
                Assert.Contains(plan, line => line.Contains("IX_SearchEntries_OrganizationId", StringComparison.Ordinal)
                    && line.Contains("Term>?", StringComparison.Ordinal) && line.Contains("Term<?", StringComparison.Ordinal));
            }
        }
    }

    private sealed record SearchDto(List<ResultDto> Results);

    private sealed record ResultDto(string Kind, Guid Id, string Title, string? Subtitle, string Url, bool IsArchived);
}
