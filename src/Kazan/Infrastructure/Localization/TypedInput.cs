using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Kazan.Infrastructure.Localization;

/// <summary>
/// Reads the numbers and dates a server-rendered form posted, with the user's language (<see cref="NumberText"/>,
/// <see cref="DateText"/>), and keeps one message per field that could not be read. The page shows each message next
/// to its box (<c>NumberInput</c>/<c>DateInput</c> <c>Error</c>) and saves nothing while <see cref="Ok"/> is false.
/// </summary>
public sealed class TypedInput(IStringLocalizer localizer, CultureInfo? culture = null)
{
    private readonly CultureInfo _culture = culture ?? CultureInfo.CurrentCulture;
    private readonly Dictionary<string, string> _errors = new(StringComparer.Ordinal);

    public bool Ok => _errors.Count == 0;

    /// <summary>The message for one field (by its form name), or null.</summary>
    public string? this[string field] => _errors.GetValueOrDefault(field);

    public IReadOnlyDictionary<string, string> Errors => _errors;

    /// <summary>A number typed into the field <paramref name="field"/>; null when empty (and not required) or wrong.</summary>
    public decimal? Number(string field, string? text, NumberRule rule, bool required = false)
    {
        var read = NumberText.Parse(text, rule, _culture, required);
        if (read.Problem is { } problem)
        {
            _errors[field] = InputMessages.For(localizer, problem);
        }

        return read.Value;
    }

    /// <summary>A number from a link or a list filter: the user's way of writing it, or the culture-free form of links.</summary>
    public decimal? LinkNumber(string field, string? text, NumberRule rule)
    {
        var read = NumberText.ParseLink(text, rule, _culture);
        if (read.Problem is { } problem)
        {
            _errors[field] = InputMessages.For(localizer, problem);
        }

        return read.Value;
    }

    /// <summary>A date typed into the field <paramref name="field"/>; null when empty (and not required) or wrong.</summary>
    public DateOnly? Date(string field, string? text, bool required = false)
    {
        var read = DateText.Parse(text, _culture, required);
        if (read.Problem is { } problem)
        {
            _errors[field] = InputMessages.For(localizer, problem);
        }

        return read.Value;
    }

    /// <summary>A date from a link or a list filter: ISO, or the user's way of writing it.</summary>
    public DateOnly? LinkDate(string field, string? text)
    {
        var read = DateText.ParseLink(text, _culture);
        if (read.Problem is { } problem)
        {
            _errors[field] = InputMessages.For(localizer, problem);
        }

        return read.Value;
    }

    /// <summary>Adds a message of the page's own for a field (e.g. a required choice).</summary>
    public void Fail(string field, string message) => _errors[field] = message;

    /// <summary>The form-level summary for <c>FieldErrors</c>: one line saying nothing was saved.</summary>
    public Dictionary<string, string[]> Summary() => new() { ["$"] = [localizer["Input.FixMarked"]] };
}
