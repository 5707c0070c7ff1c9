namespace Kazan.Bench.Scenarios;

/// <summary>An account a generated import file names by its VKN/TCKN.</summary>
public sealed record ImportAccount(Guid Id, Guid OwnerId, string TaxNumber);

public sealed partial class HandSql
{
    /// <summary>Accounts an imported contact can join: not archived, with a tax number no other account of the organization has.</summary>
    public async Task<List<ImportAccount>> ImportAccountsAsync(Guid org, int count, CancellationToken ct)
    {
        await using var c = await OpenAsync(ct);
        await using var cmd = Command(c, """
            SELECT a."Id", a."OwnerId", a."TaxNumber" FROM "Accounts" a
            WHERE a."OrganizationId" = @org AND a."TaxNumber" IS NOT NULL AND a."IsArchived" = @no
              AND NOT EXISTS (SELECT 1 FROM "Accounts" b WHERE b."OrganizationId" = a."OrganizationId" AND b."TaxNumber" = a."TaxNumber" AND b."Id" <> a."Id")
            ORDER BY a."TaxNumber" LIMIT @n
            """, ("org", Id(org)), ("no", false), ("n", count));
        var list = new List<ImportAccount>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ImportAccount(r.GetGuid(0), r.GetGuid(1), r.GetString(2)));
        }

        return list;
    }

    /// <summary>Deletes the contacts whose e-mail ends with <paramref name="emailSuffix"/>, with their search words and audit entries.</summary>
    public async Task<int> DeleteImportedContactsAsync(Guid org, string emailSuffix, CancellationToken ct)
    {
        var ids = provider == Kazan.Infrastructure.Data.DatabaseProvider.Sqlite ? "\"Id\"" : "\"Id\"::text";
        // An audit entry names its record by the key's text, lower case (Guid.ToString()) on both databases: comparing
        // "EntityId" itself lets its index serve (upper() on both sides made PostgreSQL scan every contact per entry).
        var imported = $"""SELECT lower({ids}) FROM "Contacts" WHERE "OrganizationId" = @org AND "Email" LIKE @suffix""";
        await using var c = await OpenAsync(ct);
        await using var transaction = await c.BeginTransactionAsync(ct);
        await using (var analyze = Command(c, "ANALYZE \"Contacts\""))
        {
            // The imported contacts are new to the planner's statistics: it guessed one row and, on PostgreSQL, scanned
            // every contact for each audit entry (40 s at 10 000 rows, past 15 min at 100 000).
            analyze.Transaction = transaction;
            await analyze.ExecuteNonQueryAsync(ct);
        }

        foreach (var sql in new[]
        {
            $"""DELETE FROM "SearchEntries" WHERE "EntityType" = 'Contact' AND "EntityId" IN (SELECT "Id" FROM "Contacts" WHERE "OrganizationId" = @org AND "Email" LIKE @suffix)""",
            $"""DELETE FROM "AuditEntries" WHERE "OrganizationId" = @org AND "EntityType" = 'Contact' AND "EntityId" IN ({imported})""",
        })
        {
            await using var cmd = Command(c, sql, ("org", Id(org)), ("suffix", "%" + emailSuffix));
            cmd.Transaction = transaction;
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await using var contacts = Command(c, """DELETE FROM "Contacts" WHERE "OrganizationId" = @org AND "Email" LIKE @suffix""", ("org", Id(org)), ("suffix", "%" + emailSuffix));
        contacts.Transaction = transaction;
        contacts.CommandTimeout = 0;
        var removed = await contacts.ExecuteNonQueryAsync(ct);
        await transaction.CommitAsync(ct);
        return removed;
    }
}
