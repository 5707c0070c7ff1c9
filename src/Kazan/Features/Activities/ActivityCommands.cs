using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
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
/// Why an activity write was refused. <see cref="IsRule"/>: a business rule (422) rather than a bad reference (400).
/// <see cref="Code"/> is stable; pages show the localized text <c>Activity.Error.{Code}</c>.
/// </summary>
public sealed record ActivityError(string Field, string Code, string Message, bool IsRule);

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
    public static async Task<(Activity? Activity, ActivityError? Error)> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, ActivityInput input, CancellationToken ct)
    {
        if (!await db.Accounts.AnyAsync(a => a.Id == input.AccountId, ct))
        {
            return (null, new ActivityError("accountId", "account-not-found", "No such account.", IsRule: false));
        }

        var ownerId = input.OwnerId ?? me.RequiredUserId;
        var (opportunity, error) = await CheckOpportunityAsync(db, input.AccountId, input.OpportunityId, ct);
        error ??= await CheckOwnerAsync(db, me, ownerId, ct);
        error ??= await CheckContactsAsync(db, input.AccountId, input.ContactIds, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var now = clock.GetUtcNow();
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
        return (activity, null);
    }

    /// <summary>Applies <paramref name="changes"/>; the caller has set the expected version. Nothing is saved on an error.</summary>
    public static async Task<ActivityError?> UpdateAsync(KazanDbContext db, CurrentUser me, Activity activity, ActivityChanges changes, CancellationToken ct)
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

        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>Marks done or not done. Completing an activity of an opportunity touches the opportunity (same SaveChanges).</summary>
    public static Task SetDoneAsync(KazanDbContext db, Activity activity, bool done, TimeProvider clock, CancellationToken ct) =>
        done ? CompleteAsync(db, activity, null, null, clock, ct) : NotDoneAsync(db, activity, ct);

    private static async Task NotDoneAsync(KazanDbContext db, Activity activity, CancellationToken ct)
    {
        activity.MarkNotDone();
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Marks an activity done with how it went and what was said (<paramref name="notes"/>: null keeps the notes, text
    /// replaces them). Completing it again only records the outcome and notes: it keeps the time it was first done.
    /// </summary>
    public static async Task CompleteAsync(
        KazanDbContext db, Activity activity, ActivityOutcome? outcome, string? notes, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var wasDone = activity.Done;
        activity.Complete(now, outcome);
        if (notes is not null)
        {
            activity.WriteNotes(notes);
        }

        if (!wasDone)
        {
            if (activity.OpportunityId is { } opportunityId)
            {
                // The deal's rotting clock belongs to the deal, whoever owns it: a rep completing their task on a deal
                // since transferred to a colleague still counts as activity. Only the owner filter is lifted here; the
                // tenant filter stays.
                var opportunity = await db.Opportunities.IgnoreQueryFilters([KazanDbContext.OwnerFilter])
                    .FirstOrDefaultAsync(o => o.Id == opportunityId, ct);
                opportunity?.TouchActivity(now);
            }
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Moves an open activity to a new due time (null: no date); the caller has set the expected version.</summary>
    public static async Task RescheduleAsync(KazanDbContext db, Activity activity, DateTimeOffset? dueAt, CancellationToken ct)
    {
        activity.Reschedule(dueAt);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Puts an open activity off by some days from its due day or today, whichever is later (<see cref="Activity.Snooze"/>).</summary>
    public static async Task SnoozeAsync(KazanDbContext db, Activity activity, int days, TimeProvider clock, CancellationToken ct)
    {
        activity.Snooze(days, UserDay.Today(clock));
        await db.SaveChangesAsync(ct);
    }

    private static async Task<(Opportunity? Opportunity, ActivityError? Error)> CheckOpportunityAsync(KazanDbContext db, Guid accountId, Guid? opportunityId, CancellationToken ct)
    {
        if (opportunityId is not { } id)
        {
            return (null, null);
        }

        var opportunity = await db.Opportunities.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (opportunity is null)
        {
            return (null, new ActivityError("opportunityId", "opportunity-not-found", "No such opportunity.", IsRule: false));
        }

        return opportunity.AccountId == accountId
            ? (opportunity, null)
            : (null, new ActivityError("opportunityId", "opportunity-of-other-account", "The opportunity belongs to another account; an activity's opportunity must be one of its account's.", IsRule: true));
    }

    private static async Task<ActivityError?> CheckContactsAsync(KazanDbContext db, Guid accountId, IReadOnlyCollection<Guid>? contactIds, CancellationToken ct)
    {
        var ids = (contactIds ?? []).Distinct().ToList();
        if (ids.Count == 0)
        {
            return null;
        }

        if (ids.Count > 50)
        {
            return new ActivityError("contactIds", "too-many-contacts", "An activity can name at most 50 contacts.", IsRule: false);
        }

        var found = await db.Contacts.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.AccountId }).ToListAsync(ct);
        if (found.Count < ids.Count)
        {
            return new ActivityError("contactIds", "contact-not-found", "No such contact.", IsRule: false);
        }

        return found.Any(c => c.AccountId != accountId)
            ? new ActivityError("contactIds", "contact-of-other-account", "A contact belongs to another account; an activity's contacts must be people of its account.", IsRule: true)
            : null;
    }

    private static async Task<ActivityError?> CheckOwnerAsync(KazanDbContext db, CurrentUser me, Guid ownerId, CancellationToken ct)
    {
        if (ownerId == me.UserId)
        {
            return null;
        }

        if (!await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct))
        {
            return new ActivityError("ownerId", "owner-not-found", "No such active user.", IsRule: false);
        }

        return me.RestrictedToOwn
            ? new ActivityError("ownerId", "owner-not-allowed", "A rep who sees only their own records can only plan activities for themselves.", IsRule: true)
            : null;
    }
}
