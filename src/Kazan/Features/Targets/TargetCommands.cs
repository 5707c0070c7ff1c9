using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Targets;

/// <summary>One month of a year's targets as a caller sends it: the month (1–12) and the amount (null: no target, clears it).</summary>
public sealed record MonthTarget(int Month, decimal? Amount);

/// <summary>A year's targets of one user or one team; months not listed stay as they are.</summary>
public sealed record SetTargetsRequest(Guid? UserId, Guid? TeamId, int Year, IReadOnlyList<MonthTarget>? Months);

/// <summary>The target use cases (admins and managers), for the API and the settings page.</summary>
public static class TargetCommands
{
    private const string What = "Target";

    /// <summary>
    /// Sets, changes or clears the listed months of one user's or one team's year in one save (one audit entry per
    /// month changed). Field errors carry codes (<c>target.for</c>, <c>target.year</c>, <c>target.month</c>,
    /// <c>target.amount</c>, <c>target.user-unknown</c>, <c>target.team-unknown</c>); nothing is saved then.
    /// Answers the year's targets of that user or team as saved.
    /// </summary>
    public static Task<Outcome<List<SalesTarget>>> SetYearAsync(KazanDbContext db, CurrentUser me, SetTargetsRequest request, CancellationToken ct) =>
        UseCase.RunAsync<List<SalesTarget>>(db, async () =>
        {
            if (await CheckAsync(db, request, ct) is { } invalid)
            {
                return invalid;
            }

            var (from, to) = (new DateOnly(request.Year, 1, 1), new DateOnly(request.Year + 1, 1, 1));
            var existing = await Of(db, request.UserId, request.TeamId).Where(t => t.Month >= from && t.Month < to).ToListAsync(ct);
            foreach (var m in request.Months!)
            {
                var month = new DateOnly(request.Year, m.Month, 1);
                var target = existing.FirstOrDefault(t => t.Month == month);
                if (m.Amount is null)
                {
                    if (target is not null)
                    {
                        db.SalesTargets.Remove(target);
                        existing.Remove(target);
                    }
                }
                else if (target is null)
                {
                    target = new SalesTarget(me.RequiredOrganizationId, request.UserId, request.TeamId, month, m.Amount.Value);
                    db.SalesTargets.Add(target);
                    existing.Add(target);
                }
                else
                {
                    target.ChangeAmount(m.Amount.Value);
                }
            }

            await db.SaveChangesAsync(ct);
            return existing.OrderBy(t => t.Month).ToList();
        });

    /// <summary>Clears one target (one month of one user or team).</summary>
    public static Task<Outcome<SalesTarget>> DeleteAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        UseCase.RunAsync<SalesTarget>(db, async () =>
        {
            var target = await db.SalesTargets.FirstOrDefaultAsync(t => t.Id == id, ct);
            if (target is null)
            {
                return Outcome.NotFound(What);
            }

            db.SalesTargets.Remove(target);
            await db.SaveChangesAsync(ct);
            return target;
        });

    private static IQueryable<SalesTarget> Of(KazanDbContext db, Guid? userId, Guid? teamId) =>
        userId is { } user ? db.SalesTargets.Where(t => t.UserId == user) : db.SalesTargets.Where(t => t.TeamId == teamId);

    private static async Task<Failure?> CheckAsync(KazanDbContext db, SetTargetsRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        void Fail(string field, string message, string code)
        {
            errors[field] = [message];
            codes[field] = code;
        }

        if ((request.UserId is null) == (request.TeamId is null))
        {
            Fail("userId", "Give exactly one of userId and teamId.", "target.for");
        }
        else if (request.UserId is { } user && !await db.Users.AnyAsync(u => u.Id == user, ct))
        {
            Fail("userId", "No such user in this organization.", "target.user-unknown");
        }
        else if (request.TeamId is { } team && !await db.Teams.AnyAsync(t => t.Id == team, ct))
        {
            Fail("teamId", "No such team in this organization.", "target.team-unknown");
        }

        if (request.Year is < 2000 or > 2100)
        {
            Fail("year", "The year is 2000 to 2100.", "target.year");
        }

        if (request.Months is null or { Count: 0 } or { Count: > 12 })
        {
            Fail("months", "Give 1 to 12 months, each once.", "target.months");
        }
        else
        {
            for (var i = 0; i < request.Months.Count; i++)
            {
                var m = request.Months[i];
                if (m is null || m.Month is < 1 or > 12)
                {
                    Fail($"months[{i}].month", "A month is 1 to 12.", "target.month");
                }
                else if (request.Months.Take(i).Any(o => o?.Month == m.Month))
                {
                    Fail($"months[{i}].month", "Each month may be given once.", "target.month-repeated");
                }
                else if (m.Amount is { } amount && SalesTarget.AmountProblem(amount) is { } problem)
                {
                    Fail($"months[{i}].amount", problem, "target.amount");
                }
            }
        }

        return errors.Count == 0 ? null : new Failure(OutcomeStatus.Invalid, null, errors, null, codes);
    }
}
