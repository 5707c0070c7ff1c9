using Kazan.Features.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Pipelines;

public sealed class PipelineConfiguration : IEntityTypeConfiguration<Pipeline>
{
    public void Configure(EntityTypeBuilder<Pipeline> builder)
    {
        builder.ToTable("Pipelines");
        builder.Ignore(p => p.Stages);
        builder.HasMany<Stage>("_stages").WithOne().HasForeignKey(s => s.PipelineId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation("_stages").AutoInclude();
        builder.HasOne<Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        // Names are unique in the organization as typed (trimmed), like the one check in PipelineCommands.
        builder.HasIndex(p => new { p.OrganizationId, p.Name }).IsUnique();
    }
}

public sealed class StageConfiguration : IEntityTypeConfiguration<Stage>
{
    public void Configure(EntityTypeBuilder<Stage> builder)
    {
        builder.ToTable("Stages");
        builder.Property(s => s.ForecastCategory).HasConversion<string>().HasMaxLength(10);
        builder.HasIndex(s => new { s.PipelineId, s.Position });
    }
}

public sealed class LostReasonConfiguration : IEntityTypeConfiguration<LostReason>
{
    public void Configure(EntityTypeBuilder<LostReason> builder)
    {
        builder.ToTable("LostReasons");
        builder.HasOne<Organization>().WithMany().HasForeignKey(r => r.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => new { r.OrganizationId, r.Position });
        builder.HasIndex(r => new { r.OrganizationId, r.Name }).IsUnique();
    }
}
