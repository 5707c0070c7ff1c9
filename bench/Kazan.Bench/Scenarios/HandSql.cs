using System.Data.Common;
using System.Globalization;
using Kazan.Features.Search;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Text;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Kazan.Bench.Scenarios;

/// <summary>The list scenario's three filters (status Open, close date from, base amount at least) and its page size; sorted by close date.</summary>
public sealed record ListQuery(DateOnly CloseFrom, decimal AmountMin, int Limit);

public sealed record Card(Guid Id, string Title, Guid AccountId, string? AccountName, decimal Amount, string Currency, DateOnly ExpectedCloseDate,
    Guid OwnerId, string? OwnerName, int Probability, DateTimeOffset StageEnteredAt, int Version);

public sealed record Column(Guid StageId, string Name, int Position, int Probability, int? RottingDays, int Count, decimal Total, decimal Weighted, List<Card> Cards);

public sealed record Board(Guid PipelineId, string Name, List<Column> Columns);

public sealed record ListRow(Guid Id, string Title, Guid AccountId, string? AccountName, string? OwnerName, string? StageName, string Status,
    decimal ForecastAmountBase, DateOnly ExpectedCloseDate, int Version);

public sealed record Detail(Guid Id, string Title, Guid AccountId, string? AccountName, Guid OwnerId, string? OwnerName, string? PipelineName,
    string? StageName, string Status, decimal ExpectedAmount, decimal? QuotedAmount, decimal ForecastAmount, decimal ForecastAmountBase,
    decimal WeightedAmountBase, string Currency, int Probability, DateOnly ExpectedCloseDate, DateTimeOffset CreatedAt, int Version, List<string> Contacts);

public sealed record Hit(string Kind, Guid Id, string Title);

/// <summary>
/// The baselines: the same results as the app's endpoints, by hand-written SQL over plain ADO.NET, on the same database
/// and the same indexes. Values follow the storage conventions (SQLite: GUIDs as upper-case text, decimals × 10 000).
/// </summary>
public sealed partial class HandSql(DatabaseProvider provider, string connectionString)
{
    private const string Open = "'Open'";

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        DbConnection c = provider == DatabaseProvider.Postgres ? new NpgsqlConnection(connectionString) : new SqliteConnection(connectionString);
        await c.OpenAsync(ct);
        if (provider == DatabaseProvider.Sqlite)
        {
            // The app's per-connection settings (DatabaseSetup.SqlitePragmas): same durability for the write baseline.
            await using var pragmas = Command(c, "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL;");
            await pragmas.ExecuteNonQueryAsync(ct);
        }

        return c;
    }

    public object Id(Guid id) => provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id;

    public object Money(decimal amount) => provider == DatabaseProvider.Sqlite ? (long)(amount * 10_000m) : amount;

    public object Date(DateOnly date) => provider == DatabaseProvider.Sqlite ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : date;

    public object Time(DateTimeOffset at) => provider == DatabaseProvider.Sqlite ? at.UtcTicks : at.ToUniversalTime();

    public decimal ReadMoney(DbDataReader r, int i) => provider == DatabaseProvider.Sqlite ? r.GetInt64(i) / 10_000m : r.GetDecimal(i);

    public DateTimeOffset ReadTime(DbDataReader r, int i) =>
        provider == DatabaseProvider.Sqlite ? new DateTimeOffset(r.GetInt64(i), TimeSpan.Zero) : r.GetFieldValue<DateTimeOffset>(i);

    public async Task<Board?> BoardAsync(Guid org, Guid pipelineId, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        string? name = null;
        var stages = new List<(Guid Id, string Name, int Position, int Probability, int? Rotting)>();
        await using (var cmd = Command(c, """
            SELECT p."Name", s."Id", s."Name", s."Position", s."Probability", s."RottingDays"
            FROM "Pipelines" p JOIN "Stages" s ON s."PipelineId" = p."Id"
            WHERE p."Id" = @p AND p."OrganizationId" = @org ORDER BY s."Position"
            """, ("p", Id(pipelineId)), ("org", Id(org))))
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                name = r.GetString(0);
                stages.Add((r.GetGuid(1), r.GetString(2), r.GetInt32(3), r.GetInt32(4), r.IsDBNull(5) ? null : r.GetInt32(5)));
            }
        }

        if (name is null)
        {
            return null;
        }

        var totals = (await RunningTotalsByStageAsync(c, org, pipelineId, owner: null, ct)).ToDictionary(t => t.StageId);

        var columns = new List<Column>();
        await using (var cmd = Command(c, $"""
            SELECT o."Id", o."Title", o."AccountId", a."Name", o."ForecastAmount", o."Currency", o."ExpectedCloseDate", o."OwnerId", u."DisplayName",
                   o."Probability", o."StageEnteredAt", o."Version"
            FROM "Opportunities" o
            LEFT JOIN "Accounts" a ON a."Id" = o."AccountId"
            LEFT JOIN "Users" u ON u."Id" = o."OwnerId"
            WHERE o."OrganizationId" = @org AND o."StageId" = @s AND o."Status" = {Open}
            ORDER BY o."ExpectedCloseDate", o."Id" LIMIT 51
            """, ("org", Id(org)), ("s", Id(stages[0].Id))))
        {
            await cmd.PrepareAsync(ct);
            foreach (var s in stages)
            {
                cmd.Parameters["s"].Value = Id(s.Id);
                var cards = new List<Card>();
                await using (var r = await cmd.ExecuteReaderAsync(ct))
                {
                    while (await r.ReadAsync(ct))
                    {
                        cards.Add(new Card(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.IsDBNull(3) ? null : r.GetString(3), ReadMoney(r, 4), r.GetString(5),
                            r.GetFieldValue<DateOnly>(6), r.GetGuid(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetInt32(9), ReadTime(r, 10), r.GetInt32(11)));
                    }
                }

                var t = totals.GetValueOrDefault(s.Id) ?? new ReportStage(s.Id, 0, 0m, 0m);
                columns.Add(new Column(s.Id, s.Name, s.Position, s.Probability, s.Rotting, t.Count, t.Total, t.Weighted, cards.Take(50).ToList()));
            }
        }

        return new Board(pipelineId, name, columns);
    }

    public async Task<List<ListRow>> ListAsync(Guid org, ListQuery q, (DateOnly Date, Guid Id)? after, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var keyset = after is null ? "" : """AND (o."ExpectedCloseDate" > @d OR (o."ExpectedCloseDate" = @d AND o."Id" > @id))""";
        await using var cmd = Command(c, $"""
            SELECT o."Id", o."Title", o."AccountId", a."Name", u."DisplayName", s."Name", o."Status", o."ForecastAmountBase", o."ExpectedCloseDate", o."Version"
            FROM "Opportunities" o
            LEFT JOIN "Accounts" a ON a."Id" = o."AccountId"
            LEFT JOIN "Users" u ON u."Id" = o."OwnerId"
            LEFT JOIN "Stages" s ON s."Id" = o."StageId"
            WHERE o."OrganizationId" = @org AND o."Status" = {Open} AND o."ExpectedCloseDate" >= @from AND o."ForecastAmountBase" >= @min {keyset}
            ORDER BY o."ExpectedCloseDate", o."Id" LIMIT @limit
            """, [("org", Id(org)), ("from", Date(q.CloseFrom)), ("min", Money(q.AmountMin)), ("limit", q.Limit + 1),
            .. after is { } a ? new (string, object?)[] { ("d", Date(a.Date)), ("id", Id(a.Id)) } : []]);
        var rows = new List<ListRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(new ListRow(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5), r.GetString(6), ReadMoney(r, 7), r.GetFieldValue<DateOnly>(8), r.GetInt32(9)));
        }

        return rows.Take(q.Limit).ToList();
    }

    /// <summary>The list's row at a 0-based position (OFFSET: used once, to build the deep page's cursor), and how many rows match.</summary>
    public async Task<((DateOnly Date, Guid Id)? Row, long Count)> ListPositionAsync(Guid org, ListQuery q, long position, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        var where = $"""WHERE "OrganizationId" = @org AND "Status" = {Open} AND "ExpectedCloseDate" >= @from AND "ForecastAmountBase" >= @min""";
        await using var count = Command(c, $"""SELECT COUNT(*) FROM "Opportunities" {where}""", ("org", Id(org)), ("from", Date(q.CloseFrom)), ("min", Money(q.AmountMin)));
        count.CommandTimeout = 0;
        var total = Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        await using var cmd = Command(c, $"""SELECT "ExpectedCloseDate", "Id" FROM "Opportunities" {where} ORDER BY "ExpectedCloseDate", "Id" LIMIT 1 OFFSET @n""",
            ("org", Id(org)), ("from", Date(q.CloseFrom)), ("min", Money(q.AmountMin)), ("n", position));
        cmd.CommandTimeout = 0;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return (await r.ReadAsync(ct) ? (r.GetFieldValue<DateOnly>(0), r.GetGuid(1)) : null, total);
    }

    public async Task<Detail?> OpportunityAsync(Guid org, Guid id, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        Detail? d = null;
        await using (var cmd = Command(c, """
            SELECT o."Id", o."Title", o."AccountId", a."Name", o."OwnerId", u."DisplayName", p."Name", s."Name", o."Status", o."ExpectedAmount",
                   o."QuotedAmount", o."ForecastAmount", o."ForecastAmountBase", o."WeightedAmountBase", o."Currency", o."Probability",
                   o."ExpectedCloseDate", o."CreatedAt", o."Version"
            FROM "Opportunities" o
            LEFT JOIN "Accounts" a ON a."Id" = o."AccountId"
            LEFT JOIN "Users" u ON u."Id" = o."OwnerId"
            LEFT JOIN "Pipelines" p ON p."Id" = o."PipelineId"
            LEFT JOIN "Stages" s ON s."Id" = o."StageId"
            WHERE o."OrganizationId" = @org AND o."Id" = @id
            """, ("org", Id(org)), ("id", Id(id))))
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                d = new Detail(r.GetGuid(0), r.GetString(1), r.GetGuid(2), Str(r, 3), r.GetGuid(4), Str(r, 5), Str(r, 6), Str(r, 7), r.GetString(8),
                    ReadMoney(r, 9), r.IsDBNull(10) ? null : ReadMoney(r, 10), ReadMoney(r, 11), ReadMoney(r, 12), ReadMoney(r, 13), r.GetString(14),
                    r.GetInt32(15), r.GetFieldValue<DateOnly>(16), ReadTime(r, 17), r.GetInt32(18), []);
            }
        }

        if (d is null)
        {
            return null;
        }

        await using (var cmd = Command(c, """
            SELECT c."FirstName", c."LastName" FROM "OpportunityContacts" oc JOIN "Contacts" c ON c."Id" = oc."ContactId"
            WHERE oc."OpportunityId" = @id LIMIT 200
            """, ("id", Id(id))))
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                d.Contacts.Add($"{r.GetString(0)} {r.GetString(1)}");
            }
        }

        return d;
    }

    /// <summary>The search box by hand: the same prefix ranges on (OrganizationId, Term), then the records' titles.</summary>
    public async Task<List<Hit>> SearchAsync(Guid org, string query, CancellationToken ct)
    {
        var words = TurkishText.Words(query).Take(SearchQueries.MaxWords).ToList();
        var driver = words.OrderByDescending(w => w.Length).ThenBy(w => w, StringComparer.Ordinal).First();
        var others = words.Where(w => w != driver).ToList();
        await using var c = await OpenAsync(ct);
        var parameters = new List<(string, object?)> { ("org", Id(org)), ("w0", driver), ("e0", SearchQueries.PrefixEnd(driver)) };
        var sql = """SELECT "EntityType", "EntityId" FROM "SearchEntries" WHERE "OrganizationId" = @org AND "Term" >= @w0 AND "Term" < @e0""";
        for (var i = 0; i < others.Count; i++)
        {
            sql += $""" AND "EntityId" IN (SELECT "EntityId" FROM "SearchEntries" WHERE "OrganizationId" = @org AND "Term" >= @w{i + 1} AND "Term" < @e{i + 1})""";
            parameters.Add(($"w{i + 1}", others[i]));
            parameters.Add(($"e{i + 1}", SearchQueries.PrefixEnd(others[i])));
        }

        sql += """ ORDER BY "Term", "EntityId" LIMIT 160""";
        var ids = new Dictionary<string, List<Guid>>(StringComparer.Ordinal);
        await using (var cmd = Command(c, sql, [.. parameters]))
        {
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var kind = r.GetString(0);
                if (!ids.TryGetValue(kind, out var list))
                {
                    ids[kind] = list = [];
                }

                var entity = r.GetGuid(1);
                if (!list.Contains(entity))
                {
                    list.Add(entity);
                }
            }
        }

        var hits = new List<Hit>();
        foreach (var (kind, table, title) in new[]
        {
            ("Account", "Accounts", "x.\"Name\""),
            ("Contact", "Contacts", "x.\"FirstName\" || ' ' || x.\"LastName\""),
            ("Opportunity", "Opportunities", "x.\"Title\""),
        })
        {
            if (!ids.TryGetValue(kind, out var list) || list.Count == 0)
            {
                continue;
            }

            var names = string.Join(", ", list.Select((_, i) => $"@i{i}"));
            await using var cmd = Command(c, $"""SELECT x."Id", {title} FROM "{table}" x WHERE x."OrganizationId" = @org AND x."Id" IN ({names})""",
                [("org", Id(org)), .. list.Select((g, i) => ($"i{i}", Id(g)))]);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                hits.Add(new Hit(kind, r.GetGuid(0), r.GetString(1)));
            }
        }

        return hits.OrderBy(h => TurkishText.Fold(h.Title), StringComparer.Ordinal).Take(20).ToList();
    }

    public async Task<long> ScalarAsync(string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, sql, parameters);
        cmd.CommandTimeout = 0;
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }

    private static string? Str(DbDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static DbCommand Command(DbConnection c, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = cmd.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            cmd.Parameters.Add(p);
        }

        return cmd;
    }
}
