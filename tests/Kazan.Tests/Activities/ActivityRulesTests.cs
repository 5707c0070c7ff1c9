using Kazan.Features.Activities;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;

namespace Kazan.Tests.Activities;

public sealed class ActivityRulesTests
{
    private static readonly OrganizationTime Turkey = new(TimeProvider.System, new CurrentUser());

    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static Activity New(ActivityKind kind, string subject = "Teklifi görüş", DateTimeOffset? due = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), kind, subject, Guid.NewGuid(), null, due, Now);

    [Fact]
    public void A_note_is_done_when_written()
    {
        var note = New(ActivityKind.Note, "Müşteri fiyatı yüksek buldu");

        Assert.True(note.Done);
        Assert.Equal(Now, note.DoneAt);
        Assert.False(note.IsOverdue(Now.AddDays(30)));
    }

    [Fact]
    public void A_note_cannot_be_marked_not_done()
    {
        var note = New(ActivityKind.Note);

        var error = Assert.Throws<DomainRuleException>(note.MarkNotDone);
        Assert.Equal("activity.note-always-done", error.Code);
        Assert.True(note.Done);
    }

    [Theory]
    [InlineData(ActivityKind.Task)]
    [InlineData(ActivityKind.Call)]
    [InlineData(ActivityKind.Meeting)]
    public void A_planned_activity_is_open_until_done_keeps_its_first_done_time_and_can_be_opened_again(ActivityKind kind)
    {
        var activity = New(kind, due: Now.AddDays(1));
        Assert.False(activity.Done);
        Assert.Null(activity.DoneAt);

        activity.MarkDone(Now.AddHours(1));
        activity.MarkDone(Now.AddHours(5));
        Assert.True(activity.Done);
        Assert.Equal(Now.AddHours(1), activity.DoneAt);

        activity.MarkNotDone();
        Assert.False(activity.Done);
        Assert.Null(activity.DoneAt);
    }

    [Fact]
    public void An_open_activity_due_before_now_is_overdue_until_it_is_done()
    {
        var call = New(ActivityKind.Call, due: Now.AddMinutes(-1));
        var later = New(ActivityKind.Call, due: Now.AddMinutes(1));
        var undated = New(ActivityKind.Task);

        Assert.True(call.IsOverdue(Now));
        Assert.False(later.IsOverdue(Now));
        Assert.False(undated.IsOverdue(Now));

        call.MarkDone(Now);
        Assert.False(call.IsOverdue(Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_subject_is_required(string subject)
    {
        var error = Assert.Throws<DomainRuleException>(() => New(ActivityKind.Task, subject));
        Assert.Equal("activity.subject", error.Code);
    }

    [Fact]
    public void A_subject_longer_than_300_characters_is_refused()
    {
        Assert.Throws<DomainRuleException>(() => New(ActivityKind.Task, new string('ş', 301)));
        Assert.Equal(300, New(ActivityKind.Task, new string('ş', 300)).Subject.Length);
    }

    [Fact]
    public void The_organizations_day_is_by_default_the_day_in_Turkey_three_hours_ahead_of_UTC()
    {
        // 20:59 UTC on 9 March is 23:59 in İstanbul; 21:00 UTC is already 10 March there.
        Assert.Equal(new DateOnly(2026, 3, 9), new OrganizationTime(new FixedClock(new DateTimeOffset(2026, 3, 9, 20, 59, 0, TimeSpan.Zero)), new CurrentUser()).Today);
        Assert.Equal(new DateOnly(2026, 3, 10), new OrganizationTime(new FixedClock(new DateTimeOffset(2026, 3, 9, 21, 0, 0, TimeSpan.Zero)), new CurrentUser()).Today);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 21, 0, 0, TimeSpan.Zero), Turkey.StartOf(new DateOnly(2026, 3, 10)));

        // Summer too: Turkey has kept UTC+3 all year since 2016.
        Assert.Equal(new DateTimeOffset(2026, 7, 14, 21, 0, 0, TimeSpan.Zero), Turkey.StartOf(new DateOnly(2026, 7, 15)));
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
