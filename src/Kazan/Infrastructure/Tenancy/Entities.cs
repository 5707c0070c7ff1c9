namespace Kazan.Infrastructure.Tenancy;

/// <summary>A row that belongs to exactly one organization; the tenant query filter applies to it.</summary>
public interface ITenantEntity
{
    Guid OrganizationId { get; }
}

/// <summary>A row with an owner (a user): what the owner and team filters of lists, the board and reports read.</summary>
public interface IOwned
{
    Guid OwnerId { get; }
}

/// <summary>A record with an owner; reps see only what they own unless the organization allows all.</summary>
public interface IOwnedEntity : ITenantEntity, IOwned;

/// <summary>An aggregate root: its Version is the optimistic concurrency token and the API's ETag.</summary>
public interface IVersioned
{
    int Version { get; }
}

/// <summary>An aggregate that keeps history rows; the audit interceptor saves them with the change that caused them.</summary>
public interface IRecordsHistory
{
    /// <summary>
    /// The history rows of the change about to be saved by <paramref name="actorId"/> (null: the system) at
    /// <paramref name="now"/>; the aggregate forgets them once taken.
    /// </summary>
    IEnumerable<object> TakeHistory(Guid? actorId, DateTimeOffset now);

    /// <summary>Called when the aggregate is read from the database: the state history is recorded against.</summary>
    void Loaded();
}
