using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Search;

public sealed class SearchEntryConfiguration : IEntityTypeConfiguration<SearchEntry>
{
    public void Configure(EntityTypeBuilder<SearchEntry> builder)
    {
        builder.ToTable("SearchEntries");
        builder.HasKey(e => new { e.EntityId, e.Term });
        builder.Property(e => e.Term).HasMaxLength(64);
        builder.Property(e => e.EntityType).HasMaxLength(20);

        // The search: a prefix range on Term within the organization (and, for reps, the owner). Each index holds every
        // column a search reads, in the order it asks for them (Term, then EntityId): a common prefix ("çelik", tens of
        // thousands of rows at a million deals) is answered from the index alone and stops at the LIMIT, without
        // visiting the table or sorting what matched (docs/performance.md, "Search").
        builder.HasIndex(e => new { e.OrganizationId, e.Term, e.EntityId, e.EntityType, e.OwnerId })
            .HasDatabaseName("IX_SearchEntries_OrganizationId_Term_EntityId");
        builder.HasIndex(e => new { e.OrganizationId, e.OwnerId, e.Term, e.EntityId, e.EntityType })
            .HasDatabaseName("IX_SearchEntries_OrganizationId_OwnerId_Term_EntityId");
    }
}

public sealed class SavedFilterConfiguration : IEntityTypeConfiguration<SavedFilter>
{
    public void Configure(EntityTypeBuilder<SavedFilter> builder)
    {
        builder.ToTable("SavedFilters");
        builder.HasIndex(f => new { f.OrganizationId, f.UserId, f.Area, f.Name });
    }
}
