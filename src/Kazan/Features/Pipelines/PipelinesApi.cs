using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Pipelines;

public sealed record StageRequest(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Range(0, 100)] int Probability,
    [Range(1, 3650)] int? RottingDays);

public sealed record AddStageRequest(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Range(0, 100)] int Probability,
    [Range(1, 3650)] int? RottingDays,
    [Range(0, Pipeline.MaxStages)] int? Position);

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
            .WithSummary("Stop offering a reason; deals that used it keep it (admin).");
        reasons.MapPost("/{id:guid}/activate", ActivateLostReason).RequireAuthorization(Policies.Admin);
        reasons.MapPut("/order", ReorderLostReasons).RequireAuthorization(Policies.Admin).WithSummary("New order; list every reason once (admin).");
        return app;
    }

    private static async Task<Ok<List<PipelineResponse>>> ListPipelines(KazanDbContext db, bool? includeArchived, CancellationToken ct) =>
        TypedResults.Ok(await PipelineCommands.ListAsync(db, includeArchived ?? false, ct));

    private static async Task<Results<Ok<PipelineResponse>, ProblemHttpResult>> GetPipeline(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var pipeline = await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return pipeline is null ? Problems.NotFound("Pipeline") : Respond(http, pipeline);
    }

    private static async Task<Results<Created<PipelineResponse>, ValidationProblem>> CreatePipeline(
        CreatePipelineRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        var name = request.Name.Trim();
        if (await db.Pipelines.AnyAsync(p => p.Name == name, ct))
        {
            return Problems.Validation(nameof(request.Name), "A pipeline with this name exists.");
        }

        var pipeline = await PipelineCommands.CreateAsync(
            db, me.RequiredOrganizationId, name, request.Stages.Select(s => (s.Name, s.Probability, s.RottingDays)).ToList(), request.IsDefault, ct);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, pipeline.Version);
        return TypedResults.Created($"/api/v1/pipelines/{pipeline.Id}", PipelineResponse.From(pipeline));
    }

    private static Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> RenamePipeline(
        Guid id, RenamePipelineRequest request, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, async p =>
        {
            var name = request.Name.Trim();
            if (await db.Pipelines.AnyAsync(o => o.Name == name && o.Id != id, ct))
            {
                return Problems.Validation(nameof(request.Name), "A pipeline with this name exists.");
            }

            p.Rename(name);
            return null;
        }, ct);

    private static Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> SetDefault(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, async p =>
        {
            await PipelineCommands.MakeDefaultAsync(db, p, ct);
            return null;
        }, ct);

    private static Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> Archive(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, p =>
        {
            p.Archive();
            return Task.FromResult<ValidationProblem?>(null);
        }, ct);

    private static Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> Restore(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, p =>
        {
            p.Restore();
            return Task.FromResult<ValidationProblem?>(null);
        }, ct);

    private static Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> AddStage(
        Guid id, AddStageRequest request, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, p =>
        {
            PipelineCommands.AddStage(db, p, request.Name, request.Probability, request.RottingDays, request.Position);
            return Task.FromResult<ValidationProblem?>(null);
        }, ct);

    private static Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> UpdateStage(
        Guid id, Guid stageId, StageRequest request, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, p =>
        {
            if (!p.HasStage(stageId))
            {
                return Task.FromResult<ValidationProblem?>(Problems.Validation("stageId", "No such stage in this pipeline."));
            }

            p.UpdateStage(stageId, request.Name, request.Probability, request.RottingDays);
            PipelineCommands.Touch(db, p);
            return Task.FromResult<ValidationProblem?>(null);
        }, ct);

    private static Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> ReorderStages(
        Guid id, StageOrderRequest request, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, p =>
        {
            p.Reorder(request.StageIds);
            PipelineCommands.Touch(db, p);
            return Task.FromResult<ValidationProblem?>(null);
        }, ct);

    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> RemoveStage(
        Guid id, Guid stageId, Guid? moveTo, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var pipeline = await db.Pipelines.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (pipeline is null)
        {
            return Problems.NotFound("Pipeline");
        }

        var (version, problem) = ETags.Check(http, pipeline.Version);
        if (problem is not null)
        {
            return problem;
        }

        if (!pipeline.HasStage(stageId))
        {
            return Problems.Validation("stageId", "No such stage in this pipeline.");
        }

        db.ExpectVersion(pipeline, version);
        await PipelineCommands.RemoveStageAsync(db, pipeline, stageId, moveTo, me.RequiredUserId, clock.GetUtcNow(), ct);
        return Respond(http, pipeline);
    }

    /// <summary>Load (404), check If-Match (428/412), apply, save, answer with the new version.</summary>
    private static async Task<Results<Ok<PipelineResponse>, ValidationProblem, ProblemHttpResult>> ChangeAsync(
        Guid id, KazanDbContext db, HttpContext http, Func<Pipeline, Task<ValidationProblem?>> change, CancellationToken ct)
    {
        var pipeline = await db.Pipelines.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (pipeline is null)
        {
            return Problems.NotFound("Pipeline");
        }

        var (version, problem) = ETags.Check(http, pipeline.Version);
        if (problem is not null)
        {
            return problem;
        }

        db.ExpectVersion(pipeline, version);
        if (await change(pipeline) is { } invalid)
        {
            return invalid;
        }

        await db.SaveChangesAsync(ct);
        return Respond(http, pipeline);
    }

    private static Ok<PipelineResponse> Respond(HttpContext http, Pipeline pipeline)
    {
        ETags.Set(http, pipeline.Version);
        return TypedResults.Ok(PipelineResponse.From(pipeline));
    }

    private static async Task<Ok<List<LostReasonResponse>>> ListLostReasons(KazanDbContext db, bool? includeInactive, CancellationToken ct) =>
        TypedResults.Ok(await PipelineCommands.LostReasonsAsync(db, includeInactive ?? false, ct));

    private static async Task<Results<Created<LostReasonResponse>, ValidationProblem>> AddLostReason(
        LostReasonRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        var name = request.Name.Trim();
        if (await db.LostReasons.AnyAsync(r => r.Name == name, ct))
        {
            return Problems.Validation(nameof(request.Name), "This lost reason exists.");
        }

        var position = await db.LostReasons.Select(r => (int?)r.Position).MaxAsync(ct) is { } max ? max + 1 : 0;
        var reason = new LostReason(me.RequiredOrganizationId, name, position);
        db.LostReasons.Add(reason);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, reason.Version);
        return TypedResults.Created($"/api/v1/lost-reasons/{reason.Id}", ToResponse(reason));
    }

    private static async Task<Results<Ok<LostReasonResponse>, ValidationProblem, ProblemHttpResult>> RenameLostReason(
        Guid id, LostReasonRequest request, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var reason = await db.LostReasons.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reason is null)
        {
            return Problems.NotFound("Lost reason");
        }

        var (version, problem) = ETags.Check(http, reason.Version);
        if (problem is not null)
        {
            return problem;
        }

        var name = request.Name.Trim();
        if (await db.LostReasons.AnyAsync(r => r.Name == name && r.Id != id, ct))
        {
            return Problems.Validation(nameof(request.Name), "This lost reason exists.");
        }

        db.ExpectVersion(reason, version);
        reason.Rename(name);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, reason.Version);
        return TypedResults.Ok(ToResponse(reason));
    }

    private static Task<Results<Ok<LostReasonResponse>, ProblemHttpResult>> DeactivateLostReason(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        SetActiveAsync(id, false, db, http, ct);

    private static Task<Results<Ok<LostReasonResponse>, ProblemHttpResult>> ActivateLostReason(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        SetActiveAsync(id, true, db, http, ct);

    private static async Task<Results<Ok<LostReasonResponse>, ProblemHttpResult>> SetActiveAsync(Guid id, bool active, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var reason = await db.LostReasons.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reason is null)
        {
            return Problems.NotFound("Lost reason");
        }

        if (active)
        {
            reason.Activate();
        }
        else
        {
            reason.Deactivate();
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, reason.Version);
        return TypedResults.Ok(ToResponse(reason));
    }

    /// <summary>No If-Match: the order names every reason, so a list that changed meanwhile is rejected anyway.</summary>
    private static async Task<Ok<List<LostReasonResponse>>> ReorderLostReasons(LostReasonOrderRequest request, KazanDbContext db, CancellationToken ct)
    {
        var all = await db.LostReasons.ToListAsync(ct);
        LostReason.Reorder(all, request.Ids);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await PipelineCommands.LostReasonsAsync(db, includeInactive: true, ct));
    }

    private static LostReasonResponse ToResponse(LostReason r) => new(r.Id, r.Name, r.Position, r.IsActive, r.Version);
}
