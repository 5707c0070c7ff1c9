using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// A statement stops when the one who asked for it gives up: the caller's cancellation token, or, when the caller
/// passed none (the pages pass none), the request's own (the browser closed the tab, the client timed out, the server
/// is stopping). Without it a report of a minute kept a core busy to the end for nobody.
/// </summary>
/// <remarks>
/// SQLite: Microsoft.Data.Sqlite ignores cancellation once a statement runs (its <c>Cancel()</c> does nothing), so
/// the token interrupts the connection (<c>sqlite3_interrupt</c>, safe from another thread; it stops the statements
/// running on that connection and is a no-op once they are done). PostgreSQL: Npgsql cancels on the caller's token
/// by itself; for the request's token the command is cancelled (<c>DbCommand.Cancel</c>, a cancel request to the
/// server). The registration lives while the command runs and, for a reader, until it is closed; disposing it waits
/// for a callback in flight, so it can never reach the next user of a pooled connection. A statement stopped so is
/// atomic like any failed one: a write in it is rolled back whole.
/// </remarks>
public sealed class StatementCancellation(IHttpContextAccessor requests) : DbCommandInterceptor
{
    private readonly ConditionalWeakTable<DbCommand, Registration> _running = [];

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Watch(command, default);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Watch(command, cancellationToken);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Watch(command, default);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Watch(command, cancellationToken);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Watch(command, default);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Watch(command, cancellationToken);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Done(command, result);

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Done(command, result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Done(command, result);

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Done(command, result));

    public override InterceptionResult DataReaderClosing(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result) => Done(command, result);

    public override ValueTask<InterceptionResult> DataReaderClosingAsync(DbCommand command, DataReaderClosingEventData eventData, InterceptionResult result) =>
        ValueTask.FromResult(Done(command, result));

    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result) => Done(command, result);

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => Done(command, 0);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Done(command, 0);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Done(command, 0);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Done(command, 0);
        return Task.CompletedTask;
    }

    private void Watch(DbCommand command, CancellationToken callers)
    {
        var sqlite = command.Connection as SqliteConnection;
        var token = callers.CanBeCanceled ? callers : requests.HttpContext?.RequestAborted ?? default;
        if (!token.CanBeCanceled || (sqlite is null && token == callers))
        {
            return; // nothing to watch, or Npgsql watches the caller's token itself
        }

        var registration = sqlite is not null
            ? token.UnsafeRegister(static c => Interrupt((SqliteConnection)c!), sqlite)
            : token.UnsafeRegister(static c => ((DbCommand)c!).Cancel(), command);
        _running.AddOrUpdate(command, new Registration(registration));
    }

    private T Done<T>(DbCommand command, T result)
    {
        if (_running.TryGetValue(command, out var registration))
        {
            _running.Remove(command);
            registration.Value.Dispose();
        }

        return result;
    }

    private static void Interrupt(SqliteConnection connection)
    {
        if (connection.Handle is { } handle)
        {
            SQLitePCL.raw.sqlite3_interrupt(handle);
        }
    }

    private sealed record Registration(CancellationTokenRegistration Value);
}

/// <summary>
/// Tells EF Core that a statement stopped by <see cref="StatementCancellation"/> was cancelled, not broken, so it is
/// logged as a cancellation (debug) and not as a failed command and query (errors) each time a reader gives up a report.
/// </summary>
public sealed class StoppedStatementDetector : IExceptionDetector
{
    public bool IsCancellation(Exception exception, CancellationToken cancellationToken = default) =>
        exception is OperationCanceledException || cancellationToken.IsCancellationRequested || IsStopped(exception);

    /// <summary>A statement stopped on request: SQLite's interrupt (9) or PostgreSQL's cancel (57014), possibly wrapped once.</summary>
    public static bool IsStopped(Exception exception) =>
        (exception as SqliteException ?? exception.InnerException as SqliteException)?.SqliteErrorCode == SQLitePCL.raw.SQLITE_INTERRUPT
        || (exception as Npgsql.PostgresException ?? exception.InnerException as Npgsql.PostgresException)?.SqlState == Npgsql.PostgresErrorCodes.QueryCanceled;
}
