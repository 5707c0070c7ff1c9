using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Infrastructure.Data;

/// <summary>The last number used for one kind of document (quote, order) in one organization and year.</summary>
public sealed class DocumentSequence : ITenantEntity
{
    public Guid OrganizationId { get; set; }

    /// <summary>"quote" or "order".</summary>
    public string Kind { get; set; } = "";

    public int Year { get; set; }
    public int Last { get; set; }
}

public sealed class DocumentSequenceConfiguration : IEntityTypeConfiguration<DocumentSequence>
{
    public void Configure(EntityTypeBuilder<DocumentSequence> builder)
    {
        builder.ToTable("DocumentSequences");
        builder.HasKey(s => new { s.OrganizationId, s.Kind, s.Year });
        builder.Property(s => s.Kind).HasMaxLength(10);
    }
}

/// <summary>
/// Gap-free, duplicate-free document numbers per organization and year. <see cref="NextAsync"/> runs inside the
/// transaction that saves the document, as late as it can: right before the save. The increment locks the sequence row
/// until commit (PostgreSQL; on SQLite the write transaction holds the whole database anyway), so a rolled-back document
/// gives its number back and concurrent creators of one organization queue — for the save and commit only, not for the
/// reads and checks that come before it.
/// </summary>
public static class DocumentNumbers
{
    public const string Quote = "quote";
    public const string Order = "order";

    /// <summary>
    /// Creates the year's sequence row if missing; safe to run concurrently, outside the document's transaction. The row
    /// is looked for first: an insert that meets the existing key would wait (PostgreSQL) for whoever holds the row to
    /// commit, and queue every creator behind the one saving.
    /// </summary>
    public static Task EnsureAsync(KazanDbContext db, Guid organizationId, string kind, int year, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""
            INSERT INTO "DocumentSequences" ("OrganizationId", "Kind", "Year", "Last")
            SELECT {organizationId}, {kind}, {year}, 0
            WHERE NOT EXISTS (SELECT 1 FROM "DocumentSequences" WHERE "OrganizationId" = {organizationId} AND "Kind" = {kind} AND "Year" = {year})
            ON CONFLICT DO NOTHING
            """, ct);

    public static async Task<int> NextAsync(KazanDbContext db, Guid organizationId, string kind, int year, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Document numbers are taken inside the transaction that saves the document.");
        }

        // The increment and its result in one statement: the row is locked from here to commit.
        var taken = await db.Database.SqlQuery<int>(
            $"""UPDATE "DocumentSequences" SET "Last" = "Last" + 1 WHERE "OrganizationId" = {organizationId} AND "Kind" = {kind} AND "Year" = {year} RETURNING "Last" AS "Value" """)
            .ToListAsync(ct);
        return taken is [var number]
            ? number
            : throw new InvalidOperationException($"No {kind} sequence for {year}; call EnsureAsync first.");
    }

    /// <summary><c>TKL-2026-00042</c>: the organization's prefix, the year and the zero-padded number.</summary>
    public static string Format(string prefix, int year, int number, int digits) =>
        $"{prefix}-{year}-{number.ToString(new string('0', Math.Clamp(digits, 1, 10)), System.Globalization.CultureInfo.InvariantCulture)}";
}
