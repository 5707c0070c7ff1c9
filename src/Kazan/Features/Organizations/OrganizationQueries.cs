using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Organizations;

/// <summary>Reads about organizations outside a tenant (sign-in and onboarding pages, the onboarding API).</summary>
public static class OrganizationQueries
{
    /// <summary>
    /// Onboarding is open on a fresh installation only, unless <c>Kazan:AllowSignup</c> is true (a hosted
    /// installation where each company signs up itself).
    /// </summary>
    public static async Task<bool> OnboardingIsOpenAsync(KazanDbContext db, IConfiguration configuration, CancellationToken ct) =>
        configuration.GetValue("Kazan:AllowSignup", false) || !await db.Organizations.IgnoreQueryFilters().AnyAsync(ct);
}
