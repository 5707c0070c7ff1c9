using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;

namespace Kazan.Features.Reports;

/// <summary>
/// The one rule of how far a deal got in a pipeline, from its history (the state after each event): its furthest stage
/// is the highest position among the stages of the pipeline its events ever left it in, and a deal ever won in the
/// pipeline is beyond its last stage (<see cref="WonPosition"/>). A deal reached stage k when its furthest position is
/// at or after k's. The funnel and the stage probability report both count by it.
/// </summary>
public static class StageReach
{
    /// <summary>Above every stage position: a won deal reached every stage.</summary>
    public const int WonPosition = int.MaxValue;

    /// <summary>Per deal of <paramref name="deals"/> with events in the pipeline, the furthest stage position it ever held there.</summary>
    public static IQueryable<FurthestStage> Furthest(KazanDbContext db, Guid pipelineId, IQueryable<Guid> deals) =>
        from e in db.OpportunityEvents
        where e.State.PipelineId == pipelineId && deals.Contains(e.OpportunityId) // IN, evaluated once
        join s in db.Stages on e.State.StageId equals s.Id
        group new { e.State.Status, s.Position } by e.OpportunityId into g
        select new FurthestStage { Id = g.Key, Position = g.Max(x => x.Status == OpportunityStatus.Won ? WonPosition : x.Position) };
}

/// <summary>A deal and the furthest stage position it held in a pipeline (<see cref="StageReach.WonPosition"/> once won there).</summary>
public sealed class FurthestStage
{
    // An initializer (not a constructor) so that EF Core can keep composing queries over it.
    public Guid Id { get; init; }
    public int Position { get; init; }
}
