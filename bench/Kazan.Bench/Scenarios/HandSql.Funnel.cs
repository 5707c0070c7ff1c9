using System.Globalization;

namespace Kazan.Bench.Scenarios;

/// <summary>The funnel written by hand: per stage of the pipeline, how many deals created in the period reached it.</summary>
public sealed record FunnelStage(Guid StageId, int Reached);

/// <summary>One stay in a stage that ended in the period, written by hand.</summary>
public sealed record StageStay(Guid StageId, DateTimeOffset Entered, DateTimeOffset Left);

public sealed partial class HandSql
{
    private const string Moves = "'Created', 'StageChanged', 'Won', 'Lost', 'Reopened'";

    /// <summary>
    /// The deals created in [start, end) in the pipeline (their creation event's state), each one's furthest stage
    /// position ever held in it (any position once won there), counted per stage: reached = furthest ≥ its position.
    /// </summary>
    public async Task<List<FunnelStage>> FunnelAsync(Guid org, Guid pipelineId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var stages = new List<(Guid Id, int Position)>();
        await using (var cmd = Command(c, """
            SELECT s."Id", s."Position" FROM "Stages" s WHERE s."OrganizationId" = @org AND s."PipelineId" = @p ORDER BY s."Position"
            """, ("org", Id(org)), ("p", Id(pipelineId))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                stages.Add((r.GetGuid(0), r.GetInt32(1)));
            }
        }

        var furthest = new List<(int Position, int Count)>();
        await using (var cmd = Command(c, """
            SELECT f."Position", COUNT(*) FROM (
                SELECT e."OpportunityId", MAX(CASE WHEN e."Status" = 'Won' THEN 2147483647 ELSE s."Position" END) AS "Position"
                FROM "OpportunityEvents" e JOIN "Stages" s ON s."Id" = e."StageId"
                WHERE e."OrganizationId" = @org AND e."PipelineId" = @p AND e."OpportunityId" IN (
                    SELECT o."Id" FROM "Opportunities" o
                    WHERE o."OrganizationId" = @org AND o."CreatedAt" >= @start AND o."CreatedAt" < @end
                      AND EXISTS (SELECT 1 FROM "OpportunityEvents" k WHERE k."OpportunityId" = o."Id" AND k."Kind" = 'Created' AND k."PipelineId" = @p))
                GROUP BY e."OpportunityId") f
            GROUP BY f."Position"
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("start", Time(start)), ("end", Time(end))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                furthest.Add((Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture)));
            }
        }

        return [.. stages.Select(s => new FunnelStage(s.Id, furthest.Where(f => f.Position >= s.Position).Sum(f => f.Count)))];
    }

    /// <summary>
    /// The stays in the pipeline's stages that ended in [start, end): each open step (created, moved, reopened) up to
    /// the deal's next step (a window function over its steps).
    /// </summary>
    public async Task<List<StageStay>> StaysAsync(Guid org, Guid pipelineId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, $"""
            SELECT x."StageId", x."At", x."NextAt" FROM (
                SELECT e."PipelineId", e."StageId", e."Status", e."At",
                       LEAD(e."At") OVER (PARTITION BY e."OpportunityId" ORDER BY e."At", e."Sequence", e."Kind") AS "NextAt"
                FROM "OpportunityEvents" e
                WHERE e."OrganizationId" = @org AND e."Kind" IN ({Moves}) AND e."At" < @end
                  AND e."OpportunityId" IN (SELECT n."OpportunityId" FROM "OpportunityEvents" n
                                            WHERE n."OrganizationId" = @org AND n."Kind" IN ('StageChanged', 'Won', 'Lost', 'Reopened')
                                              AND n."At" >= @start AND n."At" < @end)) x
            WHERE x."PipelineId" = @p AND x."Status" = 'Open' AND x."NextAt" >= @start
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("start", Time(start)), ("end", Time(end)));
        var stays = new List<StageStay>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            stays.Add(new StageStay(r.GetGuid(0), ReadTime(r, 1), ReadTime(r, 2)));
        }

        return stays;
    }
}
