using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Opportunities;

/// <summary>
/// <see cref="OpportunityQueries.WithIds"/>: a batch of deals by id (an export's details, a report's chunk) is read by
/// primary key, and still only the caller's: another organization's deal and, for a rep who sees only their own, a
/// colleague's deal are not found even when their ids are asked for.
/// </summary>
public sealed class OpportunityIdLookupTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deals_asked_for_by_id_are_only_the_callers_and_are_read_by_primary_key()
    {
        var org = await factory.CreateOrganizationAsync("Kimlikle Arayan A.Ş.");
        await org.SetRepsSeeAllAsync(false);
        var rep = await org.AddUserAsync(UserRole.Rep);
        var account = await factory.AccountAsync(org);
        var mine = await factory.OpportunityAsync(org, account, "Temsilcinin işi", ownerId: rep.Id);
        var colleagues = await factory.OpportunityAsync(org, account, "Yöneticinin işi");
        var (_, _, elsewhere) = await factory.OrganizationWithDealAsync("Başka Firma A.Ş.");
        Guid[] asked = [mine, colleagues, elsewhere];

        var (adminScope, adminDb) = factory.DbAs(org.Id, org.Admin.Id);
        using (adminScope)
        {
            var found = await OpportunityQueries.WithIds(adminDb, asked).Select(o => o.Id).ToListAsync(Ct);
            Assert.Equal([mine, colleagues], found.Order());

            if (!KazanFactory.UsePostgres)
            {
                var plan = string.Join("\n", await QueryPlans.ExplainAsync(adminDb, OpportunityQueries.WithIds(adminDb, asked).Select(o => new { o.Id, o.Title }), Ct));
                Assert.Contains($"USING INDEX {OpportunityQueries.SqlitePrimaryKeyIndex} (Id=?)", plan, StringComparison.Ordinal);
            }
        }

        var (repScope, repDb) = factory.DbAs(org.Id, rep.Id, UserRole.Rep);
        using (repScope)
        {
            Assert.Equal([mine], await OpportunityQueries.WithIds(repDb, asked).Select(o => o.Id).ToListAsync(Ct));
        }
    }
    [Fact]
    public async Task Accounts_asked_for_by_id_are_only_the_organizations_and_are_read_by_primary_key()
    {
        // The names of a page of quotes or orders: the accounts by id, through the same helper.
        var org = await factory.CreateOrganizationAsync("Hesap Arayan A.Ş.");
        var ours = await factory.AccountAsync(org, "Bizim Müşteri A.Ş.");
        var other = await factory.CreateOrganizationAsync("Başkasının Müşterisi A.Ş.");
        var theirs = await factory.AccountAsync(other, "Onların Müşterisi A.Ş.");
        Guid[] asked = [ours, theirs];

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal([ours], await db.Accounts.WithIds(db, asked).Select(a => a.Id).ToListAsync(Ct));
            if (!KazanFactory.UsePostgres)
            {
                var plan = string.Join("\n", await QueryPlans.ExplainAsync(db, db.Accounts.WithIds(db, asked).Select(a => new { a.Id, a.Name }), Ct));
                Assert.Contains($"USING INDEX {ByKey.SqlitePrimaryKeyIndex("Accounts")} (Id=?)", plan, StringComparison.Ordinal);
            }
        }
    }
}
