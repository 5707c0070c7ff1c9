namespace Kazan.Bench.Scenarios;

/// <summary>One month of the win-rate report: deals won and lost with their closed date in it, and their value at closing.</summary>
public sealed record WinRateMonth(DateOnly Month, int WonCount, decimal WonValue, int LostCount, decimal LostValue);

public sealed partial class HandSql
{
    /// <summary>
    /// The win rate by month written by hand: the won and lost deals by closed date, each valued as its last Won or Lost
    /// event left it (its current amount when it has none), summed per day in SQL and per month here. Grouped by lost
    /// reason too, as the app's one statement is: the same rows give the lost reasons table (not compared here).
    /// </summary>
    public async Task<List<WinRateMonth>> WinRateAsync(Guid org, DateOnly from, int months, CancellationToken ct)
    {
        var start = new DateOnly(from.Year, from.Month, 1);
        var end = start.AddMonths(months);
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, """
            SELECT o."ClosedOn", o."Status", COUNT(*),
                   SUM(COALESCE((SELECT e."ForecastAmountBase" FROM "OpportunityEvents" e
                                 WHERE e."OpportunityId" = o."Id" AND e."Kind" IN ('Won', 'Lost')
                                 ORDER BY e."At" DESC, e."Sequence" DESC LIMIT 1), o."ForecastAmountBase"))
            FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."Status" IN ('Won', 'Lost') AND o."ClosedOn" >= @start AND o."ClosedOn" < @end
            GROUP BY o."ClosedOn", o."Status", o."LostReasonId"
            """, ("org", Id(org)), ("start", Date(start)), ("end", Date(end)));
        var days = new List<(DateOnly Day, bool Won, int Count, decimal Value)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                days.Add((r.GetFieldValue<DateOnly>(0), r.GetString(1) == "Won", Convert.ToInt32(r.GetValue(2), System.Globalization.CultureInfo.InvariantCulture), ReadMoney(r, 3)));
            }
        }

        return [.. Enumerable.Range(0, months).Select(i =>
        {
            var month = start.AddMonths(i);
            var inMonth = days.Where(d => d.Day >= month && d.Day < month.AddMonths(1)).ToList();
            return new WinRateMonth(month, inMonth.Where(d => d.Won).Sum(d => d.Count), inMonth.Where(d => d.Won).Sum(d => d.Value),
                inMonth.Where(d => !d.Won).Sum(d => d.Count), inMonth.Where(d => !d.Won).Sum(d => d.Value));
        })];
    }
}
