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
}
