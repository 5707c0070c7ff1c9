using System.Net.Http.Json;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Reports;

// Its own host: the test moves the clock.
/// <summary>The pipeline movement (waterfall) between two days, each line worked out by hand from the story below.</summary>
public sealed class MovementReportTests(ClockedKazanFactory factory) : IClassFixture<ClockedKazanFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record EndDto(int Count, decimal Total);

    private sealed record LineDto(string Kind, int Count, decimal Amount);

    private sealed record ReportDto(string BaseCurrency, EndDto Start, List<LineDto> Lines, EndDto End);

    private sealed record DealDto(Guid Id, string Title, decimal? StartAmount, decimal EndAmount, decimal Change);

    [Fact]
    public async Task Each_deal_lands_on_its_line_and_start_plus_the_lines_is_the_end()
    {
        // 10 March: the second quarter's pipeline is six deals, 53 000 TRY (and one deal closing in August).
        var org = await factory.CreateOrganizationAsync("Şelale A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Deniz Rep");
        var account = await factory.AccountAsync(org, "Akış Ltd.");
        var day = (int m, int d) => new DateOnly(2026, m, d);
        var a = await Deal("Artan", 10_000m, day(5, 15));
        var b = await Deal("Kazanılan", 20_000m, day(6, 1));
        var c = await Deal("Kaybedilen", 5_000m, day(4, 20));
        var d = await Deal("Kayan", 8_000m, day(6, 30));
        var e = await Deal("Öne çekilen", 3_000m, day(8, 1));
        var f = await Deal("Azalan", 4_000m, day(5, 1));
        var g = await Deal("Devredilen", 6_000m, day(5, 5));

        // 20 to 25 March: the span. Everything happens here.
        factory.Clock.Advance(TimeSpan.FromDays(10));
        await ChangeAsync(a, (db, o, now, time) => OpportunityCommands.UpdateAsync(db, a, o.Version, Details(o, 12_000m, o.ExpectedCloseDate), Ct));
        await ChangeAsync(b, (db, o, now, time) => OpportunityCommands.MarkWonAsync(db, b, o.Version, org.Admin.Id, time, null, Ct));
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var h = await Deal("Yeni", 7_000m, day(6, 10));
        var reason = await ReasonAsync();
        await ChangeAsync(c, (db, o, now, time) => OpportunityCommands.MarkLostAsync(db, c, o.Version, reason, null, org.Admin.Id, time, null, Ct));
        await ChangeAsync(d, (db, o, now, time) => OpportunityCommands.UpdateAsync(db, d, o.Version, Details(o, o.ExpectedAmount, day(7, 15)), Ct));
        await ChangeAsync(e, (db, o, now, time) => OpportunityCommands.UpdateAsync(db, e, o.Version, Details(o, o.ExpectedAmount, day(5, 1)), Ct));
        await ChangeAsync(f, (db, o, now, time) => OpportunityCommands.UpdateAsync(db, f, o.Version, Details(o, 1_000m, o.ExpectedCloseDate), Ct));
        await ChangeAsync(g, (db, o, now, time) => OpportunityCommands.TransferAsync(db, g, o.Version, rep.Id, org.Admin.Id, now, Ct));

        // 26 March, after the span: a change the report must not see.
        factory.Clock.Advance(TimeSpan.FromDays(5));
        await ChangeAsync(a, (db, o, now, time) => OpportunityCommands.MarkLostAsync(db, a, o.Version, reason, null, org.Admin.Id, time, null, Ct));

        const string span = "from=2026-03-20&to=2026-03-25&closeFrom=2026-04-01&closeTo=2026-06-30";
        var report = (await org.Admin.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/movement?{span}", Ct))!;
        Assert.Equal((6, 53_000m), (report.Start.Count, report.Start.Total));
        Assert.Equal(
            [("New", 1, 7_000m), ("MovedIn", 1, 3_000m), ("Increased", 1, 2_000m), ("Decreased", 1, -3_000m), ("Slipped", 1, -8_000m),
                ("Won", 1, -20_000m), ("Lost", 1, -5_000m), ("MovedOut", 0, 0m)],
            report.Lines.Select(l => (l.Kind, l.Count, l.Amount)));
        Assert.Equal((5, 29_000m), (report.End.Count, report.End.Total));

        // The admin's own pipeline: the transferred deal moved out.
        var mine = (await org.Admin.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/movement?{span}&mine=true", Ct))!;
        Assert.Equal((1, -6_000m), mine.Lines.Where(l => l.Kind == "MovedOut").Select(l => (l.Count, l.Amount)).Single());
        Assert.Equal(mine.Start.Total + mine.Lines.Sum(l => l.Amount), mine.End.Total);
        Assert.Equal(23_000m, mine.End.Total);

        // The rep sees only the deal that is theirs now, also in the past (visibility is today's); as "my deals" it moved in.
        var visible = (await rep.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/movement?{span}", Ct))!;
        Assert.Equal((1, 6_000m, 1, 6_000m), (visible.Start.Count, visible.Start.Total, visible.End.Count, visible.End.Total));
        Assert.All(visible.Lines, l => Assert.Equal(0, l.Count));
        var theirs = (await rep.Client.GetFromJsonAsync<ReportDto>($"/api/v1/reports/movement?{span}&mine=true", Ct))!;
        Assert.Equal((0, 1, 6_000m), (theirs.Start.Count, theirs.End.Count, theirs.End.Total));
        Assert.Equal(("MovedIn", 6_000m), theirs.Lines.Where(l => l.Count > 0).Select(l => (l.Kind, l.Amount)).Single());

        // Drill-down: the deals behind a line.
        var won = (await org.Admin.Client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/movement/deals?{span}&kind=won", Ct))!;
        Assert.Equal(("Kazanılan", 20_000m, -20_000m), won.Select(x => (x.Title, x.EndAmount, x.Change)).Single());
        var slipped = (await org.Admin.Client.GetFromJsonAsync<List<DealDto>>($"/api/v1/reports/movement/deals?{span}&kind=Slipped", Ct))!;
        Assert.Equal(d, slipped.Single().Id);

        var csv = await org.Admin.Client.GetStringAsync($"/api/v1/reports/movement?{span}&format=csv", Ct);
        Assert.Contains("Başlangıç,6,53000.00", csv, StringComparison.Ordinal);
        Assert.Contains("Dönem dışına kayan,1,-8000.00", csv, StringComparison.Ordinal);

        foreach (var bad in new[] { "from=2026-03-25&to=2026-03-20", "closeFrom=2026-06-01&closeTo=2026-05-01", "from=2010-01-01&to=2026-01-01", "format=pdf", "from=dün" })
        {
            await (await org.Admin.Client.GetAsync($"/api/v1/reports/movement?{bad}", Ct)).ProblemAsync(400);
        }

        foreach (var bad in new[] { "", "kind=Start", "kind=3", "kind=won&to=2020-01-01" })
        {
            await (await org.Admin.Client.GetAsync($"/api/v1/reports/movement/deals?{bad}", Ct)).ProblemAsync(400);
        }

        async Task<Guid> Deal(string title, decimal amount, DateOnly closeOn) =>
            await factory.OpportunityAsync(org, account, title: title, amount: amount, closeOn: closeOn, at: factory.Clock.Now);

        async Task<Guid> ReasonAsync()
        {
            var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
            using (scope)
            {
                return await db.LostReasons.Select(r => r.Id).FirstAsync(Ct);
            }
        }

        async Task ChangeAsync(Guid id, Func<KazanDbContext, Opportunity, DateTimeOffset, OrganizationTime, Task<Outcome<Opportunity>>> change)
        {
            var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
            using (scope)
            {
                var o = await db.Opportunities.AsNoTracking().SingleAsync(x => x.Id == id, Ct);
                var outcome = await change(db, o, factory.Clock.Now, new OrganizationTime(factory.Clock, scope.ServiceProvider.GetRequiredService<CurrentUser>()));
                Assert.True(outcome.IsOk, $"{outcome.Status} {outcome.Rule?.Message}");
            }

            factory.Clock.Advance(TimeSpan.FromMinutes(5));
        }
    }

    private static OpportunityDetails Details(Opportunity o, decimal amount, DateOnly closeOn) =>
        new(o.Title, amount, o.Currency.Code, o.Currency.Rate, closeOn, o.Source, o.NextStep);
}
