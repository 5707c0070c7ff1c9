using System.Net.Http.Json;
using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Opportunities;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Lists;

/// <summary>
/// The one keyset rule (<see cref="Keyset"/>): pages continue after (sort value, id) in both directions, also across long
/// runs of equal sort values, on both databases; and the condition is the form each database seeks an index with.
/// </summary>
public sealed class KeysetPagingTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record ItemDto(Guid Id, string Title);

    private sealed record TwoWayPage(List<ItemDto> Items, string? Next, string? Previous);

    private sealed record AccountDto(Guid Id, string Name);

    private sealed record AccountPage(List<AccountDto> Items, string? Next, string? Previous);

    [Fact]
    public async Task Deal_pages_cross_a_run_of_equal_close_dates_forward_and_back_in_both_orders()
    {
        var org = await factory.CreateOrganizationAsync("Eşit Tarih A.Ş.");
        var account = await factory.AccountAsync(org, "Eşit Tarih Müşterisi", org.Admin.Id, city: null);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync(Ct);
            var now = DateTimeOffset.UtcNow;

            // 3 early, 17 on one day (several pages of 4 share it), 3 late.
            db.Opportunities.AddRange(Enumerable.Range(0, 23).Select(i => new Opportunity(
                org.Id, org.Admin.Id, account, stage, $"Fırsat {i:00}", 1_000m, "TRY", 1m,
                new DateOnly(2027, 5, 10).AddDays(i < 3 ? -1 : i >= 20 ? 1 : 0), org.Admin.Id, now)));
            await db.SaveChangesAsync(Ct);
        }

        foreach (var sort in new[] { "sort=CloseDate", "sort=CloseDate&desc=true", "sort=Amount&desc=true", "sort=Created" })
        {
            var all = (await org.Admin.Client.GetFromJsonAsync<TwoWayPage>($"/api/v1/opportunities?{sort}&limit=100", Sales.Json, Ct))!.Items.Select(i => i.Id).ToList();
            Assert.Equal(23, all.Count);

            var pages = new List<TwoWayPage>();
            string? cursor = null;
            do
            {
                var page = (await org.Admin.Client.GetFromJsonAsync<TwoWayPage>(
                    $"/api/v1/opportunities?{sort}&limit=4" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), Sales.Json, Ct))!;
                pages.Add(page);
                cursor = page.Next;
            }
            while (cursor is not null);

            Assert.Equal(all, pages.SelectMany(p => p.Items).Select(i => i.Id));

            // Back from the last page, one page at a time: the same pages again.
            for (var i = pages.Count - 1; i > 0; i--)
            {
                var back = (await org.Admin.Client.GetFromJsonAsync<TwoWayPage>(
                    $"/api/v1/opportunities?{sort}&limit=4&cursor=" + Uri.EscapeDataString(pages[i].Previous!), Sales.Json, Ct))!;
                Assert.Equal(pages[i - 1].Items.Select(x => x.Id), back.Items.Select(x => x.Id));
            }
        }
    }

    [Fact]
    public async Task Account_pages_cross_a_run_of_equal_names_forward_and_back()
    {
        var org = await factory.CreateOrganizationAsync("Eşit Ad A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var now = DateTimeOffset.UtcNow;
            db.Accounts.AddRange(Enumerable.Range(0, 14).Select(i =>
                new Account(org.Id, org.Admin.Id, AccountKind.Company, i switch { < 2 => "Ahmet Ticaret", < 12 => "Çınar Yapı", _ => "Zeytin Evi" }, now)));
            await db.SaveChangesAsync(Ct);
        }

        var all = (await org.Admin.Client.GetFromJsonAsync<AccountPage>("/api/v1/accounts?limit=100", Ct))!.Items.Select(a => a.Id).ToList();
        Assert.Equal(14, all.Count);

        var pages = new List<AccountPage>();
        string? cursor = null;
        do
        {
            var page = (await org.Admin.Client.GetFromJsonAsync<AccountPage>("/api/v1/accounts?limit=3" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)), Ct))!;
            pages.Add(page);
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(all, pages.SelectMany(p => p.Items).Select(a => a.Id));
        for (var i = pages.Count - 1; i > 0; i--)
        {
            var back = (await org.Admin.Client.GetFromJsonAsync<AccountPage>("/api/v1/accounts?limit=3&cursor=" + Uri.EscapeDataString(pages[i].Previous!), Ct))!;
            Assert.Equal(pages[i - 1].Items.Select(a => a.Id), back.Items.Select(a => a.Id));
        }
    }

    [Fact]
    public async Task The_keyset_condition_keeps_exactly_the_rows_after_the_cursor_for_each_key_type_and_direction()
    {
        var org = await factory.CreateOrganizationAsync("Anahtar Türleri A.Ş.");
        var account = await factory.AccountAsync(org, "Anahtar Müşterisi", org.Admin.Id, city: null);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync(Ct);
            var now = DateTimeOffset.UtcNow;
            db.Opportunities.AddRange(Enumerable.Range(0, 30).Select(i => new Opportunity(
                org.Id, org.Admin.Id, account, stage, $"İş {i % 4}", (i % 3) * 500m, "TRY", 1m, new DateOnly(2027, 1, 1).AddDays(i % 5), org.Admin.Id,
                now.AddSeconds(i % 2))));
            await db.SaveChangesAsync(Ct);

            var deals = await db.Opportunities.AsNoTracking().Where(o => o.AccountId == account).ToListAsync(Ct);
            foreach (var descending in new[] { false, true })
            {
                foreach (var pivot in deals.OrderBy(o => o.Id).Take(6))
                {
                    await Same(o => o.ExpectedCloseDate, pivot.ExpectedCloseDate, pivot.Id, descending);
                    await Same(o => o.ForecastAmountBase, pivot.ForecastAmountBase, pivot.Id, descending);
                    await Same(o => o.CreatedAt, pivot.CreatedAt, pivot.Id, descending);
                    await Same(o => o.Title, pivot.Title, pivot.Id, descending);
                }
            }

            async Task Same<TKey>(System.Linq.Expressions.Expression<Func<Opportunity, TKey>> key, TKey value, Guid id, bool descending)
            {
                var compiled = key.Compile();
                var expected = deals
                    .Where(o =>
                    {
                        // Text as both databases here compare it (bytes), ids in their stored order (the hex digits).
                        var c = value is string text ? string.CompareOrdinal((string)(object)compiled(o)!, text) : Comparer<TKey>.Default.Compare(compiled(o), value);
                        var byId = string.CompareOrdinal(o.Id.ToString(), id.ToString());
                        var after = c > 0 || (c == 0 && byId > 0);
                        var before = c < 0 || (c == 0 && byId < 0);
                        return descending ? before : after;
                    })
                    .Select(o => o.Id).Order().ToList();
                var actual = await db.Opportunities.AsNoTracking().Where(o => o.AccountId == account)
                    .After(db, key, value, id, descending).Select(o => o.Id).ToListAsync(Ct);
                Assert.Equal(expected, actual.Order());
            }
        }
    }

    [Fact]
    public async Task The_keyset_condition_is_a_row_value_on_PostgreSQL_and_the_form_SQLite_seeks_on_SQLite()
    {
        var org = await factory.CreateOrganizationAsync("Plan A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var sql = db.Opportunities.After(db, o => o.ExpectedCloseDate, new DateOnly(2027, 1, 1), Guid.CreateVersion7(), descending: false)
                .OrderBy(o => o.ExpectedCloseDate).ThenBy(o => o.Id).Take(21).ToQueryString();
            var descendingSql = db.Opportunities.After(db, o => o.ExpectedCloseDate, new DateOnly(2027, 1, 1), Guid.CreateVersion7(), descending: true)
                .OrderByDescending(o => o.ExpectedCloseDate).ThenByDescending(o => o.Id).Take(21).ToQueryString();
            if (KazanFactory.UsePostgres)
            {
                Assert.Matches("""\(o\."ExpectedCloseDate", o\."Id"\) > \(@\w+, @\w+\)""", sql);
                Assert.Matches("""\(o\."ExpectedCloseDate", o\."Id"\) < \(@\w+, @\w+\)""", descendingSql);
                Assert.DoesNotContain("\"ExpectedCloseDate\" = @", sql, StringComparison.Ordinal);
            }
            else
            {
                // SQLite seeks this form already (and not key >= v AND (…): docs/performance.md, "Keyset pages").
                Assert.Matches("""
                    "o"\."ExpectedCloseDate" > @\w+ OR \("o"\."ExpectedCloseDate" = @\w+ AND "o"\."Id" > @\w+\)
                    """, sql);
                Assert.Matches("""
                    "o"\."ExpectedCloseDate" < @\w+ OR \("o"\."ExpectedCloseDate" = @\w+ AND "o"\."Id" < @\w+\)
                    """, descendingSql);
            }
        }
    }
    [Fact]
    public async Task The_list_of_every_status_by_close_date_pages_through_an_index_without_sorting_the_organization()
    {
        // The list with no status filter and its export read 1,000 rows a page: each page is an index range from the
        // cursor, not every deal of the organization read and sorted (15 s a page at 1M deals before the index).
        var org = await factory.CreateOrganizationAsync("Sırasız Liste A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var page = db.Opportunities.After(db, o => o.ExpectedCloseDate, new DateOnly(2027, 1, 1), Guid.CreateVersion7())
                .OrderBy(o => o.ExpectedCloseDate).ThenBy(o => o.Id).Take(1001).Select(o => new { o.Id, o.Title });
            var plan = string.Join("\n", await QueryPlans.ExplainAsync(db, page, Ct));
            Assert.Contains("IX_Opportunities_OrganizationId_ExpectedCloseDate_Id", plan, StringComparison.Ordinal);
            Assert.DoesNotContain(KazanFactory.UsePostgres ? "Sort" : "TEMP B-TREE", plan, StringComparison.Ordinal);
        }
    }
}
