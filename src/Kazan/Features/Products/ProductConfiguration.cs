using Kazan.Features.Organizations;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Products;

public sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("Products");
        builder.Property(x => x.ExternalId).HasMaxLength(ExternalIds.MaxLength);

        // The id in the old system: one record per value in an organization; most records have none.
        builder.HasIndex(x => new { x.OrganizationId, x.ExternalId }).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        builder.Property(p => p.Code).HasMaxLength(50);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.OrganizationId, p.Code }).IsUnique();
        builder.HasIndex(p => new { p.OrganizationId, p.IsActive, p.Name, p.Id });
        builder.HasIndex(p => new { p.OrganizationId, p.SearchKey });
    }
}
