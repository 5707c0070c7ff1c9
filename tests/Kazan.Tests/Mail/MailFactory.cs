using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Mail;

/// <summary>
/// Kazan with a test clock, no installation SMTP server (each organization sets up its own, pointing at
/// <see cref="Mail"/>, a real SMTP server in the test process) and the outbox worker off: the tests run delivery
/// rounds themselves, at the moments they choose, through the same <c>OutboxDelivery</c> the worker calls.
/// </summary>
public sealed class MailFactory : KazanFactory
{
    /// <summary>Now, to the whole second (PostgreSQL keeps microseconds, .NET ticks).</summary>
    public FakeClock Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public SmtpCapture Mail { get; private set; } = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Kazan:Outbox:Enabled"] = "false" };

    /// <summary>Stops the SMTP server (a mail server outage); <see cref="StartMailAsync"/> brings it back on the same port.</summary>
    public async Task StopMailAsync() => await Mail.DisposeAsync();

    public Task StartMailAsync()
    {
        Mail = new SmtpCapture(Mail.Port);
        return Task.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Mail.DisposeAsync();
    }
}
