using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Opportunities;

public sealed record StageDto(Guid Id, string Name, int Position, int Probability, int? RottingDays);

public sealed record PipelineDto(Guid Id, string Name, bool IsDefault, bool IsArchived, int Version, List<StageDto> Stages);

public sealed record RefDto(Guid Id, string? Name);

public sealed record NextActivityDto(Guid Id, string Kind, string Subject, DateTimeOffset? DueAt);

public sealed record ContactLinkDto(Guid ContactId, string? Name, string? Role);

public sealed record OpportunityDto(
    Guid Id, string Title, RefDto Account, RefDto Owner, RefDto Pipeline, StageDto Stage, string Status,
    decimal ExpectedAmount, decimal? QuotedAmount, decimal? OrderedAmount, decimal? DeliveredAmount, string Currency, decimal ExchangeRate,
    string ForecastSource, decimal ForecastAmount, decimal ForecastAmountBase, decimal WeightedAmountBase, string BaseCurrency,
    int Probability, int? ProbabilityOverride, int StageProbability, DateOnly ExpectedCloseDate, string? Source, string? NextStep,
    RefDto? LostReason, string? LostNote, DateOnly? ClosedOn, bool IsOverdue, bool IsRotting, NextActivityDto? NextActivity,
    List<ContactLinkDto> Contacts, int Version);

public sealed record ListItemDto(
    Guid Id, string Title, Guid AccountId, string? AccountName, Guid OwnerId, string OwnerName, Guid StageId, string StageName, string Status,
    decimal ForecastAmountBase, decimal WeightedAmountBase, DateOnly ExpectedCloseDate, bool IsOverdue, bool IsRotting, int Version);

public sealed record PageDto<T>(List<T> Items, string? Next);

public sealed record EventDto(
    Guid Id, string Kind, DateTimeOffset At, RefDto User, RefDto? FromStage, RefDto? ToStage, string? FromStatus, string? ToStatus,
    RefDto? FromOwner, RefDto? ToOwner, RefDto? LostReason, string? Note, decimal Amount, string Currency, int Probability);

public sealed record LostReasonDto(Guid Id, string Name, int Position, bool IsActive, int Version);

public sealed record CardDto(Guid Id, string Title, string? AccountName, decimal Amount, string Currency, DateOnly ExpectedCloseDate, Guid OwnerId, string OwnerName, bool IsOverdue, bool IsRotting, int Version);

public sealed record ColumnDto(Guid StageId, string Name, int Position, int Count, decimal Total, decimal WeightedTotal, List<CardDto> Cards, string? Next);

public sealed record BoardDto(Guid PipelineId, string PipelineName, string BaseCurrency, int Count, decimal Total, decimal WeightedTotal, List<ColumnDto> Columns);

public sealed record SavedFilterDto(Guid Id, string Area, string Name, string Query, int Version);

/// <summary>Opportunities through the API for the opportunity tests (accounts: <see cref="SalesData.AccountAsync"/>).</summary>
public static class Sales
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<PipelineDto> DefaultPipelineAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<List<PipelineDto>>("/api/v1/pipelines", Json, Ct))!.Single(p => p.IsDefault);

    public static async Task<(OpportunityDto Opportunity, string ETag)> CreateAsync(HttpClient client, object body)
    {
        var response = await client.PostAsJsonAsync("/api/v1/opportunities", body, Json, Ct);
        await response.EnsureSuccessAsync();
        return ((await response.Content.ReadFromJsonAsync<OpportunityDto>(Json, Ct))!, response.Headers.ETag!.ToString());
    }

    public static Task<(OpportunityDto Opportunity, string ETag)> CreateAsync(
        HttpClient client, Guid accountId, string title, decimal amount = 1000m, Guid? stageId = null, DateOnly? close = null, Guid? pipelineId = null) =>
        CreateAsync(client, new
        {
            title,
            accountId,
            pipelineId,
            stageId,
            expectedAmount = amount,
            expectedCloseDate = close ?? DateOnly.FromDateTime(DateTime.UtcNow.AddDays(30)),
        });

    public static async Task<OpportunityDto> GetAsync(HttpClient client, Guid id) =>
        (await client.GetFromJsonAsync<OpportunityDto>($"/api/v1/opportunities/{id}", Json, Ct))!;

    /// <summary>Sends a JSON request, with If-Match when given.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return client.SendAsync(request, Ct);
    }

    /// <summary>Sends and expects success; returns the body and the new ETag.</summary>
    public static async Task<(T Body, string? ETag)> OkAsync<T>(HttpClient client, HttpMethod method, string url, object? body = null, string? ifMatch = null)
    {
        var response = await SendAsync(client, method, url, body, ifMatch);
        await response.EnsureSuccessAsync();
        return ((await response.Content.ReadFromJsonAsync<T>(Json, Ct))!, response.Headers.ETag?.ToString());
    }

    public static string ETag(int version) => $"\"{version}\"";

    public static async Task<(TestUser Rep, Guid AccountId)> RepWithAccountAsync(KazanFactory factory, TestOrganization org, string accountName, Guid? teamId = null)
    {
        var rep = await org.AddUserAsync(UserRole.Rep, teamId: teamId);
        return (rep, await factory.AccountAsync(org, accountName, rep.Id, city: null));
    }
}
