using Kazan.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Products;

public sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> builder)
    {
        builder.ToTable("Products");
        builder.Property(p => p.Code).HasMaxLength(50);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.OrganizationId, p.Code }).IsUnique();
        builder.HasIndex(p => new { p.OrganizationId, p.IsActive, p.Name, p.Id });
        builder.HasIndex(p => new { p.OrganizationId, p.SearchKey });
    }
}
