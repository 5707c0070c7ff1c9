using System.Linq.Expressions;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
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
    /// <remarks>
    /// The positions come from the pipeline in hand (a CASE over its stage ids) rather than a join with Stages: the
    /// join carried the tenant filter of Stages, and PostgreSQL then crossed every deal with every stage of the
    /// organization before matching them (the funnel took 4× its hand SQL).
    /// </remarks>
    public static IQueryable<FurthestStage> Furthest(KazanDbContext db, Pipeline pipeline, IQueryable<Guid> deals)
    {
        var pipelineId = pipeline.Id;
        var stageIds = pipeline.Stages.Select(s => s.Id).ToList();
        return db.OpportunityEvents
            .Where(e => e.State.PipelineId == pipelineId && stageIds.Contains(e.State.StageId) && deals.Contains(e.OpportunityId)) // IN, evaluated once
            .GroupBy(e => e.OpportunityId, Position(pipeline))
            .Select(g => new FurthestStage { Id = g.Key, Position = g.Max() });
    }

    /// <summary><c>e =&gt; won ? WonPosition : the position of e's stage</c>, one CASE arm per stage of the pipeline.</summary>
    private static Expression<Func<OpportunityEvent, int>> Position(Pipeline pipeline)
    {
        var e = Expression.Parameter(typeof(OpportunityEvent), "e");
        var state = Expression.Property(e, nameof(OpportunityEvent.State));
        var stageId = Expression.Property(state, nameof(DealState.StageId));
        Expression position = Expression.Constant(-1);
        foreach (var stage in pipeline.Stages)
        {
            position = Expression.Condition(Expression.Equal(stageId, Expression.Constant(stage.Id)), Expression.Constant(stage.Position), position);
        }

        var won = Expression.Equal(Expression.Property(state, nameof(DealState.Status)), Expression.Constant(OpportunityStatus.Won));
        return Expression.Lambda<Func<OpportunityEvent, int>>(Expression.Condition(won, Expression.Constant(WonPosition), position), e);
    }
}

/// <summary>A deal and the furthest stage position it held in a pipeline (<see cref="StageReach.WonPosition"/> once won there).</summary>
public sealed class FurthestStage
{
    // An initializer (not a constructor) so that EF Core can keep composing queries over it.
    public Guid Id { get; init; }
    public int Position { get; init; }
}
