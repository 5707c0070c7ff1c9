using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Pipelines;

public sealed record StageResponse(Guid Id, string Name, int Position, int Probability, int? RottingDays, ForecastCategory ForecastCategory);

public sealed record PipelineResponse(Guid Id, string Name, bool IsDefault, bool IsArchived, int Version, IReadOnlyList<StageResponse> Stages)
{
    public static PipelineResponse From(Pipeline p) =>
        new(p.Id, p.Name, p.IsDefault, p.IsArchived, p.Version, p.Stages.Select(s => new StageResponse(s.Id, s.Name, s.Position, s.Probability, s.RottingDays, s.ForecastCategory)).ToList());
}

public sealed record LostReasonResponse(Guid Id, string Name, int Position, bool IsActive, int Version)
{
    public static LostReasonResponse From(LostReason r) => new(r.Id, r.Name, r.Position, r.IsActive, r.Version);
}

/// <summary>Reads of pipelines, stages and lost reasons for the API, the settings pages, the board and the opportunity forms.</summary>
public static class PipelineQueries
{
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

    /// <summary>One pipeline with its stages (not tracked), or null.</summary>
    public static Task<Pipeline?> GetAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>
    /// The one default-pipeline rule (docs/domain.md "The default pipeline"): the active pipeline marked default; if
    /// none is marked (a state the commands never leave, but data can), the first active pipeline by name. Null only
    /// when the organization has no active pipeline. Everything that needs "the default pipeline" — a new deal without
    /// a pipeline, a quote or order that opens a deal, the board and the home page — asks here.
    /// </summary>
    public static Task<Pipeline?> DefaultAsync(KazanDbContext db, CancellationToken ct) =>
        db.Pipelines.AsNoTracking().Where(p => !p.IsArchived)
            .OrderByDescending(p => p.IsDefault).ThenBy(p => p.Name).ThenBy(p => p.Id)
            .FirstOrDefaultAsync(ct);

    /// <summary>Deals per stage of a pipeline (all statuses: they all block a removal): one GROUP BY.</summary>
    public static Task<Dictionary<Guid, int>> DealsPerStageAsync(KazanDbContext db, Guid pipelineId, CancellationToken ct) =>
        db.Opportunities.Where(o => o.PipelineId == pipelineId).GroupBy(o => o.StageId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);

    public static async Task<List<LostReasonResponse>> LostReasonsAsync(KazanDbContext db, bool includeInactive, CancellationToken ct) =>
        await db.LostReasons.AsNoTracking().Where(r => includeInactive || r.IsActive)
            .OrderBy(r => r.Position).ThenBy(r => r.Name).Take(500)
            .Select(r => new LostReasonResponse(r.Id, r.Name, r.Position, r.IsActive, r.Version)).ToListAsync(ct);
}
