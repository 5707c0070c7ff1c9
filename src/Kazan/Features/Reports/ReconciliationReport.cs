using System.Globalization;
using Kazan.Features.Opportunities;
using Kazan.Features.Orders;
using Kazan.Features.Pricing;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Reports;

/// <summary>Which gap a drill-down of the amounts reconciliation lists.</summary>
public enum ReconciliationGap
{
    /// <summary>Deals with a quoted amount (a primary quote) and no ordered amount (no order that is not cancelled).</summary>
    QuotedNotOrdered,

    /// <summary>Deals whose ordered amount is more than their delivered amount.</summary>
    OrderedNotDelivered,
}

/// <summary>
/// One cell of the amounts reconciliation (an owner in a month), an owner's or a month's total, or the total: the deals
/// counted and their four amounts in the base currency, the two gaps, the delivery backlog and the quotes decided.
/// </summary>
public sealed record ReconciliationRow(
    Guid? OwnerId, string OwnerName, string? Month, int Deals, decimal Expected, decimal Quoted, decimal Ordered, decimal Delivered,
    int QuotedNotOrderedDeals, decimal QuotedNotOrdered, int OrderedNotDeliveredDeals, decimal OrderedNotDelivered, decimal Backlog,
    int QuotesAccepted, int QuotesDecided)
{
    /// <summary>Accepted ÷ decided quotes, a fraction rounded to four places; null when no quote was decided.</summary>
    public decimal? AcceptanceRate => WinRates.Rate(QuotesAccepted, QuotesDecided);

    public static ReconciliationRow Empty(Guid? ownerId, string ownerName, string? month) => new(ownerId, ownerName, month, 0, 0m, 0m, 0m, 0m, 0, 0m, 0, 0m, 0m, 0, 0);

    public ReconciliationRow Plus(ReconciliationRow o) => this with
    {
        Deals = Deals + o.Deals,
        Expected = Expected + o.Expected,
        Quoted = Quoted + o.Quoted,
        Ordered = Ordered + o.Ordered,
        Delivered = Delivered + o.Delivered,
        QuotedNotOrderedDeals = QuotedNotOrderedDeals + o.QuotedNotOrderedDeals,
        QuotedNotOrdered = QuotedNotOrdered + o.QuotedNotOrdered,
        OrderedNotDeliveredDeals = OrderedNotDeliveredDeals + o.OrderedNotDeliveredDeals,
        OrderedNotDelivered = OrderedNotDelivered + o.OrderedNotDelivered,
        Backlog = Backlog + o.Backlog,
        QuotesAccepted = QuotesAccepted + o.QuotesAccepted,
        QuotesDecided = QuotesDecided + o.QuotesDecided,
    };
}

/// <summary>
/// The amounts reconciliation of the months <see cref="From"/>–<see cref="To"/>: <see cref="Rows"/> has a row per owner
/// and month with deals (owners by name, months in order), <see cref="Owners"/> each owner's total,
/// <see cref="MonthTotals"/> every month of the span (empty ones too) and <see cref="Total"/> all of it.
/// </summary>
public sealed record ReconciliationReport(
    string BaseCurrency, DateOnly From, DateOnly To, IReadOnlyList<string> Months, IReadOnlyList<ReconciliationRow> Rows,
    IReadOnlyList<ReconciliationRow> Owners, IReadOnlyList<ReconciliationRow> MonthTotals, ReconciliationRow Total);

/// <summary>A deal behind a cell of the reconciliation: its four amounts, the backlog of its orders, in the base currency (null: the deal has none).</summary>
public sealed record ReconciliationDeal(
    Guid Id, string Title, OpportunityStatus Status, Guid OwnerId, string OwnerName, string Month, string Currency, decimal Expected, decimal? Quoted,
    decimal? Ordered, decimal? Delivered, decimal Backlog, int QuotesAccepted, int QuotesDecided);

/// <summary>
/// Expected vs quoted vs ordered vs delivered (DOMAIN.md "The amounts of an opportunity"), by owner and month. A deal
/// belongs to the month of its closed date when won or lost, of its expected close date while open — the month the
/// forecast puts it in — so each row compares the four amounts of the same deals. Amounts are the deal's own (the
/// roll-up of its primary quote and every order), converted to the base currency at the deal's rate and rounded per
/// deal (<see cref="ExchangeRate.ToBase"/>); the backlog is the orders' own rule (<see cref="OrderQueries.BacklogLines"/>).
/// Quotes and orders count whoever wrote them: the deal's visibility decides.
/// </summary>
public static class Reconciliations
{
    public const int MaxDeals = 500;

    public static async Task<ReconciliationReport> ReconciliationAsync(KazanDbContext db, ReportFilter filter, DateOnly from, int count, DateOnly today, CancellationToken ct)
    {
        var (start, end) = WinRates.Span(from, ForecastPeriod.Month, count);
        var deals = await FactsAsync(db, Deals(db, filter, start, end), today, ct);
        var ownerIds = deals.Select(d => d.OwnerId).Distinct().ToList();
        var names = await db.Users.Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var months = Enumerable.Range(0, count).Select(i => Key(start.AddMonths(i))).ToList();

        var rows = deals.GroupBy(d => (d.OwnerId, Month: Key(d.Day)))
            .Select(g => g.Aggregate(ReconciliationRow.Empty(g.Key.OwnerId, names.GetValueOrDefault(g.Key.OwnerId) ?? "?", g.Key.Month), (row, d) => row.Plus(d.Row)))
            .ToList();
        var byName = StringComparer.Create(CultureInfo.CurrentCulture, false);
        var owners = rows.GroupBy(r => r.OwnerId)
            .Select(g => g.Aggregate(ReconciliationRow.Empty(g.Key, g.First().OwnerName, null), (sum, r) => sum.Plus(r)))
            .OrderBy(o => o.OwnerName, byName).ThenBy(o => o.OwnerId).ToList();
        var order = owners.Select((o, i) => (o.OwnerId, i)).ToDictionary(x => x.OwnerId!.Value, x => x.i);
        rows = [.. rows.OrderBy(r => order[r.OwnerId!.Value]).ThenBy(r => r.Month, StringComparer.Ordinal)];
        var monthTotals = months.Select(m => rows.Where(r => r.Month == m).Aggregate(ReconciliationRow.Empty(null, "", m), (sum, r) => sum.Plus(r))).ToList();
        var total = monthTotals.Aggregate(ReconciliationRow.Empty(null, "", null), (sum, r) => sum.Plus(r));
        return new ReconciliationReport(await OpportunityQueries.BaseCurrencyAsync(db, ct), start, end.AddDays(-1), months, rows, owners, monthTotals, total);
    }

    /// <summary>
    /// The deals behind a cell (the filter's owner, one month or the whole span, one gap or all), the largest first — by
    /// the gap's amount, else by the most advanced amount (ordered, else quoted, else expected) — at most <see cref="MaxDeals"/>.
    /// </summary>
    public static async Task<List<ReconciliationDeal>> DealsAsync(
        KazanDbContext db, ReportFilter filter, DateOnly from, int count, DateOnly? month, ReconciliationGap? gap, DateOnly today, CancellationToken ct)
    {
        var (start, end) = month is { } m ? (Start(m), Start(m).AddMonths(1)) : WinRates.Span(from, ForecastPeriod.Month, count);
        var deals = Deals(db, filter, start, end);
        deals = gap switch
        {
            ReconciliationGap.QuotedNotOrdered => deals.Where(d => d.QuotedAmount != null && d.OrderedAmount == null),
            ReconciliationGap.OrderedNotDelivered => deals.Where(d => d.OrderedAmount != null && d.OrderedAmount > (d.DeliveredAmount ?? 0m)),
            _ => deals,
        };
        var facts = await FactsAsync(db, deals, today, ct);
        var picked = facts.Where(d => gap switch
            {
                ReconciliationGap.QuotedNotOrdered => d.Row.QuotedNotOrderedDeals > 0,
                ReconciliationGap.OrderedNotDelivered => d.Row.OrderedNotDeliveredDeals > 0,
                _ => true,
            }).OrderByDescending(d => gap switch
            {
                ReconciliationGap.QuotedNotOrdered => d.Row.QuotedNotOrdered,
                ReconciliationGap.OrderedNotDelivered => d.Row.OrderedNotDelivered,
                _ => d.Ordered ?? d.Quoted ?? d.Row.Expected,
            }).ThenBy(d => d.Id).Take(MaxDeals).ToList();
        var ids = picked.Select(d => d.Id).ToList();
        var titles = await OpportunityQueries.WithIds(db, ids).AsNoTracking()
            .Select(o => new { o.Id, o.Title, o.Status, Currency = o.Currency.Code }).ToDictionaryAsync(o => o.Id, ct);
        var ownerIds = picked.Select(d => d.OwnerId).Distinct().ToList();
        var names = await db.Users.Where(u => ownerIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        return [.. picked.Select(d => new ReconciliationDeal(d.Id, titles[d.Id].Title, titles[d.Id].Status, d.OwnerId, names.GetValueOrDefault(d.OwnerId) ?? "?",
            Key(d.Day), titles[d.Id].Currency, d.Row.Expected, d.Quoted, d.Ordered, d.Delivered, d.Row.Backlog, d.Row.QuotesAccepted, d.Row.QuotesDecided))];
    }

    /// <summary>"2026-03": the key and the name of a month.</summary>
    public static string Key(DateOnly day) => day.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    /// <summary>A month's key read back ("2026-03"), or null when it is not one.</summary>
    public static DateOnly? ParseMonth(string? text) =>
        text is { Length: 7 } && DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : null;

    /// <summary>A gap's name in addresses: quoted-not-ordered or ordered-not-delivered.</summary>
    public static string GapName(ReconciliationGap gap) => gap == ReconciliationGap.QuotedNotOrdered ? "quoted-not-ordered" : "ordered-not-delivered";

    public static ReconciliationGap? ParseGap(string? text) => text switch
    {
        "quoted-not-ordered" => ReconciliationGap.QuotedNotOrdered,
        "ordered-not-delivered" => ReconciliationGap.OrderedNotDelivered,
        _ => null,
    };

    /// <summary>The table for the files: each owner's months and total, then every month's total and the total; rates in per cent.</summary>
    public static ReportTable Table(ReconciliationReport report, Func<string, string> text)
    {
        var money = $" ({report.BaseCurrency})";
        var all = text("Common.All");
        var rows = report.Owners.SelectMany(o => report.Rows.Where(r => r.OwnerId == o.OwnerId).Append(o))
            .Concat(report.MonthTotals.Select(m => m with { OwnerName = all }))
            .Append(report.Total with { OwnerName = all });
        return new ReportTable(text("Report.Reconciliation"),
            [text("Opportunity.Owner"), text("Report.Reconciliation.Month"), text("Report.Deals"), text("Report.Reconciliation.Expected") + money,
                text("Report.Reconciliation.Quoted") + money, text("Report.Reconciliation.Ordered") + money, text("Report.Reconciliation.Delivered") + money,
                text("Report.Reconciliation.QuotedNotOrdered") + money, text("Report.Reconciliation.OrderedNotDelivered") + money,
                text("Report.Reconciliation.Backlog") + money, text("Report.Reconciliation.QuotesAccepted"), text("Report.Reconciliation.QuotesDecided"),
                text("Report.Reconciliation.AcceptanceRate") + " (%)"],
            [.. rows.Select(r => new object[]
            {
                r.OwnerName, r.Month ?? all, r.Deals, r.Expected, r.Quoted, r.Ordered, r.Delivered, r.QuotedNotOrdered, r.OrderedNotDelivered, r.Backlog,
                r.QuotesAccepted, r.QuotesDecided, r.AcceptanceRate is { } rate ? rate * 100m : "",
            })]);
    }

    private static DateOnly Start(DateOnly day) => new(day.Year, day.Month, 1);

    /// <summary>
    /// The one rule of which deals count in [start, end): every deal the caller may see (open, won or lost) of the filter,
    /// by its closed date when closed, its expected close date while open; now (quotes and orders keep no history).
    /// </summary>
    private static IQueryable<ReportDeal> Deals(KazanDbContext db, ReportFilter filter, DateOnly start, DateOnly end)
    {
        var deals = ReportDeals.Query(db, filter with { AsOf = null })
            .Where(d => d.Status == OpportunityStatus.Open
                ? d.ExpectedCloseDate >= start && d.ExpectedCloseDate < end
                : d.ClosedOn >= start && d.ClosedOn < end);
        return filter.PipelineId is { } pipeline ? deals.Where(d => d.PipelineId == pipeline) : deals;
    }

    /// <summary>
    /// Each deal's figures: its amounts from one compact query (converted and rounded here, per deal, as the money rule
    /// does), its decided quotes and its backlog from two statements grouped by deal in the database.
    /// </summary>
    private static async Task<List<Fact>> FactsAsync(KazanDbContext db, IQueryable<ReportDeal> deals, DateOnly today, CancellationToken ct)
    {
        var rows = await deals.Select(d => new
        {
            d.Id,
            d.OwnerId,
            Day = d.Status == OpportunityStatus.Open ? d.ExpectedCloseDate : d.ClosedOn!.Value,
            d.Rate,
            d.ExpectedAmount,
            d.QuotedAmount,
            d.OrderedAmount,
            d.DeliveredAmount,
        }).ToListAsync(ct);
        if (rows.Count == 0)
        {
            return [];
        }

        // Both grouped by deal, joined to the deals (a join, not IN over them: SQLite's plan for the IN took several
        // times longer). Ignoring the owner filter is query-wide: the deals' rows above decide what is shown.
        var quotes = await deals.Join(Decided(db, today), d => d.Id, q => q.OpportunityId, (d, q) => new { d.Id, q.Status })
            .GroupBy(x => x.Id)
            .Select(g => new { Id = g.Key, Accepted = g.Count(x => x.Status == QuoteStatus.Accepted), Decided = g.Count() })
            .ToDictionaryAsync(q => q.Id, ct);
        // The backlog of every undelivered order of the organization, by deal (the few open orders, as the backlog page
        // reads them), kept for the deals above. The organization is named here because the filters are switched off
        // for this one statement: with the lines' own tenant filter SQLite walks every line of the organization.
        var organization = db.Actor.RequiredOrganizationId;
        var backlog = await OrderQueries.BacklogLines(db, db.Orders.IgnoreQueryFilters().AsNoTracking().Where(o => o.OrganizationId == organization))
            .GroupBy(l => l.OpportunityId)
            .Select(g => new { Id = g.Key, Remaining = g.Sum(l => l.RemainingNetBase) })
            .ToDictionaryAsync(b => b.Id, b => b.Remaining, ct);

        return [.. rows.Select(d =>
        {
            decimal? Base(decimal? amount) => amount is { } a ? ExchangeRate.ToBase(a, d.Rate) : null;
            var (quoted, ordered, delivered) = (Base(d.QuotedAmount), Base(d.OrderedAmount), Base(d.DeliveredAmount));
            var open = ordered is { } o ? o - (delivered ?? 0m) : 0m;
            var q = quotes.GetValueOrDefault(d.Id);
            var row = new ReconciliationRow(d.OwnerId, "", null, 1, ExchangeRate.ToBase(d.ExpectedAmount, d.Rate), quoted ?? 0m, ordered ?? 0m, delivered ?? 0m,
                quoted is not null && ordered is null ? 1 : 0, ordered is null ? quoted ?? 0m : 0m, open > 0 ? 1 : 0, open,
                backlog.GetValueOrDefault(d.Id), q?.Accepted ?? 0, q?.Decided ?? 0);
            return new Fact(d.Id, d.OwnerId, d.Day, quoted, ordered, delivered, row);
        })];
    }

    /// <summary>
    /// The quotes that count for the acceptance rate: the last revision of each quote (a revised one is Superseded and
    /// not counted: its number counts once, by how its latest revision ended) that the customer decided — accepted,
    /// rejected, or sent and left to expire (valid until before today). Drafts, quotes still open and withdrawn ones
    /// are not decided. Every quote of the deal counts, whoever wrote it.
    /// </summary>
    private static IQueryable<Quote> Decided(KazanDbContext db, DateOnly today) =>
        db.Quotes.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).AsNoTracking()
            .Where(q => q.Status == QuoteStatus.Accepted || q.Status == QuoteStatus.Rejected || (q.Status == QuoteStatus.Sent && q.ValidUntil < today));

    /// <summary>One deal's figures as the report counts them (its row holds one deal).</summary>
    private sealed record Fact(Guid Id, Guid OwnerId, DateOnly Day, decimal? Quoted, decimal? Ordered, decimal? Delivered, ReconciliationRow Row);
}
