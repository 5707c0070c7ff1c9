using Kazan.Infrastructure.Errors;
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

    /// <summary>The user's own setting: "e-mail me a copy of notifications" (NotificationCommands.Notify honours it).</summary>
    public bool EmailNotificationCopies { get; set; }

    /// <summary>False once an admin deactivated the user: no sign-in, no session, no API token works.</summary>
    public bool IsActive { get; private set; } = true;

    /// <summary>When the password was last changed or reset (audited; null: never since the account was made).</summary>
    public DateTimeOffset? PasswordChangedAt { get; private set; }

    public int Version { get; private set; }

    /// <summary>An admin may not demote or deactivate themselves: the organization must always keep an admin.</summary>
    public static bool WouldRemoveOwnAdmin(Guid userId, Guid actingUserId, UserRole role, bool isActive) =>
        userId == actingUserId && (role != UserRole.Admin || !isActive);

    /// <summary>True when this change would leave the organization without an active admin.</summary>
    public bool WouldRemoveLastAdmin(UserRole role, bool isActive, bool anotherActiveAdminExists) =>
        Role == UserRole.Admin && IsActive && (role != UserRole.Admin || !isActive) && !anotherActiveAdminExists;

    /// <summary>
    /// An admin's change to a user. A changed role or access renews the security stamp, which ends every signed-in
    /// session of the user on its next request (the cookie check compares stamps); they sign in again with the new role.
    /// Deactivation also locks the account, so no sign-in path lets them in; reactivation lifts that lock.
    /// </summary>
    public void ChangeAccess(string displayName, UserRole role, Guid? teamId, bool isActive, Guid actingUserId, bool anotherActiveAdminExists)
    {
        if (WouldRemoveOwnAdmin(Id, actingUserId, role, isActive))
        {
            throw new DomainRuleException("You cannot demote or deactivate yourself; another admin must do it.", "user.self-demotion");
        }

        if (WouldRemoveLastAdmin(role, isActive, anotherActiveAdminExists))
        {
            throw new DomainRuleException("The organization must keep at least one active admin.", "user.last-admin");
        }

        var roleOrAccessChanged = Role != role || IsActive != isActive;
        var reactivated = !IsActive && isActive;
        DisplayName = displayName.Trim();
        Role = role;
        TeamId = teamId;
        IsActive = isActive;
        if (!isActive)
        {
            LockoutEnd = DateTimeOffset.MaxValue;
        }
        else if (reactivated)
        {
            LockoutEnd = null;
            AccessFailedCount = 0;
        }

        if (roleOrAccessChanged)
        {
            SecurityStamp = Guid.NewGuid().ToString("N");
        }
    }

    /// <summary>Records a password change or reset (Identity has set the new hash and renewed the security stamp).</summary>
    public void PasswordChanged(DateTimeOffset now)
    {
        PasswordChangedAt = now;
        if (IsActive)
        {
            // A reset is the way back in after too many wrong guesses.
            LockoutEnd = null;
            AccessFailedCount = 0;
        }
    }
}
