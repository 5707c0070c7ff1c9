using System.Collections.Concurrent;
using Kazan.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Kazan.Features.Search;

/// <summary>
/// Keeps <see cref="SearchEntry"/> rows in step with searchable records inside the same SaveChanges. The old words
/// come from the tracked original values, so no query is needed: only words that changed are inserted or deleted.
/// </summary>
public static class SearchIndexer
{
    private static readonly ConcurrentDictionary<Type, string[]> PropertiesByType = new();

    public static void Update(DbContext db, EntityEntry entry)
    {
        if (entry.Entity is not ISearchable searchable || entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            return;
        }

        var type = entry.Metadata.ClrType;
        var properties = PropertiesByType.GetOrAdd(type, t => (string[])t.GetProperty(nameof(ISearchable.SearchProperties))!.GetValue(null)!);
        var entityType = type.Name;

        var oldWords = entry.State == EntityState.Added
            ? []
            : TurkishText.Words(properties.Select(p => entry.Property(p).OriginalValue as string).ToArray()).ToHashSet();
        var newWords = entry.State == EntityState.Deleted
            ? []
            : TurkishText.Words(properties.Select(p => entry.Property(p).CurrentValue as string).ToArray()).ToHashSet();
        var oldOwner = entry.State == EntityState.Added ? searchable.OwnerId : (Guid)entry.Property(nameof(ISearchable.OwnerId)).OriginalValue!;
        var ownerChanged = oldOwner != searchable.OwnerId;

        foreach (var word in oldWords)
        {
            if (!newWords.Contains(word))
            {
                db.Entry(new SearchEntry(searchable.OrganizationId, oldOwner, entityType, searchable.Id, word)).State = EntityState.Deleted;
            }
            else if (ownerChanged)
            {
                var kept = new SearchEntry(searchable.OrganizationId, oldOwner, entityType, searchable.Id, word);
                var tracked = db.Entry(kept);
                tracked.State = EntityState.Unchanged;
                tracked.Property(nameof(SearchEntry.OwnerId)).CurrentValue = searchable.OwnerId;
                tracked.Property(nameof(SearchEntry.OwnerId)).IsModified = true;
            }
        }

        foreach (var word in newWords.Where(w => !oldWords.Contains(w)))
        {
            db.Add(new SearchEntry(searchable.OrganizationId, searchable.OwnerId, entityType, searchable.Id, word));
        }
    }
}
