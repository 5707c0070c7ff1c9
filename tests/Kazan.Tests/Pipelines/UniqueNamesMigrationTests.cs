using Kazan.Features.Pipelines;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Kazan.Tests.Pipelines;

/// <summary>Steps the schema back and forth: it keeps its own database, shared with no other test class.</summary>
public sealed class UniqueNamesMigrationFactory : KazanFactory;

/// <summary>
/// Pipeline and lost-reason names became unique per organization with a migration; names that repeated before it
/// must not stop the upgrade. The later duplicates are renamed "Name (2)" and keep their deals (docs/domain.md).
/// </summary>
public sealed class UniqueNamesMigrationTests(UniqueNamesMigrationFactory factory) : IClassFixture<UniqueNamesMigrationFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Upgrading_a_database_with_repeated_names_renames_the_later_ones_instead_of_failing()
    {
        var org = await factory.CreateOrganizationAsync("Eski Veri A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("OrganizationTimeZone", Ct);

            var seeded = await db.Pipelines.Select(p => new { p.Id, p.Name }).SingleAsync(Ct);
            var reason = await db.LostReasons.OrderBy(r => r.Position).FirstAsync(Ct);
            // No stage: the Stages table of this older schema lacks columns the model has since gained.
            var copy = new Pipeline(org.Id, seeded.Name, isDefault: false);
            db.Pipelines.Add(copy);
            db.LostReasons.AddRange(new LostReason(org.Id, reason.Name, 90), new LostReason(org.Id, reason.Name, 91));
            await db.SaveChangesAsync(Ct);
            db.ChangeTracker.Clear();

            await migrator.MigrateAsync(cancellationToken: Ct);

            Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
            var pipelines = await db.Pipelines.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Name, Ct);
            Assert.Equal(seeded.Name, pipelines[seeded.Id]);
            Assert.Equal($"{seeded.Name} (2)", pipelines[copy.Id]);
            var reasons = await db.LostReasons.AsNoTracking().Where(r => r.Name.StartsWith(reason.Name)).OrderBy(r => r.Position).Select(r => r.Name).ToListAsync(Ct);
            Assert.Equal([reason.Name, $"{reason.Name} (2)", $"{reason.Name} (3)"], reasons);
        }
    }
}
