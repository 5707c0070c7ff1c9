using System.Collections.Concurrent;
using Kazan.Features.ApiTokens;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kazan.Infrastructure.Auth;

/// <summary>Who an API token stands for: what the request's identity is made of, and when the token expires.</summary>
public sealed record TokenCaller(
    Guid TokenId, Guid UserId, string UserName, Guid OrganizationId, UserRole Role, string Culture, string DisplayName, DateTimeOffset? ExpiresAt);

/// <summary>
/// The API tokens' callers kept in memory, so that a request with a token costs no query. Only on SQLite, where
/// one process owns the database: every change to a user or a token is made by this process, and the save that
/// makes it names the user (<see cref="Changed"/>). When that transaction commits, the user's tokens are dropped
/// (<see cref="ApiTokenCacheInterceptor"/>), so the next request reads the user and the token again. A caller read
/// while such a change was being saved is not kept (<see cref="Epoch"/>): it may be the state before the change.
/// On PostgreSQL several instances share the database, and one instance cannot see another's change without asking
/// the database, so every request reads its token there as before. Entries also expire after five minutes.
/// </summary>
public sealed class ApiTokenCache(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>At most this many tokens are kept; past it the cache is emptied (a flood of distinct tokens stays cheap).</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, (TokenCaller Caller, DateTimeOffset Until)> _byHash = new(StringComparer.Ordinal);
    private long _epoch;

    /// <summary>Changes each time callers are dropped; read before a lookup, compared when keeping its result.</summary>
    public long Epoch => Interlocked.Read(ref _epoch);

    public TokenCaller? Find(string hash)
    {
        if (!_byHash.TryGetValue(hash, out var kept))
        {
            return null;
        }

        if (clock.GetUtcNow() < kept.Until)
        {
            return kept.Caller;
        }

        _byHash.TryRemove(new KeyValuePair<string, (TokenCaller, DateTimeOffset)>(hash, kept));
        return null;
    }

    /// <summary>Keeps a caller read from the database, unless callers were dropped since <paramref name="epochBeforeRead"/>.</summary>
    public void Keep(string hash, TokenCaller caller, long epochBeforeRead)
    {
        if (_byHash.Count >= Capacity)
        {
            _byHash.Clear();
        }

        _byHash[hash] = (caller, clock.GetUtcNow() + Lifetime);
        if (Epoch != epochBeforeRead)
        {
            _byHash.TryRemove(hash, out _); // a change committed meanwhile: what was read may be older than it
        }
    }

    /// <summary>Drops the tokens of these users (after the change to them committed).</summary>
    public void Forget(IReadOnlyCollection<Guid> userIds)
    {
        Interlocked.Increment(ref _epoch);
        foreach (var (hash, kept) in _byHash)
        {
            if (userIds.Contains(kept.Caller.UserId))
            {
                _byHash.TryRemove(hash, out _);
            }
        }
    }

    /// <summary>The users whose row or tokens the context's pending changes alter or remove.</summary>
    public static IEnumerable<Guid> Changed(DbContext db) =>
        db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity switch
            {
                User u => u.Id,
                ApiToken t => t.UserId,
                _ => (Guid?)null,
            })
            .OfType<Guid>();
}

/// <summary>Drops the cached tokens of the users a transaction changed, once it commits (<see cref="KazanDbContext.CallersChanged"/>).</summary>
public sealed class ApiTokenCacheInterceptor(ApiTokenCache cache) : DbTransactionInterceptor
{
    public override void TransactionCommitted(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public override Task TransactionCommittedAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    // A rollback undid the change: dropping the users' tokens anyway only costs one lookup each.
    public override void TransactionRolledBack(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData) => Flush(eventData.Context);

    public override Task TransactionRolledBackAsync(System.Data.Common.DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Flush(eventData.Context);
        return Task.CompletedTask;
    }

    private void Flush(DbContext? context)
    {
        if (context is KazanDbContext { CallersChanged.Count: > 0 } db)
        {
            cache.Forget([.. db.CallersChanged]);
            db.CallersChanged.Clear();
        }
    }
}
