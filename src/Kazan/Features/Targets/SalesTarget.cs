using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Targets;

/// <summary>
/// What one user or one team should win in one month, in the organization's base currency (a quota). Exactly one of
/// <see cref="UserId"/> and <see cref="TeamId"/> is set; one target per user or team and month (a unique index too).
/// The forecast compares its won deals with it (attainment) and its open pipeline with what is left (coverage).
/// </summary>
public sealed class SalesTarget : ITenantEntity, IVersioned
{
    /// <summary>The largest target a box or the API accepts (as for any amount).</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    private SalesTarget()
    {
    }

    public SalesTarget(Guid organizationId, Guid? userId, Guid? teamId, DateOnly month, decimal amount) : this()
    {
        if ((userId is null) == (teamId is null))
        {
            throw new DomainRuleException("A target is for exactly one user or one team.", "target.for");
        }

        if (MonthProblem(month) is { } problem)
        {
            throw new DomainRuleException(problem, "target.month");
        }

        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        UserId = userId;
        TeamId = teamId;
        Month = month;
        ChangeAmount(amount);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid? UserId { get; private set; }
    public Guid? TeamId { get; private set; }

    /// <summary>The first day of the month the target is for.</summary>
    public DateOnly Month { get; private set; }

    /// <summary>Base currency, two decimals, zero or more.</summary>
    public decimal Amount { get; private set; }

    public int Version { get; private set; }

    public void ChangeAmount(decimal amount)
    {
        if (AmountProblem(amount) is { } problem)
        {
            throw new DomainRuleException(problem, "target.amount");
        }

        Amount = amount;
    }

    /// <summary>Why an amount cannot be a target (null: it can): below zero, too large, or more than two decimals (refused, never rounded).</summary>
    public static string? AmountProblem(decimal amount) =>
        amount < 0m ? "A target cannot be below zero."
        : amount > MaxAmount ? "A target can be at most 1 000 000 000 000."
        : decimal.Round(amount, 2) != amount ? "A target has at most two decimals."
        : null;

    /// <summary>Why a day cannot name a target's month (null: it can): it must be the month's first day.</summary>
    public static string? MonthProblem(DateOnly month) =>
        month.Day != 1 ? "A target's month is given by its first day (e.g. 2026-12-01)."
        : month.Year is < 2000 or > 2100 ? "A target's year is 2000 to 2100."
        : null;
}
