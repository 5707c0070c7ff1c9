using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Organizations;

public sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.ToTable("Organizations");
        builder.Property(o => o.BaseCurrency).HasMaxLength(3);
        builder.Property(o => o.DefaultCulture).HasMaxLength(10);
        builder.Property(o => o.QuotePrefix).HasMaxLength(10);
        builder.Property(o => o.OrderPrefix).HasMaxLength(10);
        builder.Property(o => o.TimeZone).HasMaxLength(64).HasDefaultValue(Infrastructure.Time.OrganizationTime.DefaultZoneId);
    }
}
