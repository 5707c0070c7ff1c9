using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Foundation;

/// <summary>A model change without a migration would ship a schema the code does not match: fail the build instead.</summary>
public sealed class MigrationTests
{
    [Fact]
    public void The_sqlite_migrations_cover_the_whole_model()
    {
        using var db = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/Kazan --context SqliteKazanDbContext --output-dir Infrastructure/Migrations/Sqlite");
    }

    [Fact]
    public void The_postgres_migrations_cover_the_whole_model()
    {
        using var db = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(db.Database.HasPendingModelChanges(), "Run: dotnet ef migrations add <Name> --project src/Kazan --context PostgresKazanDbContext --output-dir Infrastructure/Migrations/Postgres");
    }

    [Fact]
    public void Both_providers_have_the_same_migrations()
    {
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        static IEnumerable<string> Names(DbContext db) => db.Database.GetMigrations().Select(m => m[(m.IndexOf('_', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(Names(sqlite), Names(postgres));
    }
}
