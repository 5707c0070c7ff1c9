using System.Net.Http.Headers;
using System.Text;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>Body size limits are enforced by Kestrel, so this factory serves on a real socket.</summary>
public sealed class KestrelFactory : KazanFactory
{
    public KestrelFactory() => UseKestrel(0);

    protected override Uri ClientBaseAddress
    {
        get
        {
            StartServer();
            return ClientOptions.BaseAddress;
        }
    }
}

// Its own host: body size limits need Kestrel on a real socket.
public sealed class RequestSizeTests(KestrelFactory factory) : IClassFixture<KestrelFactory>
{
    [Fact]
    public async Task A_body_over_the_limit_gets_413_problem_details_and_nothing_is_created()
    {
        var org = await factory.CreateOrganizationAsync("Büyük Gövde A.Ş.");
        var token = org.Admin.Client.DefaultRequestHeaders.Authorization!;
        using var client = new HttpClient { BaseAddress = factory.ClientOptions.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(token.Scheme, token.Parameter);

        var huge = "{\"name\": \"" + new string('x', 2 * 1024 * 1024) + "\"}";
        var response = await client.PostAsync("/api/v1/teams", new StringContent(huge, Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        await response.ProblemAsync(413);
        Assert.Equal("[]", await client.GetStringAsync("/api/v1/teams", TestContext.Current.CancellationToken));
    }
}
