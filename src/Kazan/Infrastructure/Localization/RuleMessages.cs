using Kazan.Infrastructure.Errors;
using Microsoft.Extensions.Localization;

namespace Kazan.Infrastructure.Localization;

/// <summary>
/// The UI's text for a rule violation: the resource <c>Rule.{code}</c> in the user's language when there is one, else
/// the entity's (English) message. The API keeps the entity's message and the code.
/// </summary>
public static class RuleMessages
{
    public static string For(IStringLocalizer localizer, DomainRuleException rule)
    {
        if (rule.Code is { } code && localizer["Rule." + code] is { ResourceNotFound: false } text)
        {
            return text.Value;
        }

        return rule.Message;
    }
}
