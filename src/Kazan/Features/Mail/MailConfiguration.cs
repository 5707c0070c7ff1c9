using Kazan.Features.Organizations;
using Kazan.Features.Quotes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Mail;

public sealed class MailSettingsConfiguration : IEntityTypeConfiguration<MailSettings>
{
    public void Configure(EntityTypeBuilder<MailSettings> builder)
    {
        builder.ToTable("MailSettings");
        builder.HasKey(s => s.OrganizationId);
        builder.HasOne<Organization>().WithOne().HasForeignKey<MailSettings>(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.Host).HasMaxLength(255);
        builder.Property(s => s.Security).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.UserName).HasMaxLength(255);
        builder.Property(s => s.ProtectedPassword).HasMaxLength(4000);
        builder.Property(s => s.FromAddress).HasMaxLength(254);
        builder.Property(s => s.FromName).HasMaxLength(200);
    }
}

public sealed class MailTemplateConfiguration : IEntityTypeConfiguration<MailTemplate>
{
    public void Configure(EntityTypeBuilder<MailTemplate> builder)
    {
        builder.ToTable("MailTemplates");
        builder.HasOne<Organization>().WithMany().HasForeignKey(t => t.OrganizationId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Kind).HasMaxLength(30);
        builder.Property(t => t.Language).HasMaxLength(5);
        builder.Property(t => t.Subject).HasMaxLength(300);
        builder.Property(t => t.Body).HasMaxLength(10_000);
        builder.HasIndex(t => new { t.OrganizationId, t.Kind, t.Language }).IsUnique();
    }
}

public sealed class OutboxMailConfiguration : IEntityTypeConfiguration<OutboxMail>
{
    public void Configure(EntityTypeBuilder<OutboxMail> builder)
    {
        builder.ToTable("OutboxMails");
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Quote>().WithMany().HasForeignKey(m => m.QuoteId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(m => m.Purpose).HasMaxLength(20);
        builder.Property(m => m.To).HasMaxLength(4000);
        builder.Property(m => m.Cc).HasMaxLength(4000);
        builder.Property(m => m.ReplyTo).HasMaxLength(254);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.Body).HasMaxLength(20_000);
        builder.Property(m => m.MessageId).HasMaxLength(100);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.LastError).HasMaxLength(1000);
        builder.HasMany(m => m.Attachments).WithOne().HasForeignKey(a => a.OutboxMailId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(m => m.Attachments).HasField("_attachments");

        // The worker's question ("what is due?") across organizations, and the admin's list, newest first.
        builder.HasIndex(m => new { m.Status, m.NextAttemptAt });
        builder.HasIndex(m => new { m.OrganizationId, m.CreatedAt });
        builder.HasIndex(m => m.QuoteId);
    }
}

public sealed class OutboxAttachmentConfiguration : IEntityTypeConfiguration<OutboxAttachment>
{
    public void Configure(EntityTypeBuilder<OutboxAttachment> builder)
    {
        builder.ToTable("OutboxAttachments");
        builder.Property(a => a.FileName).HasMaxLength(255);
        builder.Property(a => a.ContentType).HasMaxLength(100);
    }
}
