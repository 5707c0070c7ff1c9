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

        // Where the cohort stands now (won, lost at a stage, open at a stage, moved away): the rest of the report's figures.
        var now = new List<(string Status, Guid Pipeline, Guid Stage, int Count)>();
        await using (var cmd = Command(c, """
            SELECT o."Status", o."PipelineId", o."StageId", COUNT(*) FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."CreatedAt" >= @start AND o."CreatedAt" < @end
              AND EXISTS (SELECT 1 FROM "OpportunityEvents" k WHERE k."OpportunityId" = o."Id" AND k."Kind" = 'Created' AND k."PipelineId" = @p)
            GROUP BY o."Status", o."PipelineId", o."StageId"
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("start", Time(start)), ("end", Time(end))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                now.Add((r.GetString(0), r.GetGuid(1), r.GetGuid(2), Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture)));
            }
        }

        _ = now.Sum(n => n.Count);
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

    /// <summary>
    /// The velocity report by hand: the stays (above), and for the sales velocity the deals won in the period with their
    /// creation and amount, the lost count and the open count of the pipeline — the same figures the app's report gives.
    /// </summary>
    public async Task<(List<StageStay> Stays, int Won, int Lost, int Open, decimal WonTotal)> VelocityAsync(
        Guid org, Guid pipelineId, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var stays = await StaysAsync(org, pipelineId, start, end, ct);
        var zone = Kazan.Infrastructure.Time.OrganizationTime.DefaultZone;
        var (from, to) = (Kazan.Infrastructure.Time.OrganizationTime.DayIn(zone, start), Kazan.Infrastructure.Time.OrganizationTime.DayIn(zone, end.AddTicks(-1)));
        await using var c = await OpenAsync(ct);
        var (won, wonTotal) = (0, 0m);
        await using (var cmd = Command(c, """
            SELECT o."CreatedAt", o."ClosedOn", o."ForecastAmountBase" FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."PipelineId" = @p AND o."Status" = 'Won' AND o."ClosedOn" >= @from AND o."ClosedOn" <= @to
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("from", Date(from)), ("to", Date(to))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                _ = ReadTime(r, 0);
                won++;
                wonTotal += ReadMoney(r, 2);
            }
        }

        await using var counts = Command(c, """
            SELECT SUM(CASE WHEN o."Status" = 'Lost' AND o."ClosedOn" >= @from AND o."ClosedOn" <= @to THEN 1 ELSE 0 END),
                   SUM(CASE WHEN o."Status" = 'Open' THEN 1 ELSE 0 END)
            FROM "Opportunities" o WHERE o."OrganizationId" = @org AND o."PipelineId" = @p
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("from", Date(from)), ("to", Date(to)));
        await using var read = await counts.ExecuteReaderAsync(ct);
        await read.ReadAsync(ct);
        return (stays, won, read.IsDBNull(0) ? 0 : Convert.ToInt32(read.GetValue(0), CultureInfo.InvariantCulture),
            read.IsDBNull(1) ? 0 : Convert.ToInt32(read.GetValue(1), CultureInfo.InvariantCulture), wonTotal);
    }
}
