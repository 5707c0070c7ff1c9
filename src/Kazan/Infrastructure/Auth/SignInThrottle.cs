using System.Collections.Concurrent;

namespace Kazan.Infrastructure.Auth;

/// <summary>
/// Counts failed sign-ins per client address and per typed e-mail address over a fixed window
/// (<c>Kazan:SignIn:FailuresPerClient</c>, default 20, and <c>:FailuresPerAccount</c>, default 10, per
/// <c>:WindowMinutes</c>, default 15). Past either limit the sign-in form checks no password at all until the window ends.
/// The account key is the address as typed, known or not, so the throttle answers alike for both and says nothing about
/// which accounts exist. In each instance's memory: several instances allow that many each (docs/operations.md).
/// </summary>
public sealed class SignInThrottle(IConfiguration configuration, TimeProvider clock)
{
    private readonly int _perClient = configuration.GetValue("Kazan:SignIn:FailuresPerClient", 20);
    private readonly int _perAccount = configuration.GetValue("Kazan:SignIn:FailuresPerAccount", 10);
    private readonly TimeSpan _window = TimeSpan.FromMinutes(configuration.GetValue("Kazan:SignIn:WindowMinutes", 15));
    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);

    private sealed record Window(DateTimeOffset Start, int Count);

    /// <summary>How long until <paramref name="client"/> or <paramref name="email"/> may try again, or null when they may now.</summary>
    public TimeSpan? Wait(string? client, string email)
    {
        var now = clock.GetUtcNow();
        var waits = new[] { Wait(ClientKey(client), _perClient, now), Wait(AccountKey(email), _perAccount, now) };
        return waits.Max();
    }

    public void Failed(string? client, string email)
    {
        var now = clock.GetUtcNow();
        Count(ClientKey(client), now);
        Count(AccountKey(email), now);
        if (_failures.Count > 100_000)
        {
            Prune(now);
        }
    }

    /// <summary>A successful sign-in clears the account's count (never the client's: one's own account must not reset a guesser's).</summary>
    public void Succeeded(string email) => _failures.TryRemove(AccountKey(email), out _);

    private TimeSpan? Wait(string key, int limit, DateTimeOffset now) =>
        limit > 0 && _failures.TryGetValue(key, out var w) && w.Count >= limit && now - w.Start < _window ? w.Start + _window - now : null;

    private void Count(string key, DateTimeOffset now) =>
        _failures.AddOrUpdate(key, _ => new Window(now, 1), (_, w) => now - w.Start >= _window ? new Window(now, 1) : w with { Count = w.Count + 1 });

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, w) in _failures)
        {
            if (now - w.Start >= _window)
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private static string ClientKey(string? client) => "client:" + (client ?? "unknown");

    private static string AccountKey(string email) => "account:" + email.Trim().ToUpperInvariant();
}
