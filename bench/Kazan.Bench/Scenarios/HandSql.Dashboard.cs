using System.Globalization;

namespace Kazan.Bench.Scenarios;

/// <summary>A forecast cell by hand: deals, total and weighted total (base currency).</summary>
public sealed record HandCell(int Count, decimal Total, decimal Weighted);

/// <summary>An overdue deal by hand: open, expected close date before today.</summary>
public sealed record HandOverdue(Guid Id, string Title, Guid OwnerId, DateOnly ExpectedCloseDate, decimal Total);

/// <summary>
/// The home page's figures by hand: the default pipeline's open deals per stage, this month's forecast (won, commit,
/// best case, pipeline, omitted, slipped) and the open deals past their close date (how many, the five oldest).
/// </summary>
public sealed record HandDashboard(List<ReportStage> Stages, HandCell Won, HandCell Commit, HandCell BestCase, HandCell Pipeline, HandCell Omitted, HandCell Slipped,
    int OverdueCount, List<HandOverdue> Overdue);

public sealed partial class HandSql
{
    /// <summary>
    /// The dashboard for everyone's deals (<paramref name="owner"/> null: an admin) or one owner's (a rep), for the
    /// organization day <paramref name="today"/>; <paramref name="monthStart"/> is the instant this month began there.
    /// Slipped: open now and expected after the month, although open and expected in it when the month began (from the
    /// history) or when created in it.
    /// </summary>
    public async Task<HandDashboard> DashboardAsync(Guid org, Guid pipelineId, Guid? owner, DateOnly today, DateTimeOffset monthStart, CancellationToken ct)
    {
        var (from, to) = (new DateOnly(today.Year, today.Month, 1), new DateOnly(today.Year, today.Month, 1).AddMonths(1));
        var monthEnd = Kazan.Infrastructure.Time.OrganizationTime.At(Kazan.Infrastructure.Time.OrganizationTime.DefaultZone, to, TimeOnly.MinValue);
        var mine = owner is null ? "" : """ AND o."OwnerId" = @owner""";
        (string, object?)[] Args(params (string, object?)[] more) =>
            [("org", Id(org)), .. owner is { } o ? new[] { ("owner", Id(o)) } : [], .. more];
        await using var c = await OpenAsync(ct);

        var stages = await RunningTotalsByStageAsync(c, org, pipelineId, owner, ct);

        // This month: won by closed date, open by category by expected close date; and the slipped deals.
        var cells = new Dictionary<string, HandCell>();
        await using (var cmd = Command(c, $"""
            SELECT 'Won', COUNT(*), SUM(o."ForecastAmountBase"), SUM(o."ForecastAmountBase") FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."Status" = 'Won' AND o."ClosedOn" >= @from AND o."ClosedOn" < @to{mine}
            UNION ALL
            SELECT o."ForecastCategory", COUNT(*), SUM(o."ForecastAmountBase"), SUM(o."WeightedAmountBase") FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."Status" = 'Open' AND o."ExpectedCloseDate" >= @from AND o."ExpectedCloseDate" < @to{mine}
            GROUP BY o."ForecastCategory"
            UNION ALL
            SELECT 'Slipped', COUNT(*), SUM(o."ForecastAmountBase"), SUM(o."WeightedAmountBase") FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."Status" = 'Open' AND o."ExpectedCloseDate" >= @to{mine}
              AND (o."Id" IN (
                SELECT e."OpportunityId" FROM "OpportunityEvents" e
                WHERE e."OrganizationId" = @org AND e."At" <= @start AND (e."Until" IS NULL OR e."Until" > @start)
                  AND e."Status" = 'Open' AND e."ExpectedCloseDate" >= @from AND e."ExpectedCloseDate" < @to)
                OR o."Id" IN (
                SELECT e."OpportunityId" FROM "OpportunityEvents" e
                WHERE e."OrganizationId" = @org AND e."Kind" = 'Created' AND e."At" > @start AND e."At" < @end
                  AND e."Status" = 'Open' AND e."ExpectedCloseDate" >= @from AND e."ExpectedCloseDate" < @to))
            """, Args(("from", Date(from)), ("to", Date(to)), ("start", Time(monthStart)), ("end", Time(monthEnd)))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                cells[r.GetString(0)] = new HandCell(Convert.ToInt32(r.GetValue(1), CultureInfo.InvariantCulture),
                    r.IsDBNull(2) ? 0m : ReadMoney(r, 2), r.IsDBNull(3) ? 0m : ReadMoney(r, 3));
            }
        }

        // The five oldest overdue deals, then how many there are (a window count over the page would read every one of them).
        var overdue = new List<HandOverdue>();
        await using (var cmd = Command(c, $"""
            SELECT o."Id", o."Title", o."OwnerId", o."ExpectedCloseDate", o."ForecastAmountBase" FROM "Opportunities" o
            WHERE o."OrganizationId" = @org AND o."Status" = 'Open' AND o."ExpectedCloseDate" < @today{mine}
            ORDER BY o."ExpectedCloseDate", o."Id" LIMIT 5
            """, Args(("today", Date(today)))))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                overdue.Add(new HandOverdue(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetFieldValue<DateOnly>(3), ReadMoney(r, 4)));
            }
        }

        var count = overdue.Count;
        if (count == 5)
        {
            await using var cmd = Command(c, $"""
                SELECT COUNT(*) FROM "Opportunities" o WHERE o."OrganizationId" = @org AND o."Status" = 'Open' AND o."ExpectedCloseDate" < @today{mine}
                """, Args(("today", Date(today))));
            count = Convert.ToInt32(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        var empty = new HandCell(0, 0m, 0m);
        return new HandDashboard(stages, cells.GetValueOrDefault("Won") ?? empty, cells.GetValueOrDefault("Commit") ?? empty, cells.GetValueOrDefault("BestCase") ?? empty,
            cells.GetValueOrDefault("Pipeline") ?? empty, cells.GetValueOrDefault("Omitted") ?? empty, cells.GetValueOrDefault("Slipped") ?? empty, count, overdue);
    }

    /// <summary>
    /// A rep of the organization with open deals in the default pipeline, and an API token for them (made here once per
    /// run: the generated data has the admin's only). Null when the organization has no such rep.
    /// </summary>
    public async Task<(Guid User, string Token)?> RepTokenAsync(Guid org, Guid pipelineId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        Guid user;
        await using (var cmd = Command(c, """
            SELECT u."Id" FROM "Users" u
            WHERE u."OrganizationId" = @org AND u."Role" = 'Rep' AND u."IsActive" = @yes
              AND EXISTS (SELECT 1 FROM "Opportunities" o WHERE o."OrganizationId" = @org AND o."OwnerId" = u."Id" AND o."PipelineId" = @p AND o."Status" = 'Open')
            ORDER BY u."Id" LIMIT 1
            """, ("org", Id(org)), ("p", Id(pipelineId)), ("yes", true)))
        {
            if (await cmd.ExecuteScalarAsync(ct) is not { } found || found is DBNull)
            {
                return null;
            }

            user = found is Guid g ? g : Guid.Parse((string)found);
        }

        var token = "kzn_bench_rep_" + Guid.NewGuid().ToString("N");
        await using var insert = Command(c, """
            INSERT INTO "ApiTokens" ("Id", "OrganizationId", "UserId", "Name", "Prefix", "TokenHash", "CreatedAt")
            VALUES (@id, @org, @user, 'benchmark (rep)', @prefix, @hash, @at)
            """, ("id", Id(Guid.NewGuid())), ("org", Id(org)), ("user", Id(user)), ("prefix", token[..10]),
            ("hash", Kazan.Infrastructure.Auth.SecretTokens.Hash(token)), ("at", Time(DateTimeOffset.UtcNow)));
        await insert.ExecuteNonQueryAsync(ct);
        return (user, token);
    }
}
