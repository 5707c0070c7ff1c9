using System.Net.Http.Json;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Infrastructure;

/// <summary>Arranging accounts, contacts and opportunities through the API (and the domain, for opportunities) in tests.</summary>
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

    /// <summary>An opportunity made with the domain constructor in the default pipeline's first stage (no opportunities API here).</summary>
    public static async Task<Guid> CreateOpportunityAsync(this KazanFactory factory, TestOrganization org, Guid ownerId, Guid accountId, string title, decimal amount = 1000m)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id, UserRole.Admin);
        using (scope)
        {
            var stage = await db.Stages.Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault)).OrderBy(s => s.Position).FirstAsync(Ct);
            var opportunity = new Opportunity(org.Id, ownerId, accountId, stage, title, amount, "TRY", 1m,
                DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)), org.Admin.Id, DateTimeOffset.UtcNow);
            db.Opportunities.Add(opportunity);
            await db.SaveChangesAsync(Ct);
            return opportunity.Id;
        }
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
