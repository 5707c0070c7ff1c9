using Kazan.Features.Accounts;
using Kazan.Features.Organizations;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Contacts;

public sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.ToTable("Contacts");
        builder.Property(x => x.ExternalId).HasMaxLength(ExternalIds.MaxLength);

        // The id in the old system: one record per value in an organization; most records have none.
        builder.HasIndex(x => new { x.OrganizationId, x.ExternalId }).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        builder.Ignore(c => c.FullName);
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(c => c.AccountId).OnDelete(DeleteBehavior.Restrict);

        // Lists sort by the folded "last first" name (keyset): all, per owner, per account.
        builder.HasIndex(c => new { c.OrganizationId, c.AccountId, c.NameKey, c.Id });
        builder.HasIndex(c => new { c.OrganizationId, c.IsArchived, c.NameKey, c.Id });
        builder.HasIndex(c => new { c.OrganizationId, c.OwnerId, c.IsArchived, c.NameKey, c.Id });

        // The import matches a file's contacts to existing ones by e-mail, a thousand addresses per batch.
        builder.HasIndex(c => new { c.OrganizationId, c.Email });
    }
}
