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
    public static IQueryable<OpportunityEvent> AsOf(KazanDbContext db, DateTimeOffset at) =>
        db.OpportunityEvents.Where(e => e.At <= at && (e.Until == null || e.Until > at)
            && db.Opportunities.Any(o => o.Id == e.OpportunityId));
}
