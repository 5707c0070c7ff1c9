using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Activities;

/// <summary>The "add an activity" form of the pages: a day and an optional time, read in the user's zone (<see cref="UserDay"/>).</summary>
public sealed class ActivityForm
{
    public ActivityKind Kind { get; set; } = ActivityKind.Task;

    [Required, StringLength(300)]
    public string Subject { get; set; } = "";

    /// <summary>The due day as typed, in the user's language (<see cref="DateText"/>).</summary>
    public string? DueDate { get; set; }

    public TimeOnly? DueTime { get; set; }

    /// <summary>Used where the page does not fix the account (my day).</summary>
    public Guid? AccountId { get; set; }

    /// <summary>
    /// A due day without a time is stored as the start of that day in Turkey, and shown as a date only. A typed day that
    /// does not read leaves its message in <paramref name="typed"/> (field <c>Input.DueDate</c>).
    /// </summary>
    public DateTimeOffset? DueAt(TypedInput typed) =>
        Kind == ActivityKind.Note || typed.Date("Input.DueDate", DueDate) is not { } day ? null : UserDay.At(day, DueTime ?? TimeOnly.MinValue);

    public static Dictionary<string, string[]> Errors(IStringLocalizer l, ActivityError error) =>
        new() { [error.Field] = [l["Activity.Error." + error.Code]] };

    public static Dictionary<string, string[]> Errors(IStringLocalizer l, DomainRuleException rule) =>
        new() { ["$"] = [rule.Code is { } code && code.StartsWith("activity.", StringComparison.Ordinal) ? l["Activity.Error." + code["activity.".Length..]] : rule.Message] };
}
