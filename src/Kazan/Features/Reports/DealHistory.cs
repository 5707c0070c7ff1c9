using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Data;

namespace Kazan.Features.Reports;

/// <summary>
/// The pipeline as it stood at any past moment, exactly, from the deals' own history: each deal's state is the one its
/// last event at or before that moment left it in (<see cref="OpportunityEvent.State"/>) — the event whose span
/// (<see cref="EventValidity"/>) holds the moment; a deal created later is not there. Events of the same instant are
/// ordered by the deal's version they were saved with. Visibility is today's: a rep sees the past of the deals they may
/// see now.
/// </summary>
public static class DealHistory
{
    /// <summary>The state at <paramref name="at"/> of each deal the caller may see now.</summary>
    public static IQueryable<OpportunityEvent> AsOf(KazanDbContext db, DateTimeOffset at) =>
        Spanning(db, at).Where(e => db.Opportunities.Any(o => o.Id == e.OpportunityId));

    /// <summary>
    /// The events whose span holds <paramref name="at"/>, of every deal of the organization, deleted ones included:
    /// only for a query that keeps the deals it reads from the visible ones itself (a probe of each event's deal here
    /// would cost one lookup per event of the range).
    /// </summary>
    public static IQueryable<OpportunityEvent> Spanning(KazanDbContext db, DateTimeOffset at) =>
        db.OpportunityEvents.Where(e => e.At <= at && (e.Until == null || e.Until > at));
}
