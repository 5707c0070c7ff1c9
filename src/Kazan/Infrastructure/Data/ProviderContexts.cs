using Kazan.Features.Search;
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

        // SQLite has no decimal type either (EF would store TEXT, which sorts and compares as text): store integers
        // scaled by 10 000, so amounts compare, sort, sum and index as numbers. Four decimals cover money (2),
        // unit prices, quantities and exchange rates (TCMB publishes 4); entities round before storing.
        configurationBuilder.Properties<decimal>().HaveConversion<ScaledDecimalConverter>();
    }

    private sealed class ScaledDecimalConverter() : ValueConverter<decimal, long>(
        v => (long)decimal.Round(v * 10_000m, 0, MidpointRounding.AwayFromZero),
        v => v / 10_000m);

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks,
        v => new DateTimeOffset(v, TimeSpan.Zero));
}

public sealed class PostgresKazanDbContext(DbContextOptions<PostgresKazanDbContext> options, CurrentUser actor) : KazanDbContext(options, actor)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Search is a prefix range on Term (Term >= 'ist' AND Term < 'isu'): that holds only in code-point order. A
        // database created with a linguistic locale (en_US, tr_TR) would order and compare the terms differently.
        builder.Entity<SearchEntry>().Property(e => e.Term).UseCollation("C");
    }
}

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
