using Kazan.Features.Accounts;
using Kazan.Features.Contacts;
using Kazan.Features.Opportunities;
using Kazan.Features.Organizations;
using Kazan.Features.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Activities;

public sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.ToTable("Activities");
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(a => a.Outcome).HasConversion<string>().HasMaxLength(20);
        builder.HasMany(a => a.Contacts).WithOne().HasForeignKey(c => c.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.Contacts).HasField("_contacts");
        builder.HasOne<Organization>().WithMany().HasForeignKey(a => a.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(a => a.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Opportunity>().WithMany().HasForeignKey(a => a.OpportunityId).OnDelete(DeleteBehavior.Restrict);

        // "My day": a user's open activities by due time; timelines of an account and of an opportunity.
        builder.HasIndex(a => new { a.OrganizationId, a.OwnerId, a.Done, a.DueAt });
        builder.HasIndex(a => new { a.OrganizationId, a.AccountId, a.CreatedAt });
        builder.HasIndex(a => new { a.OrganizationId, a.OpportunityId, a.Done, a.DueAt });
    }
}

public sealed class ActivityContactConfiguration : IEntityTypeConfiguration<ActivityContact>
{
    public void Configure(EntityTypeBuilder<ActivityContact> builder)
    {
        builder.ToTable("ActivityContacts");
        builder.HasKey(c => new { c.ActivityId, c.ContactId });
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.ContactId);
    }
}
