using Kazan.Features.Accounts;
using Kazan.Features.Contacts;
using Kazan.Features.Organizations;
using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Opportunities;

public sealed class OpportunityConfiguration : IEntityTypeConfiguration<Opportunity>
{
    public void Configure(EntityTypeBuilder<Opportunity> builder)
    {
        builder.ToTable("Opportunities");
        builder.Property(x => x.ExternalId).HasMaxLength(ExternalIds.MaxLength);

        // The id in the old system: one record per value in an organization; most records have none.
        builder.HasIndex(x => new { x.OrganizationId, x.ExternalId }).IsUnique().HasFilter("\"ExternalId\" IS NOT NULL");
        builder.ComplexProperty(o => o.Currency, CurrencyRateConfiguration.Map);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.ForecastSource).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.ForecastCategory).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.ForecastCategoryOverride).HasConversion<string>().HasMaxLength(10);
        builder.Property(o => o.StageForecastCategory).HasConversion<string>().HasMaxLength(10);
        builder.HasOne<Organization>().WithMany().HasForeignKey(o => o.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(o => o.OwnerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Account>().WithMany().HasForeignKey(o => o.AccountId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Pipeline>().WithMany().HasForeignKey(o => o.PipelineId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Stage>().WithMany().HasForeignKey(o => o.StageId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<LostReason>().WithMany().HasForeignKey(o => o.LostReasonId).OnDelete(DeleteBehavior.Restrict);

        // Board: one column = open deals of one stage, by close date; aggregates per stage read the same index.
        builder.HasIndex(o => new { o.OrganizationId, o.StageId, o.Status, o.ExpectedCloseDate, o.Id });
        builder.HasIndex(o => new { o.OrganizationId, o.OwnerId, o.StageId, o.Status, o.ExpectedCloseDate, o.Id });

        // Lists: by close date (default sort), per status and owner; an account's deals. The first also holds what the
        // forecast sums over a period's open deals (owner, stage, category, amounts), so that it reads no deal row.
        builder.HasIndex(o => new
        {
            o.OrganizationId,
            o.Status,
            o.ExpectedCloseDate,
            o.Id,
            o.OwnerId,
            o.StageId,
            o.ForecastCategory,
            o.ForecastAmountBase,
            o.WeightedAmountBase,
        }).HasDatabaseName("IX_Opportunities_Status_ExpectedCloseDate");
        builder.HasIndex(o => new { o.OrganizationId, o.OwnerId, o.Status, o.ExpectedCloseDate, o.Id });
        builder.HasIndex(o => new { o.OrganizationId, o.AccountId });

        // The list by close date over every status (no status filter) and its export, keyset paged: without it each page
        // of 1,000 at 1M deals read and sorted the whole organization (1.4 s on PostgreSQL, 15 s cold on SQLite).
        builder.HasIndex(o => new { o.OrganizationId, o.ExpectedCloseDate, o.Id });

        // Board totals: open deals of one pipeline grouped by stage. List sorts by amount and by creation, keyset paged.
        builder.HasIndex(o => new { o.OrganizationId, o.PipelineId, o.Status, o.StageId });
        builder.HasIndex(o => new { o.OrganizationId, o.ForecastAmountBase, o.Id });
        builder.HasIndex(o => new { o.OrganizationId, o.CreatedAt, o.Id });

        // Reports: deals won in a period (the forecast's won column, win rates), by closing day.
        builder.HasIndex(o => new { o.OrganizationId, o.Status, o.ClosedOn, o.OwnerId, o.ForecastAmountBase }).HasDatabaseName("IX_Opportunities_Status_ClosedOn");
    }
}

public sealed class OpportunityEventConfiguration : IEntityTypeConfiguration<OpportunityEvent>
{
    /// <summary>
    /// The events by the state they record, status and expected close date first, with their span and deal: "open and
    /// expected in this period at that moment" (the forecast's and the dashboard's slipped deals) is one range of it,
    /// answered from the index alone. Created by migration <c>EventCloseDateIndex</c> (EF Core cannot put a complex
    /// type's columns in a model index).
    /// </summary>
    public const string OpenByCloseDateIndex = "IX_OpportunityEvents_Status_ExpectedCloseDate";

    public static readonly string[] OpenByCloseDateColumns = ["OrganizationId", "Status", "ExpectedCloseDate", "At", "Until", "OpportunityId"];

    /// <summary>
    /// The events by pipeline and status, then span, with what a stage and owner total needs: "the open deals of this
    /// pipeline at that moment" (the pipeline report as of a moment) is read from the index alone. At 1M deals that
    /// report's statement went from 2.9–3.4 s to 0.33–0.75 s on SQLite. It begins with the pipeline, not the
    /// organization (a pipeline's id is unique, and the organization is checked from the index's last column): led by
    /// the organization, it covered the few columns of other history queries, and SQLite chose to read the whole
    /// organization from it instead of looking up the deals they asked for. Created by migration <c>EventPipelineIndex</c>.
    /// </summary>
    public const string OpenByPipelineIndex = "IX_OpportunityEvents_PipelineId_Status_Until";

    public static readonly string[] OpenByPipelineColumns =
        ["PipelineId", "Status", "Until", "At", "StageId", "OwnerId", "ForecastAmountBase", "WeightedAmountBase", "OpportunityId", "OrganizationId"];

    public void Configure(EntityTypeBuilder<OpportunityEvent> builder)
    {
        builder.ToTable("OpportunityEvents");
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.FromStatus).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.ToStatus).HasConversion<string>().HasMaxLength(10);
        builder.ComplexProperty(e => e.State, DealStateConfiguration.Map);
        builder.HasOne<Opportunity>().WithMany().HasForeignKey(e => e.OpportunityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(e => new { e.OpportunityId, e.At });
        builder.HasIndex(e => new { e.OrganizationId, e.Kind, e.At });

        // As of a moment: each deal's last event at or before it.
        builder.HasIndex(e => new { e.OrganizationId, e.OpportunityId, e.At, e.Sequence });
    }
}

public sealed class OpportunityContactConfiguration : IEntityTypeConfiguration<OpportunityContact>
{
    public void Configure(EntityTypeBuilder<OpportunityContact> builder)
    {
        builder.ToTable("OpportunityContacts");
        builder.HasKey(c => new { c.OpportunityId, c.ContactId });
        builder.HasOne<Opportunity>().WithMany().HasForeignKey(c => c.OpportunityId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Contact>().WithMany().HasForeignKey(c => c.ContactId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.ContactId);
    }
}
