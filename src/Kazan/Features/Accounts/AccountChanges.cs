using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Accounts;

/// <summary>Account changes that need more than the entity (other rows, other users); the API and the pages call these.</summary>
public static class AccountChanges
{
    /// <summary>
    /// Archives the account. Refused while it has open opportunities — also those of other reps the caller cannot see,
    /// which is why the owner filter is lifted for the count: archiving a customer must not hide live deals.
    /// </summary>
    public static async Task ArchiveAsync(KazanDbContext db, Account account, CancellationToken ct)
    {
        var open = await db.Opportunities.IgnoreQueryFilters([KazanDbContext.OwnerFilter])
            .CountAsync(o => o.AccountId == account.Id && o.Status == OpportunityStatus.Open, ct);
        if (open > 0)
        {
            throw new DomainRuleException(
                $"This account has {open} open opportunities: win, lose or move them before archiving it.", "account.has-open-opportunities", open);
        }

        account.Archive();
    }

    /// <summary>
    /// Gives the account to another active user. With <paramref name="withContacts"/>, the contacts of the account that the
    /// previous owner owned move too (contacts other users own stay theirs). Each change is audited by the SaveChanges
    /// that follows, and the search index moves with the owner. Returns how many contacts moved.
    /// </summary>
    public static async Task<int> TransferAsync(KazanDbContext db, Account account, Guid newOwnerId, bool withContacts, CancellationToken ct)
    {
        if (!await AccountQueries.IsActiveUserAsync(db, newOwnerId, ct))
        {
            throw new DomainRuleException("The new owner must be an active user of the organization.", "account.owner-unknown");
        }

        var previous = account.OwnerId;
        if (previous == newOwnerId)
        {
            return 0;
        }

        account.TransferTo(newOwnerId);
        if (!withContacts)
        {
            return 0;
        }

        // Tracked, not ExecuteUpdate: every contact's transfer is audited and its search entries change owner.
        var contacts = await db.Contacts.Where(c => c.AccountId == account.Id && c.OwnerId == previous).ToListAsync(ct);
        foreach (var contact in contacts)
        {
            contact.TransferTo(newOwnerId);
        }

        return contacts.Count;
    }
}
