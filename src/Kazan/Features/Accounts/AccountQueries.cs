using System.Text.Json.Serialization;
using Kazan.Features.Opportunities;
using Kazan.Features.Search;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Accounts;

public sealed record AccountListItem(
    Guid Id, AccountKind Kind, string Name, string? City, string? TaxNumber, string? Phone, Guid OwnerId, string OwnerName, bool IsArchived);

/// <summary>An account. <see cref="Duplicates"/> is only present in the answer to a create or update (the duplicate check).</summary>
public sealed record AccountResponse(
    Guid Id, AccountKind Kind, string Name, string? TaxOffice, string? TaxNumber, string? Address, string? City, string? Country,
    string? Phone, string? Email, string? Website, string? Notes, Guid OwnerId, string OwnerName, bool IsArchived,
    DateTimeOffset CreatedAt, string? ExternalId, int Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DuplicateWarning? Duplicates = null);

/// <summary>Another account with the same tax number or the same name key (<see cref="Account.KeyOf"/>).</summary>
public sealed record PossibleDuplicate(
    Guid Id, string Name, string? City, string? TaxNumber, string OwnerName, bool IsArchived, bool SameTaxNumber, bool SameName);

/// <summary>
/// The duplicate check's answer. Accounts the caller may not see (a rep's view) are not listed: only how many there are
/// and who owns them, so the rep knows whom to ask instead of opening a second record for the same customer.
/// </summary>
public sealed record DuplicateWarning(IReadOnlyList<PossibleDuplicate> Accounts, int NotVisible, IReadOnlyList<string> NotVisibleOwners)
{
    [JsonIgnore]
    public bool Found => Accounts.Count > 0 || NotVisible > 0;
}

/// <summary><see cref="Q"/>: the search box (Turkish-aware word prefixes of name, city, tax number, e-mail, phone).</summary>
public sealed record AccountFilter(Guid? OwnerId = null, Guid? TeamId = null, bool Archived = false, string? City = null, string? Q = null);

public sealed record AccountOpportunityRow(
    Guid Id, string Title, string StageName, OpportunityStatus Status, decimal Amount, string Currency, DateOnly ExpectedCloseDate, string OwnerName);

public sealed record OwnerChoice(Guid Id, string Name, bool IsActive);

/// <summary>The account reads the API and the pages share. Every query runs under the tenant and owner filters.</summary>
public static class AccountQueries
{
    public static async Task<Page<AccountListItem>> ListAsync(KazanDbContext db, AccountFilter filter, int limit, string? cursor, CancellationToken ct)
    {
        var query = await FilteredAsync(db, filter, ct);
        var at = Cursor.Read(cursor);
        if (at is { Values: [var key, var idText] } && Guid.TryParse(idText, out var lastId))
        {
            query = query.After(db, a => a.NameKey, key, lastId, descending: at.Backward);
        }
        else
        {
            at = null;
        }

        var ordered = at?.Backward == true
            ? query.OrderByDescending(a => a.NameKey).ThenByDescending(a => a.Id)
            : query.OrderBy(a => a.NameKey).ThenBy(a => a.Id);
        var rows = await ordered.Take(limit + 1)
            .Select(a => new
            {
                Key = a.NameKey,
                Item = new AccountListItem(a.Id, a.Kind, a.Name, a.City, a.TaxNumber, a.Phone, a.OwnerId,
                    db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? "", a.IsArchived),
            })
            .ToListAsync(ct);
        var page = Paging.ToPage(rows, limit, at, r => [r.Key, r.Item.Id]);
        return new Page<AccountListItem>(page.Items.Select(r => r.Item).ToList(), page.Next, page.Previous);
    }

    /// <summary>How many accounts match the filter, up to <see cref="Paging.CountCap"/>.</summary>
    public static async Task<BoundedCount> CountAsync(KazanDbContext db, AccountFilter filter, CancellationToken ct) =>
        await Paging.CountAsync((await FilteredAsync(db, filter, ct)).Select(a => a.Id), ct);

    private static async Task<IQueryable<Account>> FilteredAsync(KazanDbContext db, AccountFilter filter, CancellationToken ct)
    {
        var query = db.Accounts.AsNoTracking().Where(a => a.IsArchived == filter.Archived);
        if (filter.OwnerId is { } ownerId)
        {
            query = query.Where(a => a.OwnerId == ownerId);
        }

        if (filter.TeamId is { } teamId)
        {
            // A team has tens of members: their ids make an IN list the owner index serves.
            var members = await db.Users.Where(u => u.TeamId == teamId).Select(u => u.Id).ToListAsync(ct);
            query = query.Where(a => members.Contains(a.OwnerId));
        }

        var city = TurkishText.Fold(filter.City);
        if (city.Length > 0)
        {
            query = query.Where(a => a.CityKey == city);
        }

        // The search box: every word starts a word of the name, city, tax number, e-mail or phone (the search index).
        foreach (var word in SearchQueries.ListWords(filter.Q))
        {
            var matching = SearchQueries.Matching(db, nameof(Account), word);
            query = query.Where(a => matching.Contains(a.Id));
        }

        return query;
    }

    public static Task<AccountResponse?> GetAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.Accounts.AsNoTracking().Where(a => a.Id == id)
            .Select(a => new AccountResponse(a.Id, a.Kind, a.Name, a.TaxOffice, a.TaxNumber, a.Address, a.City, a.Country, a.Phone, a.Email,
                a.Website, a.Notes, a.OwnerId, db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? "",
                a.IsArchived, a.CreatedAt, a.ExternalId, a.Version, null))
            .FirstOrDefaultAsync(ct);

    public static async Task<AccountResponse> ToResponseAsync(KazanDbContext db, Account a, DuplicateWarning? duplicates, CancellationToken ct) =>
        new(a.Id, a.Kind, a.Name, a.TaxOffice, a.TaxNumber, a.Address, a.City, a.Country, a.Phone, a.Email, a.Website, a.Notes, a.OwnerId,
            await OwnerNameAsync(db, a.OwnerId, ct), a.IsArchived, a.CreatedAt, a.ExternalId, a.Version, duplicates);

    public static async Task<string> OwnerNameAsync(KazanDbContext db, Guid userId, CancellationToken ct) =>
        await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";

    /// <summary>
    /// Other accounts with the same tax number or the same name key. The owner filter is lifted here, on purpose: the check
    /// exists to catch the customer another rep already works. What the caller may not see is reported only as a count
    /// and its owners' names (no ids, no details); the tenant filter stays on.
    /// </summary>
    public static async Task<DuplicateWarning> FindDuplicatesAsync(
        KazanDbContext db, CurrentUser me, string name, string? taxNumber, Guid? exceptId, CancellationToken ct)
    {
        var key = Account.KeyOf(name);
        taxNumber = TaxNumber.Normalize(taxNumber);
        var candidates = db.Accounts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).AsNoTracking();
        if (exceptId is { } except)
        {
            candidates = candidates.Where(a => a.Id != except);
        }

        // Two indexed lookups rather than one OR, which neither database serves from two indexes reliably.
        var byTax = taxNumber is null ? [] : await Rows(candidates.Where(a => a.TaxNumber == taxNumber)).ToListAsync(ct);
        var byName = key.Length == 0 ? [] : await Rows(candidates.Where(a => a.NameKey == key)).ToListAsync(ct);
        var found = byTax.Concat(byName).DistinctBy(r => r.Id)
            .Select(r => new { Row = r, SameTax = byTax.Any(t => t.Id == r.Id), SameName = byName.Any(n => n.Id == r.Id) })
            .OrderBy(r => r.Row.Name, StringComparer.Ordinal)
            .ToList();
        var visible = found.Where(r => !me.RestrictedToOwn || r.Row.OwnerId == me.UserId).ToList();
        var hidden = found.Except(visible).ToList();
        return new DuplicateWarning(
            visible.Select(r => new PossibleDuplicate(r.Row.Id, r.Row.Name, r.Row.City, r.Row.TaxNumber, r.Row.OwnerName, r.Row.IsArchived, r.SameTax, r.SameName)).ToList(),
            hidden.Count,
            hidden.Select(r => r.Row.OwnerName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());

        IQueryable<DuplicateRow> Rows(IQueryable<Account> q) => q.OrderBy(a => a.Id).Take(20)
            .Select(a => new DuplicateRow(a.Id, a.Name, a.City, a.TaxNumber, a.OwnerId,
                db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? "", a.IsArchived));
    }

    /// <summary>The account's opportunities the caller may see: open ones first, then by close date (newest first).</summary>
    public static Task<List<AccountOpportunityRow>> OpportunitiesAsync(KazanDbContext db, Guid accountId, int take, CancellationToken ct) =>
        db.Opportunities.AsNoTracking().Where(o => o.AccountId == accountId)
            .OrderBy(o => o.Status == OpportunityStatus.Open ? 0 : 1).ThenByDescending(o => o.ExpectedCloseDate).ThenBy(o => o.Id)
            .Take(take)
            .Select(o => new AccountOpportunityRow(o.Id, o.Title,
                db.Stages.Where(s => s.Id == o.StageId).Select(s => s.Name).FirstOrDefault() ?? "",
                o.Status, o.ForecastAmount, o.Currency.Code, o.ExpectedCloseDate,
                db.Users.Where(u => u.Id == o.OwnerId).Select(u => u.DisplayName).FirstOrDefault() ?? ""))
            .ToListAsync(ct);

    /// <summary>Users to pick as owner or filter by (an organization has at most a few hundred).</summary>
    public static Task<List<OwnerChoice>> OwnerChoicesAsync(KazanDbContext db, CancellationToken ct) =>
        db.Users.AsNoTracking().OrderBy(u => u.DisplayName).Take(Users.UserQueries.PickerLimit).Select(u => new OwnerChoice(u.Id, u.DisplayName, u.IsActive)).ToListAsync(ct);

    /// <summary>Whether the caller can (still) see the account, e.g. after giving it to someone else.</summary>
    public static Task<bool> IsVisibleAsync(KazanDbContext db, Guid id, CancellationToken ct) => db.Accounts.AnyAsync(a => a.Id == id, ct);

    private sealed record DuplicateRow(Guid Id, string Name, string? City, string? TaxNumber, Guid OwnerId, string OwnerName, bool IsArchived);
}
