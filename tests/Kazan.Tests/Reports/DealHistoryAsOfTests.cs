using CsCheck;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Features.Reports;
using Kazan.Features.Users;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Reports;

// Its own host: the test moves the clock, which every class sharing the host would see.
/// <summary>The pipeline as of any past moment equals what the deals really were at that moment.</summary>
public sealed class DealHistoryAsOfTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private enum Step { Move, MovePipeline, Win, Lose, Reopen, Probability, Category, Amount, CloseDate, Transfer }

    [Fact]
    public async Task The_state_as_of_any_moment_is_exactly_the_state_the_deals_were_in_then()
    {
        var org = await factory.CreateOrganizationAsync("Geçmiş A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Selin Kaya");
        var account = await factory.AccountAsync(org, "Zaman Makinesi Ltd.");
        Guid[] pipelines;
        Guid reason;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var other = new Pipeline(org.Id, "Bayi", isDefault: false);
            other.AddStage("Başvuru", 20);
            other.AddStage("Sözleşme", 80, forecastCategory: ForecastCategory.Commit);
            db.Pipelines.Add(other);
            await db.SaveChangesAsync(Ct);
            pipelines = await db.Pipelines.OrderBy(p => p.Name).Select(p => p.Id).ToArrayAsync(Ct);
            reason = await db.LostReasons.Select(r => r.Id).FirstAsync(Ct);
        }

        var step = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 2], Gen.Int[0, 5], Gen.Int[0, 180]);
        // Minutes to the next change: often none (two changes in one instant), else up to three days.
        var pause = Gen.OneOf(Gen.Const(0), Gen.Int[1, 4_320]);
        await Gen.Select(Gen.Select(step, pause).List[1, 25], Gen.Int[1, 3]).SampleAsync(async (steps, dealCount) =>
        {
            var truth = new SortedDictionary<DateTimeOffset, Dictionary<Guid, DealState>>();
            var deals = new List<Guid>();
            for (var d = 0; d < dealCount; d++)
            {
                deals.Add(await factory.OpportunityAsync(org, account, title: $"Fırsat {d}", amount: 1_000m * (d + 1), at: factory.Clock.Now));
            }

            await CaptureAsync(org, truth);
            foreach (var ((kind, deal, choice, number), minutes) in steps)
            {
                factory.Clock.Advance(TimeSpan.FromMinutes(minutes));
                await ApplyAsync(org, rep.Id, pipelines, reason, deals[deal % deals.Count], kind, choice, number);
                await CaptureAsync(org, truth);
            }

            var first = truth.Keys.First();
            await AssertAsOfAsync(org, first.AddTicks(-1), deals, []);
            foreach (var (at, states) in truth)
            {
                await AssertAsOfAsync(org, at, deals, states);
                await AssertAsOfAsync(org, at.AddSeconds(30), deals, states); // between two changes nothing moves
            }

            factory.Clock.Advance(TimeSpan.FromDays(1));
        }, iter: 12, threads: 1);
    }

    private async Task ApplyAsync(TestOrganization org, Guid rep, Guid[] pipelines, Guid reason, Guid id, Step kind, int choice, int number)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
            var time = new OrganizationTime(factory.Clock, me);
            var now = factory.Clock.Now;
            var o = await db.Opportunities.AsNoTracking().SingleAsync(x => x.Id == id, Ct);
            var stages = await db.Stages.AsNoTracking().Where(s => s.PipelineId == o.PipelineId).OrderBy(s => s.Position).Select(s => s.Id).ToListAsync(Ct);
            var otherPipeline = pipelines.First(p => p != o.PipelineId);
            var otherStage = await db.Stages.AsNoTracking().Where(s => s.PipelineId == otherPipeline).OrderBy(s => s.Position).Select(s => s.Id).FirstAsync(Ct);
            var categories = Enum.GetValues<ForecastCategory>();
            // Refused changes (a closed deal moved, an open one reopened) are part of the sequence: they must leave no trace.
            _ = kind switch
            {
                Step.Move => await OpportunityCommands.MoveAsync(db, id, o.Version, stages[choice % stages.Count], org.Admin.Id, now, Ct),
                Step.MovePipeline => await OpportunityCommands.MoveToPipelineAsync(db, id, o.Version, otherStage, org.Admin.Id, now, Ct),
                Step.Win => await OpportunityCommands.MarkWonAsync(db, id, o.Version, org.Admin.Id, time, null, Ct),
                Step.Lose => await OpportunityCommands.MarkLostAsync(db, id, o.Version, reason, null, org.Admin.Id, time, null, Ct),
                Step.Reopen => await OpportunityCommands.ReopenAsync(db, id, o.Version, org.Admin.Id, now, null, Ct),
                Step.Probability => await OpportunityCommands.SetProbabilityAsync(db, id, o.Version, choice == 0 ? null : Math.Min(100, number), Ct),
                Step.Category => await OpportunityCommands.SetForecastCategoryAsync(db, id, o.Version, choice == 0 ? null : categories[choice % categories.Length], Ct),
                Step.Amount => await OpportunityCommands.UpdateAsync(db, id, o.Version, new OpportunityDetails(o.Title, 500m + number * 37.5m,
                    choice % 2 == 0 ? "TRY" : "EUR", choice % 2 == 0 ? null : 35m + number / 10m, o.ExpectedCloseDate, o.Source, o.NextStep), Ct),
                Step.CloseDate => await OpportunityCommands.UpdateAsync(db, id, o.Version, new OpportunityDetails(o.Title, o.ExpectedAmount,
                    o.Currency.Code, o.Currency.Rate, o.ExpectedCloseDate.AddDays(number - 90), o.Source, o.NextStep), Ct),
                Step.Transfer => await OpportunityCommands.TransferAsync(db, id, o.Version, o.OwnerId == rep ? org.Admin.Id : rep, org.Admin.Id, now, Ct),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
    }

    /// <summary>What the deals really are now (read back from their rows), as the truth for this moment.</summary>
    private async Task CaptureAsync(TestOrganization org, SortedDictionary<DateTimeOffset, Dictionary<Guid, DealState>> truth)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var deals = await db.Opportunities.AsNoTracking().ToListAsync(Ct);
            truth[factory.Clock.Now] = deals.ToDictionary(o => o.Id, DealState.Of);
        }
    }

    private async Task AssertAsOfAsync(TestOrganization org, DateTimeOffset at, List<Guid> deals, Dictionary<Guid, DealState> expected)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var asOf = await DealHistory.AsOf(db, at).Where(e => deals.Contains(e.OpportunityId)).Select(e => new { e.OpportunityId, e.State }).ToListAsync(Ct);
            var want = expected.Where(kv => deals.Contains(kv.Key)).ToDictionary();
            Assert.Equal(want.Count, asOf.Count);
            foreach (var row in asOf)
            {
                Assert.Equal(want[row.OpportunityId], row.State);
            }
        }
    }
}
