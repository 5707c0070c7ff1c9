using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Organizations;

/// <summary>
/// The caller's organization's settings that documents and pages work with: the row without its letterhead logo, which
/// may be up to half a megabyte and is read only to print or show it.
/// </summary>
public sealed record OrganizationSettings(
    Guid Id, string Name, string BaseCurrency, string DefaultCulture, string QuotePrefix, string OrderPrefix, int DocumentNumberDigits,
    int QuoteValidityDays, bool WinOnFirstOrder);

/// <summary>Reads about organizations: the caller's settings, and outside a tenant (sign-in and onboarding pages, the onboarding API).</summary>
public static class OrganizationQueries
{
    /// <summary>The caller's organization's settings (see <see cref="OrganizationSettings"/>).</summary>
    public static Task<OrganizationSettings> SettingsAsync(KazanDbContext db, CancellationToken ct) =>
        db.Organizations.AsNoTracking()
            .Select(o => new OrganizationSettings(
                o.Id, o.Name, o.BaseCurrency, o.DefaultCulture, o.QuotePrefix, o.OrderPrefix, o.DocumentNumberDigits, o.QuoteValidityDays, o.WinOnFirstOrder))
            .FirstAsync(ct);

    /// <summary>
    /// Onboarding is open on a fresh installation only, unless <c>Kazan:AllowSignup</c> is true (a hosted
    /// installation where each company signs up itself).
    /// </summary>
    public static async Task<bool> OnboardingIsOpenAsync(KazanDbContext db, IConfiguration configuration, CancellationToken ct) =>
        configuration.GetValue("Kazan:AllowSignup", false) || !await db.Organizations.IgnoreQueryFilters().AnyAsync(ct);
}
