using Microsoft.Extensions.Logging;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// Appends the server's errors (the exception behind a 500) to <c>server-errors.log</c> in <c>KAZAN_ARTIFACTS</c>,
/// so a failure seen only on CI can be diagnosed from its artifacts; test.sh prints the file when a run fails.
/// Linked into the browser tests too; <c>label</c> says which run logged the error.
/// </summary>
public sealed class ServerErrorLog(string label) : ILoggerProvider
{
    private static readonly Lock Gate = new();

    private static string? FilePath => Environment.GetEnvironmentVariable("KAZAN_ARTIFACTS") is { Length: > 0 } folder
        ? Path.Combine(folder, "server-errors.log")
        : null;

    public ILogger CreateLogger(string categoryName) => new Writer(categoryName, label);

    public void Dispose()
    {
    }

    private sealed class Writer(string category, string label) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        // EF's own command log repeats what the request's unhandled-exception entry says (and logs expected failures).
        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Error && FilePath is not null && !category.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var text = $"{DateTimeOffset.UtcNow:O} {logLevel} {category} [{label}]: {formatter(state, exception)}\n{exception}\n\n";
            lock (Gate)
            {
                File.AppendAllText(FilePath!, text);
            }
        }
    }
}
