namespace Kazan.Infrastructure.Tenancy;

/// <summary>
/// A service scope (so a DbContext) of its own, acting as the same caller. Components that other pages host
/// (<c>ActivityPanel</c>, <c>TimelineView</c>) load their data while the host page may still be awaiting its own
/// queries; one DbContext must never run two queries at once, so they use their own.
/// </summary>
public static class CallerScope
{
    public static AsyncServiceScope Create(IServiceScopeFactory scopes, CurrentUser caller)
    {
        var scope = scopes.CreateAsyncScope();
        if (caller is { OrganizationId: { } organizationId, UserId: { } userId, Role: { } role })
        {
            // RestrictedToOwn is "a rep whose organization does not let reps see all": the same flag goes across.
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(organizationId, userId, role, repsSeeAll: !caller.RestrictedToOwn, caller.TimeZone);
        }

        return scope;
    }
}
