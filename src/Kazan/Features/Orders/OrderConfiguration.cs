using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Features.Organizations;
using Kazan.Features.Pricing;
using Kazan.Features.Products;
using Kazan.Features.Quotes;
using Kazan.Features.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Orders;

public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("Orders");
        builder.Ignore(o => o.Lines);
        builder.Ignore(o => o.HasDeliveries);
        builder.Ignore(o => o.HasRemainder);
        builder.HasMany<OrderLine>("_lines").WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(o => o.Number).HasMaxLength(40);
        builder.ComplexProperty(o => o.Currency, CurrencyRateConfiguration.Map);
        builder.Property(o => o.CustomerReference).HasMaxLength(100);
        builder.Property(o => o.DeliveryAddress).HasMaxLength(1000);
        builder.Property(o => o.CancelReason).HasMaxLength(500);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Organization>().WithMany().HasForeignKey(o => o.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(o => o.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Opportunity>().WithMany().HasForeignKey(o => o.OpportunityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Quote>().WithMany().HasForeignKey(o => o.QuoteId).OnDelete(DeleteBehavior.Restrict);

        // A number exists once per organization and year: the database refuses duplicates even if code slipped.
        builder.HasIndex(o => new { o.OrganizationId, o.Year, o.Sequence }).IsUnique();
        builder.HasIndex(o => new { o.OrganizationId, o.CreatedAt, o.Id });
        builder.HasIndex(o => new { o.OrganizationId, o.Status, o.CreatedAt, o.Id });
        builder.HasIndex(o => new { o.OrganizationId, o.OwnerId, o.CreatedAt, o.Id });
        builder.HasIndex(o => new { o.OrganizationId, o.AccountId, o.CreatedAt });
        builder.HasIndex(o => new { o.OrganizationId, o.OpportunityId });
        builder.HasIndex(o => new { o.OrganizationId, o.Status, o.RequestedDeliveryDate });
        builder.HasIndex(o => new { o.OrganizationId, o.Number });
        builder.HasIndex(o => o.QuoteId);
    }
}

public sealed class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        builder.ToTable("OrderLines");
        builder.Ignore(l => l.EffectiveQuantity);
        builder.Ignore(l => l.RemainingQuantity);
        builder.Ignore(l => l.IsLocked);
        builder.ComplexProperty(l => l.Terms, LineTermsConfiguration.Map);
        builder.Property(l => l.Unit).HasMaxLength(20);
        builder.HasOne<Product>().WithMany().HasForeignKey(l => l.ProductId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<QuoteLine>().WithMany().HasForeignKey(l => l.QuoteLineId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => new { l.OrderId, l.Position });
        builder.HasIndex(l => l.QuoteLineId);
        builder.HasIndex(l => new { l.OrganizationId, l.ProductId });
    }
}

public sealed class DeliveryConfiguration : IEntityTypeConfiguration<Delivery>
{
    public void Configure(EntityTypeBuilder<Delivery> builder)
    {
        builder.ToTable("Deliveries");
        builder.Ignore(d => d.Lines);
        builder.HasMany<DeliveryLine>("_lines").WithOne().HasForeignKey(l => l.DeliveryId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(d => d.NoteNumber).HasMaxLength(40);
        builder.HasOne<Order>().WithMany().HasForeignKey(d => d.OrderId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.CreatedById).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => new { d.OrderId, d.CreatedAt });
    }
}

public sealed class DeliveryLineConfiguration : IEntityTypeConfiguration<DeliveryLine>
{
    public void Configure(EntityTypeBuilder<DeliveryLine> builder)
    {
        builder.ToTable("DeliveryLines");
        builder.HasOne<OrderLine>().WithMany().HasForeignKey(l => l.OrderLineId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(l => l.OrderLineId);
    }
}
