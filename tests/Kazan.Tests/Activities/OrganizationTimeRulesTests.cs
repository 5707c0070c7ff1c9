using CsCheck;
using Kazan.Features.Activities;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;

namespace Kazan.Tests.Activities;

/// <summary>Snoozing and "today" on the organization's clock (Turkey's zone by default), without HTTP or a database.</summary>
public sealed class OrganizationTimeRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static OrganizationTime At(DateTimeOffset now) => new(new FixedClock(now), new CurrentUser());

    [Fact]
    public void The_organizations_day_turns_at_midnight_in_Istanbul_not_at_midnight_UTC()
    {
        // 22:30 UTC on 9 March is 01:30 on 10 March in İstanbul.
        var time = At(new DateTimeOffset(2026, 3, 9, 22, 30, 0, TimeSpan.Zero));

        Assert.Equal(new DateOnly(2026, 3, 10), time.Today);
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 21, 0, 0, TimeSpan.Zero), time.StartOf(time.Today));
        Assert.Equal(new DateOnly(2026, 3, 10), OrganizationTime.DayIn(OrganizationTime.DefaultZone, time.Now));
    }

    [Fact]
    public void Snoozing_moves_an_activity_n_days_past_the_later_of_its_day_and_today_keeping_its_time_of_day()
    {
        var gen =
            from nowMinutes in Gen.Int[0, 2 * 365 * 24 * 60]
            from dueMinutes in Gen.Int[-60 * 24 * 60, 60 * 24 * 60]
            from days in Gen.Int[1, 365]
            select (Now: Start.AddMinutes(nowMinutes), DueOffset: dueMinutes, Days: days);
        gen.Sample(c =>
        {
            var time = At(c.Now);
            var due = c.Now.AddMinutes(c.DueOffset);
            var activity = new Activity(Guid.NewGuid(), Guid.NewGuid(), ActivityKind.Task, "Ara", Guid.NewGuid(), null, due, c.Now);

            activity.Snooze(c.Days, time);

            var dueDay = time.DayOf(due);
            var from = dueDay > time.Today ? dueDay : time.Today;
            Assert.Equal(from.AddDays(c.Days), time.DayOf(activity.DueAt!.Value));
            Assert.Equal(time.ToLocal(due).TimeOfDay, time.ToLocal(activity.DueAt.Value).TimeOfDay);
            Assert.True(time.DayOf(activity.DueAt.Value) > time.Today, "a snoozed activity is never overdue");
        });
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
