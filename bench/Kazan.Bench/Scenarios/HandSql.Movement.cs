using System.Globalization;

namespace Kazan.Bench.Scenarios;

/// <summary>One figure of the waterfall by hand: Start, a line (New, MovedIn, Increased… MovedOut) or End; its deals and signed amount.</summary>
public sealed record MovementFigure(string Kind, int Count, decimal Amount);

public sealed partial class HandSql
{
    /// <summary>The waterfall's lines in the app's order, between Start and End.</summary>
    public static readonly string[] MovementKinds = ["New", "MovedIn", "Increased", "Decreased", "Slipped", "Won", "Lost", "MovedOut"];

    private static readonly string[] MovementFigures = ["Start", .. MovementKinds, "End"];

    /// <summary>
    /// The pipeline movement (whole organization, no pipeline or owner filter) written by hand in one statement: the
    /// open deals closing in [closeFrom, closeTo] as of <paramref name="start"/> (each deal's last event at or before it),
    /// every deal's state at <paramref name="end"/> (its last event, or the live row when <paramref name="end"/> is null),
    /// and from the two: start, new (created after the start) or moved in, increased or decreased (amount change of a deal
    /// in the start pipeline), won, lost, slipped (open, closing after the window) or moved out, end. Returns Start, the
    /// eight lines in order (zeros where empty) and End.
    /// </summary>
    public async Task<List<MovementFigure>> MovementAsync(Guid org, DateTimeOffset start, DateTimeOffset? end, DateOnly closeFrom, DateOnly closeTo, CancellationToken ct)
    {
        static string AsOf(string at) => $"""
            SELECT e."OpportunityId" AS "Id", e."Status" AS "Status", e."ForecastAmountBase" AS "Total", e."ExpectedCloseDate" AS "Close"
            FROM "OpportunityEvents" e
            WHERE e."OrganizationId" = @org AND e."At" <= {at} AND (e."Until" IS NULL OR e."Until" > {at})
              AND EXISTS (SELECT 1 FROM "Opportunities" d WHERE d."Id" = e."OpportunityId" AND d."OrganizationId" = @org)
            """;
        var atEnd = end is null
            ? """SELECT o."Id" AS "Id", o."Status" AS "Status", o."ForecastAmountBase" AS "Total", o."ExpectedCloseDate" AS "Close" FROM "Opportunities" o WHERE o."OrganizationId" = @org"""
            : AsOf("@end");
        static string InWindow(string alias) => $"""{alias}."Status" = 'Open' AND {alias}."Close" >= @closeFrom AND {alias}."Close" <= @closeTo""";
        var parameters = new List<(string, object?)> { ("org", Id(org)), ("start", Time(start)), ("closeFrom", Date(closeFrom)), ("closeTo", Date(closeTo)) };
        if (end is { } at)
        {
            parameters.Add(("end", Time(at)));
        }

        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, $"""
            WITH s AS MATERIALIZED (SELECT * FROM ({AsOf("@start")}) a WHERE {InWindow("a")}),
                 x AS MATERIALIZED ({atEnd}),
                 kept AS MATERIALIZED (SELECT s."Id", s."Total" AS "Was", x."Total", x."Status", x."Close" FROM s JOIN x ON x."Id" = s."Id")
            SELECT 'Start', COUNT(*), SUM(k."Was") FROM kept k
            UNION ALL
            SELECT 'End', COUNT(*), SUM(x."Total") FROM x WHERE {InWindow("x")}
            UNION ALL
            SELECT CASE WHEN o."CreatedAt" > @start THEN 'New' ELSE 'MovedIn' END, COUNT(*), SUM(x."Total")
            FROM x JOIN "Opportunities" o ON o."Id" = x."Id"
            WHERE {InWindow("x")} AND NOT EXISTS (SELECT 1 FROM s WHERE s."Id" = x."Id")
            GROUP BY CASE WHEN o."CreatedAt" > @start THEN 'New' ELSE 'MovedIn' END
            UNION ALL
            SELECT CASE WHEN k."Total" > k."Was" THEN 'Increased' ELSE 'Decreased' END, COUNT(*), SUM(k."Total" - k."Was")
            FROM kept k WHERE k."Total" <> k."Was"
            GROUP BY CASE WHEN k."Total" > k."Was" THEN 'Increased' ELSE 'Decreased' END
            UNION ALL
            SELECT CASE WHEN k."Status" = 'Won' THEN 'Won' WHEN k."Status" = 'Lost' THEN 'Lost' WHEN k."Close" > @closeTo THEN 'Slipped' ELSE 'MovedOut' END,
                   COUNT(*), SUM(0 - k."Total")
            FROM kept k WHERE NOT (k."Status" = 'Open' AND k."Close" >= @closeFrom AND k."Close" <= @closeTo)
            GROUP BY CASE WHEN k."Status" = 'Won' THEN 'Won' WHEN k."Status" = 'Lost' THEN 'Lost' WHEN k."Close" > @closeTo THEN 'Slipped' ELSE 'MovedOut' END
            """, [.. parameters]);
        var figures = new Dictionary<string, MovementFigure>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                var kind = r.GetString(0);
                figures[kind] = new MovementFigure(kind, Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture), r.IsDBNull(2) ? 0m : ReadMoney(r, 2));
            }
        }

        return [.. MovementFigures.Select(k => figures.GetValueOrDefault(k) ?? new MovementFigure(k, 0, 0m))];
    }
}
