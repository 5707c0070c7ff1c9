using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kazan.Infrastructure.Data;

public sealed class SqliteKazanDbContext(DbContextOptions<SqliteKazanDbContext> options, CurrentUser actor) : KazanDbContext(options, actor)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);

        // SQLite has no date type: store UTC ticks so ordering, ranges and indexes work in SQL.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

public sealed class PostgresKazanDbContext(DbContextOptions<PostgresKazanDbContext> options, CurrentUser actor) : KazanDbContext(options, actor);

/// <summary>Used by <c>dotnet ef migrations add ... --context SqliteKazanDbContext</c>.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteKazanDbContext>
{
    public SqliteKazanDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteKazanDbContext>().UseSqlite("Data Source=design.db").Options, new CurrentUser());
}

/// <summary>Used by <c>dotnet ef migrations add ... --context PostgresKazanDbContext</c>; no server is contacted.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresKazanDbContext>
{
    public PostgresKazanDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresKazanDbContext>().UseNpgsql("Host=localhost;Database=kazan_design").Options, new CurrentUser());
}
