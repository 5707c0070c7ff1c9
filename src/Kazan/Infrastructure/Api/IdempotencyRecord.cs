using Kazan.Infrastructure.Tenancy;

namespace Kazan.Infrastructure.Api;

/// <summary>The first response to a POST carrying an Idempotency-Key; a retry with the same key replays it.</summary>
public sealed class IdempotencyRecord : ITenantEntity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; set; }
    public Guid UserId { get; set; }
    public string Key { get; set; } = "";

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public string RequestHash { get; set; } = "";

    /// <summary>Null while the first request is still running.</summary>
    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[]? Body { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
