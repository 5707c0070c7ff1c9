using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>Whose deals the home page shows: a rep's own, a manager's team, or (an admin, a manager without a team) everyone's.</summary>
public enum DashboardScope
{
    Mine,
    Team,
    Organization,
}

/// <summary>An open deal whose expected close date has passed.</summary>
public sealed record OverdueDeal(Guid Id, string Title, Guid OwnerId, DateOnly ExpectedCloseDate, decimal Total);

/// <summary>
/// The home page's figures for the caller's role: the default pipeline by stage, this month's forecast, and the open
/// deals past their close date — each the same query as its report, under the scope's owner or team filter.
/// </summary>
public sealed record Dashboard(
    DashboardScope Scope, string? TeamName, ReportFilter Filter, string BaseCurrency, PipelineReport? Pipeline, ForecastRow Month, int OverdueCount,
    IReadOnlyList<OverdueDeal> Overdue);

public static class Dashboards
{
    public const int OverdueRows = 5;

    public static async Task<Dashboard> ForAsync(KazanDbContext db, CurrentUser me, OrganizationTime time, CancellationToken ct)
    {
        var (scope, filter, team) = await ScopeAsync(db, me, ct);
        var today = time.Today;
        var pipeline = await PipelineReports.PipelineAsync(db, filter, ct);
        var month = (await ForecastReports.ForecastAsync(db, filter, ForecastPeriod.Month, today, 1, time.Now, null, ct)).Rows[0];
        var overdue = ReportDeals.Query(db, filter).Where(d => d.Status == OpportunityStatus.Open && d.ExpectedCloseDate < today);
        var oldest = await overdue.OrderBy(d => d.ExpectedCloseDate).ThenBy(d => d.Id).Take(OverdueRows)
            .Join(db.Opportunities, d => d.Id, o => o.Id, (d, o) => new OverdueDeal(d.Id, o.Title, d.OwnerId, d.ExpectedCloseDate, d.Total))
            .ToListAsync(ct);
        var count = oldest.Count < OverdueRows ? oldest.Count : await overdue.CountAsync(ct);
        return new Dashboard(scope, team, filter, pipeline?.BaseCurrency ?? await OpportunityQueries.BaseCurrencyAsync(db, ct), pipeline, month, count, oldest);
    }

    /// <summary>A rep sees their own deals; a manager their team's (everyone's without a team); an admin everyone's.</summary>
    private static async Task<(DashboardScope, ReportFilter, string?)> ScopeAsync(KazanDbContext db, CurrentUser me, CancellationToken ct)
    {
        if (me.Role == UserRole.Rep)
        {
            return (DashboardScope.Mine, new ReportFilter(null, me.RequiredUserId, null, null), null);
        }

        if (me.Role == UserRole.Manager
            && await db.Users.Where(u => u.Id == me.RequiredUserId && u.TeamId != null)
                .Select(u => new { u.TeamId, Name = db.Teams.Where(t => t.Id == u.TeamId).Select(t => t.Name).FirstOrDefault() })
                .FirstOrDefaultAsync(ct) is { TeamId: { } teamId } team)
        {
            return (DashboardScope.Team, new ReportFilter(null, null, teamId, null), team.Name);
        }

        return (DashboardScope.Organization, new ReportFilter(null, null, null, null), null);
    }
}
