using System.ComponentModel.DataAnnotations;
using Kazan.Features.Users;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Organizations;

public sealed record OnboardingRequest(
    [Required, StringLength(200, MinimumLength = 1)] string OrganizationName,
    [Required, StringLength(3, MinimumLength = 3)] string BaseCurrency,
    [Required, StringLength(10)] string Culture,
    [Required, StringLength(100, MinimumLength = 1)] string AdminName,
    [Required, EmailAddress, StringLength(254)] string AdminEmail,
    [Required, StringLength(200, MinimumLength = 1)] string AdminPassword);

/// <summary>The organization's settings use cases (admin), for the API and the settings page.</summary>
public static class OrganizationCommands
{
    private const string What = "Organization";

    /// <summary>
    /// Saves the settings. The optional ones (numbering, quote validity, first order wins, time zone) keep their value
    /// when not sent. Field checks in one place: a known currency, a supported culture, a known time zone, an e-mail
    /// address that is one (blank means none). The cached settings of the organization are forgotten after the save.
    /// </summary>
    public static async Task<Outcome<Organization>> UpdateSettingsAsync(
        KazanDbContext db, IServiceProvider services, int version, UpdateOrganizationRequest settings, CancellationToken ct)
    {
        var outcome = await UseCase.ChangeAsync(db, () => db.Organizations.FirstOrDefaultAsync(ct), What, version, org =>
        {
            if (Check(settings) is { } invalid)
            {
                return Task.FromResult<Failure?>(invalid);
            }

            org.Rename(settings.Name);
            org.SetBaseCurrency(settings.BaseCurrency);
            org.SetDefaultCulture(settings.DefaultCulture);
            org.RepsSeeAll = settings.RepsSeeAll;
            org.Address = settings.Address;
            org.TaxOffice = settings.TaxOffice;
            org.TaxNumber = settings.TaxNumber;
            org.Phone = settings.Phone;
            org.Email = string.IsNullOrWhiteSpace(settings.Email) ? null : settings.Email.Trim();
            org.SetDocumentNumbering(settings.QuotePrefix ?? org.QuotePrefix, settings.OrderPrefix ?? org.OrderPrefix, settings.DocumentNumberDigits ?? org.DocumentNumberDigits);
            org.SetQuoteValidityDays(settings.QuoteValidityDays ?? org.QuoteValidityDays);
            org.WinOnFirstOrder = settings.WinOnFirstOrder ?? org.WinOnFirstOrder;
            org.SetTimeZone(string.IsNullOrWhiteSpace(settings.TimeZone) ? org.TimeZone : settings.TimeZone.Trim()); // no zone given keeps the zone
            return Task.FromResult<Failure?>(null);
        }, ct);
        if (outcome.IsOk)
        {
            OrganizationSettingsCache.Forget(services, outcome.Value!.Id);
        }

        return outcome;
    }

    /// <summary>Sets (or, with null, removes) the logo: PNG or JPEG only (the entity's rule).</summary>
    public static Task<Outcome<Organization>> SetLogoAsync(KazanDbContext db, byte[]? image, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => db.Organizations.FirstOrDefaultAsync(ct), What, null, org => org.SetLogo(image), ct);

    /// <summary>
    /// Creates an organization with its first admin (the password is the admin's own: there is never a default one),
    /// seeded with a pipeline and lost reasons, in one transaction. Whether onboarding is open is the caller's check
    /// (<see cref="OrganizationQueries.OnboardingIsOpenAsync"/>).
    /// </summary>
    public static async Task<Outcome<User>> OnboardAsync(KazanDbContext db, UserManager<User> users, TimeProvider clock, OnboardingRequest request)
    {
        if (CheckMoneyAndLanguage(request.BaseCurrency, nameof(request.BaseCurrency), request.Culture, nameof(request.Culture)) is { } invalid)
        {
            return invalid;
        }

        var organization = new Organization(request.OrganizationName, request.BaseCurrency, request.Culture, clock.GetUtcNow());
        var admin = new User(organization.Id, request.AdminEmail, request.AdminName, UserRole.Admin, request.Culture);

        await using var tx = await db.Database.BeginOrJoinAsync();
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        var result = await users.CreateAsync(admin, request.AdminPassword);
        if (!result.Succeeded)
        {
            await tx.RollbackAsync();
            db.ChangeTracker.Clear();
            return IdentityOutcomes.Invalid(result, nameof(request.AdminPassword), nameof(request.AdminEmail));
        }

        await OrganizationSeed.SeedAsync(db, organization);
        await tx.CommitAsync();
        return admin;
    }

    /// <summary>A known base currency and a supported language, on onboarding and in the settings alike.</summary>
    private static Failure? CheckMoneyAndLanguage(string currency, string currencyField, string culture, string cultureField) =>
        !Currencies.IsKnown(currency) ? Outcome.Invalid(currencyField, $"Unknown currency '{currency}'.", "organization.currency-unknown")
        : !Organization.SupportedCultures.Contains(culture)
            ? Outcome.Invalid(cultureField, $"Culture must be one of {string.Join(", ", Organization.SupportedCultures)}.", "organization.culture-unknown")
        : null;

    private static Failure? Check(UpdateOrganizationRequest settings)
    {
        if (CheckMoneyAndLanguage(settings.BaseCurrency, nameof(settings.BaseCurrency), settings.DefaultCulture, nameof(settings.DefaultCulture)) is { } invalid)
        {
            return invalid;
        }

        if (settings.TimeZone is { } zone && !string.IsNullOrWhiteSpace(zone) && OrganizationTime.Find(zone.Trim()) is null)
        {
            return Outcome.Invalid(nameof(settings.TimeZone), $"Unknown time zone '{zone}'. Use an IANA name such as Europe/Istanbul.", "organization.time-zone");
        }

        // An empty e-mail box posts "": only a typed address is checked.
        return !string.IsNullOrWhiteSpace(settings.Email) && !new EmailAddressAttribute().IsValid(settings.Email.Trim())
            ? Outcome.Invalid(nameof(settings.Email), "The e-mail address is not valid.", "organization.email-invalid")
            : null;
    }
}
