using Kazan.Features.Organizations;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Accounts;

public sealed class AccountConfiguration : IEntityTypeConfiguration<Account>
{
    public void Configure(EntityTypeBuilder<Account> builder)
    {
        builder.ToTable("Accounts");
        builder.Property(x => x.ExternalId).HasMaxLength(ExternalIds.MaxLength);

        // The id in the old system: one record per value in an organization; most records have none.
        builder.HasIndex(x => new { x.OrganizationId, x.ExternalId }).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(a => a.TaxNumber).HasMaxLength(11);
        builder.Property(a => a.NameKey).HasMaxLength(200);
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);

        // List by folded name (keyset), optionally per owner or city; duplicate check by tax number and by folded name.
        builder.HasIndex(a => new { a.OrganizationId, a.IsArchived, a.NameKey, a.Id });
        builder.HasIndex(a => new { a.OrganizationId, a.OwnerId, a.IsArchived, a.NameKey, a.Id });
        builder.HasIndex(a => new { a.OrganizationId, a.CityKey, a.IsArchived, a.NameKey, a.Id });
        builder.HasIndex(a => new { a.OrganizationId, a.TaxNumber });
        builder.HasIndex(a => new { a.OrganizationId, a.NameKey });
    }
}
