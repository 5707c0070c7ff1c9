using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;

namespace Kazan.Features.Users;

public enum UserRole
{
    Admin,
    Manager,
    Rep,
}

/// <summary>
/// A person who signs in. E-mail addresses are unique across the installation: one e-mail, one organization,
/// so sign-in needs no organization picker.
/// </summary>
public sealed class User : IdentityUser<Guid>, ITenantEntity, IVersioned
{
    private User()
    {
        DisplayName = "";
    }

    public User(Guid organizationId, string email, string displayName, UserRole role, string culture)
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Email = email.Trim();
        UserName = Email;
        DisplayName = displayName.Trim();
        Role = role;
        Culture = culture;
        SecurityStamp = Guid.NewGuid().ToString("N");
    }

    public Guid OrganizationId { get; private set; }
    public string DisplayName { get; set; }
    public UserRole Role { get; set; }
    public Guid? TeamId { get; set; }

    /// <summary>UI language and formatting culture, e.g. tr-TR or en-US.</summary>
    public string Culture { get; set; } = "tr-TR";

    public bool IsActive { get; set; } = true;
    public int Version { get; private set; }

    /// <summary>An admin may not demote or deactivate themselves: the organization must always keep an admin.</summary>
    public static bool WouldRemoveOwnAdmin(Guid userId, Guid actingUserId, UserRole role, bool isActive) =>
        userId == actingUserId && (role != UserRole.Admin || !isActive);

    /// <summary>
    /// An admin's change to a user. A changed role or access renews the security stamp, so the user's signed-in sessions
    /// are re-validated within a minute and pick up the new role, or end.
    /// </summary>
    public void ChangeAccess(string displayName, UserRole role, Guid? teamId, bool isActive, Guid actingUserId)
    {
        if (WouldRemoveOwnAdmin(Id, actingUserId, role, isActive))
        {
            throw new Infrastructure.Errors.DomainRuleException("You cannot demote or deactivate yourself; another admin must do it.", "user.self-demotion");
        }

        var roleOrAccessChanged = Role != role || IsActive != isActive;
        DisplayName = displayName.Trim();
        Role = role;
        TeamId = teamId;
        IsActive = isActive;
        LockoutEnd = isActive ? null : DateTimeOffset.MaxValue;
        if (roleOrAccessChanged)
        {
            SecurityStamp = Guid.NewGuid().ToString("N");
        }
    }
}
