using System.ComponentModel.DataAnnotations;
using Kazan.Features.Exports;
using Kazan.Features.Opportunities;
using Kazan.Features.Pricing;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Orders;

/// <summary>
/// A line of a new or edited order. On an order from a quote only <see cref="QuoteLineId"/> and
/// <see cref="Quantity"/> count (null quantity: what remains of that quote line); elsewhere a product line may leave
/// description, unit, price and VAT to the product. <see cref="Id"/> names an existing line when editing.
/// </summary>
public sealed record OrderLineRequest(
    Guid? Id,
    Guid? QuoteLineId,
    Guid? ProductId,
    [StringLength(2000)] string? Description,
    [Range(typeof(decimal), "0", "1000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? Quantity,
    [StringLength(20)] string? Unit,
    [Range(typeof(decimal), "0", "1000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? UnitPrice,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal DiscountPercent,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? VatRate);

public sealed record CreateOrderRequest(
    Guid? QuoteId,
    Guid? AccountId,
    Guid? OpportunityId,
    [StringLength(200)] string? OpportunityTitle,
    [StringLength(3, MinimumLength = 3)] string? Currency,
    [Range(typeof(decimal), "0.0001", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? ExchangeRate,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal DocumentDiscountPercent,
    DateOnly? OrderDate,
    [StringLength(100)] string? CustomerReference,
    DateOnly? RequestedDeliveryDate,
    [StringLength(1000)] string? DeliveryAddress,
    [StringLength(8000)] string? Notes,
    [MaxLength(2000)] List<OrderLineRequest>? Lines);

/// <summary>Details are always editable; currency, rate, discount and lines only where nothing is delivered (omit them to keep them).</summary>
public sealed record UpdateOrderRequest(
    [StringLength(100)] string? CustomerReference,
    DateOnly? RequestedDeliveryDate,
    [StringLength(1000)] string? DeliveryAddress,
    [StringLength(8000)] string? Notes,
    [StringLength(3, MinimumLength = 3)] string? Currency,
    [Range(typeof(decimal), "0.0001", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? ExchangeRate,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? DocumentDiscountPercent,
    [MaxLength(2000)] List<OrderLineRequest>? Lines);

public sealed record DeliveryLineRequest(
    Guid OrderLineId,
    [Range(typeof(decimal), "0", "1000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal Quantity);

/// <summary>A delivery without lines takes everything still to deliver; a return must list what came back.</summary>
public sealed record DeliveryRequest(DateOnly? Date, [StringLength(40)] string? NoteNumber, [StringLength(2000)] string? Note, [MaxLength(2000)] List<DeliveryLineRequest>? Lines);

public sealed record CancelOrderRequest([Required, StringLength(500, MinimumLength = 1)] string Reason, bool ReopenOpportunity);

public sealed record OrderLineResponse(
    Guid Id, Guid? QuoteLineId, Guid? ProductId, string Description, string Unit, decimal UnitPrice, decimal DiscountPercent, decimal VatRate,
    decimal Ordered, decimal Delivered, decimal Returned, decimal Cancelled, decimal Remaining, decimal NetAmount, decimal VatAmount, decimal DeliveredNet);

public sealed record DeliveryLineResponse(Guid OrderLineId, decimal Quantity);

public sealed record DeliveryResponse(Guid Id, DeliveryKind Kind, DateOnly Date, string? NoteNumber, string? Note, DateTimeOffset CreatedAt, IReadOnlyList<DeliveryLineResponse> Lines);

/// <summary>The opportunity's four amounts after the change, so a client sees the roll-up without a second call.</summary>
public sealed record OpportunityAmounts(
    Guid Id, OpportunityStatus Status, string Currency, decimal ExpectedAmount, decimal? QuotedAmount, decimal? OrderedAmount, decimal? DeliveredAmount,
    ForecastSource ForecastSource, decimal ForecastAmount);

public sealed record OrderResponse(
    Guid Id, string Number, OrderStatus Status, Guid AccountId, Guid OpportunityId, Guid? QuoteId, Guid OwnerId, DateOnly OrderDate,
    string? CustomerReference, DateOnly? RequestedDeliveryDate, string? DeliveryAddress, string? Notes, string Currency, decimal ExchangeRate,
    decimal DocumentDiscountPercent, decimal NetTotal, decimal VatTotal, decimal GrandTotal, decimal DeliveredNet, IReadOnlyList<VatGroup> VatByRate,
    IReadOnlyList<OrderLineResponse> Lines, string? CancelReason, bool IsLate, int Version, OpportunityAmounts? Opportunity,
    bool OpportunityCreated = false, bool OpportunityWon = false, bool OpportunityReopened = false, bool OpportunityReopenSuggested = false);

public sealed record DeliveryResult(DeliveryResponse Delivery, OrderResponse Order);

public sealed record QuoteLineCoverageResponse(Guid QuoteLineId, string Description, string Unit, decimal Quoted, decimal Ordered, decimal Remaining);

/// <summary>How much of an accepted quote has been ordered: per line and in net value.</summary>
public sealed record QuoteOrdering(Guid QuoteId, decimal QuoteNet, decimal OrderedNet, IReadOnlyList<QuoteLineCoverageResponse> Lines, IReadOnlyList<OrderSummary> Orders);

public sealed record Backlog(IReadOnlyList<CustomerBacklog> ByCustomer, IReadOnlyList<ProductBacklog> ByProduct, string BaseCurrency);

public static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/orders").WithTags("Orders").RequireAuthorization(Policies.Member);
        group.MapGet("/export", Export).WithSummary("The list's rows for the same filters as a CSV or XLSX download (format=csv|xlsx), streamed.");
        group.MapGet("/backlog/export", ExportBacklog).WithSummary("The delivery backlog by customer (by=customer, the default) or by product (by=product) as a CSV or XLSX download.");
        group.MapGet("/", List).WithSummary("Orders, newest first; filter by status, customer (accountId, or customer = start of the name), opportunity, owner, requested delivery date, overdue.");
        group.MapPost("/", Create).WithSummary("Create an order from an accepted quote (quoteId) or directly; without an opportunity a won one is created (the response says so).");
        group.MapGet("/backlog", GetBacklog).WithSummary("What is ordered and not yet delivered, by customer and by product (base currency).");
        group.MapGet("/{id:guid}", Get);
        group.MapPut("/{id:guid}", Update).WithSummary("Edit details; money terms and lines only where nothing is delivered (If-Match).");
        group.MapPost("/{id:guid}/deliveries", Deliver).WithSummary("Record a delivery (irsaliye); never more than remains. If-Match optional.").IfMatchOptional();
        group.MapPost("/{id:guid}/returns", Return).WithSummary("Record a return; never more than delivered. If-Match optional.").IfMatchOptional();
        group.MapPost("/{id:guid}/cancel", Cancel).WithSummary("Cancel what is undelivered, with a reason (If-Match).");
        group.MapGet("/{id:guid}/deliveries", Deliveries);
        group.MapGet("/{id:guid}/pdf", Pdf).WithSummary("The order confirmation as PDF.");
        group.MapGet("/{id:guid}/deliveries/{deliveryId:guid}/pdf", DeliveryPdf).WithSummary("A delivery note (or return note) as PDF.");
        app.MapGet("/api/v1/quotes/{id:guid}/ordering", QuoteOrderingOf).WithTags("Quotes").RequireAuthorization(Policies.Member)
            .WithSummary("How much of the quote has been ordered, per line, and its orders.");
        return app;
    }

    public static async Task<OrderResponse> ToResponseAsync(KazanDbContext db, Order o, DateOnly today, CancellationToken ct) =>
        ToResponse(o, today, await AmountsAsync(db, o.OpportunityId, ct));

    public static OrderResponse ToResponse(Order o, DateOnly today, OpportunityAmounts? opportunity) => new(
        o.Id, o.Number, o.Status, o.AccountId, o.OpportunityId, o.QuoteId, o.OwnerId, o.OrderDate, o.CustomerReference, o.RequestedDeliveryDate,
        o.DeliveryAddress, o.Notes, o.Currency.Code, o.Currency.Rate, o.DocumentDiscountPercent, o.NetTotal, o.VatTotal, o.GrandTotal, o.DeliveredNet,
        o.Totals().VatByRate,
        o.Lines.Select(l => new OrderLineResponse(l.Id, l.QuoteLineId, l.ProductId, l.Description, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate,
            l.Quantity, l.DeliveredQuantity, l.ReturnedQuantity, l.CancelledQuantity, l.RemainingQuantity, l.NetAmount, l.VatAmount, l.DeliveredNet)).ToList(),
        o.CancelReason, OrderQueries.IsLate(o.Status, o.RequestedDeliveryDate, today), o.Version, opportunity);

    public static async Task<OpportunityAmounts?> AmountsAsync(KazanDbContext db, Guid opportunityId, CancellationToken ct)
    {
        var tracked = db.ChangeTracker.Entries<Opportunity>().Select(e => e.Entity).FirstOrDefault(x => x.Id == opportunityId);
        var o = tracked ?? await db.Opportunities.AsNoTracking().FirstOrDefaultAsync(x => x.Id == opportunityId, ct);
        return o is null ? null
            : new OpportunityAmounts(o.Id, o.Status, o.Currency.Code, o.ExpectedAmount, o.QuotedAmount, o.OrderedAmount, o.DeliveredAmount, o.ForecastSource, o.ForecastAmount);
    }

    public static DeliveryResponse ToResponse(Delivery d) =>
        new(d.Id, d.Kind, d.Date, d.NoteNumber, d.Note, d.CreatedAt, d.Lines.Select(l => new DeliveryLineResponse(l.OrderLineId, l.Quantity)).ToList());

    private static async Task<Results<Ok<Page<OrderSummary>>, ValidationProblem>> List(
        KazanDbContext db, OrganizationTime time, OrderStatus? status, Guid? accountId, Guid? opportunityId, Guid? ownerId,
        DateOnly? requestedFrom, DateOnly? requestedTo, bool? overdue, string? customer, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (customer?.Length > 100)
        {
            return Problems.Validation("customer", "The customer name filter is at most 100 characters.");
        }

        var filter = new OrderFilter(status, accountId, opportunityId, ownerId, requestedFrom, requestedTo, overdue ?? false, Customer: customer);
        return TypedResults.Ok(await OrderQueries.ListAsync(db, filter, time.Today, limit ?? Paging.DefaultLimit, cursor, ct));
    }

    /// <summary>The list's filters as a file: every matching order the caller sees, newest first, with customer and owner names.</summary>
    private static Results<TableDownload, ValidationProblem> Export(
        KazanDbContext db, OrganizationTime time, IStringLocalizer<SharedResource> l, string? format, OrderStatus? status, Guid? accountId,
        Guid? opportunityId, Guid? ownerId, DateOnly? requestedFrom, DateOnly? requestedTo, bool? overdue, string? customer)
    {
        var errors = ListExport.CheckFormat(format);
        if (customer?.Length > 100)
        {
            errors["customer"] = ["The customer name filter is at most 100 characters."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = new OrderFilter(status, accountId, opportunityId, ownerId, requestedFrom, requestedTo, overdue ?? false, Customer: customer);
        Dictionary<Guid, string> accounts = [];
        Dictionary<Guid, string> owners = [];
        return ListExport.Download<OrderSummary>(format, "orders", time, l,
            [
                new("Orders.Number", o => o.Number),
                new("Orders.Customer", o => accounts.GetValueOrDefault(o.AccountId)),
                new("Orders.Status", o => l["OrderStatus." + o.Status].Value),
                new("Orders.OrderDate", o => o.OrderDate),
                new("Orders.Requested", o => o.RequestedDeliveryDate),
                new("Orders.Reference", o => o.CustomerReference),
                new("Orders.Net", o => o.NetTotal),
                new("Orders.Delivered", o => o.DeliveredNet),
                new("Common.Currency", o => o.Currency),
                new("Common.Owner", o => owners.GetValueOrDefault(o.OwnerId)),
            ],
            (cursor, limit, ct) => OrderQueries.ListAsync(db, filter, time.Today, limit, cursor, ct),
            async (batch, ct) =>
            {
                accounts = await QuoteQueries.AccountNamesAsync(db, batch.Select(o => o.AccountId), ct);
                var ids = batch.Select(o => o.OwnerId).Distinct().ToList();
                owners = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
            });
    }

    /// <summary>
    /// The delivery backlog as a file, by customer or by product as the backlog page shows it (base currency). The
    /// backlog is a sum per customer or product, one row each, read by the page's own query in one go.
    /// </summary>
    private static Results<TableDownload, ValidationProblem> ExportBacklog(KazanDbContext db, OrganizationTime time, IStringLocalizer<SharedResource> l, string? format, string? by)
    {
        var errors = ListExport.CheckFormat(format);
        if (by is not (null or "customer" or "product"))
        {
            errors["by"] = ["by is customer (the default) or product."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        const int all = 1_000_000;
        return by == "product"
            ? ListExport.Download<ProductBacklog>(format, "backlog", time, l,
                [
                    new("Backlog.Product", p => p.Name),
                    new("Backlog.RemainingQuantity", p => p.RemainingQuantity),
                    new("Product.Unit", p => p.Unit),
                    new("Backlog.RemainingNet", p => p.RemainingNet),
                ],
                async (_, _, ct) => new Page<ProductBacklog>(await OrderQueries.BacklogByProductAsync(db, all, ct), null))
            : ListExport.Download<CustomerBacklog>(format, "backlog", time, l,
                [
                    new("Orders.Customer", c => c.AccountName),
                    new("Backlog.Orders", c => c.Orders),
                    new("Backlog.RemainingNet", c => c.RemainingNet),
                    new("Backlog.Earliest", c => c.EarliestRequested),
                ],
                async (_, _, ct) => new Page<CustomerBacklog>(await OrderQueries.BacklogByCustomerAsync(db, all, ct), null));
    }

    private static async Task<Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateOrderRequest request, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct)
    {
        var details = new OrderDetails(request.OrderDate, request.CustomerReference, request.RequestedDeliveryDate, request.DeliveryAddress, request.Notes);
        var created = await OrderCommands.CreateAsync(db, me, time, new NewOrder(request.QuoteId, request.AccountId, request.OpportunityId, request.OpportunityTitle,
            request.Currency, request.ExchangeRate, request.DocumentDiscountPercent, request.Lines?.Select(l => new NewOrderLine(l.QuoteLineId, Draft(l))).ToList(), details), ct);
        return await ApiOutcomes.CreatedAsync(created, http, c => $"/api/v1/orders/{c.Order.Id}", async c => await ToResponseAsync(db, c.Order, time.Today, ct) with
        {
            OpportunityCreated = c.NewOpportunity is not null,
            OpportunityWon = c.MarkedWon,
        });
    }

    private static LineDraft Draft(OrderLineRequest l) => new(l.ProductId, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate);

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.FoundAsync(await OrderCommands.LoadAsync(db, id, ct), "Order", http, order => order.Version, order => ToResponseAsync(db, order, time.Today, ct));

    private static async Task<Results<Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateOrderRequest request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct)
    {
        var lines = request.Lines?.Select(l => new OrderLineEdit(l.Id, Draft(l))).ToList();
        var money = request.Currency is null && request.ExchangeRate is null && request.DocumentDiscountPercent is null ? null
            : new OrderMoneyChange(request.Currency, request.ExchangeRate, request.DocumentDiscountPercent);
        var outcome = await OrderCommands.UpdateAsync(db, id, ifMatch.Version,
            new OrderDetails(null, request.CustomerReference, request.RequestedDeliveryDate, request.DeliveryAddress, request.Notes), money, lines, ct);
        return await ApiOutcomes.OkAsync(outcome, http, o => ToResponseAsync(db, o, time.Today, ct));
    }

    private static Task<Results<Created<DeliveryResult>, ValidationProblem, ProblemHttpResult>> Deliver(
        Guid id, DeliveryRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Record(id, DeliveryKind.Delivery, request, ifMatch, db, me, time, http, ct);

    private static Task<Results<Created<DeliveryResult>, ValidationProblem, ProblemHttpResult>> Return(
        Guid id, DeliveryRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Record(id, DeliveryKind.Return, request, ifMatch, db, me, time, http, ct);

    /// <summary>If-Match is optional here: without it a delivery that lost a race is checked again on the fresh order.</summary>
    private static async Task<Results<Created<DeliveryResult>, ValidationProblem, ProblemHttpResult>> Record(
        Guid id, DeliveryKind kind, DeliveryRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct)
    {
        var quantities = request.Lines?.GroupBy(l => l.OrderLineId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var outcome = await OrderCommands.RecordDeliveryAsync(db, me, time, id, ifMatch.Optional, kind, quantities, request.Date, request.NoteNumber, request.Note, ct);
        return await ApiOutcomes.CreatedAsync(outcome, http, r => $"/api/v1/orders/{r.Order.Id}/deliveries/{r.Delivery.Id}/pdf",
            async r => new DeliveryResult(ToResponse(r.Delivery), await ToResponseAsync(db, r.Order, time.Today, ct)));
    }

    private static async Task<Results<Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        Guid id, CancelOrderRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.OkAsync(await OrderCommands.CancelAsync(db, me, time, id, ifMatch.Version, request.Reason, request.ReopenOpportunity, ct), http,
            async c => await ToResponseAsync(db, c.Order, time.Today, ct) with
            {
                OpportunityReopened = c.OpportunityReopened,
                OpportunityReopenSuggested = c.ReopenSuggested,
            });

    private static async Task<Results<Ok<List<DeliveryResponse>>, ProblemHttpResult>> Deliveries(Guid id, KazanDbContext db, CancellationToken ct)
    {
        if (!await db.Orders.AnyAsync(o => o.Id == id, ct))
        {
            return Problems.NotFound("Order");
        }

        return TypedResults.Ok((await OrderQueries.DeliveriesAsync(db, id, ct)).Select(ToResponse).ToList());
    }

    private static async Task<Results<Ok<Backlog>, ValidationProblem>> GetBacklog(KazanDbContext db, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            return Problems.Validation("limit", "The limit is between 1 and 500.");
        }

        var take = limit ?? 100;
        var baseCurrency = await db.Organizations.AsNoTracking().Select(o => o.BaseCurrency).FirstAsync(ct);
        return TypedResults.Ok(new Backlog(await OrderQueries.BacklogByCustomerAsync(db, take, ct), await OrderQueries.BacklogByProductAsync(db, take, ct), baseCurrency));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(Guid id, KazanDbContext db, OrganizationTime time, CancellationToken ct)
    {
        var order = await OrderCommands.LoadAsync(db, id, ct);
        if (order is null)
        {
            return Problems.NotFound("Order");
        }

        return TypedResults.File(await OrderDocuments.OrderConfirmationAsync(db, order, time, ct), "application/pdf", order.Number + ".pdf");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DeliveryPdf(Guid id, Guid deliveryId, KazanDbContext db, CancellationToken ct)
    {
        var order = await OrderCommands.LoadAsync(db, id, ct);
        var delivery = order is null ? null : (await OrderQueries.DeliveriesAsync(db, id, ct)).FirstOrDefault(d => d.Id == deliveryId);
        if (order is null || delivery is null)
        {
            return Problems.NotFound(order is null ? "Order" : "Delivery");
        }

        return TypedResults.File(await OrderDocuments.DeliveryNoteAsync(db, order, delivery, ct), "application/pdf", OrderDocuments.DeliveryFileName(order, delivery));
    }

    private static async Task<Results<Ok<QuoteOrdering>, ProblemHttpResult>> QuoteOrderingOf(Guid id, KazanDbContext db, OrganizationTime time, CancellationToken ct)
    {
        var quote = await QuoteQueries.LoadAsync(db, id, ct);
        if (quote is null)
        {
            return Problems.NotFound("Quote");
        }

        return TypedResults.Ok(await OrderQueries.OrderingAsync(db, quote, time.Today, ct));
    }
}
