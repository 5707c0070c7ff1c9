using System.Globalization;
using Kazan.Infrastructure.Localization;

namespace Kazan.Features.Activities;

/// <summary>
/// The calendar day a user lives in, for "my day", overdue flags and due dates typed as a day.
/// Rule: Kazan serves Turkish companies, so every user's day is the day in Turkey (Europe/Istanbul, UTC+3 all year
/// since 2016), whatever the UI language: an English-speaking rep in İstanbul still has the İstanbul day. The language
/// (culture) only changes how dates are written. A per-user time zone can replace <see cref="Zone"/> later without
/// changing callers.
/// </summary>
public static class UserDay
{
    /// <summary>Europe/Istanbul from the system's time zone data; a fixed UTC+3 zone if the data is missing.</summary>
    public static TimeZoneInfo Zone { get; } = FindTurkey();

    public static string ZoneId => "Europe/Istanbul";

    /// <summary>The user's date now.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ToLocal(clock.GetUtcNow()).DateTime);

    /// <summary>The instant the given day starts for the user (00:00 in Turkey).</summary>
    public static DateTimeOffset StartOf(DateOnly day) => At(day, TimeOnly.MinValue);

    /// <summary>The instant (in UTC, as the databases store it) of a wall-clock time on a day in the user's zone.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>An instant as the user's wall-clock time.</summary>
    public static DateTimeOffset ToLocal(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone);

    /// <summary>Writes a due time in the current culture: the date alone when it is a whole day (00:00), else date and time.</summary>
    public static string Format(DateTimeOffset instant, CultureInfo culture)
    {
        var local = ToLocal(instant);
        return local.TimeOfDay == TimeSpan.Zero ? DateText.Format(DateOnly.FromDateTime(local.DateTime), culture) : DateText.Format(local.DateTime, culture);
    }

    private static TimeZoneInfo FindTurkey()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Europe/Istanbul");
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Europe/Istanbul", TimeSpan.FromHours(3), "Türkiye", "Türkiye");
        }
    }
}
