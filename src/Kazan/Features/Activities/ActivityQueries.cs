using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Activities;

/// <summary>An activity as the API and the pages show it (names resolved, the overdue flag computed in the user's day).</summary>
public sealed record ActivityResponse(
    Guid Id,
    ActivityKind Kind,
    string Subject,
    string? Notes,
    ActivityOutcome? Outcome,
    Guid AccountId,
    string? AccountName,
    Guid? OpportunityId,
    string? OpportunityTitle,
    IReadOnlyList<Guid> ContactIds,
    Guid OwnerId,
    string? OwnerName,
    DateTimeOffset? DueAt,
    bool Done,
    DateTimeOffset? DoneAt,
    bool Overdue,
    DateTimeOffset CreatedAt,
    int Version);

/// <summary>The earliest-due open activity of an opportunity (see <see cref="ActivityQueries.NextForOpportunitiesAsync"/>).</summary>
public sealed record NextActivity(Guid Id, Guid OpportunityId, ActivityKind Kind, string Subject, DateTimeOffset? DueAt, Guid OwnerId);

/// <summary>List filters; every one is optional and they combine with AND.</summary>
public sealed record ActivityFilter(
    Guid? AccountId = null,
    Guid? OpportunityId = null,
    Guid? OwnerId = null,
    bool? Done = null,
    DateTimeOffset? DueFrom = null,
    DateTimeOffset? DueTo = null,
    bool? Overdue = null);

/// <summary>The caller's overdue and today's open activities. <see cref="Date"/> is the user's today (the organization's, see <see cref="OrganizationTime"/>).</summary>
public sealed record MyDayResponse(DateOnly Date, string TimeZone, IReadOnlyList<ActivityResponse> Overdue, IReadOnlyList<ActivityResponse> Today, bool MoreOverdue);

/// <summary>
/// Reads of activities shared by the API, the pages and other features. All go through the global filters: a rep
/// restricted to own records sees only the activities they own.
/// </summary>
public static class ActivityQueries
{
    /// <summary>My day shows at most this many overdue (oldest first) and today's activities.</summary>
    public const int MyDayLimit = 100;

    /// <summary>Projects activities to responses in one SQL query (names by correlated subqueries, contacts by a join).</summary>
    public static IQueryable<ActivityResponse> ToResponses(this IQueryable<Activity> query, KazanDbContext db, DateTimeOffset startOfToday) =>
        query.Select(a => new ActivityResponse(
            a.Id,
            a.Kind,
            a.Subject,
            a.Notes,
            a.Outcome,
            a.AccountId,
            db.Accounts.Where(x => x.Id == a.AccountId).Select(x => x.Name).FirstOrDefault(),
            a.OpportunityId,
            db.Opportunities.Where(o => o.Id == a.OpportunityId).Select(o => o.Title).FirstOrDefault(),
            a.Contacts.Select(c => c.ContactId).ToList(),
            a.OwnerId,
            db.Users.Where(u => u.Id == a.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
            a.DueAt,
            a.Done,
            a.DoneAt,
            !a.Done && a.DueAt != null && a.DueAt < startOfToday,
            a.CreatedAt,
            a.Version));

    public static Task<ActivityResponse?> GetAsync(KazanDbContext db, Guid id, OrganizationTime time, CancellationToken ct) =>
        db.Activities.AsNoTracking().Where(a => a.Id == id)
            .ToResponses(db, time.StartOf(time.Today))
            .FirstOrDefaultAsync(ct);

    /// <summary>
    /// A page of activities, by due time (earliest first, ties by id), then the undated ones (by id). Keyset cursor:
    /// ("d", due ticks, id) while in the dated part, ("n", id) in the undated tail. Filters ride the (org, owner, done, due),
    /// (org, account, created) and (org, opportunity, done, due) indexes.
    /// </summary>
    public static async Task<Page<ActivityResponse>> ListAsync(KazanDbContext db, ActivityFilter filter, int limit, string? cursor, OrganizationTime time, CancellationToken ct)
    {
        var startOfToday = time.StartOf(time.Today);
        var query = db.Activities.AsNoTracking();
        if (filter.AccountId is { } accountId)
        {
            query = query.Where(a => a.AccountId == accountId);
        }

        if (filter.OpportunityId is { } opportunityId)
        {
            query = query.Where(a => a.OpportunityId == opportunityId);
        }

        if (filter.OwnerId is { } ownerId)
        {
            query = query.Where(a => a.OwnerId == ownerId);
        }

        if (filter.Done is { } done)
        {
            query = query.Where(a => a.Done == done);
        }

        if (filter.DueFrom?.ToUniversalTime() is { } from)
        {
            query = query.Where(a => a.DueAt >= from);
        }

        if (filter.DueTo?.ToUniversalTime() is { } to)
        {
            query = query.Where(a => a.DueAt < to);
        }

        if (filter.Overdue is { } overdue)
        {
            query = overdue
                ? query.Where(a => !a.Done && a.DueAt != null && a.DueAt < startOfToday)
                : query.Where(a => a.Done || a.DueAt == null || a.DueAt >= startOfToday);
        }

        // Two index-friendly reads instead of one "ORDER BY due IS NULL": the dated part by (due, id), then, when the
        // page is not full, the undated tail by id.
        var dated = query.Where(a => a.DueAt != null);
        var undated = query.Where(a => a.DueAt == null);
        var rows = new List<ActivityResponse>();
        var position = Cursor.Decode(cursor);
        if (position is ["n", var undatedId] && Guid.TryParse(undatedId, out var afterUndated))
        {
            undated = undated.Where(a => a.Id.CompareTo(afterUndated) > 0);
        }
        else
        {
            if (position is ["d", var ticksText, var datedId] && long.TryParse(ticksText, out var ticks) && Guid.TryParse(datedId, out var afterDated))
            {
                var due = new DateTimeOffset(ticks, TimeSpan.Zero);
                dated = dated.After(db, a => a.DueAt, due, afterDated);
            }

            rows.AddRange(await dated.OrderBy(a => a.DueAt).ThenBy(a => a.Id).Take(limit + 1).ToResponses(db, startOfToday).ToListAsync(ct));
        }

        if (rows.Count <= limit)
        {
            rows.AddRange(await undated.OrderBy(a => a.Id).Take(limit + 1 - rows.Count).ToResponses(db, startOfToday).ToListAsync(ct));
        }

        return Paging.ToPage(rows, limit, a => a.DueAt is { } d ? Cursor.Encode("d", d.UtcTicks, a.Id) : Cursor.Encode("n", a.Id));
    }

    /// <summary>
    /// The user's day: open activities they own that were due before today (overdue, oldest first) and those due today,
    /// in the organization's zone (<see cref="OrganizationTime"/>). Undated activities are in neither list.
    /// </summary>
    public static async Task<MyDayResponse> MyDayAsync(KazanDbContext db, Guid userId, OrganizationTime time, CancellationToken ct)
    {
        var today = time.Today;
        var start = time.StartOf(today);
        var end = time.StartOf(today.AddDays(1));
        var open = db.Activities.AsNoTracking().Where(a => a.OwnerId == userId && !a.Done);

        var overdue = await open.Where(a => a.DueAt < start)
            .OrderBy(a => a.DueAt).ThenBy(a => a.Id).Take(MyDayLimit + 1)
            .ToResponses(db, start).ToListAsync(ct);
        var todays = await open.Where(a => a.DueAt >= start && a.DueAt < end)
            .OrderBy(a => a.DueAt).ThenBy(a => a.Id).Take(MyDayLimit)
            .ToResponses(db, start).ToListAsync(ct);
        var more = overdue.Count > MyDayLimit;
        if (more)
        {
            overdue.RemoveAt(MyDayLimit);
        }

        return new MyDayResponse(today, time.Zone.Id, overdue, todays, more);
    }

    /// <summary>How many overdue and today's open activities the user has (for the home page); counts ride the owner/done/due index.</summary>
    public static async Task<(int Overdue, int Today)> MyDayCountsAsync(KazanDbContext db, Guid userId, OrganizationTime time, CancellationToken ct)
    {
        var today = time.Today;
        var start = time.StartOf(today);
        var end = time.StartOf(today.AddDays(1));
        var open = db.Activities.AsNoTracking().Where(a => a.OwnerId == userId && !a.Done);
        return (await open.CountAsync(a => a.DueAt < start, ct), await open.CountAsync(a => a.DueAt >= start && a.DueAt < end, ct));
    }

    /// <summary>Open activities of an account (optionally of one of its opportunities), earliest due first.</summary>
    public static Task<List<ActivityResponse>> OpenAsync(KazanDbContext db, Guid accountId, Guid? opportunityId, int take, OrganizationTime time, CancellationToken ct)
    {
        var start = time.StartOf(time.Today);
        return Scope(db, accountId, opportunityId).Where(a => !a.Done)
            .OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.Id).Take(take)
            .ToResponses(db, start).ToListAsync(ct);
    }

    /// <summary>The most recently done activities of an account (optionally of one of its opportunities).</summary>
    public static Task<List<ActivityResponse>> RecentlyDoneAsync(KazanDbContext db, Guid accountId, Guid? opportunityId, int take, OrganizationTime time, CancellationToken ct)
    {
        var start = time.StartOf(time.Today);
        return Scope(db, accountId, opportunityId).Where(a => a.Done)
            .OrderByDescending(a => a.DoneAt).ThenByDescending(a => a.Id).Take(take)
            .ToResponses(db, start).ToListAsync(ct);
    }

    /// <summary>
    /// For opportunity lists, boards and pages: the next activity of each given opportunity — its open activity with
    /// the earliest due time (undated ones only when none is dated; ties by id). One SQL query for any number of ids
    /// (a window function per opportunity); opportunities without an open activity are absent from the result.
    /// Subject to the filters like every query: a rep restricted to own records sees only their own activities.
    /// </summary>
    public static async Task<Dictionary<Guid, NextActivity>> NextForOpportunitiesAsync(KazanDbContext db, IEnumerable<Guid> opportunityIds, CancellationToken ct)
    {
        var ids = opportunityIds.Distinct().Select(id => (Guid?)id).ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var rows = await db.Activities.AsNoTracking()
            .Where(a => ids.Contains(a.OpportunityId) && !a.Done)
            .GroupBy(a => a.OpportunityId)
            .Select(g => g.OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.Id).First())
            .ToListAsync(ct);
        return rows.ToDictionary(a => a.OpportunityId!.Value, a => new NextActivity(a.Id, a.OpportunityId!.Value, a.Kind, a.Subject, a.DueAt, a.OwnerId));
    }

    private static IQueryable<Activity> Scope(KazanDbContext db, Guid accountId, Guid? opportunityId)
    {
        var query = db.Activities.AsNoTracking().Where(a => a.AccountId == accountId);
        return opportunityId is { } o ? query.Where(a => a.OpportunityId == o) : query;
    }
}
