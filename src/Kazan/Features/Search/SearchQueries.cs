using Kazan.Features.Accounts;
using Kazan.Features.Contacts;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Search;

/// <summary>One thing the search box found. <see cref="Kind"/> is <c>account</c>, <c>contact</c> or <c>opportunity</c>.</summary>
public sealed record SearchResult(string Kind, Guid Id, string Title, string? Subtitle, string Url, bool IsArchived);

/// <summary>A row of the index that matched the query's leading word.</summary>
public sealed record SearchHit(string EntityType, Guid EntityId, string Term);

/// <summary>
/// The search box. Every word of the query is Turkish-folded (<see cref="TurkishText"/>) and must match the start of some
/// indexed word of a record (all words, any order). Each word is a range on <see cref="SearchEntry.Term"/>
/// (<c>Term &gt;= 'ist' AND Term &lt; 'isu'</c>), which both databases answer from the (OrganizationId, Term) index — no
/// <c>LIKE '%…'</c>. The longest word drives the scan (in index order, so exact terms come first); each other word is
/// one more range scan whose records the driver's must be among. The tenant and owner filters apply to the index rows,
/// so a rep only finds what a rep may see.
/// </summary>
public static class SearchQueries
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 50;
    public const int MaxQueryLength = 200;

    /// <summary>More words than this add nothing but work; the rest are ignored.</summary>
    public const int MaxWords = 6;

    /// <summary>A one-letter query would scan a large part of the index; the leading word needs at least this many characters.</summary>
    public const int MinWordLength = 2;

    public static IReadOnlyList<string> WordsOf(string? query) => TurkishText.Words(query).Take(MaxWords).ToList();

    /// <summary>True when the query has a word long enough to search by.</summary>
    public static bool IsSearchable(IReadOnlyList<string> words) => words.Any(w => w.Length >= MinWordLength);

    /// <summary>
    /// The smallest string above every string that starts with <paramref name="prefix"/> in ordinal (code-point) order:
    /// the prefix with its last character incremented ("ist" → "isu"); null when there is none.
    /// </summary>
    public static string? PrefixEnd(string prefix)
    {
        var chars = prefix.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] < char.MaxValue)
            {
                chars[i]++;
                return new string(chars, 0, i + 1);
            }
        }

        return null;
    }

    /// <summary>
    /// The words a list's search box filters by: Turkish-folded, at most <see cref="MaxWords"/>, each of at least
    /// <see cref="MinWordLength"/> characters (a single letter would match most of the index and tells little).
    /// </summary>
    public static IReadOnlyList<string> ListWords(string? query) => WordsOf(query).Where(w => w.Length >= MinWordLength).ToList();

    /// <summary>Why a list's search text cannot be used (too long, or no word of two letters), or null when it can.</summary>
    public static string? ListSearchError(string? query) =>
        string.IsNullOrWhiteSpace(query) ? null
        : query.Length > MaxQueryLength ? $"q is at most {MaxQueryLength} characters."
        : ListWords(query).Count == 0 ? $"q needs a word of at least {MinWordLength} letters or digits."
        : null;

    /// <summary>
    /// Ids of the records of one kind (<c>Account</c>, <c>Contact</c>, <c>Opportunity</c>) that have an indexed word
    /// starting with <paramref name="word"/>: one range scan of the index, for lists to filter by with an uncorrelated IN.
    /// </summary>
    public static IQueryable<Guid> Matching(KazanDbContext db, string entityType, string word) =>
        WithPrefix(db.SearchEntries.Where(e => e.EntityType == entityType), word).Select(e => e.EntityId);

    /// <summary>
    /// Index rows of records matching every word, in index order (so exact terms come before longer ones), at most
    /// <paramref name="take"/>. Public so tests can inspect the SQL and the query plan.
    /// </summary>
    public static IQueryable<SearchHit> Candidates(KazanDbContext db, IReadOnlyList<string> words, int take)
    {
        var driver = words.OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).First();
        var query = WithPrefix(db.SearchEntries, driver);
        foreach (var word in words.Where(w => w != driver))
        {
            // An uncorrelated IN: each other word is one range scan of the same index, read once, instead of a probe
            // per candidate that a planner without statistics (SQLite) would serve from the wrong index.
            var others = WithPrefix(db.SearchEntries, word).Select(o => o.EntityId);
            query = query.Where(e => others.Contains(e.EntityId));
        }

        return query.OrderBy(e => e.Term).ThenBy(e => e.EntityId).Take(take).Select(e => new SearchHit(e.EntityType, e.EntityId, e.Term));
    }

    /// <summary>Finds accounts, contacts and opportunities, best first (see <see cref="Rank"/>).</summary>
    public static async Task<IReadOnlyList<SearchResult>> SearchAsync(KazanDbContext db, string? query, int limit, CancellationToken ct)
    {
        var words = WordsOf(query);
        if (!IsSearchable(words))
        {
            return [];
        }

        // Read more index rows than results: a record can match with several terms, and ranking needs some choice.
        var hits = await Candidates(db, words, Math.Min(limit * 8, 400)).ToListAsync(ct);
        var ids = hits.DistinctBy(h => h.EntityId).ToLookup(h => h.EntityType, h => h.EntityId);
        var accountIds = ids[nameof(Account)].ToList();
        var contactIds = ids[nameof(Contact)].ToList();
        var opportunityIds = ids[nameof(Opportunity)].ToList();

        // The records themselves, read through their own filters again (a stale index row finds nothing).
        var found = new List<SearchResult>();
        if (accountIds.Count > 0)
        {
            var accounts = await db.Accounts.WithIds(db, accountIds).AsNoTracking()
                .Select(a => new { a.Id, a.Name, a.City, a.TaxNumber, a.IsArchived }).ToListAsync(ct);
            found.AddRange(accounts.Select(a => new SearchResult("account", a.Id, a.Name, Join(a.City, a.TaxNumber), $"/accounts/{a.Id}", a.IsArchived)));
        }

        if (contactIds.Count > 0)
        {
            var contacts = await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id))
                .Select(c => new
                {
                    c.Id,
                    c.FirstName,
                    c.LastName,
                    c.Title,
                    c.IsArchived,
                    Account = db.Accounts.Where(a => a.Id == c.AccountId).Select(a => a.Name).FirstOrDefault(),
                })
                .ToListAsync(ct);
            found.AddRange(contacts.Select(c => new SearchResult(
                "contact", c.Id, $"{c.FirstName} {c.LastName}".Trim(), Join(c.Title, c.Account), $"/contacts/{c.Id}", c.IsArchived)));
        }

        if (opportunityIds.Count > 0)
        {
            var opportunities = await db.Opportunities.AsNoTracking().Where(o => opportunityIds.Contains(o.Id))
                .Select(o => new
                {
                    o.Id,
                    o.Title,
                    Account = db.Accounts.Where(a => a.Id == o.AccountId).Select(a => a.Name).FirstOrDefault(),
                    Stage = db.Stages.Where(s => s.Id == o.StageId).Select(s => s.Name).FirstOrDefault(),
                })
                .ToListAsync(ct);
            found.AddRange(opportunities.Select(o => new SearchResult("opportunity", o.Id, o.Title, Join(o.Account, o.Stage), $"/opportunities/{o.Id}", false)));
        }

        var folded = string.Join(' ', words);
        return found
            .Select(r => (Result: r, Rank: Rank(r.Title, folded, words)))
            .OrderBy(r => r.Rank)
            .ThenBy(r => r.Result.IsArchived)
            .ThenBy(r => r.Result.Kind switch { "account" => 0, "contact" => 1, _ => 2 })
            .ThenBy(r => TurkishText.Fold(r.Result.Title), StringComparer.Ordinal)
            .ThenBy(r => r.Result.Id)
            .Take(limit)
            .Select(r => r.Result)
            .ToList();
    }

    /// <summary>
    /// 0: the title is the query; 1: the title starts with the query's words; 2: every word is a whole word of the title;
    /// 3: every word starts a word of the title; 4: found through another field (city, e-mail, phone, tax number).
    /// </summary>
    public static int Rank(string title, string foldedQuery, IReadOnlyList<string> words)
    {
        var t = TurkishText.Fold(title);
        if (t == foldedQuery)
        {
            return 0;
        }

        if (t.StartsWith(foldedQuery + " ", StringComparison.Ordinal))
        {
            return 1;
        }

        var titleWords = t.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (words.All(w => titleWords.Contains(w, StringComparer.Ordinal)))
        {
            return 2;
        }

        return words.All(w => titleWords.Any(tw => tw.StartsWith(w, StringComparison.Ordinal))) ? 3 : 4;
    }

    private static IQueryable<SearchEntry> WithPrefix(IQueryable<SearchEntry> entries, string prefix)
    {
        var end = PrefixEnd(prefix);
        return end is null
            ? entries.Where(e => e.Term.CompareTo(prefix) >= 0)
            : entries.Where(e => e.Term.CompareTo(prefix) >= 0 && e.Term.CompareTo(end) < 0);
    }

    private static string? Join(params string?[] parts)
    {
        var text = string.Join(" · ", parts.Where(p => !string.IsNullOrWhiteSpace(p)));
        return text.Length == 0 ? null : text;
    }
}
