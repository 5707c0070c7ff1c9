using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Users;

/// <summary>Kazan with a test clock and a real SMTP server capturing what it sends.</summary>
public sealed class AccountsFactory : KazanFactory
{
    public FakeClock Clock { get; } = new(ClockedKazanFactory.Start);

    public SmtpCapture Mail { get; } = new();

    protected override IDictionary<string, string?> Settings => Mail.Settings;

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
