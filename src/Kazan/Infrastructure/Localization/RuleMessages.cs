using Kazan.Infrastructure.Errors;
using Microsoft.Extensions.Localization;

namespace Kazan.Infrastructure.Localization;

/// <summary>What a page shows for a rule violation: the translation of its code (resource "Rule.{code}"), else its own message.</summary>
public static class RuleMessages
{
    public static string Of(IStringLocalizer localizer, DomainRuleException rule)
    {
        if (rule.Code is null)
        {
            return rule.Message;
        }

        var text = localizer["Rule." + rule.Code];
        return text.ResourceNotFound ? rule.Message : text.Value;
    }
}
