using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.ApiTokens;

/// <summary>A personal API token (bearer). Only its SHA-256 hash is stored; the token itself is shown once.</summary>
public sealed class ApiToken : ITenantEntity
{
    private ApiToken()
    {
        Name = "";
        Prefix = "";
        TokenHash = "";
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid UserId { get; private set; }
    public string Name { get; private set; }

    /// <summary>The first characters of the token, so a user can tell tokens apart.</summary>
    public string Prefix { get; private set; }

    public string TokenHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static (ApiToken Token, string Secret) Create(Guid organizationId, Guid userId, string name, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var secret = SecretTokens.New("kzn_");
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = organizationId,
            UserId = userId,
            Name = name.Trim(),
            Prefix = secret[..10],
            TokenHash = SecretTokens.Hash(secret),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        return (token, secret);
    }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && IsUnexpired(ExpiresAt, now);

    /// <summary>A token with no expiry never expires; one with an expiry works until that moment, not at it.</summary>
    public static bool IsUnexpired(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is null || now < expiresAt;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
