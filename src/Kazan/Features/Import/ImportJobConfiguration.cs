using Kazan.Features.Organizations;
using Kazan.Features.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kazan.Features.Import;

public sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> builder)
    {
        builder.ToTable("ImportJobs");
        builder.HasOne<Organization>().WithMany().HasForeignKey(j => j.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<User>().WithMany().HasForeignKey(j => j.CreatedById).OnDelete(DeleteBehavior.Restrict);
        builder.Property(j => j.Target).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.Format).HasConversion<string>().HasMaxLength(10);
        builder.Property(j => j.Mode).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.OnError).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(j => j.FileName).HasMaxLength(200);
        builder.Property(j => j.Encoding).HasMaxLength(20);
        builder.Property(j => j.Delimiter).HasMaxLength(1);
        builder.Property(j => j.NumberFormat).HasMaxLength(2);
        builder.Property(j => j.Culture).HasMaxLength(5);
        builder.Property(j => j.Message).HasMaxLength(1000);
        builder.Ignore(j => j.ColumnList);
        builder.Ignore(j => j.MappingList);
        builder.HasIndex(j => new { j.OrganizationId, j.CreatedAt });
        builder.HasIndex(j => j.Status);
    }
}

public sealed class ImportRowErrorConfiguration : IEntityTypeConfiguration<ImportRowError>
{
    public void Configure(EntityTypeBuilder<ImportRowError> builder)
    {
        builder.ToTable("ImportRowErrors");
        builder.HasOne<ImportJob>().WithMany().HasForeignKey(e => e.JobId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(e => e.Column).HasMaxLength(200);
        builder.Property(e => e.Message).HasMaxLength(1000);
        builder.Property(e => e.Code).HasMaxLength(60);
        builder.HasIndex(e => new { e.JobId, e.Line });
    }
}

public sealed class ImportMappingMemoryConfiguration : IEntityTypeConfiguration<ImportMappingMemory>
{
    public void Configure(EntityTypeBuilder<ImportMappingMemory> builder)
    {
        builder.ToTable("ImportMappings");
        builder.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(m => m.Target).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.HeaderKey).HasMaxLength(200);
        builder.Property(m => m.Field).HasMaxLength(40);
        builder.HasIndex(m => new { m.OrganizationId, m.Target, m.HeaderKey }).IsUnique();
    }
}
