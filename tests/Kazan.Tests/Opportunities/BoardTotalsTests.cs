using CsCheck;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Opportunities;

/// <summary>
/// The board's running totals per (pipeline, stage, owner) always equal the sums recomputed from the open deals,
/// whatever sequence of changes the deals go through, however they are saved, and when many saves run at once.
/// </summary>
public sealed class BoardTotalsTests(KazanFactory factory) : IClassFixture<KazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private enum Step { Create, Import, Move, MovePipeline, Win, Lose, Reopen, Probability, Amount, Transfer }

    [Fact]
    public async Task The_running_totals_equal_the_recomputed_sums_after_any_sequence_of_changes()
    {
        var org = await factory.CreateOrganizationAsync("Toplam Tutan A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Deniz Aksoy");
        var account = await factory.AccountAsync(org, "Sayaç Ltd.");
        Guid[] pipelines;
        Guid reason;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var other = new Pipeline(org.Id, "Bayi", isDefault: false);
            other.AddStage("Başvuru", 20);
            other.AddStage("Sözleşme", 80);
            db.Pipelines.Add(other);
            await db.SaveChangesAsync(Ct);
            pipelines = await db.Pipelines.OrderBy(p => p.Name).Select(p => p.Id).ToArrayAsync(Ct);
            reason = await db.LostReasons.Select(r => r.Id).FirstAsync(Ct);
        }

        var deals = new List<Guid> { await factory.OpportunityAsync(org, account, amount: 1_250.50m) };
        var step = Gen.Select(Gen.Enum<Step>(), Gen.Int[0, 20], Gen.Int[0, 5], Gen.Int[0, 180]);
        await step.List[1, 20].SampleAsync(async steps =>
        {
            foreach (var (kind, deal, choice, number) in steps)
            {
                await ApplyAsync(org, rep.Id, account, pipelines, reason, deals, deals[deal % deals.Count], kind, choice, number);
            }

            await AssertTotalsAsync(org);
        }, iter: 15, threads: 1);
    }

    [Fact]
    public async Task Many_saves_at_once_on_one_owners_stage_lose_no_deal_from_the_totals()
    {
        var org = await factory.CreateOrganizationAsync("Aynı Anda A.Ş.");
        var account = await factory.AccountAsync(org, "Kalabalık Ltd.");
        var deals = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            deals.Add(await factory.OpportunityAsync(org, account, title: $"Fırsat {i}", amount: 1_000m + i));
        }

        Guid[] stages;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            stages = await db.Stages.Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault)).OrderBy(s => s.Position).Select(s => s.Id).ToArrayAsync(Ct);
        }

        // Half the deals move forth and back between two stages while new deals open in both: every save touches the same rows.
        var work = deals.Select((id, i) => Task.Run(async () =>
        {
            for (var round = 0; round < 3; round++)
            {
                var (s, d) = factory.DbAs(org.Id, org.Admin.Id);
                using (s)
                {
                    var version = await d.Opportunities.Where(o => o.Id == id).Select(o => o.Version).SingleAsync(Ct);
                    var moved = await OpportunityCommands.MoveAsync(d, id, version, stages[(i + round) % 2], org.Admin.Id, DateTimeOffset.UtcNow, Ct);
                    Assert.True(moved.IsOk, moved.Status.ToString());
                }

                await factory.OpportunityAsync(org, account, title: $"Yeni {i}-{round}", amount: 10m * (i + 1));
            }
        }, Ct)).ToList();
        await Task.WhenAll(work);

        var totals = await AssertTotalsAsync(org);
        Assert.Equal(12 + 36, totals.Values.Sum(t => t.Count));
    }

    private async Task ApplyAsync(
        TestOrganization org, Guid rep, Guid account, Guid[] pipelines, Guid reason, List<Guid> deals, Guid id, Step kind, int choice, int number)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
            var time = new OrganizationTime(TimeProvider.System, me);
            var now = DateTimeOffset.UtcNow;
            var o = await db.Opportunities.AsNoTracking().SingleAsync(x => x.Id == id, Ct);
            var stages = await db.Stages.AsNoTracking().Where(s => s.PipelineId == o.PipelineId).OrderBy(s => s.Position).ToListAsync(Ct);
            var otherPipeline = pipelines.First(p => p != o.PipelineId);
            var otherStage = await db.Stages.AsNoTracking().Where(s => s.PipelineId == otherPipeline).OrderBy(s => s.Position).FirstAsync(Ct);
            var owner = choice % 2 == 0 ? org.Admin.Id : rep;
            switch (kind)
            {
                case Step.Create:
                    deals.Add(await factory.OpportunityAsync(org, account, title: $"Yeni {deals.Count}", amount: 99.99m * (number + 1), ownerId: owner,
                        currency: choice % 3 == 0 ? "USD" : "TRY", rate: choice % 3 == 0 ? 32.1234m : 1m));
                    return;
                case Step.Import:
                    // The import's bulk save: new deals written past the change tracker, in the caller's transaction.
                    await using (var tx = await db.Database.BeginTransactionAsync(Ct))
                    {
                        for (var i = 0; i <= choice; i++)
                        {
                            var deal = new Opportunity(org.Id, owner, account, stages[(number + i) % stages.Count], $"Aktarılan {deals.Count}", 10.01m * (number + i),
                                "EUR", 35.5m, DateOnly.FromDateTime(now.UtcDateTime), org.Admin.Id, now);
                            db.Opportunities.Add(deal);
                            deals.Add(deal.Id);
                        }

                        await scope.ServiceProvider.GetRequiredService<BulkInsert>().SaveAsync(Ct);
                        await tx.CommitAsync(Ct);
                    }

                    return;
                default:
                    break;
            }

            // Refused changes (a closed deal moved, an open one reopened) belong in the sequence: they must change no total.
            _ = kind switch
            {
                Step.Move => await OpportunityCommands.MoveAsync(db, id, o.Version, stages[choice % stages.Count].Id, org.Admin.Id, now, Ct),
                Step.MovePipeline => await OpportunityCommands.MoveToPipelineAsync(db, id, o.Version, otherStage.Id, org.Admin.Id, now, Ct),
                Step.Win => await OpportunityCommands.MarkWonAsync(db, id, o.Version, org.Admin.Id, time, null, Ct),
                Step.Lose => await OpportunityCommands.MarkLostAsync(db, id, o.Version, reason, null, org.Admin.Id, time, null, Ct),
                Step.Reopen => await OpportunityCommands.ReopenAsync(db, id, o.Version, org.Admin.Id, now, null, Ct),
                Step.Probability => await OpportunityCommands.SetProbabilityAsync(db, id, o.Version, choice == 0 ? null : Math.Min(100, number), Ct),
                Step.Amount => await OpportunityCommands.UpdateAsync(db, id, o.Version, new OpportunityDetails(o.Title, 500m + number * 37.53m,
                    choice % 2 == 0 ? "TRY" : "EUR", choice % 2 == 0 ? null : 35m + number / 10m, o.ExpectedCloseDate, o.Source, o.NextStep), Ct),
                Step.Transfer => await OpportunityCommands.TransferAsync(db, id, o.Version, o.OwnerId == rep ? org.Admin.Id : rep, org.Admin.Id, now, Ct),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
        }
    }

    /// <summary>The stored totals against a GROUP BY of the open deals: the same rows, to the kuruş (rows at zero are no rows).</summary>
    private async Task<Dictionary<(Guid, Guid, Guid), (int Count, decimal Total, decimal Weighted)>> AssertTotalsAsync(TestOrganization org)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var open = await db.Opportunities.AsNoTracking().Where(o => o.Status == OpportunityStatus.Open)
                .Select(o => new { o.PipelineId, o.StageId, o.OwnerId, o.ForecastAmountBase, o.WeightedAmountBase }).ToListAsync(Ct);
            var expected = open.GroupBy(o => (o.PipelineId, o.StageId, o.OwnerId))
                .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(o => o.ForecastAmountBase), g.Sum(o => o.WeightedAmountBase)));
            var stored = (await db.BoardTotals.AsNoTracking().ToListAsync(Ct))
                .Where(t => t.Count != 0 || t.Total != 0m || t.WeightedTotal != 0m)
                .ToDictionary(t => (t.PipelineId, t.StageId, t.OwnerId), t => (t.Count, t.Total, t.WeightedTotal));
            Assert.Equal(expected.OrderBy(kv => kv.Key), stored.OrderBy(kv => kv.Key));
            return stored;
        }
    }
}
