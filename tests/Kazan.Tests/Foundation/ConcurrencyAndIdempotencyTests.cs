using System.Net;
using System.Net.Http.Json;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Foundation;

public sealed class ConcurrencyAndIdempotencyTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Rename(Guid teamId, string name, string? etag)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/teams/{teamId}") { Content = JsonContent.Create(new { name }) };
        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return request;
    }

    private static async Task<(Guid Id, string ETag)> CreateTeamAsync(HttpClient client, string name)
    {
        var response = await client.PostAsJsonAsync("/api/v1/teams", new { name }, Ct);
        await response.EnsureSuccessAsync();
        var team = await response.Content.ReadFromJsonAsync<TeamDto>(Ct);
        return (team!.Id, response.Headers.ETag!.ToString());
    }

    [Fact]
    public async Task Two_updates_with_the_same_etag_one_succeeds_and_the_other_gets_412()
    {
        var org = await factory.CreateOrganizationAsync("Eşzamanlı A.Ş.");
        var (id, etag) = await CreateTeamAsync(org.Admin.Client, "Ankara");

        var first = await org.Admin.Client.SendAsync(Rename(id, "Ankara Kuzey", etag), Ct);
        var second = await org.Admin.Client.SendAsync(Rename(id, "Ankara Güney", etag), Ct);

        await first.EnsureSuccessAsync();
        Assert.NotEqual(etag, first.Headers.ETag!.ToString());
        await second.ProblemAsync(412);
        var stored = await org.Admin.Client.GetFromJsonAsync<TeamDto>($"/api/v1/teams/{id}", Ct);
        Assert.Equal("Ankara Kuzey", stored!.Name);
    }

    [Fact]
    public async Task Racing_updates_with_the_same_etag_never_both_win()
    {
        var org = await factory.CreateOrganizationAsync("Yarış Ltd.");
        var (id, etag) = await CreateTeamAsync(org.Admin.Client, "İzmir");

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => org.Admin.Client.SendAsync(Rename(id, $"İzmir {i}", etag), Ct)));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.PreconditionFailed, r.StatusCode));
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).Content.ReadFromJsonAsync<TeamDto>(Ct);
        var stored = await org.Admin.Client.GetFromJsonAsync<TeamDto>($"/api/v1/teams/{id}", Ct);
        Assert.Equal(winner!.Name, stored!.Name);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task An_update_without_if_match_gets_428_and_changes_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Başlıksız A.Ş.");
        var (id, _) = await CreateTeamAsync(org.Admin.Client, "Bursa");

        await (await org.Admin.Client.SendAsync(Rename(id, "Bursa 2", null), Ct)).ProblemAsync(428);
        await (await org.Admin.Client.SendAsync(Rename(id, "Bursa 3", "\"garbage\""), Ct)).ProblemAsync(412);

        var stored = await org.Admin.Client.GetFromJsonAsync<TeamDto>($"/api/v1/teams/{id}", Ct);
        Assert.Equal("Bursa", stored!.Name);
    }

    private static HttpRequestMessage CreateWithKey(string key, string name) =>
        new(HttpMethod.Post, "/api/v1/teams") { Content = JsonContent.Create(new { name }), Headers = { { "Idempotency-Key", key } } };

    [Fact]
    public async Task A_retried_post_with_the_same_idempotency_key_creates_one_record_and_replays_the_response()
    {
        var org = await factory.CreateOrganizationAsync("Tekrar A.Ş.");
        var key = Guid.NewGuid().ToString();

        var first = await org.Admin.Client.SendAsync(CreateWithKey(key, "Konya"), Ct);
        var retry = await org.Admin.Client.SendAsync(CreateWithKey(key, "Konya"), Ct);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await retry.Content.ReadAsStringAsync(Ct));
        var teams = await org.Admin.Client.GetFromJsonAsync<List<TeamDto>>("/api/v1/teams", Ct);
        Assert.Single(teams!, t => t.Name == "Konya");
    }

    [Fact]
    public async Task Concurrent_posts_with_the_same_idempotency_key_create_one_record()
    {
        var org = await factory.CreateOrganizationAsync("Paralel A.Ş.");
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => org.Admin.Client.SendAsync(CreateWithKey(key, "Adana"), Ct)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.Single(responses.Select(r => r.Headers.Location).Distinct());
        var teams = await org.Admin.Client.GetFromJsonAsync<List<TeamDto>>("/api/v1/teams", Ct);
        Assert.Single(teams!, t => t.Name == "Adana");
    }

    [Fact]
    public async Task The_same_idempotency_key_with_a_different_body_gets_422()
    {
        var org = await factory.CreateOrganizationAsync("Farklı A.Ş.");
        var key = Guid.NewGuid().ToString();
        await (await org.Admin.Client.SendAsync(CreateWithKey(key, "Trabzon"), Ct)).EnsureSuccessAsync();

        await (await org.Admin.Client.SendAsync(CreateWithKey(key, "Rize"), Ct)).ProblemAsync(422);

        var teams = await org.Admin.Client.GetFromJsonAsync<List<TeamDto>>("/api/v1/teams", Ct);
        Assert.DoesNotContain(teams!, t => t.Name == "Rize");
    }

    [Fact]
    public async Task Idempotency_keys_are_per_user_so_two_users_with_one_key_both_create()
    {
        var org = await factory.CreateOrganizationAsync("İki Kullanıcı A.Ş.");
        var other = await org.AddUserAsync(Kazan.Features.Users.UserRole.Admin);
        var key = "shared-key";

        await (await org.Admin.Client.SendAsync(CreateWithKey(key, "Sivas"), Ct)).EnsureSuccessAsync();
        await (await other.Client.SendAsync(CreateWithKey(key, "Tokat"), Ct)).EnsureSuccessAsync();

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(2, await db.Teams.CountAsync(Ct));
        }
    }

    private sealed record TeamDto(Guid Id, string Name, int Version);
}
