using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kazan.Features.Pipelines;

public sealed record StageRequest(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Range(0, 100)] int Probability,
    [Range(1, 3650)] int? RottingDays,
    ForecastCategory? ForecastCategory = null);

public sealed record AddStageRequest(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Range(0, 100)] int Probability,
    [Range(1, 3650)] int? RottingDays,
    [Range(0, Pipeline.MaxStages)] int? Position,
    ForecastCategory? ForecastCategory = null);

public sealed record CreatePipelineRequest(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Required, MinLength(1), MaxLength(Pipeline.MaxStages)] IReadOnlyList<StageRequest> Stages,
    bool IsDefault);

public sealed record RenamePipelineRequest([Required, StringLength(100, MinimumLength = 1)] string Name);

public sealed record StageOrderRequest([Required, MinLength(1), MaxLength(Pipeline.MaxStages)] IReadOnlyList<Guid> StageIds);

public sealed record LostReasonRequest([Required, StringLength(100, MinimumLength = 1)] string Name);

public sealed record LostReasonOrderRequest([Required, MinLength(1), MaxLength(500)] IReadOnlyList<Guid> Ids);

/// <summary>
/// Pipelines, their stages and the lost reasons. Everyone reads (the board and the opportunity forms need them);
/// only admins change them. Every change to a pipeline or its stages needs the pipeline's ETag in If-Match.
/// </summary>
public static class PipelinesApi
{
    public static IEndpointRouteBuilder MapPipelines(this IEndpointRouteBuilder app)
    {
        var pipelines = app.MapGroup("/api/v1/pipelines").WithTags("Pipelines").RequireAuthorization(Policies.Member);
        pipelines.MapGet("/", ListPipelines).WithSummary("Pipelines with their stages in order, default first.");
        pipelines.MapGet("/{id:guid}", GetPipeline);
        pipelines.MapPost("/", CreatePipeline).RequireAuthorization(Policies.Admin).WithSummary("Create a pipeline with its stages (admin).");
        pipelines.MapPut("/{id:guid}", RenamePipeline).RequireAuthorization(Policies.Admin).WithSummary("Rename (admin; If-Match).");
        pipelines.MapPost("/{id:guid}/default", SetDefault).RequireAuthorization(Policies.Admin).WithSummary("Make this the one default pipeline (admin; If-Match).");
        pipelines.MapPost("/{id:guid}/archive", Archive).RequireAuthorization(Policies.Admin).WithSummary("Archive: no new deals; existing ones stay (admin; If-Match).");
        pipelines.MapPost("/{id:guid}/restore", Restore).RequireAuthorization(Policies.Admin).WithSummary("Un-archive (admin; If-Match).");
        pipelines.MapPost("/{id:guid}/stages", AddStage).RequireAuthorization(Policies.Admin).WithSummary("Add a stage, at the end or at a position (admin; If-Match).");
        pipelines.MapPut("/{id:guid}/stages/{stageId:guid}", UpdateStage).RequireAuthorization(Policies.Admin)
            .WithSummary("Change a stage's name, default probability and rotting days (admin; If-Match).");
        pipelines.MapPut("/{id:guid}/stage-order", ReorderStages).RequireAuthorization(Policies.Admin)
            .WithSummary("Put the stages in a new order; list every stage once (admin; If-Match).");
        pipelines.MapDelete("/{id:guid}/stages/{stageId:guid}", RemoveStage).RequireAuthorization(Policies.Admin)
            .WithSummary("Remove a stage; if it holds opportunities, ?moveTo= names the stage they move to, with history (admin; If-Match).");

        var reasons = app.MapGroup("/api/v1/lost-reasons").WithTags("Pipelines").RequireAuthorization(Policies.Member);
        reasons.MapGet("/", ListLostReasons).WithSummary("The organization's lost reasons in order (?includeInactive=true for all).");
        reasons.MapPost("/", AddLostReason).RequireAuthorization(Policies.Admin);
        reasons.MapPut("/{id:guid}", RenameLostReason).RequireAuthorization(Policies.Admin).WithSummary("Rename (admin; If-Match).");
        reasons.MapPost("/{id:guid}/deactivate", DeactivateLostReason).RequireAuthorization(Policies.Admin)
            .WithSummary("Stop offering a reason; deals that used it keep it (admin).").IfMatchOptional();
        reasons.MapPost("/{id:guid}/activate", ActivateLostReason).RequireAuthorization(Policies.Admin).IfMatchOptional();
        reasons.MapPut("/order", ReorderLostReasons).RequireAuthorization(Policies.Admin).WithSummary("New order; list every reason once (admin).");
        return app;
    }

    private static async Task<Ok<List<PipelineResponse>>> ListPipelines(KazanDbContext db, bool? includeArchived, CancellationToken ct) =>
        TypedResults.Ok(await PipelineQueries.ListAsync(db, includeArchived ?? false, ct));

    private static async Task<Results<Ok<PipelineResponse>, ProblemHttpResult>> GetPipeline(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await PipelineQueries.GetAsync(db, id, ct), "Pipeline", http, pipeline => pipeline.Version, pipeline => PipelineResponse.From(pipeline));

    private static async Task<Results<Created<PipelineResponse>, ValidationProblem, ProblemHttpResult>> CreatePipeline(
        CreatePipelineRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(
            await PipelineCommands.CreateAsync(db, me, request.Name, request.Stages.Select(s => new NewStage(s.Name, s.Probability, s.RottingDays, s.ForecastCategory)).ToList(), request.IsDefault, ct),
            http, p => $"/api/v1/pipelines/{p.Id}", p => Task.FromResult(PipelineResponse.From(p)));

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> RenamePipeline(
        Guid id, RenamePipelineRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.RenameAsync(db, id, ifMatch.Version, request.Name, ct), http);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> SetDefault(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.MakeDefaultAsync(db, id, ifMatch.Version, ct), http);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> Archive(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.ArchiveAsync(db, id, ifMatch.Version, ct), http);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> Restore(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.RestoreAsync(db, id, ifMatch.Version, ct), http);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> AddStage(
        Guid id, AddStageRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.AddStageAsync(db, id, ifMatch.Version, new NewStage(request.Name, request.Probability, request.RottingDays, request.ForecastCategory), request.Position, ct), http);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> UpdateStage(
        Guid id, Guid stageId, StageRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.UpdateStageAsync(db, id, ifMatch.Version, stageId, new NewStage(request.Name, request.Probability, request.RottingDays, request.ForecastCategory), ct), http);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> ReorderStages(
        Guid id, StageOrderRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.ReorderStagesAsync(db, id, ifMatch.Version, request.StageIds, ct), http);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> RemoveStage(
        Guid id, Guid stageId, Guid? moveTo, IfMatch ifMatch, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        Respond(await PipelineCommands.RemoveStageAsync(db, id, ifMatch.Version, stageId, moveTo, me.RequiredUserId, clock.GetUtcNow(), ct), http);

    private static Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult> Respond(Outcome<Pipeline> outcome, HttpContext http) =>
        ApiOutcomes.Ok(outcome, http, PipelineResponse.From);

    private static async Task<Ok<List<LostReasonResponse>>> ListLostReasons(KazanDbContext db, bool? includeInactive, CancellationToken ct) =>
        TypedResults.Ok(await PipelineQueries.LostReasonsAsync(db, includeInactive ?? false, ct));

    private static async Task<Results<Created<LostReasonResponse>, ValidationProblem, ProblemHttpResult>> AddLostReason(
        LostReasonRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(await PipelineCommands.AddLostReasonAsync(db, me, request.Name, ct), http,
            r => $"/api/v1/lost-reasons/{r.Id}", r => Task.FromResult(LostReasonResponse.From(r)));

    private static async Task<Results<Ok<LostReasonResponse>, ValidationProblem, ProblemHttpResult>> RenameLostReason(
        Guid id, LostReasonRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await PipelineCommands.RenameLostReasonAsync(db, id, ifMatch.Version, request.Name, ct), http, LostReasonResponse.From);

    /// <summary>If-Match is optional here: switching a reason off or on twice ends the same way.</summary>
    private static async Task<Results<Ok<LostReasonResponse>, ValidationProblem, ProblemHttpResult>> DeactivateLostReason(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await PipelineCommands.SetLostReasonActiveAsync(db, id, ifMatch.Optional, false, ct), http, LostReasonResponse.From);

    private static async Task<Results<Ok<LostReasonResponse>, ValidationProblem, ProblemHttpResult>> ActivateLostReason(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await PipelineCommands.SetLostReasonActiveAsync(db, id, ifMatch.Optional, true, ct), http, LostReasonResponse.From);

    /// <summary>No If-Match: the order names every reason, so a list that changed meanwhile is rejected anyway.</summary>
    private static async Task<Results<Ok<List<LostReasonResponse>>, ValidationProblem, ProblemHttpResult>> ReorderLostReasons(
        LostReasonOrderRequest request, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await PipelineCommands.ReorderLostReasonsAsync(db, request.Ids, ct), http, all => all.Select(LostReasonResponse.From).ToList());
}
