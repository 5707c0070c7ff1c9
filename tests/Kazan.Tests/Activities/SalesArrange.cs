using Kazan.Features.Activities;
using Kazan.Features.Contacts;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Data;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Activities;

/// <summary>
/// Arranges accounts, contacts and opportunities straight through the domain constructors (their APIs belong to other
/// features), acting as the organization's admin so the audit trail names a real user.
/// </summary>
public sealed class SalesArrange(KazanFactory factory, TestOrganization org, TimeProvider clock)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Task<Guid> AccountAsync(string name, Guid? ownerId = null) =>
        factory.AccountAsync(org, name, ownerId, city: null, at: clock.GetUtcNow());

    public async Task<Guid> ContactAsync(Guid accountId, string firstName, string lastName)
    {
        var contact = new Contact(org.Id, org.Admin.Id, accountId, firstName, lastName, clock.GetUtcNow());
        await SaveAsync(db => db.Contacts.Add(contact));
        return contact.Id;
    }

    public Task<Guid> OpportunityAsync(Guid accountId, string title, Guid? ownerId = null) =>
        factory.OpportunityAsync(org, accountId, title, ownerId: ownerId,
            closeOn: DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddMonths(2), at: clock.GetUtcNow());

    /// <summary>Loads the opportunity (tracked), lets <paramref name="change"/> act on it with the stages and lost reasons at hand, saves.</summary>
    public async Task ChangeOpportunityAsync(Guid id, Action<Opportunity, IReadOnlyList<Stage>, IReadOnlyList<LostReason>> change)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var opportunity = await db.Opportunities.FirstAsync(o => o.Id == id, Ct);
            var stages = await db.Stages.Where(s => s.PipelineId == opportunity.PipelineId).OrderBy(s => s.Position).ToListAsync(Ct);
            var reasons = await db.LostReasons.OrderBy(r => r.Position).ToListAsync(Ct);
            change(opportunity, stages, reasons);
            await db.SaveChangesAsync(Ct);
        }
    }

    public async Task<Activity> ActivityAsync(Guid accountId, string subject, DateTimeOffset? dueAt, Guid? ownerId = null, ActivityKind kind = ActivityKind.Task, Guid? opportunityId = null, bool done = false)
    {
        var activity = new Activity(org.Id, ownerId ?? org.Admin.Id, kind, subject, accountId, opportunityId, dueAt, clock.GetUtcNow());
        if (done)
        {
            activity.MarkDone(clock.GetUtcNow());
        }

        await SaveAsync(db => db.Activities.Add(activity));
        return activity;
    }

    public async Task<T> ReadAsync<T>(Func<KazanDbContext, Task<T>> read)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            return await read(db);
        }
    }

    private async Task SaveAsync(Action<KazanDbContext> add)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            add(db);
            await db.SaveChangesAsync(Ct);
        }
    }
}
