using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Users;

/// <summary>
/// A one-time link with which a user sets a new password (decision record 0012). Only the hash of its secret is stored;
/// it expires, works once, and a newer link for the same user (or any password change) supersedes it.
/// </summary>
public sealed class PasswordReset : ITenantEntity
{
    /// <summary>A link the user asked for by mail: short, since it travels through mailboxes.</summary>
    public static readonly TimeSpan RequestedLifetime = TimeSpan.FromHours(1);

    /// <summary>A link an admin made to hand over in person or by phone: the handing over takes longer.</summary>
    public static readonly TimeSpan AdminLifetime = TimeSpan.FromHours(24);

    private PasswordReset()
    {
        TokenHash = "";
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid UserId { get; private set; }
    public string TokenHash { get; private set; }

    /// <summary>The admin who made the link, or null when the user asked for it.</summary>
    public Guid? CreatedBy { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? UsedAt { get; private set; }

    /// <summary>When a newer link or a password change made this one worthless.</summary>
    public DateTimeOffset? SupersededAt { get; private set; }

    public static (PasswordReset Reset, string Token) Create(User user, Guid? createdBy, DateTimeOffset now)
    {
        var token = SecretTokens.New("pwr_");
        var reset = new PasswordReset
        {
            Id = Guid.CreateVersion7(),
            OrganizationId = user.OrganizationId,
            UserId = user.Id,
            TokenHash = SecretTokens.Hash(token),
            CreatedBy = createdBy,
            CreatedAt = now,
            ExpiresAt = now + (createdBy is null ? RequestedLifetime : AdminLifetime),
        };
        return (reset, token);
    }

    public bool IsUsable(DateTimeOffset now) => UsedAt is null && SupersededAt is null && now < ExpiresAt;

    /// <summary>A newer link or a password change makes an unused link worthless.</summary>
    public void Supersede(DateTimeOffset now)
    {
        if (UsedAt is null)
        {
            SupersededAt ??= now;
        }
    }
}
