using System.Globalization;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Time;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Notifications;

/// <summary>
/// What a notification says, in the reader's language, made when it is shown: the kind's words
/// (<c>NotificationKind.QuoteAccepted</c> → "Teklif müşteri tarafından kabul edildi") and the stored title.
/// </summary>
public static class NotificationText
{
    /// <summary>What happened, without the record: "Quote accepted by the customer".</summary>
    public static string What(IStringLocalizer l, NotificationKind kind) => EnumNames.Of(l, kind);

    /// <summary>The whole sentence: "Quote accepted by the customer: TKL-2026-00042 · Acme A.Ş.".</summary>
    public static string Sentence(IStringLocalizer l, NotificationKind kind, string title) =>
        string.IsNullOrEmpty(title) ? What(l, kind) : l["Notifications.Sentence", What(l, kind), title];

    /// <summary>The bell's accessible name: "Notifications" or "Notifications, 3 unread".</summary>
    public static string BellLabel(IStringLocalizer l, int unread) =>
        unread > 0 ? l["Notifications.BellUnread", unread.ToString("N0", CultureInfo.CurrentCulture)] : l["Notifications.Title"];

    /// <summary>The badge on the bell: the count, "99+" beyond 99.</summary>
    public static string Badge(int unread) => unread > 99 ? "99+" : unread.ToString(CultureInfo.CurrentCulture);

    /// <summary>
    /// When it happened, as a reader glances at it: "just now", "12 min ago", "3 h ago" within a day, the date and
    /// time (on the organization's clock) after that.
    /// </summary>
    public static string When(IStringLocalizer l, OrganizationTime time, DateTimeOffset at)
    {
        var age = time.Now - at;
        if (age < TimeSpan.FromMinutes(1))
        {
            return l["Notifications.JustNow"];
        }

        if (age < TimeSpan.FromHours(1))
        {
            return l["Notifications.MinutesAgo", ((int)age.TotalMinutes).ToString(CultureInfo.CurrentCulture)];
        }

        if (age < TimeSpan.FromDays(1))
        {
            return l["Notifications.HoursAgo", ((int)age.TotalHours).ToString(CultureInfo.CurrentCulture)];
        }

        return DateText.Format(time.ToLocal(at).DateTime);
    }
}
