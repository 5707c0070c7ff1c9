using System.Globalization;

namespace Kazan.Bench.Scenarios;

/// <summary>One stage of the stage probability report written by hand: the sample (closed deals that reached it), the won, the observed percent.</summary>
public sealed record StageRate(Guid StageId, int Sample, int Won, int? Observed);

public sealed partial class HandSql
{
    /// <summary>
    /// The deals now won or lost in the pipeline with their closed date in [from, to]: the won count, and each lost one's
    /// furthest stage position ever held in the pipeline (any position once won there), counted per stage: sample =
    /// won + lost with furthest ≥ its position; observed = won ÷ sample, a whole percent rounded half away from zero.
    /// </summary>
    public async Task<List<StageRate>> StageProbabilityAsync(Guid org, Guid pipelineId, DateOnly from, DateOnly to, CancellationToken ct)
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

        int won;
        await using (var cmd = Command(c, """
            SELECT COUNT(*) FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."PipelineId" = @p AND o."Status" = 'Won' AND o."ClosedOn" >= @from AND o."ClosedOn" <= @to
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("from", Date(from)), ("to", Date(to))))
        {
            won = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        var lost = new List<(int Position, int Count)>();
        await using (var cmd = Command(c, """
            SELECT f."Position", COUNT(*) FROM (
                SELECT e."OpportunityId", MAX(CASE WHEN e."Status" = 'Won' THEN 2147483647 ELSE s."Position" END) AS "Position"
                FROM "OpportunityEvents" e JOIN "Stages" s ON s."Id" = e."StageId"
                WHERE e."OrganizationId" = @org AND e."PipelineId" = @p AND e."OpportunityId" IN (
                    SELECT o."Id" FROM "Opportunities" o
                    WHERE o."OrganizationId" = @org AND o."PipelineId" = @p AND o."Status" = 'Lost' AND o."ClosedOn" >= @from AND o."ClosedOn" <= @to)
                GROUP BY e."OpportunityId") f
            GROUP BY f."Position"
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("from", Date(from)), ("to", Date(to))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                lost.Add((Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture)));
            }
        }

        return [.. stages.Select(s =>
        {
            var sample = won + lost.Where(l => l.Position >= s.Position).Sum(l => l.Count);
            return new StageRate(s.Id, sample, won, sample == 0 ? null : (int)Math.Round(100m * won / sample, MidpointRounding.AwayFromZero));
        })];
    }
}
