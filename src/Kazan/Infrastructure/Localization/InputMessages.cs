using System.Text.Json;
using Microsoft.Extensions.Localization;

namespace Kazan.Infrastructure.Localization;

/// <summary>
/// The user's text for a number or date that could not be read. The same templates go to the browser script
/// (<see cref="ScriptTemplates"/>), so an error reads the same whether the script or the server found it.
/// </summary>
public static class InputMessages
{
    private static readonly string[] Keys =
    [
        "Input.Required", "Number.NotANumber", "Number.WrongSeparator", "Number.TooManyDecimals", "Number.WholeOnly",
        "Number.OutOfRange", "Number.OutOfRangeExclusive", "Date.NotADate", "Date.NoSuchDate", "Date.OutOfRange",
    ];

    public static string For(IStringLocalizer l, NumberProblem problem) => problem.Kind switch
    {
        NumberProblemKind.Required => l["Input.Required"],
        NumberProblemKind.WrongSeparator => l["Number.WrongSeparator", problem.Suggestion ?? ""],
        NumberProblemKind.TooManyDecimals when problem.Decimals == 0 => l["Number.WholeOnly"],
        NumberProblemKind.TooManyDecimals => l["Number.TooManyDecimals", problem.Decimals],
        NumberProblemKind.OutOfRange when problem.MinExclusive => l["Number.OutOfRangeExclusive", problem.Min ?? "", problem.Max ?? ""],
        NumberProblemKind.OutOfRange => l["Number.OutOfRange", problem.Min ?? "", problem.Max ?? ""],
        _ => l["Number.NotANumber", problem.Suggestion ?? ""],
    };

    public static string For(IStringLocalizer l, DateProblem problem) => problem.Kind switch
    {
        DateProblemKind.Required => l["Input.Required"],
        DateProblemKind.NoSuchDate => l["Date.NoSuchDate", problem.Example],
        DateProblemKind.OutOfRange => l["Date.OutOfRange", DateText.MinDate.Year, DateText.MaxDate.Year],
        _ => l["Date.NotADate", problem.Example],
    };

    /// <summary>The message templates in the user's language as JSON, for the browser script (placeholders {0}, {1}).</summary>
    public static string ScriptTemplates(IStringLocalizer l)
    {
        var templates = Keys.ToDictionary(k => k, k => l[k].Value);
        templates["Date.OutOfRange"] = l["Date.OutOfRange", DateText.MinDate.Year, DateText.MaxDate.Year];
        templates["Date.Example"] = DateText.Format(new DateOnly(2026, 12, 5));
        return JsonSerializer.Serialize(templates);
    }
}
