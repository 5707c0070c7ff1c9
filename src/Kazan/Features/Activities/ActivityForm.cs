using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Errors;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Activities;

/// <summary>The "add an activity" form of the pages: a day and an optional time, read in the user's zone (<see cref="UserDay"/>).</summary>
public sealed class ActivityForm
{
    public ActivityKind Kind { get; set; } = ActivityKind.Task;

    [Required, StringLength(300)]
    public string Subject { get; set; } = "";

    public DateOnly? DueDate { get; set; }

    public TimeOnly? DueTime { get; set; }

    /// <summary>Used where the page does not fix the account (my day).</summary>
    public Guid? AccountId { get; set; }

    /// <summary>A due day without a time is stored as the start of that day in Turkey, and shown as a date only.</summary>
    public DateTimeOffset? DueAt() =>
        Kind == ActivityKind.Note || DueDate is not { } day ? null : UserDay.At(day, DueTime ?? TimeOnly.MinValue);

    public static Dictionary<string, string[]> Errors(IStringLocalizer l, ActivityError error) =>
        new() { [error.Field] = [l["Activity.Error." + error.Code]] };

    public static Dictionary<string, string[]> Errors(IStringLocalizer l, DomainRuleException rule) =>
        new() { ["$"] = [rule.Code is { } code && code.StartsWith("activity.", StringComparison.Ordinal) ? l["Activity.Error." + code["activity.".Length..]] : rule.Message] };
}
