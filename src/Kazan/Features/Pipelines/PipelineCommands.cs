using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Pipelines;

public sealed record StageResponse(Guid Id, string Name, int Position, int Probability, int? RottingDays);

public sealed record PipelineResponse(Guid Id, string Name, bool IsDefault, bool IsArchived, int Version, IReadOnlyList<StageResponse> Stages)
{
    public static PipelineResponse From(Pipeline p) =>
        new(p.Id, p.Name, p.IsDefault, p.IsArchived, p.Version, p.Stages.Select(s => new StageResponse(s.Id, s.Name, s.Position, s.Probability, s.RottingDays)).ToList());
}

public sealed record LostReasonResponse(Guid Id, string Name, int Position, bool IsActive, int Version);

/// <summary>What the pipelines API and the settings pages share: queries and the changes that span more than one entity.</summary>
public static class PipelineCommands
{
    /// <summary>Opportunities moved per SaveChanges when a stage is removed: bounded memory whatever the stage holds.</summary>
    public const int MoveBatchSize = 500;

    /// <summary>An organization has a handful of pipelines; the list is bounded anyway.</summary>
    public const int MaxPipelines = 100;

    public static async Task<List<PipelineResponse>> ListAsync(KazanDbContext db, bool includeArchived, CancellationToken ct)
    {
        var pipelines = await db.Pipelines.AsNoTracking()
            .Where(p => includeArchived || !p.IsArchived)
            .OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name).ThenBy(p => p.Id)
            .Take(MaxPipelines)
            .ToListAsync(ct);
        return pipelines.Select(PipelineResponse.From).ToList();
    }

    /// <summary>The default pipeline, or the first active one if (against the rule) none is marked.</summary>
    public static Task<Pipeline?> DefaultAsync(KazanDbContext db, CancellationToken ct) =>
        db.Pipelines.AsNoTracking().Where(p => !p.IsArchived).OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name).FirstOrDefaultAsync(ct);

    public static async Task<List<LostReasonResponse>> LostReasonsAsync(KazanDbContext db, bool includeInactive, CancellationToken ct) =>
        await db.LostReasons.AsNoTracking().Where(r => includeInactive || r.IsActive)
            .OrderBy(r => r.Position).ThenBy(r => r.Name).Take(500)
            .Select(r => new LostReasonResponse(r.Id, r.Name, r.Position, r.IsActive, r.Version)).ToListAsync(ct);

    /// <summary>Creates a pipeline with its stages; the first pipeline, or one asked to be, becomes the default.</summary>
    public static async Task<Pipeline> CreateAsync(
        KazanDbContext db, Guid organizationId, string name, IReadOnlyList<(string Name, int Probability, int? RottingDays)> stages, bool makeDefault, CancellationToken ct)
    {
        if (stages.Count == 0)
        {
            throw new DomainRuleException("A pipeline needs at least one stage.", "pipeline.last-stage");
        }

        var all = await db.Pipelines.ToListAsync(ct);
        var pipeline = new Pipeline(organizationId, name, isDefault: false);
        foreach (var (stageName, probability, rotting) in stages)
        {
            pipeline.AddStage(stageName, probability, rotting);
        }

        db.Pipelines.Add(pipeline);
        if (makeDefault || all.All(p => p.IsArchived))
        {
            pipeline.MakeDefault(all);
        }

        return pipeline;
    }

    public static async Task MakeDefaultAsync(KazanDbContext db, Pipeline pipeline, CancellationToken ct)
    {
        var all = await db.Pipelines.ToListAsync(ct);
        pipeline.MakeDefault(all);
    }

    public static Stage AddStage(KazanDbContext db, Pipeline pipeline, string name, int probability, int? rottingDays, int? position)
    {
        var stage = pipeline.AddStage(name, probability, rottingDays, position);

        // Added explicitly: a child with a client-made key found only through the navigation would be taken for an existing row.
        db.Stages.Add(stage);
        Touch(db, pipeline);
        return stage;
    }

    /// <summary>
    /// Removes a stage. Its opportunities (open and closed) move to <paramref name="moveTo"/> first, each through
    /// <see cref="Opportunity.ReassignStage"/> so each gets its StageChanged history row, its recomputed probability
    /// and its audit entry; in batches of <see cref="MoveBatchSize"/>, all in one transaction with the removal.
    /// Entity-by-entity rather than one UPDATE + INSERT…SELECT: the history ids, SQLite's scaled decimals and the
    /// audit trail would otherwise need provider-specific SQL.
    /// </summary>
    public static async Task RemoveStageAsync(KazanDbContext db, Pipeline pipeline, Guid stageId, Guid? moveTo, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        // The caller is an admin: the owner filter does not hide anyone's deals here, so "holds" sees them all.
        var holds = await db.Opportunities.AnyAsync(o => o.StageId == stageId, ct);
        var stage = pipeline.EnsureCanRemoveStage(stageId, holds, moveTo);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (holds)
        {
            var target = pipeline.Stage(moveTo!.Value);
            while (true)
            {
                var batch = await db.Opportunities.Where(o => o.StageId == stageId).OrderBy(o => o.Id).Take(MoveBatchSize).ToListAsync(ct);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var opportunity in batch)
                {
                    opportunity.ReassignStage(target, actorId, now);
                }

                await db.SaveChangesAsync(ct);

                // Keep the change tracker small: only the pipeline and its stages stay tracked.
                foreach (var entry in db.ChangeTracker.Entries().Where(e => e.Entity is not (Pipeline or Stage)).ToList())
                {
                    entry.State = EntityState.Detached;
                }
            }
        }

        pipeline.RemoveStage(stageId, holds, moveTo);
        db.Stages.Remove(stage);
        Touch(db, pipeline);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>
    /// A change to a stage is a change to its pipeline: mark the pipeline modified so its version (the ETag) moves and
    /// a concurrent edit of the stage list is caught.
    /// </summary>
    public static void Touch(KazanDbContext db, Pipeline pipeline)
    {
        var entry = db.Entry(pipeline);
        if (entry.State == EntityState.Unchanged)
        {
            entry.Property(p => p.Name).IsModified = true;
        }
    }
}
