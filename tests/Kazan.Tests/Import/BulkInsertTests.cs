using System.Text.Json;
using Kazan.Features.Accounts;
using Kazan.Features.Contacts;
using Kazan.Features.Opportunities;
using Kazan.Features.Search;
using Kazan.Infrastructure.Auditing;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Import;

/// <summary>
/// The import's fast save must store exactly what the ordinary SaveChanges stores: the same columns read back the
/// same (money to the kuruş, dates, GUIDs, enums, complex values), the same audit trail, the same search words and
/// the same deal history — or reports, search and the audit page would tell imported records apart.
/// </summary>
public sealed class BulkInsertTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Records_saved_in_bulk_read_back_like_records_saved_one_by_one_with_the_same_audit_search_words_and_history()
    {
        var org = await factory.CreateOrganizationAsync("Toplu Kayıt A.Ş.");
        var account = await factory.AccountAsync(org, "Müşteri Çelik A.Ş.");
        var at = new DateTimeOffset(2026, 3, 14, 9, 26, 53, TimeSpan.Zero).AddTicks(1230);
        var ordinary = await SaveAsync(org, account, at, bulk: false);
        var fast = await SaveAsync(org, account, at, bulk: true);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            foreach (var (one, other) in ordinary.Zip(fast))
            {
                Assert.Equal(await RecordAsync(db, one), await RecordAsync(db, other));
                Assert.Equal(await AuditAsync(db, one), await AuditAsync(db, other));
                Assert.Equal(await WordsAsync(db, one), await WordsAsync(db, other));
            }

            // The deal's history starts at its creation, as a deal made on the board: one event for the open and one for the win.
            var events = await db.OpportunityEvents.AsNoTracking().Where(e => e.OpportunityId == fast[2] || e.OpportunityId == ordinary[2])
                .ToListAsync(Ct);
            Assert.Equal(events.Count(e => e.OpportunityId == ordinary[2]), events.Count(e => e.OpportunityId == fast[2]));
            Assert.True(events.Count(e => e.OpportunityId == fast[2]) >= 2);
            Assert.Equal(
                events.Where(e => e.OpportunityId == ordinary[2]).Select(Shape).Order(),
                events.Where(e => e.OpportunityId == fast[2]).Select(Shape).Order());

            // Search finds the bulk-saved contact by a Turkish word of its name, as it finds the other one.
            Assert.Equal(2, await db.SearchEntries.CountAsync(s => s.Term == "ozdemir" && (s.EntityId == fast[1] || s.EntityId == ordinary[1]), Ct));
        }
    }

    [Fact]
    public async Task A_bulk_save_outside_a_transaction_is_refused_and_writes_nothing()
    {
        var org = await factory.CreateOrganizationAsync("İşlemsiz A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            db.Accounts.Add(new Account(org.Id, org.Admin.Id, AccountKind.Company, "Yalnız A.Ş.", DateTimeOffset.UtcNow));
            var bulk = scope.ServiceProvider.GetRequiredService<BulkInsert>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => bulk.SaveAsync(Ct));
            db.ChangeTracker.Clear();
            Assert.False(await db.Accounts.AnyAsync(a => a.Name == "Yalnız A.Ş.", Ct));
        }
    }

    /// <summary>An account, a contact and a won deal in foreign currency, made the same way; saved in bulk or one by one.</summary>
    private async Task<Guid[]> SaveAsync(TestOrganization org, Guid accountId, DateTimeOffset at, bool bulk)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = await db.Stages.Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault)).OrderBy(s => s.Position).FirstAsync(Ct);
            var account = new Account(org.Id, org.Admin.Id, AccountKind.Company, "Şişecam Ürünleri Ltd. Şti.", at)
            {
                City = "İzmir",
                TaxOffice = "Karşıyaka",
                Notes = "İlk sipariş: 1.234,56 ₺",
            };
            var contact = new Contact(org.Id, org.Admin.Id, accountId, "Gülşen", "Özdemir", at) { Email = "gulsen@example.com", Title = "Satın Alma" };
            var deal = new Opportunity(org.Id, org.Admin.Id, accountId, stage, "Kompresör yenileme — 3. hat", 1_234_567.89m, "EUR", 37.1234m,
                new DateOnly(2026, 6, 30), org.Admin.Id, at);
            deal.MarkWon(org.Admin.Id, at.AddHours(2), new DateOnly(2026, 3, 14));
            db.AddRange(account, contact, deal);

            if (bulk)
            {
                await using var transaction = await db.Database.BeginTransactionAsync(Ct);
                await scope.ServiceProvider.GetRequiredService<BulkInsert>().SaveAsync(Ct);
                Assert.Empty(db.ChangeTracker.Entries());
                await transaction.CommitAsync(Ct);
            }
            else
            {
                await db.SaveChangesAsync(Ct);
            }

            return [account.Id, contact.Id, deal.Id];
        }
    }

    /// <summary>Every stored column of the record but its id, read back through EF Core.</summary>
    private static async Task<string> RecordAsync(KazanDbContext db, Guid id)
    {
        object record = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, Ct) as object
            ?? await db.Contacts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, Ct) as object
            ?? await db.Opportunities.AsNoTracking().FirstAsync(o => o.Id == id, Ct);
        var json = JsonSerializer.SerializeToNode(record, record.GetType())!.AsObject();
        json.Remove("Id");
        return json.ToJsonString();
    }

    private static async Task<List<string>> AuditAsync(KazanDbContext db, Guid id)
    {
        var key = id.ToString();
        var entries = await db.Set<AuditEntry>().AsNoTracking().Where(a => a.EntityId == key).ToListAsync(Ct);
        return [.. entries.Select(a => $"{a.EntityType} {a.Action} {a.UserId} {a.Changes.Replace(key, "ID", StringComparison.OrdinalIgnoreCase)}").Order()];
    }

    private static async Task<List<string>> WordsAsync(KazanDbContext db, Guid id) =>
        [.. (await db.Set<SearchEntry>().AsNoTracking().Where(s => s.EntityId == id).Select(s => s.EntityType + " " + s.Term + " " + s.OwnerId).ToListAsync(Ct)).Order()];

    private static string Shape(OpportunityEvent e)
    {
        var json = JsonSerializer.SerializeToNode(e)!.AsObject();
        json.Remove("Id");
        json.Remove("OpportunityId");
        return json.ToJsonString();
    }
}
