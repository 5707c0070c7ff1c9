using Kazan.Features.Search;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Contacts;

/// <summary>The editable fields of a contact, shared by the API requests and the UI form.</summary>
/// <summary><see cref="AccountName"/> is null when the caller may not see the account (a rep's contact on another rep's account).</summary>
public sealed record ContactListItem(
    Guid Id, string FirstName, string LastName, string? Title, string? Email, string? Phone, Guid AccountId, string? AccountName,
    DateOnly? LeftOn, bool IsArchived, Guid OwnerId, string OwnerName);

public sealed record ContactResponse(
    Guid Id, Guid AccountId, string? AccountName, string FirstName, string LastName, string? Title, string? Email, string? Phone, string? Mobile,
    DateOnly? LeftOn, bool IsArchived, Guid OwnerId, string OwnerName, DateTimeOffset CreatedAt, string? ExternalId, int Version);

/// <summary><see cref="Q"/>: the search box (Turkish-aware word prefixes of name, e-mail, phone). <see cref="Left"/>: null lists everyone, true only people who left, false only those still there.</summary>
public sealed record ContactFilter(Guid? AccountId = null, Guid? OwnerId = null, bool Archived = false, bool? Left = null, string? Q = null);

/// <summary>The contact reads the API and the pages share; all under the tenant and owner filters.</summary>
public static class ContactQueries
{
    /// <summary>The contacts with any of these e-mail addresses (exact): how an import matches a file's rows, a batch at a time.</summary>
    public static IQueryable<Contact> WithEmails(KazanDbContext db, IReadOnlyCollection<string> emails) =>
        db.Contacts.Where(x => emails.Contains(x.Email!));

    public static async Task<Page<ContactListItem>> ListAsync(KazanDbContext db, ContactFilter filter, int limit, string? cursor, CancellationToken ct)
    {
        var query = Filtered(db, filter);
        var at = Cursor.Read(cursor);
        if (at is { Values: [var key, var idText] } && Guid.TryParse(idText, out var lastId))
        {
            query = query.After(db, c => c.NameKey, key, lastId, descending: at.Backward);
        }
        else
        {
            at = null;
        }

        var ordered = at?.Backward == true
            ? query.OrderByDescending(c => c.NameKey).ThenByDescending(c => c.Id)
            : query.OrderBy(c => c.NameKey).ThenBy(c => c.Id);
        var rows = await ordered.Take(limit + 1)
            .Select(c => new
            {
                Key = c.NameKey,
                Item = new ContactListItem(c.Id, c.FirstName, c.LastName, c.Title, c.Email, c.Phone, c.AccountId,
                    db.Accounts.Where(a => a.Id == c.AccountId).Select(a => a.Name).FirstOrDefault(),
                    c.LeftOn, c.IsArchived, c.OwnerId, db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? ""),
            })
            .ToListAsync(ct);
        var page = Paging.ToPage(rows, limit, at, r => [r.Key, r.Item.Id]);
        return new Page<ContactListItem>(page.Items.Select(r => r.Item).ToList(), page.Next, page.Previous);
    }

    /// <summary>How many contacts match the filter, up to <see cref="Paging.CountCap"/>.</summary>
    public static Task<BoundedCount> CountAsync(KazanDbContext db, ContactFilter filter, CancellationToken ct) =>
        Paging.CountAsync(Filtered(db, filter).Select(c => c.Id), ct);

    private static IQueryable<Contact> Filtered(KazanDbContext db, ContactFilter filter)
    {
        var query = db.Contacts.AsNoTracking().Where(c => c.IsArchived == filter.Archived);
        if (filter.AccountId is { } accountId)
        {
            query = query.Where(c => c.AccountId == accountId);
        }

        if (filter.OwnerId is { } ownerId)
        {
            query = query.Where(c => c.OwnerId == ownerId);
        }

        query = filter.Left switch
        {
            true => query.Where(c => c.LeftOn != null),
            false => query.Where(c => c.LeftOn == null),
            null => query,
        };

        // The search box: every word starts a word of the name, e-mail or phone (the search index).
        foreach (var word in SearchQueries.ListWords(filter.Q))
        {
            var matching = SearchQueries.Matching(db, nameof(Contact), word);
            query = query.Where(c => matching.Contains(c.Id));
        }

        return query;
    }

    public static Task<ContactResponse?> GetAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.Contacts.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new ContactResponse(c.Id, c.AccountId, db.Accounts.Where(a => a.Id == c.AccountId).Select(a => a.Name).FirstOrDefault(),
                c.FirstName, c.LastName, c.Title, c.Email, c.Phone, c.Mobile, c.LeftOn, c.IsArchived, c.OwnerId,
                db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? "", c.CreatedAt, c.ExternalId, c.Version))
            .FirstOrDefaultAsync(ct);

    public static async Task<ContactResponse> ToResponseAsync(KazanDbContext db, Contact c, CancellationToken ct) =>
        new(c.Id, c.AccountId, await db.Accounts.Where(a => a.Id == c.AccountId).Select(a => a.Name).FirstOrDefaultAsync(ct),
            c.FirstName, c.LastName, c.Title, c.Email, c.Phone, c.Mobile, c.LeftOn, c.IsArchived, c.OwnerId,
            await db.Users.Where(u => u.Id == c.OwnerId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "", c.CreatedAt, c.ExternalId, c.Version);
}
