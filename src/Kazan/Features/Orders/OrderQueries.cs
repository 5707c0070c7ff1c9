using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Orders;

/// <summary>
/// What an order list shows. <see cref="Customer"/> matches the start of the customer's name the Turkish-aware way
/// (<c>ozturk</c> finds "Öztürk Gıda A.Ş."), through the indexed name key of the accounts.
/// </summary>
public sealed record OrderFilter(
    OrderStatus? Status = null, Guid? AccountId = null, Guid? OpportunityId = null, Guid? OwnerId = null,
    DateOnly? RequestedFrom = null, DateOnly? RequestedTo = null, bool Overdue = false, Guid? QuoteId = null, string? Customer = null);

public sealed record OrderSummary(
    Guid Id, string Number, OrderStatus Status, Guid AccountId, Guid OpportunityId, Guid OwnerId, string? CustomerReference,
    DateOnly OrderDate, DateOnly? RequestedDeliveryDate, string Currency, decimal NetTotal, decimal DeliveredNet, bool IsLate, DateTimeOffset CreatedAt);

/// <summary>What is ordered and not yet delivered for one customer, in the base currency.</summary>
public sealed record CustomerBacklog(Guid AccountId, string AccountName, int Orders, decimal RemainingNet, DateOnly? EarliestRequested);

/// <summary>What is ordered and not yet delivered of one product (free-text lines are grouped per unit without a product).</summary>
public sealed record ProductBacklog(Guid? ProductId, string Name, string Unit, decimal RemainingQuantity, decimal RemainingNet);

/// <summary>One order line still to deliver (<see cref="OrderQueries.BacklogLines"/>); built with an initializer so EF Core composes over it.</summary>
public sealed class BacklogLine
{
    public Guid AccountId { get; init; }
    public Guid OpportunityId { get; init; }
    public Guid? ProductId { get; init; }
    public string Unit { get; init; } = "";
    public decimal RemainingQuantity { get; init; }
    public decimal RemainingNetBase { get; init; }
}

/// <summary>An opportunity a direct order may be written on (the new-order page offers the account's open and won ones).</summary>
public sealed record OpportunityChoice(Guid Id, string Title, OpportunityStatus Status);

/// <summary>Order lists shared by the API and the pages: keyset paged, newest first; backlog aggregated in SQL.</summary>
public static class OrderQueries
{
    /// <summary>Orders still waiting for goods: the statuses the backlog and "late" look at.</summary>
    public static readonly OrderStatus[] Undelivered = [OrderStatus.Open, OrderStatus.PartiallyDelivered];

    public static bool IsLate(OrderStatus status, DateOnly? requested, DateOnly today) =>
        requested is { } date && date < today && status is OrderStatus.Open or OrderStatus.PartiallyDelivered;

    public static async Task<Page<OrderSummary>> ListAsync(KazanDbContext db, OrderFilter filter, DateOnly today, int take, string? cursor, CancellationToken ct)
    {
        var query = Filtered(db, filter, today);
        var at = Cursor.Read(cursor);
        if (at is { Values: [var ticks, var idText] } && long.TryParse(ticks, out var t) && Guid.TryParse(idText, out var lastId))
        {
            var key = new DateTimeOffset(t, TimeSpan.Zero);
            query = at.Backward
                ? query.After(db, o => o.CreatedAt, key, lastId)
                : query.After(db, o => o.CreatedAt, key, lastId, descending: true);
        }
        else
        {
            at = null;
        }

        var ordered = at?.Backward == true
            ? query.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id)
            : query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id);
        var rows = await ordered.Take(take + 1)
            .Select(o => new OrderSummary(o.Id, o.Number, o.Status, o.AccountId, o.OpportunityId, o.OwnerId, o.CustomerReference, o.OrderDate,
                o.RequestedDeliveryDate, o.Currency.Code, o.NetTotal, o.DeliveredNet, false, o.CreatedAt))
            .ToListAsync(ct);
        var summaries = rows.Select(o => o with { IsLate = IsLate(o.Status, o.RequestedDeliveryDate, today) }).ToList();
        return Paging.ToPage(summaries, take, at, o => [o.CreatedAt.UtcTicks, o.Id]);
    }

    /// <summary>How many orders match the filter, up to <see cref="Paging.CountCap"/>.</summary>
    public static Task<BoundedCount> CountAsync(KazanDbContext db, OrderFilter filter, DateOnly today, CancellationToken ct) =>
        Paging.CountAsync(Filtered(db, filter, today).Select(o => o.Id), ct);

    private static IQueryable<Order> Filtered(KazanDbContext db, OrderFilter filter, DateOnly today)
    {
        var query = db.Orders.AsNoTracking();
        if (filter.Status is { } status)
        {
            query = query.Where(o => o.Status == status);
        }

        if (filter.AccountId is { } accountId)
        {
            query = query.Where(o => o.AccountId == accountId);
        }

        if (filter.OpportunityId is { } opportunityId)
        {
            query = query.Where(o => o.OpportunityId == opportunityId);
        }

        if (filter.QuoteId is { } quoteId)
        {
            query = query.Where(o => o.QuoteId == quoteId);
        }

        if (filter.OwnerId is { } ownerId)
        {
            query = query.Where(o => o.OwnerId == ownerId);
        }

        var customer = string.IsNullOrWhiteSpace(filter.Customer) ? "" : Account.KeyOf(filter.Customer);
        if (customer.Length > 0)
        {
            query = query.Where(o => db.Accounts.Any(a => a.Id == o.AccountId && a.NameKey.StartsWith(customer)));
        }

        if (filter.RequestedFrom is { } from)
        {
            query = query.Where(o => o.RequestedDeliveryDate >= from);
        }

        if (filter.RequestedTo is { } to)
        {
            query = query.Where(o => o.RequestedDeliveryDate <= to);
        }

        if (filter.Overdue)
        {
            query = query.Where(o => (o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyDelivered) && o.RequestedDeliveryDate < today);
        }

        return query;
    }

    /// <summary>Late orders (requested date passed, not delivered), oldest request first; for the dashboard and the account page.</summary>
    public static async Task<List<OrderSummary>> LateAsync(KazanDbContext db, Guid? accountId, DateOnly today, int take, CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyDelivered) && o.RequestedDeliveryDate < today);
        if (accountId is { } id)
        {
            query = query.Where(o => o.AccountId == id);
        }

        return await query.OrderBy(o => o.RequestedDeliveryDate).ThenBy(o => o.Id).Take(take)
            .Select(o => new OrderSummary(o.Id, o.Number, o.Status, o.AccountId, o.OpportunityId, o.OwnerId, o.CustomerReference, o.OrderDate,
                o.RequestedDeliveryDate, o.Currency.Code, o.NetTotal, o.DeliveredNet, true, o.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>
    /// How many orders are late (of one account, or all the caller sees), counted up to <paramref name="cap"/>: the
    /// dashboard says "more than" beyond it instead of counting without bound.
    /// </summary>
    public static Task<int> LateCountAsync(KazanDbContext db, Guid? accountId, DateOnly today, int cap, CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking()
            .Where(o => (o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyDelivered) && o.RequestedDeliveryDate < today);
        if (accountId is { } id)
        {
            query = query.Where(o => o.AccountId == id);
        }

        return query.Select(o => o.Id).Take(cap).CountAsync(ct);
    }

    /// <summary>
    /// The one rule of the delivery backlog: the lines of the orders still waiting for goods (open or partly delivered)
    /// with what is ordered, not cancelled and not delivered of each, in the base currency at the order's rate. The
    /// backlog page adds them by customer and product, the amounts reconciliation by deal; <paramref name="orders"/>
    /// says whose orders (the caller's visible ones, or every order of the deals a report counts).
    /// </summary>
    public static IQueryable<BacklogLine> BacklogLines(KazanDbContext db, IQueryable<Order> orders) =>
        orders.Where(o => o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyDelivered)
            .Join(db.OrderLines.AsNoTracking(), o => o.Id, l => l.OrderId, (o, l) => new BacklogLine
            {
                AccountId = o.AccountId,
                OpportunityId = o.OpportunityId,
                ProductId = l.ProductId,
                Unit = l.Unit,
                RemainingQuantity = l.Terms.Quantity - l.CancelledQuantity - l.DeliveredQuantity,
                RemainingNetBase = l.RemainingNetBase,
            });

    /// <summary>The delivery backlog by customer: remaining net (base currency) of undelivered lines, largest first.</summary>
    public static async Task<List<CustomerBacklog>> BacklogByCustomerAsync(KazanDbContext db, int take, CancellationToken ct)
    {
        var open = db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyDelivered);
        var amounts = await BacklogLines(db, db.Orders.AsNoTracking())
            .GroupBy(x => x.AccountId)
            .Select(g => new { AccountId = g.Key, Remaining = g.Sum(x => x.RemainingNetBase) })
            .OrderByDescending(x => x.Remaining).ThenBy(x => x.AccountId)
            .Take(take)
            .ToListAsync(ct);
        var ids = amounts.Select(a => a.AccountId).ToList();
        var orders = await open.Where(o => ids.Contains(o.AccountId))
            .GroupBy(o => o.AccountId)
            .Select(g => new { AccountId = g.Key, Count = g.Count(), Earliest = g.Min(o => o.RequestedDeliveryDate) })
            .ToDictionaryAsync(x => x.AccountId, ct);
        var names = await db.Accounts.WithIds(db, ids).AsNoTracking().ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return amounts.Select(a => new CustomerBacklog(a.AccountId, names.GetValueOrDefault(a.AccountId, "—"), orders[a.AccountId].Count, a.Remaining,
            orders[a.AccountId].Earliest)).ToList();
    }

    /// <summary>The delivery backlog by product: remaining quantity and net (base currency), largest first.</summary>
    public static async Task<List<ProductBacklog>> BacklogByProductAsync(KazanDbContext db, int take, CancellationToken ct)
    {
        var rows = await BacklogLines(db, db.Orders.AsNoTracking())
            .Where(l => l.RemainingQuantity > 0)
            .GroupBy(l => new { l.ProductId, l.Unit })
            .Select(g => new
            {
                g.Key.ProductId,
                g.Key.Unit,
                Quantity = g.Sum(l => l.RemainingQuantity),
                Remaining = g.Sum(l => l.RemainingNetBase),
            })
            .OrderByDescending(x => x.Remaining).ThenBy(x => x.Unit)
            .Take(take)
            .ToListAsync(ct);
        var ids = rows.Where(r => r.ProductId is not null).Select(r => r.ProductId!.Value).ToList();
        var names = await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Code + " · " + p.Name, ct);
        return rows.Select(r => new ProductBacklog(r.ProductId, r.ProductId is { } id ? names.GetValueOrDefault(id, "—") : "", r.Unit, r.Quantity, r.Remaining)).ToList();
    }

    /// <summary>The deliveries and returns of an order, oldest first, with their lines.</summary>
    public static async Task<List<Delivery>> DeliveriesAsync(KazanDbContext db, Guid orderId, CancellationToken ct) =>
        await db.Deliveries.AsNoTracking().Include("_lines").Where(d => d.OrderId == orderId).OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToListAsync(ct);

    /// <summary>
    /// Whether the order's opportunity is won and no other order of it is left uncancelled. Then cancelling this order
    /// (when nothing of it is delivered) leaves a won deal without orders, and the order page asks whether to reopen it.
    /// Like <see cref="OrderCommands.CancelAsync"/> it counts every order and reads the deal whoever owns them now: the
    /// answer must match what the cancellation will find (a rep may see an order whose deal was transferred since).
    /// </summary>
    public static async Task<bool> IsLastLiveOrderOfWonOpportunityAsync(KazanDbContext db, Order order, CancellationToken ct)
    {
        var won = await db.Opportunities.AsNoTracking().IgnoreQueryFilters([KazanDbContext.OwnerFilter])
            .AnyAsync(o => o.Id == order.OpportunityId && o.Status == OpportunityStatus.Won, ct);
        return won && !await db.Orders.AsNoTracking().IgnoreQueryFilters([KazanDbContext.OwnerFilter])
            .AnyAsync(o => o.OpportunityId == order.OpportunityId && o.Id != order.Id && o.Status != OrderStatus.Cancelled, ct);
    }

    /// <summary>The account's open and won opportunities, newest first: where a direct order can go (lost ones must be reopened first).</summary>
    public static async Task<List<OpportunityChoice>> OpportunityChoicesAsync(KazanDbContext db, Guid accountId, int take, CancellationToken ct) =>
        await db.Opportunities.AsNoTracking()
            .Where(o => o.AccountId == accountId && (o.Status == OpportunityStatus.Open || o.Status == OpportunityStatus.Won))
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(take)
            .Select(o => new OpportunityChoice(o.Id, o.Title, o.Status))
            .ToListAsync(ct);

    /// <summary>Per quote line what is ordered; the ordered net is the orders' net of those lines (their own rounding).</summary>
    public static async Task<QuoteOrdering> OrderingAsync(KazanDbContext db, Quote quote, DateOnly today, CancellationToken ct)
    {
        var coverage = await OrderCommands.CoverageAsync(db, quote, ct);
        var orderedNet = coverage.Sum(c => c.OrderedNet);
        var orders = await ListAsync(db, new OrderFilter(QuoteId: quote.Id), today, 100, null, ct);
        return new QuoteOrdering(quote.Id, quote.NetTotal, orderedNet,
            coverage.Select(c => new QuoteLineCoverageResponse(c.QuoteLineId, c.Description, c.Unit, c.Quoted, c.Ordered, c.Remaining)).ToList(),
            orders.Items);
    }
}
