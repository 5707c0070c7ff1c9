using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Quotes;

// Its own host: the tests set and move the clock, which every class sharing the host would see.
/// <summary>
/// Quote expiry, late orders and new document dates follow the organization's day (Turkey's by default), never the
/// UTC day: between 00:00 and 03:00 in İstanbul the UTC day is still yesterday (docs/domain.md, "The organization's day").
/// </summary>
public sealed class OrganizationDayTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private Task<(TestOrganization Org, Guid Account, Guid Opportunity)> ArrangeAsync(string name)
    {
        factory.Clock.Now = ClockedKazanFactory.Start;
        return factory.OrganizationWithDealAsync(name);
    }

    [Fact]
    public async Task An_order_created_at_01_30_in_Istanbul_carries_Istanbuls_date_and_so_does_a_new_quote()
    {
        var (org, account, opportunity) = await ArrangeAsync("Gece Siparişi A.Ş.");

        // 22:30 UTC on 14 March is 01:30 on 15 March in İstanbul.
        factory.Clock.Now = Utc(3, 14, 22, 30);
        var order = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders",
            new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = new[] { Line("Vana", 1, 100m) } }, Ct).OkAsync<JsonElement>();
        var quote = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes",
            new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = new[] { Line("Vana", 1, 100m) } }, Ct).OkAsync<JsonElement>();

        Assert.Equal("2026-03-15", order.GetProperty("orderDate").GetString());
        Assert.Equal("2026-03-15", quote.GetProperty("issueDate").GetString());
    }

    [Fact]
    public async Task A_quote_valid_until_a_day_is_valid_all_that_day_in_Istanbul_and_expired_from_its_midnight()
    {
        var (org, account, opportunity) = await ArrangeAsync("Geçerlilik A.Ş.");
        var draft = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            validUntil = new DateOnly(2026, 3, 12),
            lines = new[] { Line("Vana", 1, 100m) },
        }, Ct).OkAsync<JsonElement>();
        var id = draft.GetProperty("id").GetGuid();
        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{id}", "send")).EnsureSuccessAsync();

        async Task<string> StatusAt(DateTimeOffset now)
        {
            factory.Clock.Now = now;
            return (await org.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/quotes/{id}", Ct)).GetProperty("status").GetString()!;
        }

        Assert.Equal("Sent", await StatusAt(Utc(3, 12, 20, 59)));    // 23:59 on the 12th in İstanbul
        Assert.Equal("Expired", await StatusAt(Utc(3, 12, 21, 30))); // 00:30 on the 13th in İstanbul (still the 12th in UTC)
        var accept = await org.Admin.Client.PostWithEtagAsync($"/api/v1/quotes/{id}", "accept");
        Assert.Equal("quote.expired", (await accept.ProblemAsync(422)).GetProperty("code").GetString());
        Assert.Equal("Expired", (await org.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/quotes?status=Expired", Ct))
            .GetProperty("items")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_order_is_late_from_midnight_in_Istanbul_after_its_requested_delivery_day()
    {
        var (org, account, opportunity) = await ArrangeAsync("Gecikme A.Ş.");
        var order = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            requestedDeliveryDate = new DateOnly(2026, 3, 12),
            lines = new[] { Line("Vana", 1, 100m) },
        }, Ct).OkAsync<OrderDto>();

        factory.Clock.Now = Utc(3, 12, 20, 59);
        Assert.False((await GetOrderAsync(org.Admin.Client, order.Id)).IsLate);
        factory.Clock.Now = Utc(3, 12, 21, 30);
        Assert.True((await GetOrderAsync(org.Admin.Client, order.Id)).IsLate);
        var overdue = await org.Admin.Client.GetFromJsonAsync<JsonElement>("/api/v1/orders?overdue=true", Ct);
        Assert.Equal(order.Id, overdue.GetProperty("items")[0].GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task The_quote_lists_created_days_are_days_of_the_organizations_own_zone_not_Turkeys()
    {
        var (org, account, opportunity) = await ArrangeAsync("Manhattan Teklif Inc.");
        var current = await org.Admin.Client.GetAsync("/api/v1/organization", Ct);
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/organization")
        {
            Content = JsonContent.Create(new { name = "Manhattan Teklif Inc.", baseCurrency = "TRY", defaultCulture = "tr-TR", repsSeeAll = false, timeZone = "America/New_York" }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(put, Ct)).EnsureSuccessAsync();

        // 02:00 UTC on 2 March is 21:00 on 1 March in New York (and 05:00 on 2 March in İstanbul).
        factory.Clock.Now = Utc(3, 2, 2, 0);
        var quote = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes",
            new { accountId = account, opportunityId = opportunity, currency = "TRY", lines = new[] { Line("Vana", 1, 100m) } }, Ct).OkAsync<JsonElement>();
        Assert.Equal("2026-03-01", quote.GetProperty("issueDate").GetString());

        async Task<int> CountAsync(string query) =>
            (await org.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/quotes?{query}", Ct)).GetProperty("items").GetArrayLength();

        Assert.Equal(1, await CountAsync("createdFrom=2026-03-01&createdTo=2026-03-01"));
        Assert.Equal(0, await CountAsync("createdFrom=2026-03-02"));
        Assert.Equal(0, await CountAsync("createdTo=2026-02-28"));
    }
}
