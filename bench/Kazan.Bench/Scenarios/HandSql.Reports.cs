using System.Data.Common;

namespace Kazan.Bench.Scenarios;

/// <summary>One stage of the pipeline report: open deals, their base-currency total and weighted total.</summary>
public sealed record ReportStage(Guid StageId, int Count, decimal Total, decimal Weighted);

public sealed partial class HandSql
{
    /// <summary>
    /// The pipeline report written by hand: now, the running totals per stage (the table the app keeps with every save);
    /// as of a moment, each deal's history event valid at that moment (the state it carries).
    /// </summary>
    public async Task<List<ReportStage>> PipelineReportAsync(Guid org, Guid pipelineId, DateTimeOffset? asOf, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        if (asOf is null)
        {
            return await RunningTotalsByStageAsync(c, org, pipelineId, owner: null, ct);
        }

        await using var cmd = Command(c, """
                SELECT e."StageId", COUNT(*), SUM(e."ForecastAmountBase"), SUM(e."WeightedAmountBase")
                FROM "OpportunityEvents" e
                WHERE e."OrganizationId" = @org AND e."At" <= @at AND (e."Until" IS NULL OR e."Until" > @at)
                  AND e."PipelineId" = @p AND e."Status" = 'Open'
                GROUP BY e."StageId"
                """, ("org", Id(org)), ("p", Id(pipelineId)), ("at", Time(asOf.Value)));
        return await StagesAsync(cmd, ct);
    }

    /// <summary>The open deals per stage of a pipeline (of one owner's, or everyone's), read from the running totals the app keeps with every save.</summary>
    private async Task<List<ReportStage>> RunningTotalsByStageAsync(DbConnection c, Guid org, Guid pipelineId, Guid? owner, CancellationToken ct)
    {
        await using var cmd = Command(c, $"""
            SELECT t."StageId", SUM(t."Count"), SUM(t."Total"), SUM(t."WeightedTotal")
            FROM "BoardTotals" t
            WHERE t."OrganizationId" = @org AND t."PipelineId" = @p AND t."Count" <> 0{(owner is null ? "" : """ AND t."OwnerId" = @owner""")}
            GROUP BY t."StageId"
            """, [("org", Id(org)), ("p", Id(pipelineId)), .. owner is { } o ? new[] { ("owner", Id(o)) } : []]);
        return await StagesAsync(cmd, ct);
    }

    /// <summary>The open deals per stage summed from the deals themselves: what the running totals must equal.</summary>
    public async Task<List<ReportStage>> OpenDealsByStageAsync(Guid org, Guid pipelineId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, """
            SELECT o."StageId", COUNT(*), SUM(o."ForecastAmountBase"), SUM(o."WeightedAmountBase")
            FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."PipelineId" = @p AND o."Status" = 'Open'
            GROUP BY o."StageId"
            """, ("org", Id(org)), ("p", Id(pipelineId)));
        return await StagesAsync(cmd, ct);
    }

    private async Task<List<ReportStage>> StagesAsync(System.Data.Common.DbCommand cmd, CancellationToken ct)
    {
        var stages = new List<ReportStage>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            stages.Add(new ReportStage(r.GetGuid(0), Convert.ToInt32(r.GetValue(1), System.Globalization.CultureInfo.InvariantCulture), ReadMoney(r, 2), ReadMoney(r, 3)));
        }

        return stages;
    }
}
