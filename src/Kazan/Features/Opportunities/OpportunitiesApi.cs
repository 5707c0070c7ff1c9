using System.ComponentModel.DataAnnotations;
using Kazan.Features.Exports;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Opportunities;

public sealed record CreateOpportunityRequest(
    [Required, StringLength(200, MinimumLength = 1)] string Title,
    Guid AccountId,
    Guid? PipelineId,
    Guid? StageId,
    [Range(typeof(decimal), "0", "1000000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal ExpectedAmount,
    [StringLength(3, MinimumLength = 3)] string? Currency,
    [Range(typeof(decimal), "0.0001", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? ExchangeRate,
    DateOnly ExpectedCloseDate,
    Guid? OwnerId,
    [StringLength(100)] string? Source,
    [StringLength(500)] string? NextStep,
    [Range(0, 100)] int? Probability,
    [MaxLength(50)] IReadOnlyList<Guid>? ContactIds,
    [StringLength(100)] string? ExternalId = null);

public sealed record UpdateOpportunityRequest(
    [Required, StringLength(200, MinimumLength = 1)] string Title,
    [Range(typeof(decimal), "0", "1000000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal ExpectedAmount,
    [StringLength(3, MinimumLength = 3)] string? Currency,
    [Range(typeof(decimal), "0.0001", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? ExchangeRate,
    DateOnly ExpectedCloseDate,
    [StringLength(100)] string? Source,
    [StringLength(500)] string? NextStep,
    [StringLength(100)] string? ExternalId = null) : IExternalIdField;

public sealed record MoveStageRequest(Guid StageId);

/// <summary>The stage of the other pipeline the deal moves to (its pipeline is the stage's).</summary>
public sealed record MovePipelineRequest(Guid StageId);

public sealed record MarkWonRequest(DateOnly? ClosedOn);

public sealed record MarkLostRequest(Guid? LostReasonId, [StringLength(1000)] string? Note, DateOnly? ClosedOn);

public sealed record ReopenRequest([StringLength(200)] string? Reason);

public sealed record ProbabilityRequest([Range(0, 100)] int? Probability);

public sealed record ForecastCategoryRequest(ForecastCategory? ForecastCategory);

public sealed record TransferRequest(Guid OwnerId);

public sealed record AddContactRequest(Guid ContactId, [StringLength(100)] string? Role);

/// <summary>
/// Opportunities: the list (filters, sorts, keyset paging), one record with everything its page shows, and the verbs
/// of its life. Every change needs the ETag in If-Match; reps reach only the deals they own (query filters).
/// </summary>
public static class OpportunitiesApi
{
    public static IEndpointRouteBuilder MapOpportunities(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/opportunities").WithTags("Opportunities").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("Opportunities with filters (owner, team, pipeline, stage, status, close date, base-currency amount, overdue, rotting), sorted, keyset paged.");
        group.MapGet("/export", Export).WithSummary("The list's rows for the same filters and sort as a CSV or XLSX download (format=csv|xlsx), streamed.");
        group.MapPost("/", Create).WithSummary("Create; the default pipeline and its first stage when omitted; a foreign currency needs its exchange rate.");
        group.MapGet("/{id:guid}", Get).WithSummary("One opportunity with its stage, account, owner, flags, next activity, four amounts and forecast source.");
        group.MapPut("/{id:guid}", Update).WithSummary("Change title, amount, currency, close date, source, next step (If-Match).");
        group.MapPost("/{id:guid}/stage", Move).WithSummary("Move to another stage of its pipeline: forward, backward or skipping (If-Match).");
        group.MapPost("/{id:guid}/pipeline", MovePipeline).WithSummary("Move an open deal to a stage of another pipeline; recorded in its history (If-Match).");
        group.MapPost("/{id:guid}/won", Won).WithSummary("Mark won (If-Match).");
        group.MapPost("/{id:guid}/lost", Lost).WithSummary("Mark lost; a lost reason is required (If-Match).");
        group.MapPost("/{id:guid}/reopen", Reopen).WithSummary("Reopen a won or lost opportunity (If-Match).");
        group.MapPut("/{id:guid}/probability", SetProbability).WithSummary("Override the stage's probability; null goes back to the stage default (If-Match).");
        group.MapPut("/{id:guid}/forecast-category", SetForecastCategory)
            .WithSummary("Override the stage's forecast category (Commit, BestCase, Pipeline, Omitted); null goes back to the stage's (If-Match).");
        group.MapPost("/{id:guid}/transfer", Transfer).WithSummary("Give the opportunity to another user; recorded in its history (If-Match).");
        group.MapPost("/{id:guid}/contacts", AddContact).WithSummary("Link a contact (with an optional role).");
        group.MapDelete("/{id:guid}/contacts/{contactId:guid}", RemoveContact).WithSummary("Unlink a contact.");
        group.MapGet("/{id:guid}/history", History).WithSummary("Stage, status and owner changes, oldest first (keyset paged).");
        return app;
    }

    private static async Task<Results<Ok<Page<OpportunityListItem>>, ValidationProblem>> List(
        KazanDbContext db, OrganizationTime time, CurrentUser me,
        Guid? ownerId, Guid? teamId, Guid? pipelineId, Guid? stageId, OpportunityStatus? status, DateOnly? closeFrom, DateOnly? closeTo,
        decimal? amountMin, decimal? amountMax, bool? overdue, bool? rotting, bool? mine, OpportunitySort? sort, bool? desc, int? limit, string? cursor,
        CancellationToken ct)
    {
        var filter = Filter(me, ownerId, teamId, pipelineId, stageId, status, closeFrom, closeTo, amountMin, amountMax, overdue, rotting, mine, sort, desc);
        var errors = Paging.Validate(limit, null) ?? [];
        if (!OpportunityQueries.IsValidCursor(cursor, filter.Sort))
        {
            errors["cursor"] = ["cursor is not a cursor this list returned for this sort."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        return TypedResults.Ok(await OpportunityQueries.ListAsync(db, filter, cursor, limit ?? Paging.DefaultLimit, time, ct));
    }

    /// <summary>The list's filters and sort, as a file: every matching row the caller sees, in the list's order.</summary>
    private static Results<TableDownload, ValidationProblem> Export(
        KazanDbContext db, OrganizationTime time, CurrentUser me, IStringLocalizer<SharedResource> l, string? format,
        Guid? ownerId, Guid? teamId, Guid? pipelineId, Guid? stageId, OpportunityStatus? status, DateOnly? closeFrom, DateOnly? closeTo,
        decimal? amountMin, decimal? amountMax, bool? overdue, bool? rotting, bool? mine, OpportunitySort? sort, bool? desc)
    {
        if (ListExport.CheckFormat(format) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var filter = Filter(me, ownerId, teamId, pipelineId, stageId, status, closeFrom, closeTo, amountMin, amountMax, overdue, rotting, mine, sort, desc);
        var details = new Dictionary<Guid, OpportunityExportDetails>();
        return ListExport.Download(format, "opportunities", time, l, ExportColumns(l, time, () => details),
            (cursor, limit, token) => OpportunityQueries.ListAsync(db, filter, cursor, limit, time, token),
            async (items, token) => details = await OpportunityQueries.ExportDetailsAsync(db, items, token));
    }

    /// <summary>
    /// The columns of the opportunity export: the list's columns, with amounts and dates as numbers and dates, then what
    /// the deals import needs to bring a deal back as it was (pipeline, owner's e-mail, rate, lost reason, won/lost date),
    /// under headers its suggested mapping knows in both languages. <paramref name="details"/> holds the current batch's.
    /// </summary>
    internal static ExportColumn<OpportunityListItem>[] ExportColumns(IStringLocalizer l, OrganizationTime time, Func<IReadOnlyDictionary<Guid, OpportunityExportDetails>> details) =>
    [
        new("Opportunity.Title", o => o.Title),
        new("Opportunity.Account", o => o.AccountName),
        new("Opportunity.Owner", o => o.OwnerName),
        new("Opportunity.Stage", o => o.StageName),
        new("Opportunity.Status", o => l["Status." + o.Status].Value),
        new("Opportunity.Amount", o => details().GetValueOrDefault(o.Id)?.ExpectedAmount),
        new("Common.Currency", o => o.Currency),
        new("Export.AmountBase", o => o.ForecastAmountBase),
        new("Opportunity.Weighted", o => o.WeightedAmountBase),
        new("Opportunity.Probability", o => o.Probability),
        new("Opportunity.CloseDate", o => o.ExpectedCloseDate),
        new("Common.CreatedAt", o => ListExport.Local(time, o.CreatedAt)),
        new("Opportunity.Pipeline", o => details().GetValueOrDefault(o.Id)?.Pipeline),
        new("Export.OwnerEmail", o => details().GetValueOrDefault(o.Id)?.OwnerEmail),
        new("Export.ExchangeRate", o => details().GetValueOrDefault(o.Id)?.ExchangeRate),
        new("Opportunity.LostReason", o => details().GetValueOrDefault(o.Id)?.LostReason),
        new("Export.ClosedOn", o => details().GetValueOrDefault(o.Id)?.ClosedOn),
        new("Export.LostNote", o => details().GetValueOrDefault(o.Id)?.LostNote),
        new("Opportunity.Source", o => details().GetValueOrDefault(o.Id)?.Source),
        new("Field.ExternalId", o => details().GetValueOrDefault(o.Id)?.ExternalId),
    ];

    private static OpportunityFilter Filter(
        CurrentUser me, Guid? ownerId, Guid? teamId, Guid? pipelineId, Guid? stageId, OpportunityStatus? status, DateOnly? closeFrom, DateOnly? closeTo,
        decimal? amountMin, decimal? amountMax, bool? overdue, bool? rotting, bool? mine, OpportunitySort? sort, bool? desc) => new()
        {
            OwnerId = mine == true ? me.RequiredUserId : ownerId,
            TeamId = teamId,
            PipelineId = pipelineId,
            StageId = stageId,
            Status = status,
            CloseFrom = closeFrom,
            CloseTo = closeTo,
            AmountMin = amountMin,
            AmountMax = amountMax,
            Overdue = overdue ?? false,
            Rotting = rotting ?? false,
            Sort = sort ?? OpportunitySort.CloseDate,
            Descending = desc ?? false,
        };

    private static async Task<Results<Created<OpportunityResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateOpportunityRequest request, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(
            await OpportunityCommands.CreateAsync(db, me, time, new NewOpportunity(
                request.Title, request.AccountId, request.PipelineId, request.StageId, request.ExpectedAmount, request.Currency, request.ExchangeRate,
                request.ExpectedCloseDate, request.OwnerId, request.Source, request.NextStep, request.Probability, request.ContactIds,
                ExternalId: request.ExternalId), ct),
            http, o => $"/api/v1/opportunities/{o.Id}", async o => (await OpportunityQueries.GetAsync(db, o.Id, time, ct))!);

    private static async Task<Results<Ok<OpportunityResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await OpportunityQueries.GetAsync(db, id, time, ct), "Opportunity", http, o => o.Version);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateOpportunityRequest request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.UpdateAsync(db, id, ifMatch.Version, new OpportunityDetails(
            request.Title, request.ExpectedAmount, request.Currency, request.ExchangeRate, request.ExpectedCloseDate, request.Source, request.NextStep)
        {
            External = request,
        }, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> Move(
        Guid id, MoveStageRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.MoveAsync(db, id, ifMatch.Version, request.StageId, me.RequiredUserId, time.Now, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> MovePipeline(
        Guid id, MovePipelineRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.MoveToPipelineAsync(db, id, ifMatch.Version, request.StageId, me.RequiredUserId, time.Now, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> Won(
        Guid id, MarkWonRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.MarkWonAsync(db, id, ifMatch.Version, me.RequiredUserId, time, request.ClosedOn, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> Lost(
        Guid id, MarkLostRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.MarkLostAsync(db, id, ifMatch.Version, request.LostReasonId, request.Note, me.RequiredUserId, time, request.ClosedOn, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> Reopen(
        Guid id, ReopenRequest? request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.ReopenAsync(db, id, ifMatch.Version, me.RequiredUserId, time.Now, request?.Reason, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> SetProbability(
        Guid id, ProbabilityRequest request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.SetProbabilityAsync(db, id, ifMatch.Version, request.Probability, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> SetForecastCategory(
        Guid id, ForecastCategoryRequest request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.SetForecastCategoryAsync(db, id, ifMatch.Version, request.ForecastCategory, ct), ct);

    /// <summary>A rep who gives a deal away no longer sees it: the answer is then 204 instead of the record.</summary>
    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> Transfer(
        Guid id, TransferRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.TransferAsync(db, id, ifMatch.Version, request.OwnerId, me.RequiredUserId, time.Now, ct), ct);

    private static Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> AddContact(
        Guid id, AddContactRequest request, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        RespondAsync(db, time, http, OpportunityCommands.AddContactAsync(db, id, request.ContactId, request.Role, ct), ct);

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveContact(Guid id, Guid contactId, KazanDbContext db, CancellationToken ct) =>
        ApiOutcomes.NoContent(await OpportunityCommands.RemoveContactAsync(db, id, contactId, ct));

    private static async Task<Results<Ok<Page<OpportunityEventResponse>>, ValidationProblem, ProblemHttpResult>> History(
        Guid id, KazanDbContext db, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        // History rows are not owner-filtered themselves: visibility comes from the opportunity.
        if (!await db.Opportunities.AnyAsync(o => o.Id == id, ct))
        {
            return Problems.NotFound("Opportunity");
        }

        return TypedResults.Ok(await OpportunityQueries.HistoryAsync(db, id, cursor, limit ?? Paging.DefaultLimit, ct));
    }

    /// <summary>
    /// The deal as it is after the change, with its new ETag; 204 when the caller no longer sees it (a rep who gave it
    /// away). Failures are answered by <see cref="ApiOutcomes"/>.
    /// </summary>
    private static async Task<Results<Ok<OpportunityResponse>, NoContent, ValidationProblem, ProblemHttpResult>> RespondAsync(
        KazanDbContext db, OrganizationTime time, HttpContext http, Task<Outcome<Opportunity>> change, CancellationToken ct)
    {
        var outcome = await change;
        if (!outcome.IsOk)
        {
            return outcome.Status == OutcomeStatus.Invalid ? ApiOutcomes.Invalid(outcome) : ApiOutcomes.Problem(outcome);
        }

        if (await OpportunityQueries.GetAsync(db, outcome.Value!.Id, time, ct) is not { } o)
        {
            return TypedResults.NoContent();
        }

        ETags.Set(http, o.Version);
        return TypedResults.Ok(o);
    }
}
