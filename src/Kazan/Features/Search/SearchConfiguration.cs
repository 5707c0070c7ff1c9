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

        // The search: a prefix range on Term within the organization (and, for reps, the owner).
        builder.HasIndex(e => new { e.OrganizationId, e.Term });
        builder.HasIndex(e => new { e.OrganizationId, e.OwnerId, e.Term });
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
