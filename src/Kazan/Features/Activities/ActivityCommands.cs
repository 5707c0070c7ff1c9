using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Activities;

/// <summary>
/// What a new activity is made of (API request and page forms alike). <see cref="Done"/> logs one that already happened,
/// in one step: done at <see cref="DoneAt"/> (default: <see cref="DueAt"/>, else now) with its <see cref="Outcome"/>;
/// an outcome alone also means it happened.
/// </summary>
public sealed record ActivityInput(
    ActivityKind Kind, string Subject, string? Notes, Guid AccountId, Guid? OpportunityId, IReadOnlyCollection<Guid>? ContactIds, DateTimeOffset? DueAt, Guid? OwnerId,
    bool Done = false, DateTimeOffset? DoneAt = null, ActivityOutcome? Outcome = null);

/// <summary>What an update replaces (PUT semantics; a null owner keeps the current one).</summary>
public sealed record ActivityChanges(
    string Subject, string? Notes, Guid? OpportunityId, IReadOnlyCollection<Guid>? ContactIds, DateTimeOffset? DueAt, Guid? OwnerId);

/// <summary>
/// The writes on activities, shared by the API and the pages. Each validates the references (account visible to the
/// caller, opportunity and contacts of that account, owner an active user), changes the entity through its methods and
/// saves once: creating or completing an activity on an opportunity touches the opportunity in the same SaveChanges,
/// so its rotting flag clears with the commit.
/// Who may own an activity: any active user of the organization, except that a rep restricted to own records may only
/// plan activities for themselves (they could not see one they gave away).
/// </summary>
public static class ActivityCommands
{
    private const string What = "Activity";

    public static Task<Outcome<Activity>> CreateAsync(KazanDbContext db, CurrentUser me, OrganizationTime time, ActivityInput input, CancellationToken ct) =>
        UseCase.RunAsync<Activity>(db, async () =>
        {
            if (!await db.Accounts.AnyAsync(a => a.Id == input.AccountId, ct))
            {
                return Invalid("accountId", "account-not-found", "No such account.");
            }

            var ownerId = input.OwnerId ?? me.RequiredUserId;
            var (opportunity, error) = await CheckOpportunityAsync(db, input.AccountId, input.OpportunityId, ct);
            error ??= await CheckOwnerAsync(db, me, ownerId, ct);
            error ??= await CheckContactsAsync(db, input.AccountId, input.ContactIds, ct);
            if (error is { } failure)
            {
                return failure;
            }

            var now = time.Now;
            Activity activity;
            if (input.Done || input.Outcome is not null)
            {
                activity = Activity.Logged(me.RequiredOrganizationId, ownerId, input.Kind, input.Subject, input.AccountId, input.OpportunityId,
                    input.DoneAt ?? input.DueAt ?? now, input.Outcome, input.Notes, now);
            }
            else
            {
                activity = new Activity(me.RequiredOrganizationId, ownerId, input.Kind, input.Subject, input.AccountId, input.OpportunityId, input.DueAt, now);
                activity.WriteNotes(input.Notes);
            }

            activity.SetContacts(input.ContactIds ?? []);
            db.Activities.Add(activity);
            opportunity?.TouchActivity(now);
            await db.SaveChangesAsync(ct);
            return activity;
        });

    /// <summary>Replaces what <paramref name="changes"/> carries. Nothing is saved on an error.</summary>
    public static Task<Outcome<Activity>> UpdateAsync(KazanDbContext db, CurrentUser me, Guid id, int version, ActivityChanges changes, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => db.Activities.Include(a => a.Contacts).FirstOrDefaultAsync(a => a.Id == id, ct), What, version, async activity =>
        {
            var (_, error) = await CheckOpportunityAsync(db, activity.AccountId, changes.OpportunityId, ct);
            if (changes.OwnerId is { } owner && owner != activity.OwnerId)
            {
                error ??= await CheckOwnerAsync(db, me, owner, ct);
            }

            error ??= await CheckContactsAsync(db, activity.AccountId, changes.ContactIds, ct);
            if (error is not null)
            {
                return error;
            }

            activity.Resubject(changes.Subject);
            activity.WriteNotes(changes.Notes);
            activity.DueAt = changes.DueAt;
            activity.LinkOpportunity(changes.OpportunityId);
            activity.SetContacts(changes.ContactIds ?? []);
            if (changes.OwnerId is { } newOwner)
            {
                activity.TransferTo(newOwner);
            }

            return null;
        }, ct);

    public static Task<Outcome<Activity>> DeleteAsync(KazanDbContext db, Guid id, int version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => db.Activities.Include(a => a.Contacts).FirstOrDefaultAsync(a => a.Id == id, ct), What, version, a => db.Activities.Remove(a), ct);

    /// <summary>
    /// Marks an activity done with how it went and what was said (<paramref name="notes"/>: null keeps the notes, text
    /// replaces them). Completing it again only records the outcome and notes: it keeps the time it was first done.
    /// Completing an activity of an opportunity touches the opportunity (same save). The version is optional: ticking a
    /// box overwrites nothing else.
    /// </summary>
    public static Task<Outcome<Activity>> CompleteAsync(
        KazanDbContext db, Guid id, int? version, ActivityOutcome? outcome, string? notes, OrganizationTime time, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, async activity =>
        {
            var now = time.Now;
            var wasDone = activity.Done;
            activity.Complete(now, outcome);
            if (notes is not null)
            {
                activity.WriteNotes(notes);
            }

            if (!wasDone && activity.OpportunityId is { } opportunityId)
            {
                // The deal's rotting clock belongs to the deal, whoever owns it: a rep completing their task on a deal
                // since transferred to a colleague still counts as activity. Only the owner filter is lifted here; the
                // tenant filter stays.
                var opportunity = await db.Opportunities.IgnoreQueryFilters([KazanDbContext.OwnerFilter])
                    .FirstOrDefaultAsync(o => o.Id == opportunityId, ct);
                opportunity?.TouchActivity(now);
            }

            return null;
        }, ct);

    /// <summary>Opens a done activity again (the version is optional, as for done).</summary>
    public static Task<Outcome<Activity>> MarkNotDoneAsync(KazanDbContext db, Guid id, int? version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, a => a.MarkNotDone(), ct);

    /// <summary>Moves an open activity to a new due time (null: no date).</summary>
    public static Task<Outcome<Activity>> RescheduleAsync(KazanDbContext db, Guid id, int version, DateTimeOffset? dueAt, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, a => a.Reschedule(dueAt), ct);

    /// <summary>Puts an open activity off by some days from its due day or the organization's today, whichever is later.</summary>
    public static Task<Outcome<Activity>> SnoozeAsync(KazanDbContext db, Guid id, int version, int days, OrganizationTime time, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, a => a.Snooze(days, time), ct);

    /// <summary>Replaces the notes (what was said, what comes next).</summary>
    public static Task<Outcome<Activity>> WriteNotesAsync(KazanDbContext db, Guid id, int version, string? notes, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Load(db, id, ct), What, version, a => a.WriteNotes(notes), ct);

    private static Task<Activity?> Load(KazanDbContext db, Guid id, CancellationToken ct) => db.Activities.FirstOrDefaultAsync(a => a.Id == id, ct);

    /// <summary>A bad reference (400, field named); the code is "activity.{code}".</summary>
    private static Failure Invalid(string field, string code, string message) => Outcome.Invalid(field, message, "activity." + code);

    /// <summary>A reference that exists but breaks a rule (422); the code is "activity.{code}".</summary>
    private static Failure Rule(string code, string message) => Outcome.Broken(message, "activity." + code);

    private static async Task<(Opportunity? Opportunity, Failure? Error)> CheckOpportunityAsync(KazanDbContext db, Guid accountId, Guid? opportunityId, CancellationToken ct)
    {
        if (opportunityId is not { } id)
        {
            return (null, null);
        }

        var opportunity = await db.Opportunities.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (opportunity is null)
        {
            return (null, Invalid("opportunityId", "opportunity-not-found", "No such opportunity."));
        }

        return opportunity.AccountId == accountId
            ? (opportunity, null)
            : (null, Rule("opportunity-of-other-account", "The opportunity belongs to another account; an activity's opportunity must be one of its account's."));
    }

    private static async Task<Failure?> CheckContactsAsync(KazanDbContext db, Guid accountId, IReadOnlyCollection<Guid>? contactIds, CancellationToken ct)
    {
        var ids = (contactIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            return null;
        }

        if (ids.Count > 50)
        {
            return Invalid("contactIds", "too-many-contacts", "An activity can name at most 50 contacts.");
        }

        var found = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.AccountId }).ToListAsync(ct);
        if (found.Count < ids.Count)
        {
            return Invalid("contactIds", "contact-not-found", "No such contact.");
        }

        return found.Any(c => c.AccountId != accountId)
            ? Rule("contact-of-other-account", "A contact belongs to another account; an activity's contacts must be people of its account.")
            : null;
    }

    private static async Task<Failure?> CheckOwnerAsync(KazanDbContext db, CurrentUser me, Guid ownerId, CancellationToken ct)
    {
        if (ownerId == me.UserId)
        {
            return null;
        }

        if (!await UserQueries.IsActiveAsync(db, ownerId, ct))
        {
            return Invalid("ownerId", "owner-not-found", "No such active user.");
        }

        return me.RestrictedToOwn
            ? Rule("owner-not-allowed", "A rep who sees only their own records can only plan activities for themselves.")
            : null;
    }
}
