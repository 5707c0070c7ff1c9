using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Search;

/// <summary>Reads of a user's own saved filters (the API and the list pages); nobody sees another user's.</summary>
public static class SavedFilterQueries
{
    /// <summary>Per user and area; a bounded list.</summary>
    public const int MaxPerArea = 100;

    /// <summary>The user's filters of an area, by name.</summary>
    public static Task<List<SavedFilterResponse>> MineAsync(KazanDbContext db, Guid userId, string area, CancellationToken ct) =>
        db.SavedFilters.AsNoTracking().Where(f => f.UserId == userId && f.Area == area)
            .OrderBy(f => f.Name).ThenBy(f => f.Id).Take(MaxPerArea)
            .Select(f => new SavedFilterResponse(f.Id, f.Area, f.Name, f.Query, f.Version)).ToListAsync(ct);

    /// <summary>One of the user's filters, or null (another user's filter is not found).</summary>
    public static Task<SavedFilter?> FindMineAsync(KazanDbContext db, Guid id, Guid userId, CancellationToken ct) =>
        db.SavedFilters.AsNoTracking().FirstOrDefaultAsync(f => f.Id == id && f.UserId == userId, ct);
}
