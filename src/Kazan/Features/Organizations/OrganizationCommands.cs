using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Organizations;

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

    private static Failure? Check(UpdateOrganizationRequest settings)
    {
        if (!Currencies.IsKnown(settings.BaseCurrency))
        {
            return Outcome.Invalid(nameof(settings.BaseCurrency), $"Unknown currency '{settings.BaseCurrency}'.", "organization.currency-unknown");
        }

        if (!Organization.SupportedCultures.Contains(settings.DefaultCulture))
        {
            return Outcome.Invalid(nameof(settings.DefaultCulture), $"Culture must be one of {string.Join(", ", Organization.SupportedCultures)}.", "organization.culture-unknown");
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
