using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Pipelines;

/// <summary>A stage as a caller describes it: name, default win probability, rotting days (null: never).</summary>
public sealed record NewStage(string Name, int Probability, int? RottingDays, ForecastCategory? ForecastCategory = null);

/// <summary>
/// The pipeline, stage and lost-reason use cases, one function each, shared by the API and the settings pages. Each
/// loads what it changes, checks the version the caller read, applies the entity's verbs and saves; it answers with an
/// <see cref="Outcome{T}"/>. A change to a stage is a change to its pipeline (its version moves).
/// </summary>
public static class PipelineCommands
{
    /// <summary>Opportunities moved per SaveChanges when a stage is removed: bounded memory whatever the stage holds.</summary>
    public const int MoveBatchSize = 500;

    private const string What = "Pipeline";
    private const string ReasonWhat = "Lost reason";

    private static readonly Failure PipelineNameTaken = Outcome.Invalid("name", "A pipeline with this name exists.", "pipeline.name-taken");
    private static readonly Failure LostReasonNameTaken = Outcome.Invalid("name", "This lost reason exists.", "lost-reason.name-taken");

    /// <summary>Creates a pipeline with its stages; the first active pipeline, or one asked to be, becomes the default.</summary>
    public static Task<Outcome<Pipeline>> CreateAsync(
        KazanDbContext db, CurrentUser me, string name, IReadOnlyList<NewStage> stages, bool makeDefault, CancellationToken ct) =>
        UniqueName(UseCase.RunAsync<Pipeline>(db, async () =>
        {
            if (await PipelineNameTakenAsync(db, name, null, ct))
            {
                return PipelineNameTaken;
            }

            if (stages.Count == 0)
            {
                return Outcome.Broken("A pipeline needs at least one stage.", "pipeline.last-stage");
            }

            var all = await db.Pipelines.ToListAsync(ct);
            var pipeline = new Pipeline(me.RequiredOrganizationId, name, isDefault: false);
            foreach (var stage in stages)
            {
                pipeline.AddStage(stage.Name, stage.Probability, stage.RottingDays, forecastCategory: stage.ForecastCategory);
            }

            db.Pipelines.Add(pipeline);
            if (makeDefault || all.All(p => p.IsArchived))
            {
                pipeline.MakeDefault(all);
            }

            await db.SaveChangesAsync(ct);
            return pipeline;
        }), PipelineNameTaken);

    public static Task<Outcome<Pipeline>> RenameAsync(KazanDbContext db, Guid id, int version, string name, CancellationToken ct) =>
        UniqueName(UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async p =>
        {
            if (await PipelineNameTakenAsync(db, name, id, ct))
            {
                return PipelineNameTaken;
            }

            p.Rename(name);
            return null;
        }, ct), PipelineNameTaken);

    /// <summary>Makes the pipeline the organization's one default (the others lose the mark).</summary>
    public static Task<Outcome<Pipeline>> MakeDefaultAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async p =>
        {
            p.MakeDefault(await db.Pipelines.ToListAsync(ct));
            return null;
        }, ct);

    public static Task<Outcome<Pipeline>> ArchiveAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, p => p.Archive(), ct);

    public static Task<Outcome<Pipeline>> RestoreAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, p => p.Restore(), ct);

    /// <summary>Adds a stage at the end or at <paramref name="position"/>.</summary>
    public static Task<Outcome<Pipeline>> AddStageAsync(KazanDbContext db, Guid id, int version, NewStage stage, int? position, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, p =>
        {
            // Added explicitly: a child with a client-made key found only through the navigation would be taken for an existing row.
            db.Stages.Add(p.AddStage(stage.Name, stage.Probability, stage.RottingDays, position, stage.ForecastCategory));
            Touch(db, p);
        }, ct);

    public static Task<Outcome<Pipeline>> UpdateStageAsync(KazanDbContext db, Guid id, int version, Guid stageId, NewStage stage, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, p =>
        {
            if (!p.HasStage(stageId))
            {
                return Task.FromResult<Failure?>(UnknownStage);
            }

            p.UpdateStage(stageId, stage.Name, stage.Probability, stage.RottingDays, stage.ForecastCategory);
            Touch(db, p);
            return Task.FromResult<Failure?>(null);
        }, ct);

    /// <summary>Puts the stages in a new order; the list names every stage once.</summary>
    public static Task<Outcome<Pipeline>> ReorderStagesAsync(KazanDbContext db, Guid id, int version, IReadOnlyList<Guid> stageIds, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, p =>
        {
            p.Reorder(stageIds);
            Touch(db, p);
        }, ct);

    /// <summary>
    /// Removes a stage. Its opportunities (open and closed) move to <paramref name="moveTo"/> first, each through
    /// <see cref="Opportunity.ReassignStage"/> so each gets its StageChanged history row, its recomputed probability
    /// and its audit entry; in batches of <see cref="MoveBatchSize"/>, all in one transaction with the removal.
    /// Entity-by-entity rather than one UPDATE + INSERT…SELECT: the history ids, SQLite's scaled decimals and the
    /// audit trail would otherwise need provider-specific SQL.
    /// </summary>
    public static async Task<Outcome<Pipeline>> RemoveStageAsync(
        KazanDbContext db, Guid id, int version, Guid stageId, Guid? moveTo, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginOrJoinAsync(ct);
        var outcome = await UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async pipeline =>
        {
            if (!pipeline.HasStage(stageId))
            {
                return UnknownStage;
            }

            // The caller is an admin: the owner filter does not hide anyone's deals here, so "holds" sees them all.
            var holds = await db.Opportunities.AnyAsync(o => o.StageId == stageId, ct);
            var stage = pipeline.EnsureCanRemoveStage(stageId, holds, moveTo);
            if (holds)
            {
                await MoveDealsAsync(db, stageId, pipeline.Stage(moveTo!.Value), actorId, now, ct);
            }

            pipeline.RemoveStage(stageId, holds, moveTo);
            db.Stages.Remove(stage);
            Touch(db, pipeline);
            return null;
        }, ct);
        if (outcome.IsOk)
        {
            await tx.CommitAsync(ct);
        }

        return outcome;
    }

    public static Task<Outcome<LostReason>> AddLostReasonAsync(KazanDbContext db, CurrentUser me, string name, CancellationToken ct) =>
        UniqueName(UseCase.RunAsync<LostReason>(db, async () =>
        {
            if (await LostReasonNameTakenAsync(db, name, null, ct))
            {
                return LostReasonNameTaken;
            }

            var position = await db.LostReasons.Select(r => (int?)r.Position).MaxAsync(ct) is { } max ? max + 1 : 0;
            var reason = new LostReason(me.RequiredOrganizationId, name, position);
            db.LostReasons.Add(reason);
            await db.SaveChangesAsync(ct);
            return reason;
        }), LostReasonNameTaken);

    public static Task<Outcome<LostReason>> RenameLostReasonAsync(KazanDbContext db, Guid id, int version, string name, CancellationToken ct) =>
        UniqueName(UseCase.ChangeAsync(db, () => LoadReason(db, id, ct), ReasonWhat, version, async r =>
        {
            if (await LostReasonNameTakenAsync(db, name, id, ct))
            {
                return LostReasonNameTaken;
            }

            r.Rename(name);
            return null;
        }, ct), LostReasonNameTaken);

    /// <summary>Offers the reason again, or stops offering it (deals that used it keep it). The version is optional: null skips the check.</summary>
    public static Task<Outcome<LostReason>> SetLostReasonActiveAsync(KazanDbContext db, Guid id, int? version, bool active, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadReason(db, id, ct), ReasonWhat, version, r =>
        {
            if (active)
            {
                r.Activate();
            }
            else
            {
                r.Deactivate();
            }
        }, ct);

    /// <summary>A new order of all the organization's reasons (no version: a list that changed meanwhile no longer names every reason).</summary>
    public static Task<Outcome<List<LostReason>>> ReorderLostReasonsAsync(KazanDbContext db, IReadOnlyList<Guid> ids, CancellationToken ct) =>
        UseCase.RunAsync<List<LostReason>>(db, async () =>
        {
            var all = await db.LostReasons.ToListAsync(ct);
            LostReason.Reorder(all, ids);
            await db.SaveChangesAsync(ct);
            return all.OrderBy(r => r.Position).ToList();
        });

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

    private static Failure UnknownStage => Outcome.Invalid("stageId", "No such stage in this pipeline.", "stage.unknown");

    private static Task<Pipeline?> Load(KazanDbContext db, Guid id, CancellationToken ct) => db.Pipelines.FirstOrDefaultAsync(p => p.Id == id, ct);

    private static Task<LostReason?> LoadReason(KazanDbContext db, Guid id, CancellationToken ct) => db.LostReasons.FirstOrDefaultAsync(r => r.Id == id, ct);

    /// <summary>The one check of pipeline names: unique in the organization as typed (trimmed). A unique index stands behind it.</summary>
    private static Task<bool> PipelineNameTakenAsync(KazanDbContext db, string name, Guid? self, CancellationToken ct)
    {
        var trimmed = name.Trim();
        return db.Pipelines.AnyAsync(p => p.Name == trimmed && p.Id != self, ct);
    }

    /// <summary>The one check of lost-reason names: unique in the organization as typed (trimmed). A unique index stands behind it.</summary>
    private static Task<bool> LostReasonNameTakenAsync(KazanDbContext db, string name, Guid? self, CancellationToken ct)
    {
        var trimmed = name.Trim();
        return db.LostReasons.AnyAsync(r => r.Name == trimmed && r.Id != self, ct);
    }

    /// <summary>A duplicate that got past the check (a concurrent create) is refused by the unique index: the same answer as the check's.</summary>
    private static async Task<Outcome<T>> UniqueName<T>(Task<Outcome<T>> run, Failure taken)
    {
        var outcome = await run;
        return outcome.Status == OutcomeStatus.Invalid && outcome.Codes?.GetValueOrDefault("name") == UseCase.ValueTakenCode ? taken : outcome;
    }

    private static async Task MoveDealsAsync(KazanDbContext db, Guid stageId, Stage target, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        while (true)
        {
            var batch = await db.Opportunities.Where(o => o.StageId == stageId).OrderBy(o => o.Id).Take(MoveBatchSize).ToListAsync(ct);
            if (batch.Count == 0)
            {
                return;
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
}
