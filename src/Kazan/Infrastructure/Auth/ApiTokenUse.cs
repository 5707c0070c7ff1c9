using System.Collections.Concurrent;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Auth;

/// <summary>
/// When each API token was last used, noted in memory by the request and written to the database in the background
/// at most once a minute. A request never writes for it, so a read with a token is never held up by another write —
/// on SQLite a long import holds the one write lock for minutes, and a token's "last used" must not turn every API
/// read of that time into a 503.
/// </summary>
public sealed class ApiTokenUse
{
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    public void Note(Guid tokenId, DateTimeOffset at) => _pending.AddOrUpdate(tokenId, at, (_, before) => at > before ? at : before);

    /// <summary>Writes the uses noted so far; the ones it could not write (the database busy) wait for the next time.</summary>
    public async Task FlushAsync(KazanDbContext db, CancellationToken ct)
    {
        foreach (var (tokenId, at) in _pending.ToArray())
        {
            await db.ApiTokens.IgnoreQueryFilters().Where(t => t.Id == tokenId && (t.LastUsedAt == null || t.LastUsedAt < at))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, at), ct);
            _pending.TryRemove(new KeyValuePair<Guid, DateTimeOffset>(tokenId, at));
        }
    }
}

/// <summary>Writes <see cref="ApiTokenUse"/> every minute and once more when the server stops.</summary>
public sealed class ApiTokenUseWriter(ApiTokenUse uses, IServiceScopeFactory scopes, ILogger<ApiTokenUseWriter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await WriteAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteAsync(cancellationToken);
    }

    private async Task WriteAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await uses.FlushAsync(scope.ServiceProvider.GetRequiredService<KazanDbContext>(), ct);
        }
        catch (Exception e) when (Errors.KazanExceptionHandler.IsBusy(e))
        {
            log.LogInformation("The database is busy (a long write such as an import); API token use is recorded later");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning(e, "Could not record API token use; will try again");
        }
    }
}
