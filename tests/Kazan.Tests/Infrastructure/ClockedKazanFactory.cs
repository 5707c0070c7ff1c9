using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Infrastructure;

/// <summary>A clock the test sets and moves. Everything that asks DI for <see cref="TimeProvider"/> (handlers, audit) reads it.</summary>
public sealed class FakeClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;

    /// <summary>Moves the clock on and returns the new instant.</summary>
    public DateTimeOffset Advance(TimeSpan by) => Now += by;
}

/// <summary>Kazan on a fresh database with a <see cref="FakeClock"/> in place of the system clock.</summary>
public sealed class ClockedKazanFactory : KazanFactory
{
    /// <summary>10 March 2026, 09:00 UTC: noon in Turkey.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    public FakeClock Clock { get; } = new(Start);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}
