using System.Globalization;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Infrastructure.Time;

/// <summary>
/// The one "now" and "today" of Kazan: the organization's wall clock, in its time zone (a setting; Turkey by
/// default). Quote expiry, late orders, new document dates, overdue deals and activities, my day — every calendar day
/// Kazan reasons about is a day of this clock, never the UTC day (between 00:00 and 03:00 in İstanbul the UTC day is
/// still yesterday). The UI language only changes how days are written. Scoped: it reads the caller's organization.
/// </summary>
public sealed class OrganizationTime(TimeProvider clock, CurrentUser caller)
{
    public const string DefaultZoneId = "Europe/Istanbul";

    /// <summary>Turkey's zone from the system's time zone data; a fixed UTC+3 zone if the data is missing.</summary>
    public static TimeZoneInfo DefaultZone { get; } = Find(DefaultZoneId) ?? TimeZoneInfo.CreateCustomTimeZone(DefaultZoneId, TimeSpan.FromHours(3), "Türkiye", "Türkiye");

    /// <summary>The caller's organization's zone (Turkey for a caller without one: sign-up, the demo, background work).</summary>
    public TimeZoneInfo Zone => caller.TimeZone ?? DefaultZone;

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The organization's date now.</summary>
    public DateOnly Today => DayOf(Now);

    /// <summary>The organization's date at an instant.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DayIn(Zone, instant);

    /// <summary>The instant the day starts (00:00 on the organization's clock).</summary>
    public DateTimeOffset StartOf(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>The last instant of a day of the organization (a report "as of" that day).</summary>
    public DateTimeOffset EndOf(DateOnly day) => StartOf(day.AddDays(1)).AddTicks(-1);

    /// <summary>The instant (in UTC, as the databases store it) of a wall-clock time on a day.</summary>
    public DateTimeOffset At(DateOnly day, TimeOnly time) => At(Zone, day, time);

    /// <summary>
    /// <see cref="At(DateOnly, TimeOnly)"/> in a given zone, for code that has the zone but not the caller (a document
    /// rendered for an organization, a query handed its zone).
    /// </summary>
    public static DateTimeOffset At(TimeZoneInfo zone, DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary><see cref="DayOf"/> in a given zone.</summary>
    public static DateOnly DayIn(TimeZoneInfo zone, DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>An instant on the organization's wall clock.</summary>
    public DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>A due time as the user reads it: the date alone when it is a whole day (00:00), else date and time.</summary>
    public string Format(DateTimeOffset instant, CultureInfo? culture = null)
    {
        var local = ToLocal(instant);
        return local.TimeOfDay == TimeSpan.Zero
            ? DateText.Format(DateOnly.FromDateTime(local.DateTime), culture)
            : DateText.Format(local.DateTime, culture);
    }

    /// <summary>A zone by its IANA id (as the setting stores it), or null when the system does not know it.</summary>
    public static TimeZoneInfo? Find(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }
}
