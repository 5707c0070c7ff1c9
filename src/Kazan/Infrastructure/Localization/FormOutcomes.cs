using Kazan.Infrastructure.Commands;
using Microsoft.Extensions.Localization;

namespace Kazan.Infrastructure.Localization;

/// <summary>The one place an <see cref="Outcome{T}"/> becomes what a form shows: messages in the user's language.</summary>
public static class FormOutcomes
{
    /// <summary>
    /// Field → messages for <c>FieldErrors</c>. Null when the outcome is Ok. A broken rule and a field error with a code
    /// use the resource <c>Rule.{code}</c> when there is one; a stale version asks to reload; not found says so.
    /// </summary>
    public static Dictionary<string, string[]>? Errors<T>(Outcome<T> outcome, IStringLocalizer localizer) => outcome.Status switch
    {
        OutcomeStatus.Ok => null,
        OutcomeStatus.NotFound => new() { ["$"] = [localizer["NotFound.Text"]] },
        OutcomeStatus.Invalid => (outcome.Errors ?? new Dictionary<string, string[]>()).ToDictionary(
            e => e.Key,
            e => outcome.Codes?.GetValueOrDefault(e.Key) is { } code && localizer["Rule." + code] is { ResourceNotFound: false } text ? [text.Value] : e.Value),
        OutcomeStatus.RuleBroken => new() { ["$"] = [RuleMessages.For(localizer, outcome.Rule!)] },
        _ => new() { ["$"] = [localizer["Common.Stale"]] },
    };
}
