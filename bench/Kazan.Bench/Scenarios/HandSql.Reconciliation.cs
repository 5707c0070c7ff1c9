using System.Globalization;

namespace Kazan.Bench.Scenarios;

/// <summary>One month of the amounts reconciliation: the deals of the month, their four amounts, gaps, backlog and decided quotes.</summary>
public sealed record ReconciliationMonth(
    string Month, int Deals, decimal Expected, decimal Quoted, decimal Ordered, decimal Delivered, decimal QuotedNotOrdered, decimal OrderedNotDelivered,
    decimal Backlog, int QuotesAccepted, int QuotesDecided);

public sealed partial class HandSql
{
    /// <summary>
    /// The amounts reconciliation written by hand, in one statement: the deals placed in a month by their closed date
    /// (won or lost) or expected close date (open), each amount × the deal's rate rounded half away from zero to kuruş per
    /// deal in SQL (PostgreSQL numeric ROUND; SQLite on the scaled integers), the backlog of the undelivered orders' lines
    /// and the decided quotes (accepted, rejected, sent and past their date) joined per deal, summed per owner and
    /// month in SQL and per month here.
    /// </summary>
    public async Task<List<ReconciliationMonth>> ReconciliationAsync(Guid org, DateOnly from, int months, DateOnly today, CancellationToken ct)
    {
        var start = new DateOnly(from.Year, from.Month, 1);
        var end = start.AddMonths(months);
        var sqlite = provider == Kazan.Infrastructure.Data.DatabaseProvider.Sqlite;
        string Base(string column) => sqlite
            ? $"(({column} * o.\"ExchangeRate\" + 500000) / 1000000 * 100)"
            : $"ROUND({column} * o.\"ExchangeRate\", 2)";
        var day = "CASE WHEN o.\"Status\" = 'Open' THEN o.\"ExpectedCloseDate\" ELSE o.\"ClosedOn\" END";
        var month = sqlite ? $"substr({day}, 1, 7)" : $"to_char({day}, 'YYYY-MM')";
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, $"""
            SELECT d.m, COUNT(*), SUM(d.e), COALESCE(SUM(d.q), 0), COALESCE(SUM(d.od), 0), COALESCE(SUM(d.dl), 0),
                   COALESCE(SUM(CASE WHEN d.q IS NOT NULL AND d.od IS NULL THEN d.q END), 0),
                   COALESCE(SUM(d.od - COALESCE(d.dl, 0)), 0), COALESCE(SUM(d.b), 0), COALESCE(SUM(d.acc), 0), COALESCE(SUM(d.dec), 0)
            FROM (
                SELECT o."OwnerId" AS owner, {month} AS m, {Base("o.\"ExpectedAmount\"")} AS e, {Base("o.\"QuotedAmount\"")} AS q,
                       {Base("o.\"OrderedAmount\"")} AS od, {Base("o.\"DeliveredAmount\"")} AS dl, b.remaining AS b, qs.acc AS acc, qs.dec AS dec
                FROM "Opportunities" o
                LEFT JOIN (SELECT r."OpportunityId", SUM(l."RemainingNetBase") AS remaining
                           FROM "Orders" r JOIN "OrderLines" l ON l."OrderId" = r."Id"
                           WHERE r."OrganizationId" = @org AND r."Status" IN ('Open', 'PartiallyDelivered')
                           GROUP BY r."OpportunityId") b ON b."OpportunityId" = o."Id"
                LEFT JOIN (SELECT q."OpportunityId", SUM(CASE WHEN q."Status" = 'Accepted' THEN 1 ELSE 0 END) AS acc, COUNT(*) AS dec
                           FROM "Quotes" q
                           WHERE q."OrganizationId" = @org AND (q."Status" IN ('Accepted', 'Rejected') OR (q."Status" = 'Sent' AND q."ValidUntil" < @today))
                           GROUP BY q."OpportunityId") qs ON qs."OpportunityId" = o."Id"
                WHERE o."OrganizationId" = @org
                  AND ((o."Status" = 'Open' AND o."ExpectedCloseDate" >= @start AND o."ExpectedCloseDate" < @end)
                    OR (o."Status" <> 'Open' AND o."ClosedOn" >= @start AND o."ClosedOn" < @end))
            ) d
            GROUP BY d.owner, d.m
            """, ("org", Id(org)), ("start", Date(start)), ("end", Date(end)), ("today", Date(today)));
        var cells = new List<ReconciliationMonth>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                cells.Add(new ReconciliationMonth(r.GetString(0), Count(r.GetValue(1)), ReadMoney(r, 2), ReadMoney(r, 3), ReadMoney(r, 4), ReadMoney(r, 5),
                    ReadMoney(r, 6), ReadMoney(r, 7), ReadMoney(r, 8), Count(r.GetValue(9)), Count(r.GetValue(10))));
            }
        }

        return [.. Enumerable.Range(0, months).Select(i =>
        {
            var key = start.AddMonths(i).ToString("yyyy-MM", CultureInfo.InvariantCulture);
            var inMonth = cells.Where(m => m.Month == key).ToList();
            return new ReconciliationMonth(key, inMonth.Sum(m => m.Deals), inMonth.Sum(m => m.Expected), inMonth.Sum(m => m.Quoted), inMonth.Sum(m => m.Ordered),
                inMonth.Sum(m => m.Delivered), inMonth.Sum(m => m.QuotedNotOrdered), inMonth.Sum(m => m.OrderedNotDelivered), inMonth.Sum(m => m.Backlog),
                inMonth.Sum(m => m.QuotesAccepted), inMonth.Sum(m => m.QuotesDecided));
        })];
    }

    private static int Count(object value) => Convert.ToInt32(value, CultureInfo.InvariantCulture);
}
