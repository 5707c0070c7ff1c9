using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Time;

namespace Kazan.Features.Activities;

/// <summary>The "add an activity" form of the pages: a day and an optional time, read in the organization's zone (<see cref="OrganizationTime"/>).</summary>
public sealed class ActivityForm
{
    public ActivityKind Kind { get; set; } = ActivityKind.Task;

    [Required, StringLength(300)]
    public string Subject { get; set; } = "";

    /// <summary>The due day as typed, in the user's language (<see cref="DateText"/>).</summary>
    public string? DueDate { get; set; }

    public TimeOnly? DueTime { get; set; }

    [StringLength(Activity.MaxNotes)]
    public string? Notes { get; set; }

    /// <summary>It already happened: log it as done (the date and time say when), with its outcome.</summary>
    public bool Happened { get; set; }

    /// <summary>How a call or meeting went; choosing one also logs it as done.</summary>
    public ActivityOutcome? Outcome { get; set; }

    /// <summary>Used where the page does not fix the account (my day).</summary>
    public Guid? AccountId { get; set; }

    /// <summary>
    /// The command's input, or null when the typed day does not read (its message is then in <paramref name="typed"/>,
    /// field <c>Input.DueDate</c>). Planned: due at the day and time typed (a day without a time is the start of that day
    /// in Turkey, shown as a date only). Logged (happened, or an outcome chosen): done at the date and time typed —
    /// today without a time means now, another day without a time its start.
    /// </summary>
    public ActivityInput? ToInput(Guid accountId, Guid? opportunityId, OrganizationTime time, TypedInput typed)
    {
        var day = Kind == ActivityKind.Note ? null : typed.Date("Input.DueDate", DueDate);
        if (!typed.Ok)
        {
            return null;
        }

        var logged = Kind != ActivityKind.Note && (Happened || Outcome is not null);
        if (!logged)
        {
            var due = day is { } d ? time.At(d, DueTime ?? TimeOnly.MinValue) : (DateTimeOffset?)null;
            return new ActivityInput(Kind, Subject, Notes, accountId, opportunityId, null, due, null);
        }

        var at = day is not { } when ? time.Now
            : DueTime is { } timeOfDay ? time.At(when, timeOfDay)
            : when == time.Today ? time.Now
            : time.StartOf(when);
        return new ActivityInput(Kind, Subject, Notes, accountId, opportunityId, null, at, null, Done: true, DoneAt: at, Outcome: Outcome);
    }
}
