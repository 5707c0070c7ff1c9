using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Orders;

public sealed record OrderFilter(
    OrderStatus? Status = null, Guid? AccountId = null, Guid? OpportunityId = null, Guid? OwnerId = null,
    DateOnly? RequestedFrom = null, DateOnly? RequestedTo = null, bool Overdue = false, Guid? QuoteId = null);

public sealed record OrderSummary(
    Guid Id, string Number, OrderStatus Status, Guid AccountId, Guid OpportunityId, Guid OwnerId, string? CustomerReference,
    DateOnly OrderDate, DateOnly? RequestedDeliveryDate, string Currency, decimal NetTotal, decimal DeliveredNet, bool IsLate, DateTimeOffset CreatedAt);

/// <summary>What is ordered and not yet delivered for one customer, in the base currency.</summary>
public sealed record CustomerBacklog(Guid AccountId, string AccountName, int Orders, decimal RemainingNet, DateOnly? EarliestRequested);

/// <summary>What is ordered and not yet delivered of one product (free-text lines are grouped per unit without a product).</summary>
public sealed record ProductBacklog(Guid? ProductId, string Name, string Unit, decimal RemainingQuantity, decimal RemainingNet);

/// <summary>Order lists shared by the API and the pages: keyset paged, newest first; backlog aggregated in SQL.</summary>
public static class OrderQueries
{
    /// <summary>Orders still waiting for goods: the statuses the backlog and "late" look at.</summary>
    public static readonly OrderStatus[] Undelivered = [OrderStatus.Open, OrderStatus.PartiallyDelivered];

    public static bool IsLate(OrderStatus status, DateOnly? requested, DateOnly today) =>
        requested is { } date && date < today && status is OrderStatus.Open or OrderStatus.PartiallyDelivered;

    public static async Task<Page<OrderSummary>> ListAsync(KazanDbContext db, OrderFilter filter, DateOnly today, int take, string? cursor, CancellationToken ct)
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

        if (Cursor.Decode(cursor) is [var ticks, var idText] && long.TryParse(ticks, out var t) && Guid.TryParse(idText, out var lastId))
        {
            var before = new DateTimeOffset(t, TimeSpan.Zero);
            query = query.Where(o => o.CreatedAt < before || (o.CreatedAt == before && o.Id.CompareTo(lastId) < 0));
        }

        var rows = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id).Take(take + 1)
            .Select(o => new OrderSummary(o.Id, o.Number, o.Status, o.AccountId, o.OpportunityId, o.OwnerId, o.CustomerReference, o.OrderDate,
                o.RequestedDeliveryDate, o.Currency, o.NetTotal, o.DeliveredNet, false, o.CreatedAt))
            .ToListAsync(ct);
        var summaries = rows.Select(o => o with { IsLate = IsLate(o.Status, o.RequestedDeliveryDate, today) }).ToList();
        return Paging.ToPage(summaries, take, o => Cursor.Encode(o.CreatedAt.UtcTicks, o.Id));
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
                o.RequestedDeliveryDate, o.Currency, o.NetTotal, o.DeliveredNet, true, o.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>The delivery backlog by customer: remaining net (base currency) of undelivered lines, largest first.</summary>
    public static async Task<List<CustomerBacklog>> BacklogByCustomerAsync(KazanDbContext db, int take, CancellationToken ct)
    {
        var open = db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyDelivered);
        var amounts = await open
            .Join(db.OrderLines.AsNoTracking(), o => o.Id, l => l.OrderId, (o, l) => new { o.AccountId, l.RemainingNetBase })
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
        var names = await db.Accounts.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        return amounts.Select(a => new CustomerBacklog(a.AccountId, names.GetValueOrDefault(a.AccountId, "—"), orders[a.AccountId].Count, a.Remaining,
            orders[a.AccountId].Earliest)).ToList();
    }

    /// <summary>The delivery backlog by product: remaining quantity and net (base currency), largest first.</summary>
    public static async Task<List<ProductBacklog>> BacklogByProductAsync(KazanDbContext db, int take, CancellationToken ct)
    {
        var rows = await db.Orders.AsNoTracking().Where(o => o.Status == OrderStatus.Open || o.Status == OrderStatus.PartiallyDelivered)
            .Join(db.OrderLines.AsNoTracking(), o => o.Id, l => l.OrderId, (o, l) => l)
            .Where(l => l.Quantity - l.CancelledQuantity - l.DeliveredQuantity > 0)
            .GroupBy(l => new { l.ProductId, l.Unit })
            .Select(g => new
            {
                g.Key.ProductId,
                g.Key.Unit,
                Quantity = g.Sum(l => l.Quantity - l.CancelledQuantity - l.DeliveredQuantity),
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
}
