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
/// Gap-free, duplicate-free document numbers per organization and year. <see cref="NextAsync"/> must run inside the
/// transaction that saves the document, as its first write: the increment locks the sequence row (PostgreSQL) or the
/// database (SQLite) until commit, so concurrent creators queue, and a rolled-back document gives its number back.
/// </summary>
public static class DocumentNumbers
{
    public const string Quote = "quote";
    public const string Order = "order";

    /// <summary>Creates the year's sequence row if missing; safe to run concurrently, outside the document's transaction.</summary>
    public static Task EnsureAsync(KazanDbContext db, Guid organizationId, string kind, int year, CancellationToken ct) =>
        db.Database.ExecuteSqlInterpolatedAsync(
            $"""INSERT INTO "DocumentSequences" ("OrganizationId", "Kind", "Year", "Last") VALUES ({organizationId}, {kind}, {year}, 0) ON CONFLICT DO NOTHING""", ct);

    public static async Task<int> NextAsync(KazanDbContext db, Guid organizationId, string kind, int year, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("Document numbers are taken inside the transaction that saves the document.");
        }

        var updated = await db.Set<DocumentSequence>()
            .Where(s => s.OrganizationId == organizationId && s.Kind == kind && s.Year == year)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Last, x => x.Last + 1), ct);
        if (updated != 1)
        {
            throw new InvalidOperationException($"No {kind} sequence for {year}; call EnsureAsync first.");
        }

        return await db.Set<DocumentSequence>().AsNoTracking()
            .Where(s => s.OrganizationId == organizationId && s.Kind == kind && s.Year == year)
            .Select(s => s.Last).SingleAsync(ct);
    }

    /// <summary><c>TKL-2026-00042</c>: the organization's prefix, the year and the zero-padded number.</summary>
    public static string Format(string prefix, int year, int number, int digits) =>
        $"{prefix}-{year}-{number.ToString(new string('0', Math.Clamp(digits, 1, 10)), System.Globalization.CultureInfo.InvariantCulture)}";
}
