using Microsoft.Extensions.Localization;

namespace Kazan.Infrastructure.Localization;

/// <summary>
/// An enum value as the user reads it: the resource <c>{Enum}.{Value}</c> (<c>QuoteStatus.Sent</c> → "Gönderildi"),
/// with the few enums whose texts predate the rule under their own prefix. Unknown values come back as they are, so a
/// missing text shows up (and the language test names it) instead of failing.
/// </summary>
public static class EnumNames
{
    private static readonly Dictionary<string, string> Prefixes = new(StringComparer.Ordinal)
    {
        ["OpportunityStatus"] = "Status.",
        ["AccountKind"] = "Account.Kind.",
        ["UserRole"] = "Role.",
    };

    public static string Of(IStringLocalizer localizer, Enum value) => Of(localizer, value.GetType(), value.ToString());

    public static string Of(IStringLocalizer localizer, Type enumType, string name)
    {
        var key = (Prefixes.TryGetValue(enumType.Name, out var prefix) ? prefix : enumType.Name + ".") + name;
        var text = localizer[key];
        return text.ResourceNotFound ? name : text.Value;
    }

    /// <summary>The resource key of a value (for tests that check every value has a text).</summary>
    public static string KeyOf(Type enumType, string name) =>
        (Prefixes.TryGetValue(enumType.Name, out var prefix) ? prefix : enumType.Name + ".") + name;
}
