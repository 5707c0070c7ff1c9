using System.Net;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

public sealed class LowRateLimitFactory : KazanFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Kazan:RateLimit:PermitsPerMinute"] = "60",
        ["Kazan:RateLimit:Burst"] = "5",
    };
}

// Its own host: a low rate limit, which would throttle every class sharing the host.
public sealed class RateLimitTests(LowRateLimitFactory factory) : IClassFixture<LowRateLimitFactory>
{
    [Fact]
    public async Task A_user_over_the_limit_gets_429_with_retry_after_while_other_users_are_served()
    {
        var org = await factory.CreateOrganizationAsync("Hız A.Ş.");
        var other = await factory.CreateOrganizationAsync("Başka A.Ş.");

        HttpResponseMessage? limited = null;
        for (var i = 0; i < 30 && limited is null; i++)
        {
            var response = await org.Admin.Client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        await limited.ProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await other.Admin.Client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken)).StatusCode);
    }
}
