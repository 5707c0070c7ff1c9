using System.Security.Claims;
using Kazan.Features.Users;

namespace Kazan.Infrastructure.Tenancy;

/// <summary>
/// Who is asking, for this request (scoped). Filled from the authenticated principal;
/// the DbContext's query filters read it, so an unset user sees no tenant data at all.
/// </summary>
public sealed class CurrentUser
{
    public Guid? OrganizationId { get; private set; }
    public Guid? UserId { get; private set; }
    public UserRole? Role { get; private set; }

    /// <summary>True when the caller may only see records they own (a rep, unless the organization lets reps see all).</summary>
    public bool RestrictedToOwn { get; private set; }

    /// <summary>The organization's time zone (null: not known, e.g. no organization yet; see OrganizationTime).</summary>
    public TimeZoneInfo? TimeZone { get; private set; }

    public bool IsAuthenticated => UserId is not null;

    public Guid RequiredUserId => UserId ?? throw new InvalidOperationException("No signed-in user.");
    public Guid RequiredOrganizationId => OrganizationId ?? throw new InvalidOperationException("No organization.");

    public void Set(Guid organizationId, Guid userId, UserRole role, bool repsSeeAll, TimeZoneInfo? timeZone = null)
    {
        TimeZone = timeZone;
        OrganizationId = organizationId;
        UserId = userId;
        Role = role;
        RestrictedToOwn = role == UserRole.Rep && !repsSeeAll;
    }

    /// <summary>
    /// An anonymous visitor of one organization's public page (the online quote): the organization's rows are visible
    /// to the code serving that page, no user is signed in, and changes are recorded as made by the system.
    /// </summary>
    public void SetVisitor(Guid organizationId, TimeZoneInfo? timeZone)
    {
        TimeZone = timeZone;
        OrganizationId = organizationId;
        UserId = null;
        Role = null;
        RestrictedToOwn = false;
    }

    public static (Guid OrganizationId, Guid UserId, UserRole Role)? ReadClaims(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        var org = principal.FindFirstValue(KazanClaims.OrganizationId);
        var user = principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var role = principal.FindFirstValue(ClaimTypes.Role);
        if (Guid.TryParse(org, out var orgId) && Guid.TryParse(user, out var userId) && Enum.TryParse<UserRole>(role, out var r))
        {
            return (orgId, userId, r);
        }

        return null;
    }
}

public static class KazanClaims
{
    public const string OrganizationId = "kazan:org";
    public const string Culture = "kazan:culture";
    public const string DisplayName = "kazan:name";
}
