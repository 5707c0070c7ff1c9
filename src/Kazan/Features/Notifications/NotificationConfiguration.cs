using Kazan.Features.Organizations;
using Kazan.Features.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Notifications;

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    /// <summary>The index that lets a reminder exist once per record and recipient, whoever (or how many instances) runs it.</summary>
    public const string OnceIndex = "IX_Notifications_Once";

    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasOne<Organization>().WithMany().HasForeignKey(n => n.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(n => n.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(n => n.SubjectType).HasMaxLength(30);
        builder.Property(n => n.Title).HasMaxLength(Notification.TitleMaxLength);
        builder.Property(n => n.Link).HasMaxLength(Notification.LinkMaxLength);
        builder.Ignore(n => n.IsRead);

        // The bell and the list: a user's notifications newest first, and the unread ones.
        builder.HasIndex(n => new { n.OrganizationId, n.RecipientId, n.CreatedAt, n.Id });
        builder.HasIndex(n => new { n.RecipientId, n.ReadAt });

        // The outbox worker's question: which notifications still wait for their e-mail copy to be decided.
        builder.HasIndex(n => n.CopyPending).HasFilter("\"CopyPending\"");

        // "Exactly once" kinds: a second reminder for the same quote and owner is refused by the database, so two
        // instances of the reminder service running at once cannot both write it. The same SQL on both providers.
        builder.HasIndex(n => new { n.Kind, n.SubjectId, n.RecipientId }, OnceIndex).IsUnique()
            .HasFilter($"\"Kind\" = '{nameof(NotificationKind.QuoteExpiringSoon)}'");
    }
}
