using System.Text.Json;
using Kazan.Features.Organizations;
using Kazan.Features.Search;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kazan.Infrastructure.Auditing;

/// <summary>
/// The one place that bumps aggregate versions and writes audit entries. Both happen inside the SaveChanges
/// that carries the change, so they commit or roll back with it.
/// </summary>
public sealed class AuditInterceptor(TimeProvider clock) : SaveChangesInterceptor
{
    /// <summary>Fields that are secrets or bookkeeping; auditing them would leak or add noise.</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "Version", "PasswordHash", "SecurityStamp", "ConcurrencyStamp", "NormalizedEmail", "NormalizedUserName",
        "TokenHash", "LastUsedAt", "Logo", "Content", "AccessFailedCount", "SearchKey", "NameKey", "CityKey", "ProtectedPassword",
    };

    /// <summary>Enums as their names ("Sent", not 1): the trail must read the same after an enum gains a member.</summary>
    private static readonly JsonSerializerOptions Json = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Stamp(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Stamp(eventData.Context);
        return ValueTask.FromResult(result);
    }

    /// <summary>
    /// Adds to the context what saving its changes must also write: audit entries, search words, history rows and new
    /// versions. SaveChanges calls it; <see cref="BulkInsert"/> calls it before writing new records itself.
    /// </summary>
    public void Stamp(DbContext? context)
    {
        if (context is not KazanDbContext db)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var entries = new List<AuditEntry>();
        foreach (var entry in db.ChangeTracker.Entries().ToList())
        {
            if (entry.Entity is AuditEntry && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Audit entries are append-only.");
            }

            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            if (entry.Entity is IRecordsHistory history && entry.State is EntityState.Added or EntityState.Modified)
            {
                foreach (var row in history.TakeHistory(db.Actor.UserId, now))
                {
                    db.Add(row);
                }
            }

            SearchIndexer.Update(db, entry);

            if (entry.Entity is IVersioned && entry.State == EntityState.Modified)
            {
                var version = entry.Property(nameof(IVersioned.Version));
                version.CurrentValue = (int)version.OriginalValue! + 1;
            }

            if (entry.Entity is SearchEntry or Features.Opportunities.OpportunityEvent or Features.Notifications.Notification or Features.Import.ImportRowError)
            {
                continue; // derived rows (a notification too): the change that produced them is audited already
            }

            if (entry.Entity is Features.Mail.OutboxMail or Features.Mail.OutboxAttachment)
            {
                continue; // the outbox is its own log: every attempt is on the mail's row
            }

            var organizationId = entry.Entity switch
            {
                ITenantEntity t => t.OrganizationId,
                Organization o => o.Id,
                _ => (Guid?)null,
            };
            if (organizationId is null)
            {
                continue;
            }

            var audit = Describe(entry);
            if (audit is null)
            {
                continue;
            }

            entries.Add(new AuditEntry(organizationId.Value, db.Actor.UserId, now, entry.Metadata.ClrType.Name, KeyOf(entry), audit.Value.Action, audit.Value.Changes));
        }

        db.Set<AuditEntry>().AddRange(entries);
    }

    private static (AuditAction Action, string Changes)? Describe(EntityEntry entry)
    {
        var changes = new Dictionary<string, object?[]>(StringComparer.Ordinal);
        foreach (var (name, property) in Fields(entry))
        {
            if (Ignored.Contains(name) || property.Metadata.IsShadowProperty())
            {
                continue;
            }

            switch (entry.State)
            {
                case EntityState.Added when property.CurrentValue is not null:
                    changes[name] = [null, property.CurrentValue];
                    break;
                case EntityState.Deleted when property.OriginalValue is not null:
                    changes[name] = [property.OriginalValue, null];
                    break;
                case EntityState.Modified when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                    changes[name] = [property.OriginalValue, property.CurrentValue];
                    break;
                default:
                    break;
            }
        }

        if (entry.State == EntityState.Modified && changes.Count == 0)
        {
            return null;
        }

        var action = entry.State switch
        {
            EntityState.Added => AuditAction.Insert,
            EntityState.Deleted => AuditAction.Delete,
            _ => AuditAction.Update,
        };
        return (action, JsonSerializer.Serialize(changes, Json));
    }

    /// <summary>
    /// Every stored field of the entry by the name the trail has always used: a plain property by its own name, a
    /// field of a value held as an EF complex type (line terms, a document's currency) by its column's name, so the
    /// trail reads the same as when those figures were separate properties.
    /// </summary>
    private static IEnumerable<(string Name, PropertyEntry Property)> Fields(EntityEntry entry)
    {
        foreach (var property in entry.Properties)
        {
            yield return (property.Metadata.Name, property);
        }

        foreach (var complex in entry.ComplexProperties)
        {
            foreach (var property in complex.Properties)
            {
                yield return (property.Metadata.GetColumnName(), property);
            }
        }
    }

    private static string KeyOf(EntityEntry entry) =>
        string.Join(",", entry.Metadata.FindPrimaryKey()!.Properties.Select(p => entry.Property(p.Name).CurrentValue?.ToString()));
}
