using Kazan.Features.Activities;
using Kazan.Features.Demo;
using Kazan.Features.Opportunities;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

// Its own database: the demo loads only into an empty database and the test reads it as the only organization.
/// <summary>The demo must look like a working sales team, not a red board: flags mark a minority, as they would in life.</summary>
public sealed class DemoDataFlagsTests(OwnDatabaseFactory factory) : IClassFixture<OwnDatabaseFactory>
{
    [Fact]
    public async Task Demo_deals_are_mostly_fresh_a_few_are_idle_or_past_their_close_date_and_some_work_is_overdue()
    {
        Assert.Equal(0, await DemoData.RunAsync(factory.Services));
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Kazan.Infrastructure.Data.KazanDbContext>();
        var org = await db.Organizations.IgnoreQueryFilters().SingleAsync(TestContext.Current.CancellationToken);
        var admin = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == "admin@anadolu.example", TestContext.Current.CancellationToken);
        var (s, tenantDb) = factory.DbAs(org.Id, admin.Id);
        using (s)
        {
            var now = DateTimeOffset.UtcNow;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            var rottingDays = await tenantDb.Stages.ToDictionaryAsync(st => st.Id, st => st.RottingDays, TestContext.Current.CancellationToken);
            var open = await tenantDb.Opportunities.Where(o => o.Status == OpportunityStatus.Open).ToListAsync(TestContext.Current.CancellationToken);
            var idle = open.Count(o => o.IsRotting(rottingDays[o.StageId], now));
            var late = open.Count(o => o.IsOverdue(today));

            // The same rules the board and lists flag with: some of each, and well under a quarter.
            Assert.InRange(idle, 1, open.Count / 4);
            Assert.InRange(late, 1, open.Count / 5);

            // My day: work planned ahead, a few items overdue, and calls already made on the timelines.
            var planned = await tenantDb.Activities.Where(a => !a.Done).Select(a => a.DueAt).ToListAsync(TestContext.Current.CancellationToken);
            var overdue = planned.Count(d => d < now);
            Assert.InRange(overdue, 1, planned.Count / 4);
            Assert.True(await tenantDb.Activities.CountAsync(a => a.Done && a.Kind == ActivityKind.Call, TestContext.Current.CancellationToken) >= 20);

            // Nothing happened in the future.
            Assert.All(await tenantDb.OpportunityEvents.Select(e => e.At).ToListAsync(TestContext.Current.CancellationToken), at => Assert.True(at <= now));
        }
    }
}
