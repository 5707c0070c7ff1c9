namespace Kazan.Infrastructure.Auditing;

public enum AuditAction
{
    Insert,
    Update,
    Delete,
}

/// <summary>
/// One change to one record: who, when, which fields, old → new (JSON). Written by <see cref="AuditInterceptor"/>
/// in the same SaveChanges as the change; never updated or deleted afterwards.
/// </summary>
public sealed class AuditEntry : Kazan.Infrastructure.Tenancy.ITenantEntity
{
    private AuditEntry()
    {
        EntityType = "";
        EntityId = "";
        Changes = "{}";
    }

    public AuditEntry(Guid organizationId, Guid? userId, DateTimeOffset at, string entityType, string entityId, AuditAction action, string changes)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        UserId = userId;
        At = at;
        EntityType = entityType;
        EntityId = entityId;
        Action = action;
        Changes = changes;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid? UserId { get; private set; }
    public DateTimeOffset At { get; private set; }
    public string EntityType { get; private set; }
    public string EntityId { get; private set; }
    public AuditAction Action { get; private set; }

    /// <summary>JSON object: field name → [old, new].</summary>
    public string Changes { get; private set; }
}
