using System.Net.Http.Json;
using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Infrastructure;

/// <summary>
/// The one set of helpers for arranging sales data in tests: accounts and contacts through the API, and accounts and
/// opportunities through the domain for tests of other features. Quotes and orders through the API: <c>OrderTestData</c>.
/// </summary>
public static class SalesData
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<AccountDto> CreateAccountAsync(
        this HttpClient client, string name, string? taxNumber = null, string? city = null, Guid? ownerId = null, string kind = "Company")
    {
        var response = await client.PostAsJsonAsync("/api/v1/accounts", new { kind, name, taxNumber, city, ownerId }, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<AccountDto>(Ct))!;
    }

    public static async Task<ContactDto> CreateContactAsync(this HttpClient client, Guid accountId, string firstName, string lastName, string? email = null)
    {
        var response = await client.PostAsJsonAsync("/api/v1/contacts", new { accountId, firstName, lastName, email }, Ct);
        await response.EnsureSuccessAsync();
        return (await response.Content.ReadFromJsonAsync<ContactDto>(Ct))!;
    }

    /// <summary>Sends a write with the given ETag in If-Match (null: none).</summary>
    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, object? body, string? etag)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        if (etag is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", etag);
        }

        return client.SendAsync(request, Ct);
    }

    /// <summary>Reads the record and posts an action on it with its current ETag.</summary>
    public static async Task<HttpResponseMessage> PostWithEtagAsync(this HttpClient client, string resource, string action, object? body = null)
    {
        var current = await client.GetAsync(resource, Ct);
        await current.EnsureSuccessAsync();
        return await client.SendAsync(HttpMethod.Post, $"{resource}/{action}", body, current.Headers.ETag!.ToString());
    }

    public static async Task SetRepsSeeAllAsync(this TestOrganization org, bool value)
    {
        var current = await org.Admin.Client.GetAsync("/api/v1/organization", Ct);
        var o = (await current.Content.ReadFromJsonAsync<OrganizationDto>(Ct))!;
        var response = await org.Admin.Client.SendAsync(HttpMethod.Put, "/api/v1/organization",
            new { o.Name, o.BaseCurrency, o.DefaultCulture, repsSeeAll = value }, current.Headers.ETag!.ToString());
        await response.EnsureSuccessAsync();
    }

    /// <summary>
    /// An account made with the domain constructor, acting as the organization's admin (its API is tested on its own;
    /// arranging through the domain keeps other features' tests off it). <paramref name="at"/>: when, for a test clock.
    /// </summary>
    public static async Task<Guid> AccountAsync(
        this KazanFactory factory, TestOrganization org, string name = "Müşteri Çelik A.Ş.", Guid? ownerId = null, string? city = "İstanbul",
        DateTimeOffset? at = null)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var account = new Account(org.Id, ownerId ?? org.Admin.Id, AccountKind.Company, name, at ?? DateTimeOffset.UtcNow) { City = city };
            db.Accounts.Add(account);
            await db.SaveChangesAsync(Ct);
            return account.Id;
        }
    }

    /// <summary>
    /// An opportunity made with the domain constructor in the default pipeline's first stage, acting as the admin;
    /// it closes 30 days after <paramref name="at"/> (now) unless <paramref name="closeOn"/> says otherwise.
    /// </summary>
    public static async Task<Guid> OpportunityAsync(
        this KazanFactory factory, TestOrganization org, Guid accountId, string title = "Kompresör yenileme", decimal amount = 100_000m,
        Guid? ownerId = null, string currency = "TRY", decimal rate = 1m, DateOnly? closeOn = null, DateTimeOffset? at = null)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var now = at ?? DateTimeOffset.UtcNow;
            var stage = await db.Stages.Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault)).OrderBy(s => s.Position).FirstAsync(Ct);
            var opportunity = new Opportunity(org.Id, ownerId ?? org.Admin.Id, accountId, stage, title, amount, currency, rate,
                closeOn ?? DateOnly.FromDateTime(now.UtcDateTime).AddDays(30), org.Admin.Id, now);
            db.Opportunities.Add(opportunity);
            await db.SaveChangesAsync(Ct);
            return opportunity.Id;
        }
    }

    /// <summary>A new organization with one account and one open opportunity on it: where most quote and order tests start.</summary>
    public static async Task<(TestOrganization Org, Guid Account, Guid Opportunity)> OrganizationWithDealAsync(
        this KazanFactory factory, string name, string accountName = "Müşteri Çelik A.Ş.")
    {
        var org = await factory.CreateOrganizationAsync(name);
        var account = await factory.AccountAsync(org, accountName);
        return (org, account, await factory.OpportunityAsync(org, account));
    }

    public sealed record OrganizationDto(string Name, string BaseCurrency, string DefaultCulture, bool RepsSeeAll);
}

public sealed record AccountDto(
    Guid Id, string Kind, string Name, string? TaxNumber, string? City, Guid OwnerId, string OwnerName, bool IsArchived, int Version, DuplicatesDto? Duplicates);

public sealed record DuplicatesDto(List<DuplicateDto> Accounts, int NotVisible, List<string> NotVisibleOwners);

public sealed record DuplicateDto(Guid Id, string Name, string OwnerName, bool SameTaxNumber, bool SameName);

public sealed record ContactDto(
    Guid Id, Guid AccountId, string? AccountName, string FirstName, string LastName, string? Email, DateOnly? LeftOn, bool IsArchived, Guid OwnerId, int Version);

public sealed record PageDto<T>(List<T> Items, string? Next);
