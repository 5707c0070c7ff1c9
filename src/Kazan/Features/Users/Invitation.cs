using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Users;

/// <summary>
/// An admin's invitation: a one-time link (the secret is shown once, only its hash is stored)
/// with which the invitee sets a password and joins the organization.
/// </summary>
public sealed class Invitation : ITenantEntity
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    private Invitation()
    {
        Email = "";
        TokenHash = "";
    }

    private Invitation(Guid organizationId, string email, UserRole role, Guid? teamId, Guid invitedBy, string tokenHash, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Email = email.Trim();
        Role = role;
        TeamId = teamId;
        InvitedBy = invitedBy;
        TokenHash = tokenHash;
        CreatedAt = now;
        ExpiresAt = now + Lifetime;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Email { get; private set; }
    public UserRole Role { get; private set; }
    public Guid? TeamId { get; private set; }
    public Guid InvitedBy { get; private set; }
    public string TokenHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public static (Invitation Invitation, string Token) Create(Guid organizationId, string email, UserRole role, Guid? teamId, Guid invitedBy, DateTimeOffset now)
    {
        var token = SecretTokens.New("inv_");
        return (new Invitation(organizationId, email, role, teamId, invitedBy, SecretTokens.Hash(token), now), token);
    }

    public bool IsUsable(DateTimeOffset now) => AcceptedAt is null && RevokedAt is null && now < ExpiresAt;

    public void Accept(DateTimeOffset now)
    {
        if (!IsUsable(now))
        {
            throw new DomainRuleException("This invitation has expired, was revoked or was already used. Ask your admin for a new one.", "invitation.unusable");
        }

        AcceptedAt = now;
    }

    public void Revoke(DateTimeOffset now)
    {
        if (AcceptedAt is not null)
        {
            throw new DomainRuleException("This invitation was already accepted.", "invitation.accepted");
        }

        RevokedAt ??= now;
    }
}
