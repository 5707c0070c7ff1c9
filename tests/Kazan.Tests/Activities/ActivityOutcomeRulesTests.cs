using Kazan.Features.Activities;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;

namespace Kazan.Tests.Activities;

/// <summary>Outcomes, logging what already happened, putting off and moving: the rules of <see cref="Activity"/>, no database.</summary>
public sealed class ActivityOutcomeRulesTests
{
    /// <summary>10 March 2026, 09:00 UTC: noon in Turkey.</summary>
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly Today = new(2026, 3, 10);

    /// <summary>The organization's clock at <see cref="Now"/> (Turkey's zone).</summary>
    private static readonly OrganizationTime Time = new(new FixedClock(Now), new CurrentUser());

    private static Activity New(ActivityKind kind, DateTimeOffset? due = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), kind, "Satın almayı ara", Guid.NewGuid(), null, due, Now);

    private static Activity Logged(ActivityKind kind, DateTimeOffset at, ActivityOutcome? outcome, string? notes = null) =>
        Activity.Logged(Guid.NewGuid(), Guid.NewGuid(), kind, "Satın almayı ara", Guid.NewGuid(), null, at, outcome, notes, Now);

    [Fact]
    public void A_call_logged_after_it_happened_is_done_at_that_time_with_its_outcome_and_notes()
    {
        var at = Now.AddHours(-2);

        var call = Logged(ActivityKind.Call, at, ActivityOutcome.LeftMessage, "  Yarın dönecek  ");

        Assert.True(call.Done);
        Assert.Equal(at, call.DoneAt);
        Assert.Equal(at, call.DueAt);
        Assert.Equal(ActivityOutcome.LeftMessage, call.Outcome);
        Assert.Equal("Yarın dönecek", call.Notes);
        Assert.False(call.IsOverdue(Now));
    }

    [Fact]
    public void What_has_not_happened_yet_cannot_be_logged()
    {
        var error = Assert.Throws<DomainRuleException>(() => Logged(ActivityKind.Meeting, Now.AddHours(3), ActivityOutcome.Held));

        Assert.Equal("activity.logged-in-future", error.Code);
    }

    [Theory]
    [InlineData(ActivityKind.Call, ActivityOutcome.Held)]
    [InlineData(ActivityKind.Meeting, ActivityOutcome.NoAnswer)]
    [InlineData(ActivityKind.Task, ActivityOutcome.Reached)]
    public void An_outcome_must_fit_the_kind_of_activity(ActivityKind kind, ActivityOutcome outcome)
    {
        var activity = New(kind, Now.AddHours(-1));

        var error = Assert.Throws<DomainRuleException>(() => activity.Complete(Now, outcome));

        Assert.Equal("activity.outcome", error.Code);
        Assert.False(activity.Done);
        Assert.Null(activity.Outcome);
    }

    [Fact]
    public void Opening_a_done_call_again_forgets_its_outcome_and_completing_it_twice_keeps_the_first_time()
    {
        var call = New(ActivityKind.Call, Now.AddHours(-1));
        call.Complete(Now, ActivityOutcome.NoAnswer);
        call.Complete(Now.AddHours(1), ActivityOutcome.Reached);

        Assert.Equal(Now, call.DoneAt);
        Assert.Equal(ActivityOutcome.Reached, call.Outcome);

        call.MarkNotDone();
        Assert.Null(call.Outcome);
        Assert.False(call.Done);
    }

    [Fact]
    public void Notes_longer_than_4000_characters_are_refused_and_blank_notes_clear_them()
    {
        var task = New(ActivityKind.Task);
        task.WriteNotes("Fiyat listesi istendi");

        var error = Assert.Throws<DomainRuleException>(() => task.WriteNotes(new string('x', 4001)));
        Assert.Equal("activity.notes", error.Code);
        Assert.Equal([4000], error.Arguments);
        Assert.Equal("Fiyat listesi istendi", task.Notes);

        task.WriteNotes("   ");
        Assert.Null(task.Notes);
    }

    [Fact]
    public void Snoozing_an_overdue_call_a_day_moves_it_to_tomorrow_at_the_same_time_of_day()
    {
        // Due three days ago at 10:00 in Turkey.
        var call = New(ActivityKind.Call, Time.At(Today.AddDays(-3), new TimeOnly(10, 0)));

        call.Snooze(1, Time);

        Assert.Equal(Time.At(Today.AddDays(1), new TimeOnly(10, 0)), call.DueAt);
        Assert.False(call.IsOverdue(Now));
    }

    [Fact]
    public void Snoozing_a_future_task_a_week_moves_it_a_week_after_its_own_day()
    {
        var task = New(ActivityKind.Task, Time.At(Today.AddDays(5), new TimeOnly(14, 30)));

        task.Snooze(7, Time);

        Assert.Equal(Time.At(Today.AddDays(12), new TimeOnly(14, 30)), task.DueAt);
    }

    [Fact]
    public void Snoozing_an_undated_task_gives_it_a_day_and_a_whole_day_stays_a_whole_day()
    {
        var undated = New(ActivityKind.Task);
        var wholeDay = New(ActivityKind.Task, Time.StartOf(Today));

        undated.Snooze(1, Time);
        wholeDay.Snooze(7, Time);

        Assert.Equal(Time.StartOf(Today.AddDays(1)), undated.DueAt);
        Assert.Equal(Time.StartOf(Today.AddDays(7)), wholeDay.DueAt);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void Snoozing_by_less_than_a_day_or_more_than_a_year_is_refused(int days)
    {
        var task = New(ActivityKind.Task, Now);

        var error = Assert.Throws<DomainRuleException>(() => task.Snooze(days, Time));

        Assert.Equal("activity.snooze-days", error.Code);
        Assert.Equal(Now, task.DueAt);
    }

    [Fact]
    public void A_done_activity_is_history_it_cannot_be_snoozed_or_moved()
    {
        var meeting = New(ActivityKind.Meeting, Now.AddHours(-1));
        meeting.Complete(Now, ActivityOutcome.Held);

        Assert.Equal("activity.done", Assert.Throws<DomainRuleException>(() => meeting.Snooze(1, Time)).Code);
        Assert.Equal("activity.done", Assert.Throws<DomainRuleException>(() => meeting.Reschedule(Now.AddDays(2))).Code);
        Assert.Equal(Now.AddHours(-1), meeting.DueAt);
    }

    [Fact]
    public void Rescheduling_an_open_activity_sets_the_new_time_or_none()
    {
        var task = New(ActivityKind.Task, Now);

        task.Reschedule(Now.AddDays(3));
        Assert.Equal(Now.AddDays(3), task.DueAt);

        task.Reschedule(null);
        Assert.Null(task.DueAt);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
