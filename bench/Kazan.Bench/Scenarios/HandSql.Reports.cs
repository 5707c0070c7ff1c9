namespace Kazan.Bench.Scenarios;

/// <summary>One stage of the pipeline report: open deals, their base-currency total and weighted total.</summary>
public sealed record ReportStage(Guid StageId, int Count, decimal Total, decimal Weighted);

public sealed partial class HandSql
{
    /// <summary>
    /// The pipeline report written by hand: open deals per stage from the live rows, or, as of a moment, from each deal's
    /// last history event at or before it (the state it carries).
    /// </summary>
    public async Task<List<ReportStage>> PipelineReportAsync(Guid org, Guid pipelineId, DateTimeOffset? asOf, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = asOf is null
            ? Command(c, """
                SELECT o."StageId", COUNT(*), SUM(o."ForecastAmountBase"), SUM(o."WeightedAmountBase")
                FROM "Opportunities" o
                WHERE o."OrganizationId" = @org AND o."PipelineId" = @p AND o."Status" = 'Open'
                GROUP BY o."StageId"
                """, ("org", Id(org)), ("p", Id(pipelineId)))
            : Command(c, """
                SELECT e."StageId", COUNT(*), SUM(e."ForecastAmountBase"), SUM(e."WeightedAmountBase")
                FROM "OpportunityEvents" e
                WHERE e."OrganizationId" = @org AND e."At" <= @at AND (e."Until" IS NULL OR e."Until" > @at)
                  AND e."PipelineId" = @p AND e."Status" = 'Open'
                GROUP BY e."StageId"
                """, ("org", Id(org)), ("p", Id(pipelineId)), ("at", Time(asOf.Value)));
        var stages = new List<ReportStage>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            stages.Add(new ReportStage(r.GetGuid(0), Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), ReadMoney(r, 2), ReadMoney(r, 3)));
        }

        return stages;
    }
}
