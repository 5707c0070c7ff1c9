using System.Globalization;
using System.Text.RegularExpressions;
using Kazan.Features.Accounts;
using Kazan.Features.Search;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Quotes;

/// <summary>
/// What a quote list shows; every filter optional, combined with AND. <see cref="Q"/> is the search box: a quote number
/// (see <see cref="QuoteSearch"/>) or words of the customer's name. <see cref="CreatedFrom"/>/<see cref="CreatedTo"/> are
/// days in Turkey (the user's day, decision 0007), both inclusive; <see cref="ValidFrom"/>/<see cref="ValidTo"/> bound
/// the valid-until date, inclusive.
/// </summary>
public sealed record QuoteFilter(
    Guid? OpportunityId = null, Guid? AccountId = null, QuoteStatus? Status = null, Guid? OwnerId = null, string? Q = null,
    DateOnly? CreatedFrom = null, DateOnly? CreatedTo = null, DateOnly? ValidFrom = null, DateOnly? ValidTo = null);

/// <summary>
/// The quotes' search box. A number is matched whole or by its parts — <c>TKL-2026-00042</c>, <c>2026-42</c>,
/// <c>TKL-2026-00042 / R1</c> (every revision of the number), <c>42</c> or <c>00042</c> (that sequence in any year),
/// <c>TKL-2026</c> (the year) — anything else is words of the customer's name, Turkish-aware, through the search index.
/// </summary>
public sealed partial record QuoteSearch(int? Year, int? Sequence, IReadOnlyList<string> CustomerWords)
{
    public static QuoteSearch Parse(string? text)
    {
        var q = (text ?? "").Trim();
        if (YearAndSequence().Match(q) is { Success: true } full
            && int.TryParse(full.Groups["year"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(full.Groups["seq"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return new QuoteSearch(year, sequence, []);
        }

        if (SequenceOnly().IsMatch(q) && int.TryParse(q, NumberStyles.None, CultureInfo.InvariantCulture, out var only))
        {
            return new QuoteSearch(null, only, []);
        }

        if (YearOnly().Match(q) is { Success: true } y && int.TryParse(y.Groups["year"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var yearOnly))
        {
            return new QuoteSearch(yearOnly, null, []);
        }

        return new QuoteSearch(null, null, SearchQueries.ListWords(q));
    }

    /// <summary>Why the search text cannot be used (too long, or neither a number nor a word of two letters), or null.</summary>
    public static string? Error(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : text.Length > SearchQueries.MaxQueryLength ? $"q is at most {SearchQueries.MaxQueryLength} characters."
        : Parse(text) is { Year: null, Sequence: null, CustomerWords.Count: 0 } ? "q must be a quote number or a word of the customer's name of at least 2 letters."
        : null;

    [GeneratedRegex(@"^(?:\p{L}+\s*-\s*)?(?<year>\d{4})\s*-\s*(?<seq>\d{1,9})(?:\s*/\s*R\s*\d{1,4})?$", RegexOptions.IgnoreCase)]
    private static partial Regex YearAndSequence();

    [GeneratedRegex(@"^\d{1,9}$")]
    private static partial Regex SequenceOnly();

    [GeneratedRegex(@"^\p{L}+\s*-\s*(?<year>\d{4})\s*-?$")]
    private static partial Regex YearOnly();
}

/// <summary>The quote list shared by the API, the quotes page and the opportunity/account panels (keyset paged, newest first).</summary>
public static class QuoteQueries
{
    /// <summary>A quote the caller can see, with its lines (tracked: the commands change what this loads).</summary>
    public static async Task<Quote?> LoadAsync(KazanDbContext db, Guid id, CancellationToken ct)
    {
        var quote = await db.Quotes.FirstOrDefaultAsync(q => q.Id == id, ct);
        if (quote is not null)
        {
            await QuoteCommands.LoadLinesAsync(db, quote, ct);
        }

        return quote;
    }

    public static async Task<Page<QuoteSummary>> ListAsync(KazanDbContext db, QuoteFilter filter, OrganizationTime time, int take, string? cursor, CancellationToken ct)
    {
        var today = time.Today;
        var query = Filtered(db, filter, time);
        var at = Cursor.Read(cursor);
        if (at is { Values: [var ticks, var idText] } && long.TryParse(ticks, out var t) && Guid.TryParse(idText, out var lastId))
        {
            var key = new DateTimeOffset(t, TimeSpan.Zero);
            query = at.Backward
                ? query.After(db, q => q.CreatedAt, key, lastId)
                : query.After(db, q => q.CreatedAt, key, lastId, descending: true);
        }
        else
        {
            at = null;
        }

        var ordered = at?.Backward == true
            ? query.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id)
            : query.OrderByDescending(q => q.CreatedAt).ThenByDescending(q => q.Id);
        var rows = await ordered.Take(take + 1)
            .Select(q => new
            {
                q.Id,
                q.Number,
                q.Revision,
                q.Status,
                q.AccountId,
                q.OpportunityId,
                Currency = q.Currency.Code,
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
        return Paging.ToPage(summaries, take, at, q => [q.CreatedAt.UtcTicks, q.Id]);
    }

    /// <summary>How many quotes match the filter, up to <see cref="Paging.CountCap"/>.</summary>
    public static Task<BoundedCount> CountAsync(KazanDbContext db, QuoteFilter filter, OrganizationTime time, CancellationToken ct) =>
        Paging.CountAsync(Filtered(db, filter, time).Select(q => q.Id), ct);

    /// <summary>The filter on the organization's calendar: "created from/to" are whole days of its clock, "expired" is before its today.</summary>
    private static IQueryable<Quote> Filtered(KazanDbContext db, QuoteFilter filter, OrganizationTime time)
    {
        var today = time.Today;
        var query = db.Quotes.AsNoTracking();
        if (filter.OpportunityId is { } opportunityId)
        {
            query = query.Where(q => q.OpportunityId == opportunityId);
        }

        if (filter.AccountId is { } accountId)
        {
            query = query.Where(q => q.AccountId == accountId);
        }

        if (filter.OwnerId is { } ownerId)
        {
            query = query.Where(q => q.OwnerId == ownerId);
        }

        query = filter.Status switch
        {
            null => query,
            QuoteStatus.Expired => query.Where(q => q.Status == QuoteStatus.Sent && q.ValidUntil < today),
            QuoteStatus.Sent => query.Where(q => q.Status == QuoteStatus.Sent && q.ValidUntil >= today),
            var status => query.Where(q => q.Status == status),
        };

        if (filter.CreatedFrom is { } createdFrom)
        {
            var from = time.StartOf(createdFrom);
            query = query.Where(q => q.CreatedAt >= from);
        }

        if (filter.CreatedTo is { } createdTo)
        {
            var before = time.StartOf(createdTo.AddDays(1));
            query = query.Where(q => q.CreatedAt < before);
        }

        if (filter.ValidFrom is { } validFrom)
        {
            query = query.Where(q => q.ValidUntil >= validFrom);
        }

        if (filter.ValidTo is { } validTo)
        {
            query = query.Where(q => q.ValidUntil <= validTo);
        }

        if (!string.IsNullOrWhiteSpace(filter.Q))
        {
            var search = QuoteSearch.Parse(filter.Q);
            if (search.Year is { } year)
            {
                query = query.Where(q => q.Year == year);
            }

            if (search.Sequence is { } sequence)
            {
                query = query.Where(q => q.Sequence == sequence);
            }

            foreach (var word in search.CustomerWords)
            {
                var matching = SearchQueries.Matching(db, nameof(Account), word);
                query = query.Where(q => matching.Contains(q.AccountId));
            }
        }

        return query;
    }

    /// <summary>Names of the accounts on a page of quotes (one query; accounts the reader cannot see are left out).</summary>
    public static async Task<Dictionary<Guid, string>> AccountNamesAsync(KazanDbContext db, IEnumerable<Guid> accountIds, CancellationToken ct)
    {
        var ids = accountIds.Distinct().ToList();
        return ids.Count == 0 ? [] : await db.Accounts.WithIds(db, ids).AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
    }
}
