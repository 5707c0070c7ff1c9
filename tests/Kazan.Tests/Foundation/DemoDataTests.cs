using Kazan.Features.Demo;
using Kazan.Features.Opportunities;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

// Its own database: the demo loads only into an empty database and the test reads it as the only organization.
public sealed class DemoDataTests(OwnDatabaseFactory factory) : IClassFixture<OwnDatabaseFactory>
{
    [Fact]
    public async Task Demo_data_fills_every_stage_of_the_default_pipeline_and_runs_only_once()
    {
        Assert.Equal(0, await DemoData.RunAsync(factory.Services));
        Assert.Equal(1, await DemoData.RunAsync(factory.Services));

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Kazan.Infrastructure.Data.KazanDbContext>();
        var org = await db.Organizations.IgnoreQueryFilters().SingleAsync(TestContext.Current.CancellationToken);
        var admin = await db.Users.SingleAsync(u => u.Email == "admin@anadolu.example", TestContext.Current.CancellationToken);
        var (s, tenantDb) = factory.DbAs(org.Id, admin.Id);
        using (s)
        {
            var pipeline = await tenantDb.Pipelines.SingleAsync(p => p.IsDefault, TestContext.Current.CancellationToken);
            var stagesWithOpenDeals = await tenantDb.Opportunities
                .Where(o => o.PipelineId == pipeline.Id && o.Status == OpportunityStatus.Open)
                .Select(o => o.StageId).Distinct().CountAsync(TestContext.Current.CancellationToken);
            Assert.Equal(pipeline.Stages.Count, stagesWithOpenDeals);
            Assert.True(await tenantDb.Opportunities.AnyAsync(o => o.Status == OpportunityStatus.Won, TestContext.Current.CancellationToken));
            Assert.True(await tenantDb.Opportunities.AnyAsync(o => o.Status == OpportunityStatus.Lost, TestContext.Current.CancellationToken));
            Assert.True(await tenantDb.Accounts.CountAsync(TestContext.Current.CancellationToken) >= 40);
            Assert.True(await tenantDb.Users.CountAsync(TestContext.Current.CancellationToken) >= 5);
            Assert.True(await tenantDb.Products.CountAsync(TestContext.Current.CancellationToken) >= 10);
            // Quotes in several states and orders, some partly delivered and some late, so every page has something to show.
            var quoteStates = await tenantDb.Quotes.Select(q => q.Status).Distinct().ToListAsync(TestContext.Current.CancellationToken);
            Assert.Superset(new HashSet<Kazan.Features.Quotes.QuoteStatus> { Kazan.Features.Quotes.QuoteStatus.Draft, Kazan.Features.Quotes.QuoteStatus.Sent, Kazan.Features.Quotes.QuoteStatus.Accepted }, quoteStates.ToHashSet());
            Assert.True(await tenantDb.Orders.AnyAsync(o => o.Status == Kazan.Features.Orders.OrderStatus.PartiallyDelivered, TestContext.Current.CancellationToken));
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            Assert.NotEmpty(await Kazan.Features.Orders.OrderQueries.LateAsync(tenantDb, null, today, 10, TestContext.Current.CancellationToken));
            // The history rebuilds the demo's past: each stage move carries the stage it moved to (not the deal's final one),
            // and this week's edits (amounts up and down, a later close date) are there for the movement report.
            var moves = await tenantDb.OpportunityEvents.Where(e => e.Kind == OpportunityEventKind.StageChanged)
                .Select(e => new { e.ToStageId, e.State.StageId }).ToListAsync(TestContext.Current.CancellationToken);
            Assert.True(moves.Count > 50);
            Assert.All(moves, m => Assert.Equal(m.ToStageId, m.StageId));
            Assert.True(await tenantDb.OpportunityEvents.CountAsync(e => e.Kind == OpportunityEventKind.Changed, TestContext.Current.CancellationToken) >= 3);
            Assert.All(await tenantDb.Accounts.Select(a => a.TaxNumber).ToListAsync(TestContext.Current.CancellationToken),
                vkn => Assert.True(Kazan.Features.Accounts.TaxNumber.IsValidVkn(vkn!)));
        }
    }
}
