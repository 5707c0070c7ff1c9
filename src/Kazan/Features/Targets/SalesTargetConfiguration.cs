using Kazan.Features.Organizations;
using Kazan.Features.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Targets;

public sealed class SalesTargetConfiguration : IEntityTypeConfiguration<SalesTarget>
{
    public void Configure(EntityTypeBuilder<SalesTarget> builder)
    {
        builder.ToTable("SalesTargets", t => t.HasCheckConstraint("CK_SalesTargets_UserOrTeam", "(\"UserId\" IS NULL) <> (\"TeamId\" IS NULL)"));
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Restrict);

        // Users are deactivated, never deleted; a deleted team takes its own targets with it (its members keep theirs).
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Team>().WithMany().HasForeignKey(t => t.TeamId).OnDelete(DeleteBehavior.Cascade);

        // One target per user or team and month: NULLs are distinct in both databases, so each index binds only its own rows.
        builder.HasIndex(t => new { t.OrganizationId, t.UserId, t.Month }).IsUnique();
        builder.HasIndex(t => new { t.OrganizationId, t.TeamId, t.Month }).IsUnique();
        builder.HasIndex(t => new { t.OrganizationId, t.Month });
    }
}
