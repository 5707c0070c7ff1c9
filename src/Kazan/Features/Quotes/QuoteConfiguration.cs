using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Features.Organizations;
using Kazan.Features.Pricing;
using Kazan.Features.Products;
using Kazan.Features.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Quotes;

public sealed class QuoteConfiguration : IEntityTypeConfiguration<Quote>
{
    public void Configure(EntityTypeBuilder<Quote> builder)
    {
        builder.ToTable("Quotes");
        builder.Ignore(q => q.Lines);
        builder.Ignore(q => q.DisplayNumber);
        builder.HasMany<QuoteLine>("_lines").WithOne().HasForeignKey(l => l.QuoteId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(q => q.Number).HasMaxLength(40);
        builder.ComplexProperty(q => q.Currency, CurrencyRateConfiguration.Map);
        builder.Property(q => q.Language).HasMaxLength(2);
        builder.Property(q => q.Status).HasConversion<string>().HasMaxLength(12);
        builder.HasOne<Organization>().WithMany().HasForeignKey(q => q.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(q => q.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(q => q.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Opportunity>().WithMany().HasForeignKey(q => q.OpportunityId).OnDelete(DeleteBehavior.Restrict);

        // A number and revision exist once per organization: the database refuses duplicates even if code slipped.
        builder.HasIndex(q => new { q.OrganizationId, q.Year, q.Sequence, q.Revision }).IsUnique();
        builder.HasIndex(q => new { q.OrganizationId, q.OpportunityId, q.CreatedAt });
        builder.HasIndex(q => new { q.OrganizationId, q.Status, q.CreatedAt, q.Id });
        builder.HasIndex(q => new { q.OrganizationId, q.OwnerId, q.Status, q.CreatedAt, q.Id });
        builder.HasIndex(q => new { q.OrganizationId, q.Number });
        builder.Property(q => q.DecidedByName).HasMaxLength(Quote.MaxSignerLength);
        builder.Property(q => q.DecidedByTitle).HasMaxLength(Quote.MaxSignerLength);
        builder.Property(q => q.DecisionReason).HasMaxLength(Quote.MaxReasonLength);
        builder.Property(q => q.DecidedFromIp).HasMaxLength(64);
        builder.Property(q => q.DecidedUserAgent).HasMaxLength(Quote.MaxUserAgentLength);
    }
}

public sealed class QuoteLinkConfiguration : IEntityTypeConfiguration<QuoteLink>
{
    public void Configure(EntityTypeBuilder<QuoteLink> builder)
    {
        builder.ToTable("QuoteLinks");
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.HasOne<Quote>().WithMany().HasForeignKey(l => l.QuoteId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Organization>().WithMany().HasForeignKey(l => l.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasIndex(l => new { l.OrganizationId, l.QuoteId });
    }
}

public sealed class QuoteLineConfiguration : IEntityTypeConfiguration<QuoteLine>
{
    public void Configure(EntityTypeBuilder<QuoteLine> builder)
    {
        builder.ToTable("QuoteLines");
        builder.ComplexProperty(l => l.Terms, LineTermsConfiguration.Map);
        builder.Property(l => l.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(l => l.Unit).HasMaxLength(20);
        builder.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => new { l.QuoteId, l.Position });
        builder.HasIndex(l => l.ProductId);
    }
}

public sealed class QuoteDocumentConfiguration : IEntityTypeConfiguration<QuoteDocument>
{
    public void Configure(EntityTypeBuilder<QuoteDocument> builder)
    {
        builder.ToTable("QuoteDocuments");
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.HasOne<Quote>().WithMany().HasForeignKey(d => d.QuoteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.QuoteId).IsUnique();
    }
}
