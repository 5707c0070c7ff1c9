using System.Globalization;
using Kazan.Infrastructure.Errors;
using Microsoft.Extensions.Localization;

namespace Kazan.Infrastructure.Localization;

/// <summary>
/// The UI's text for a rule violation: the resource <c>Rule.{code}</c> in the user's language, with the rule's arguments
/// (numbers in the user's culture) in its placeholders and "Line n: " before it when the rule is about a document line;
/// else the entity's (English) message. The API keeps the entity's message and the code.
/// </summary>
public static class RuleMessages
{
    public static string For(IStringLocalizer localizer, DomainRuleException rule)
    {
        if (rule.Code is not { } code || localizer["Rule." + code] is not { ResourceNotFound: false })
        {
            return rule.Message;
        }

        var text = localizer["Rule." + code, Arguments(rule)].Value;
        return rule.Line is { } line ? $"{localizer["Quote.LineNumber", line].Value}: {text}" : text;
    }

    /// <summary>The rule's arguments as the user reads them, for a localized text's placeholders.</summary>
    public static object[] Arguments(DomainRuleException rule) => rule.Arguments.Select(a => Display(a) ?? "").ToArray();

    /// <summary>Numbers as the user writes them (up to 4 decimals, no trailing zeros); text as it is.</summary>
    private static object? Display(object? value) => value switch
    {
        decimal d => d.ToString("#,##0.####", CultureInfo.CurrentCulture),
        int i => i.ToString("#,##0", CultureInfo.CurrentCulture),
        DateOnly day => DateText.Format(day),
        _ => value,
    };
}
