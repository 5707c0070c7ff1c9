using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kazan.Infrastructure.Observability;

/// <summary>
/// Opt-in request diagnostics for the benchmark (<c>Kazan:Diagnostics:SqlCount=true</c>; off by default, and then
/// nothing is registered). Each response then carries <c>X-Kazan-Sql-Commands</c>: the database commands EF ran for the
/// request until its response started (authentication included), so "no N+1" can be checked from outside; and
/// <c>X-Kazan-Allocated-Bytes</c>: bytes the process allocated meanwhile (exact only when requests run one at a time).
/// </summary>
public static class RequestDiagnostics
{
    public const string SqlCommandsHeader = "X-Kazan-Sql-Commands";
    public const string AllocatedBytesHeader = "X-Kazan-Allocated-Bytes";

    private static readonly AsyncLocal<Counter?> Current = new();

    /// <summary>The interceptor to add to the DbContext when <see cref="IsEnabled"/>.</summary>
    public static DbCommandInterceptor CommandCounter { get; } = new CountingInterceptor();

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Kazan:Diagnostics:SqlCount", false);

    /// <summary>Adds the counting middleware in front of the whole pipeline when enabled.</summary>
    public static IServiceCollection AddKazanRequestDiagnostics(this IServiceCollection services, IConfiguration configuration)
    {
        if (IsEnabled(configuration))
        {
            services.AddSingleton<IStartupFilter, DiagnosticsStartupFilter>();
        }

        return services;
    }

    private sealed class Counter
    {
        public int Commands;
    }

    private sealed class DiagnosticsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (ctx, nextMiddleware) =>
            {
                var counter = new Counter();
                Current.Value = counter;
                var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
                ctx.Response.OnStarting(() =>
                {
                    ctx.Response.Headers[SqlCommandsHeader] = Volatile.Read(ref counter.Commands).ToString(CultureInfo.InvariantCulture);
                    ctx.Response.Headers[AllocatedBytesHeader] =
                        (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore).ToString(CultureInfo.InvariantCulture);
                    return Task.CompletedTask;
                });
                await nextMiddleware(ctx);
            });
            next(app);
        };
    }

    private sealed class CountingInterceptor : DbCommandInterceptor
    {
        private static void Count()
        {
            if (Current.Value is { } counter)
            {
                Interlocked.Increment(ref counter.Commands);
            }
        }

        public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
        {
            Count();
            return result;
        }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Count();
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
        {
            Count();
            return result;
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            Count();
            return ValueTask.FromResult(result);
        }

        public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
        {
            Count();
            return result;
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
            DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Count();
            return ValueTask.FromResult(result);
        }
    }
}
