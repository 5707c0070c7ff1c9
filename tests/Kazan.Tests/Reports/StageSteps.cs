using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Reports;

/// <summary>A deal's life step by step at chosen instants (the clock is set to each), through the domain's commands, as the admin.</summary>
internal sealed class StageSteps(ClockedKazanFactory factory, TestOrganization org)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The stages of a pipeline (the default when null), in order.</summary>
    public async Task<Guid[]> StagesAsync(Guid? pipelineId = null)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            return await db.Stages.Where(s => pipelineId == null ? db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault) : s.PipelineId == pipelineId)
                .OrderBy(s => s.Position).Select(s => s.Id).ToArrayAsync(Ct);
        }
    }

    /// <summary>A second pipeline with two stages.</summary>
    public async Task<Guid> PipelineAsync(string name)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var pipeline = new Pipeline(org.Id, name, isDefault: false);
            pipeline.AddStage("Başvuru", 20);
            pipeline.AddStage("Sözleşme", 80);
            db.Pipelines.Add(pipeline);
            await db.SaveChangesAsync(Ct);
            return pipeline.Id;
        }
    }

    /// <summary>A deal created at <paramref name="at"/> in a stage (the default pipeline's first when null).</summary>
    public async Task<Guid> CreateAsync(Guid account, string title, decimal amount, DateTimeOffset at, Guid? ownerId = null, Guid? stageId = null)
    {
        factory.Clock.Now = at;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stage = stageId is { } id
                ? await db.Stages.SingleAsync(s => s.Id == id, Ct)
                : await db.Stages.Where(s => db.Pipelines.Any(p => p.Id == s.PipelineId && p.IsDefault)).OrderBy(s => s.Position).FirstAsync(Ct);
            var deal = new Opportunity(org.Id, ownerId ?? org.Admin.Id, account, stage, title, amount, "TRY", 1m, DateOnly.FromDateTime(at.UtcDateTime).AddDays(30), org.Admin.Id, at);
            db.Opportunities.Add(deal);
            await db.SaveChangesAsync(Ct);
            return deal.Id;
        }
    }

    public Task MoveAsync(Guid id, Guid stageId, DateTimeOffset at) =>
        StepAsync(id, at, (db, _, version, now) => OpportunityCommands.MoveAsync(db, id, version, stageId, org.Admin.Id, now, Ct));

    public Task MoveToPipelineAsync(Guid id, Guid stageId, DateTimeOffset at) =>
        StepAsync(id, at, (db, _, version, now) => OpportunityCommands.MoveToPipelineAsync(db, id, version, stageId, org.Admin.Id, now, Ct));

    public Task WinAsync(Guid id, DateTimeOffset at) =>
        StepAsync(id, at, (db, time, version, _) => OpportunityCommands.MarkWonAsync(db, id, version, org.Admin.Id, time, null, Ct));

    public Task LoseAsync(Guid id, DateTimeOffset at) =>
        StepAsync(id, at, async (db, time, version, _) =>
        {
            var reason = await db.LostReasons.Select(r => r.Id).FirstAsync(Ct);
            return await OpportunityCommands.MarkLostAsync(db, id, version, reason, null, org.Admin.Id, time, null, Ct);
        });

    public Task ReopenAsync(Guid id, DateTimeOffset at) =>
        StepAsync(id, at, (db, _, version, now) => OpportunityCommands.ReopenAsync(db, id, version, org.Admin.Id, now, null, Ct));

    private async Task StepAsync(
        Guid id, DateTimeOffset at, Func<Kazan.Infrastructure.Data.KazanDbContext, OrganizationTime, int, DateTimeOffset, Task<Kazan.Infrastructure.Commands.Outcome<Opportunity>>> step)
    {
        factory.Clock.Now = at;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var time = new OrganizationTime(factory.Clock, scope.ServiceProvider.GetRequiredService<CurrentUser>());
            var version = await db.Opportunities.Where(o => o.Id == id).Select(o => o.Version).SingleAsync(Ct);
            var outcome = await step(db, time, version, at);
            Assert.True(outcome.IsOk, $"the step at {at:O} was refused");
        }
    }
}
