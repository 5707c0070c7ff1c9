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
    /// <remarks>
    /// Deals are never deleted, so every event of the organization belongs to a deal: a caller who sees every deal needs
    /// no probe of each event's deal (at 1M deals that probe was most of the pipeline report as of a moment: 5.8 s of a
    /// 5.9 s request on SQLite). A rep's events are kept to the deals the lists' visibility lets them see now.
    /// </remarks>
    public static IQueryable<OpportunityEvent> AsOf(KazanDbContext db, DateTimeOffset at) =>
        db.Actor.RestrictedToOwn ? Spanning(db, at).Where(e => db.Opportunities.Any(o => o.Id == e.OpportunityId)) : Spanning(db, at);

    /// <summary>
    /// The events whose span holds <paramref name="at"/>, of every deal of the organization: only for a query that keeps
    /// the deals it reads from the visible ones itself (a probe of each event's deal here would cost one lookup per event
    /// of the range).
    /// </summary>
    public static IQueryable<OpportunityEvent> Spanning(KazanDbContext db, DateTimeOffset at) =>
        db.OpportunityEvents.Where(e => e.At <= at && (e.Until == null || e.Until > at));
}
