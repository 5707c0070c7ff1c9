using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Quotes;

public sealed record QuoteFilter(Guid? OpportunityId = null, Guid? AccountId = null, QuoteStatus? Status = null);

/// <summary>The quote list shared by the API, the quotes page and the opportunity/account panels (keyset paged, newest first).</summary>
public static class QuoteQueries
{
    public static async Task<Page<QuoteSummary>> ListAsync(KazanDbContext db, QuoteFilter filter, DateOnly today, int take, string? cursor, CancellationToken ct)
    {
        var query = db.Quotes.AsNoTracking();
        if (filter.OpportunityId is { } opportunityId)
        {
            query = query.Where(q => q.OpportunityId == opportunityId);
        }

        if (filter.AccountId is { } accountId)
        {
            query = query.Where(q => q.AccountId == accountId);
        }

        query = filter.Status switch
        {
            null => query,
            QuoteStatus.Expired => query.Where(q => q.Status == QuoteStatus.Sent && q.ValidUntil < today),
            QuoteStatus.Sent => query.Where(q => q.Status == QuoteStatus.Sent && q.ValidUntil >= today),
            var status => query.Where(q => q.Status == status),
        };

        if (Cursor.Decode(cursor) is [var ticks, var idText] && long.TryParse(ticks, out var t) && Guid.TryParse(idText, out var lastId))
        {
            var before = new DateTimeOffset(t, TimeSpan.Zero);
            query = query.Where(q => q.CreatedAt < before || (q.CreatedAt == before && q.Id.CompareTo(lastId) < 0));
        }

        var rows = await query.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id).Take(take + 1)
            .Select(q => new
            {
                q.Id,
                q.Number,
                q.Revision,
                q.Status,
                q.AccountId,
                q.OpportunityId,
                q.Currency,
                q.NetTotal,
                q.GrandTotal,
                q.IsPrimary,
                q.IssueDate,
                q.ValidUntil,
                q.CreatedAt,
            })
            .ToListAsync(ct);
        var summaries = rows.Select(q => new QuoteSummary(q.Id, q.Revision == 0 ? q.Number : $"{q.Number} / R{q.Revision}",
            q.Status == QuoteStatus.Sent && q.ValidUntil < today ? QuoteStatus.Expired : q.Status,
            q.AccountId, q.OpportunityId, q.Currency, q.NetTotal, q.GrandTotal, q.IsPrimary, q.IssueDate, q.ValidUntil, q.CreatedAt)).ToList();
        return Paging.ToPage(summaries, take, q => Cursor.Encode(q.CreatedAt.UtcTicks, q.Id));
    }

    /// <summary>Names of the accounts on a page of quotes (one query; accounts the reader cannot see are left out).</summary>
    public static async Task<Dictionary<Guid, string>> AccountNamesAsync(KazanDbContext db, IEnumerable<Guid> accountIds, CancellationToken ct)
    {
        var ids = accountIds.Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
    }
}
