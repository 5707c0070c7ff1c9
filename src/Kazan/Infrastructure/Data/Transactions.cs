using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// A use case that needs several saves to stand or fall together opens its transaction here. When the request
/// already runs in one (an API POST with an Idempotency-Key: the key commits with the write), the use case's part
/// becomes a savepoint inside it: committing keeps its writes for the outer commit, and leaving without a commit
/// (or rolling back) undoes its writes alone, exactly as its own transaction would have.
/// </summary>
public static class Transactions
{
    public static async Task<IDbContextTransaction> BeginOrJoinAsync(this DatabaseFacade database, CancellationToken ct = default)
    {
        if (database.CurrentTransaction is not { } outer)
        {
            return await database.BeginTransactionAsync(ct);
        }

        var savepoint = "part_" + Guid.NewGuid().ToString("N")[..12];
        await outer.CreateSavepointAsync(savepoint, ct);
        return new Part(outer, savepoint);
    }

    /// <summary>The use case's part of an outer transaction, marked by a savepoint.</summary>
    private sealed class Part(IDbContextTransaction outer, string savepoint) : IDbContextTransaction
    {
        private bool _ended;

        public Guid TransactionId => outer.TransactionId;

        public void Commit() => _ended = true;

        public Task CommitAsync(CancellationToken cancellationToken = default)
        {
            _ended = true;
            return Task.CompletedTask;
        }

        public void Rollback()
        {
            _ended = true;
            outer.RollbackToSavepoint(savepoint);
        }

        public async Task RollbackAsync(CancellationToken cancellationToken = default)
        {
            _ended = true;
            await outer.RollbackToSavepointAsync(savepoint, cancellationToken);
        }

        public void Dispose()
        {
            if (!_ended)
            {
                Rollback();
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (!_ended)
            {
                await RollbackAsync();
            }
        }
    }
}
