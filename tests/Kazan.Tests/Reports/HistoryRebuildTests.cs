using Kazan.Features.Opportunities;
using Kazan.Features.Reports;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Quotes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Reports;

/// <summary>History written before events carried the deal's state gets that state from the audit trail.</summary>
public sealed class HistoryRebuildTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Old_events_get_the_state_the_audit_trail_records_and_audited_changes_without_an_event_become_events()
    {
        var org = await factory.CreateOrganizationAsync("Eski Geçmiş A.Ş.");
        var account = await factory.AccountAsync(org, "Arşiv Ltd.");
        var id = await factory.OpportunityAsync(org, account, amount: 40_000m);
        await ChangeAsync(org, (db, o, time) => OpportunityCommands.UpdateAsync(db, id, o.Version,
            new OpportunityDetails(o.Title, 52_500m, "EUR", 37.25m, o.ExpectedCloseDate.AddDays(20), null, null), Ct));
        await ChangeAsync(org, async (db, o, time) =>
        {
            var next = await db.Stages.Where(s => s.PipelineId == o.PipelineId && s.Position == 2).Select(s => s.Id).SingleAsync(Ct);
            return await OpportunityCommands.MoveAsync(db, id, o.Version, next, org.Admin.Id, time.Now, Ct);
        });
        await ChangeAsync(org, (db, o, time) => OpportunityCommands.SetProbabilityAsync(db, id, o.Version, 85, Ct));
        await ChangeAsync(org, (db, o, time) => OpportunityCommands.MarkWonAsync(db, id, o.Version, org.Admin.Id, time, null, Ct));

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var written = await History(db, id);
            Assert.Equal([OpportunityEventKind.Created, OpportunityEventKind.Changed, OpportunityEventKind.StageChanged, OpportunityEventKind.Changed,
                OpportunityEventKind.Won], written.Select(e => e.Kind));

            // As an older version left it: no Changed events, and the others without their state.
            await db.OpportunityEvents.Where(e => e.OpportunityId == id && e.Kind == OpportunityEventKind.Changed).ExecuteDeleteAsync(Ct);
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""UPDATE "OpportunityEvents" SET "Sequence" = -1, "StageId" = {Guid.Empty}, "PipelineId" = {Guid.Empty}, "OwnerId" = {Guid.Empty}, "Status" = '', "ExpectedAmount" = 0, "ForecastAmountBase" = 0, "ForecastCategory" = '' WHERE "OpportunityId" = {id}""",
                Ct);

            await HistoryRebuild.RunAsync(db, Ct);
            db.ChangeTracker.Clear();

            var rebuilt = await History(db, id);
            Assert.Equal(written.Select(e => (e.Kind, e.State)), rebuilt.Select(e => (e.Kind, e.State)));
            Assert.All(rebuilt, e => Assert.True(e.Sequence >= 0));
            foreach (var e in written)
            {
                var asOf = await DealHistory.AsOf(db, e.At).Where(x => x.OpportunityId == id).Select(x => x.State).SingleAsync(Ct);
                Assert.Equal(e.State, asOf);
            }

            await HistoryRebuild.RunAsync(db, Ct); // once done, nothing is left to do
            Assert.Equal(rebuilt.Count, await db.OpportunityEvents.CountAsync(e => e.OpportunityId == id, Ct));
        }
    }

    private static Task<List<OpportunityEvent>> History(Kazan.Infrastructure.Data.KazanDbContext db, Guid id) =>
        db.OpportunityEvents.AsNoTracking().Where(e => e.OpportunityId == id).OrderBy(e => e.At).ThenBy(e => e.Sequence).ToListAsync(Ct);

    private async Task ChangeAsync(TestOrganization org, Func<Kazan.Infrastructure.Data.KazanDbContext, Opportunity, OrganizationTime, Task<Kazan.Infrastructure.Commands.Outcome<Opportunity>>> change)
    {
        await Task.Delay(5, Ct); // distinct moments, as real edits are
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var time = new OrganizationTime(TimeProvider.System, scope.ServiceProvider.GetRequiredService<CurrentUser>());
            var o = await db.Opportunities.AsNoTracking().SingleAsync(Ct);
            (await change(db, o, time)).Done();
        }
    }
}
