using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Search;

/// <summary>Each user's named filters per list: the writes, for the API and the list pages. Nobody else sees or changes them.</summary>
public static class SavedFilterCommands
{
    private const string What = "Saved filter";

    public static Task<Outcome<SavedFilter>> CreateAsync(KazanDbContext db, CurrentUser me, string area, string name, string query, CancellationToken ct) =>
        UseCase.RunAsync<SavedFilter>(db, async () =>
        {
            if (!SavedFilter.Areas.Contains(area))
            {
                return Outcome.Invalid("Area", $"Area must be one of {string.Join(", ", SavedFilter.Areas)}.", "filter.area");
            }

            if (await NameTakenAsync(db, me, area, name, null, ct) is { } taken)
            {
                return taken;
            }

            var filter = new SavedFilter(me.RequiredOrganizationId, me.RequiredUserId, area, name.Trim(), query);
            db.SavedFilters.Add(filter);
            await db.SaveChangesAsync(ct);
            return filter;
        });

    /// <summary>Renames the filter or changes its query.</summary>
    public static Task<Outcome<SavedFilter>> UpdateAsync(KazanDbContext db, CurrentUser me, Guid id, int version, string name, string query, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Mine(db, me, id, ct), What, version, async filter =>
        {
            if (await NameTakenAsync(db, me, filter.Area, name, id, ct) is { } taken)
            {
                return taken;
            }

            filter.Update(name.Trim(), query);
            return null;
        }, ct);

    public static Task<Outcome<SavedFilter>> DeleteAsync(KazanDbContext db, CurrentUser me, Guid id, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => Mine(db, me, id, ct), What, null, f => db.SavedFilters.Remove(f), ct);

    /// <summary>Saves a new filter, or replaces the query of the caller's filter with the same name in the area (the list pages' "save this view").</summary>
    public static Task<Outcome<SavedFilter>> SaveAsync(KazanDbContext db, CurrentUser me, string area, string name, string query, CancellationToken ct) =>
        UseCase.RunAsync<SavedFilter>(db, async () =>
        {
            var trimmed = name.Trim();
            var existing = await db.SavedFilters.FirstOrDefaultAsync(f => f.UserId == me.RequiredUserId && f.Area == area && f.Name == trimmed, ct);
            if (existing is null)
            {
                existing = new SavedFilter(me.RequiredOrganizationId, me.RequiredUserId, area, trimmed, query);
                db.SavedFilters.Add(existing);
            }
            else
            {
                existing.Update(trimmed, query);
            }

            await db.SaveChangesAsync(ct);
            return existing;
        });

    private static Task<SavedFilter?> Mine(KazanDbContext db, CurrentUser me, Guid id, CancellationToken ct) =>
        db.SavedFilters.FirstOrDefaultAsync(f => f.Id == id && f.UserId == me.RequiredUserId, ct);

    private static async Task<Failure?> NameTakenAsync(KazanDbContext db, CurrentUser me, string area, string name, Guid? self, CancellationToken ct)
    {
        var trimmed = name.Trim();
        return await db.SavedFilters.AnyAsync(f => f.UserId == me.RequiredUserId && f.Area == area && f.Name == trimmed && f.Id != self, ct)
            ? Outcome.Invalid("Name", "You have a filter with this name.", "filter.name-taken")
            : null;
    }
}
