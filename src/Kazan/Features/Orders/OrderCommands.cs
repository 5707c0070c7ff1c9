using Kazan.Features.Opportunities;
using Kazan.Features.Organizations;
using Kazan.Features.Pricing;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Kazan.Features.Orders;

/// <summary>The order header as a caller writes it.</summary>
public sealed record OrderDetails(DateOnly? OrderDate, string? CustomerReference, DateOnly? RequestedDeliveryDate, string? DeliveryAddress, string? Notes);

/// <summary>How much of one accepted quote line to order (null quantity: all that remains of it).</summary>
public sealed record QuoteLinePick(Guid QuoteLineId, decimal? Quantity);

/// <summary>One line of an edited order: <see cref="Id"/> names an existing line (null: a new one).</summary>
public sealed record OrderLineEdit(Guid? Id, LineDraft Draft);

/// <summary>
/// An order as a caller asks for it: from an accepted quote (<see cref="QuoteId"/>; lines name the quote lines taken,
/// null: everything left) or directly (account, currency and lines required).
/// </summary>
public sealed record NewOrder(
    Guid? QuoteId, Guid? AccountId, Guid? OpportunityId, string? OpportunityTitle, string? Currency, decimal? ExchangeRate, decimal DocumentDiscountPercent,
    IReadOnlyList<NewOrderLine>? Lines, OrderDetails Details);

/// <summary>A line of a new order: a quote line to take (with an optional quantity) or a typed line.</summary>
public sealed record NewOrderLine(Guid? QuoteLineId, LineDraft Draft);

/// <summary>Money terms to change on an order; what is left out (null) stays as it is.</summary>
public sealed record OrderMoneyChange(string? Currency, decimal? ExchangeRate, decimal? DocumentDiscountPercent);

/// <summary>A direct order's money terms.</summary>
public sealed record OrderMoney(string Currency, decimal? ExchangeRate, decimal DocumentDiscountPercent);

/// <summary>What a quote line has left to order: quoted minus what non-cancelled order lines took (and their net).</summary>
public sealed record QuoteLineCoverage(Guid QuoteLineId, string Description, string Unit, decimal Quoted, decimal Ordered, decimal OrderedNet)
{
    public decimal Remaining => Math.Max(0, Quoted - Ordered);
}

/// <summary>
/// The order use cases shared by the API and the pages. Each runs in one transaction with the opportunity's roll-up:
/// its ordered and delivered amounts (and the won outcome of its first order) are saved with the order change or not at all.
/// </summary>
public static class OrderCommands
{
    private const string What = "Order";

    /// <summary>A new order; the opportunity opened for it, if any; whether it won its opportunity.</summary>
    public sealed record Created(Order Order, Opportunity? NewOpportunity, bool MarkedWon) : IVersioned
    {
        public int Version => Order.Version;
    }

    public sealed record Cancelled(Order Order, bool OpportunityReopened, bool ReopenSuggested) : IVersioned
    {
        public int Version => Order.Version;
    }

    /// <summary>A delivery or return as recorded, with the order it changed.</summary>
    public sealed record Recorded(Order Order, Delivery Delivery) : IVersioned
    {
        public int Version => Order.Version;
    }

    /// <summary>
    /// Creates an order as asked: the shape of the request is checked here (field errors with codes), then the order
    /// is written from the quote or directly.
    /// </summary>
    public static async Task<Outcome<Created>> CreateAsync(KazanDbContext db, CurrentUser me, OrganizationTime time, NewOrder order, CancellationToken ct)
    {
        if (order.QuoteId is { } quoteId)
        {
            if (order.Lines?.FirstOrDefault(l => l.QuoteLineId is null) is not null)
            {
                return Outcome.Invalid("lines", "An order from a quote names the quote lines it takes (quoteLineId).", "order.quote-line-required");
            }

            var picks = order.Lines?.Select(l => new QuoteLinePick(l.QuoteLineId!.Value, l.Draft.Quantity)).ToList();
            return await CreateFromQuoteAsync(db, me, time, quoteId, picks, order.Details, ct);
        }

        var errors = new Dictionary<string, string[]>();
        var codes = new Dictionary<string, string>();
        if (order.AccountId is null)
        {
            errors["accountId"] = ["An order without a quote needs the account it is for."];
            codes["accountId"] = "order.account-required";
        }

        if (string.IsNullOrWhiteSpace(order.Currency))
        {
            errors["currency"] = ["An order without a quote needs its currency."];
            codes["currency"] = "order.currency-required";
        }

        if (order.Lines is not { Count: > 0 } || order.Lines.Any(l => l.Draft.Quantity is null))
        {
            errors["lines"] = ["An order needs at least one line, each with a quantity."];
            codes["lines"] = "order.lines-required";
        }

        if (errors.Count > 0)
        {
            return new Failure(OutcomeStatus.Invalid, null, errors, null, codes);
        }

        return await CreateDirectAsync(db, me, time, order.AccountId!.Value, order.OpportunityId, order.OpportunityTitle,
            new OrderMoney(order.Currency!, order.ExchangeRate, order.DocumentDiscountPercent), order.Lines!.Select(l => l.Draft).ToList(), order.Details, ct);
    }

    /// <summary>Orders an accepted quote: its lines (or the picked ones, with adjusted quantities) at its prices, currency and rate.</summary>
    public static Task<Outcome<Created>> CreateFromQuoteAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid quoteId, IReadOnlyList<QuoteLinePick>? picks, OrderDetails details, CancellationToken ct) =>
        UseCase.RunAsync<Created>(db, async () =>
        {
            var today = time.Today;
            var quote = await QuoteQueries.LoadAsync(db, quoteId, ct);
            if (quote is null)
            {
                return Outcome.NotFound("Quote");
            }

            if (quote.StatusOn(today) != QuoteStatus.Accepted)
            {
                return Outcome.Broken(new DomainRuleException(
                    $"Only an accepted quote can be ordered; this one is {quote.StatusOn(today)}.", "order.quote-not-accepted"));
            }

            // What is left of the quote is read inside the order's transaction, after the deal's lock: orders taken
            // from one quote at once queue here, and each sees the ones saved before it — else two could both find
            // everything left and order the quote twice.
            await using var tx = await BeginAsync(db, me, time, details, quote.OpportunityId, ct);
            var coverage = (await CoverageAsync(db, quote, ct)).ToDictionary(c => c.QuoteLineId);
            var quoteLines = quote.Lines.ToDictionary(l => l.Id);
            var lines = new List<OrderLineInput>();
            foreach (var pick in picks ?? coverage.Values.Select(c => new QuoteLinePick(c.QuoteLineId, null)).ToList())
            {
                if (!coverage.TryGetValue(pick.QuoteLineId, out var covered))
                {
                    return Outcome.Broken("A picked line is not an item of this quote.", "order.quote-line");
                }

                var quantity = pick.Quantity ?? covered.Remaining;
                if (quantity > covered.Remaining)
                {
                    return Outcome.Broken(new DomainRuleException(
                        $"\"{covered.Description}\": {quantity:0.####} exceeds the {covered.Remaining:0.####} {covered.Unit} of the quote not yet ordered.", "order.exceeds-quote",
                        covered.Description, quantity, covered.Remaining, covered.Unit));
                }

                if (quantity > 0)
                {
                    var line = quoteLines[pick.QuoteLineId];
                    lines.Add(new OrderLineInput(null, line.Id, line.ProductId, line.Description, quantity, line.Unit, line.UnitPrice, line.DiscountPercent, line.VatRate));
                }
            }

            if (lines.Count == 0)
            {
                return Outcome.Broken("Everything on this quote has already been ordered.", "order.quote-fully-ordered");
            }

            var org = await OrganizationQueries.SettingsAsync(db, ct);
            return await CommitIfOkAsync(tx, await CreateAsync(db, me, time, org, quote.AccountId, quote.OpportunityId, null, quote.Id,
                (quote.Currency.Code, quote.Currency.Rate, quote.DocumentDiscountPercent), lines, details, ct), ct);
        });

    /// <summary>An order typed directly; without an opportunity a won one is created for it (the result says so).</summary>
    public static Task<Outcome<Created>> CreateDirectAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid accountId, Guid? opportunityId, string? opportunityTitle,
        OrderMoney money, IReadOnlyList<LineDraft> drafts, OrderDetails details, CancellationToken ct) =>
        UseCase.RunAsync<Created>(db, async () =>
        {
            var org = await OrganizationQueries.SettingsAsync(db, ct);
            var resolved = ExchangeRate.Resolve(money.Currency, money.ExchangeRate, org.BaseCurrency, "order");
            if (!resolved.IsOk)
            {
                return resolved.AsFailure();
            }

            var resolvedLines = await LineDrafts.ResolveAsync(db, drafts, ct);
            var lines = resolvedLines.Select(l => new OrderLineInput(null, null, l.ProductId, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate)).ToList();
            await using var tx = await BeginAsync(db, me, time, details, opportunityId, ct);
            return await CommitIfOkAsync(tx, await CreateAsync(db, me, time, org, accountId, opportunityId, opportunityTitle, null,
                (resolved.Value.Code, resolved.Value.Rate, money.DocumentDiscountPercent), lines, details, ct), ct);
        });

    /// <summary>
    /// The order's transaction: the year's number row made if missing (before, so the transaction does not hold it), and
    /// the deal's row lock (PostgreSQL; SQLite's write transaction holds the database): orders taken on one deal at once
    /// queue here, so what the order reads of the deal — what is left of its quote, its orders for the roll-up — is current.
    /// </summary>
    private static async Task<IDbContextTransaction> BeginAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, OrderDetails details, Guid? opportunityId, CancellationToken ct)
    {
        await DocumentNumbers.EnsureAsync(db, me.RequiredOrganizationId, DocumentNumbers.Order, (details.OrderDate ?? time.Today).Year, ct);
        var tx = await db.Database.BeginOrJoinAsync(ct);
        if (opportunityId is { } id)
        {
            await OpportunityCommands.HoldAsync(db, id, ct);
        }

        return tx;
    }

    private static async Task<Outcome<Created>> CommitIfOkAsync(IDbContextTransaction tx, Outcome<Created> outcome, CancellationToken ct)
    {
        if (outcome.IsOk)
        {
            await tx.CommitAsync(ct);
        }

        return outcome;
    }

    /// <summary>Writes the order (and the deal it opens, if any) with the roll-up; runs inside <see cref="BeginAsync"/>'s transaction.</summary>
    private static async Task<Outcome<Created>> CreateAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, OrganizationSettings org, Guid accountId, Guid? opportunityId, string? opportunityTitle, Guid? quoteId,
        (string Currency, decimal Rate, decimal Discount) money, List<OrderLineInput> lines, OrderDetails details, CancellationToken ct)
    {
        var now = time.Now;
        var today = time.Today;
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null)
        {
            return Outcome.NotFound("Account");
        }

        if (account.IsArchived)
        {
            return Outcome.Broken("The account is archived; restore it to take orders.", "order.account-archived");
        }

        if (opportunityId is { } oid)
        {
            var owner = await db.Opportunities.AsNoTracking().Where(o => o.Id == oid).Select(o => (Guid?)o.AccountId).FirstOrDefaultAsync(ct);
            if (owner is null)
            {
                return Outcome.NotFound("Opportunity");
            }

            if (owner != account.Id)
            {
                return Outcome.Broken("The opportunity belongs to another account.", "order.opportunity-account");
            }
        }

        var orderDate = details.OrderDate ?? today;
        Opportunity opportunity;
        Opportunity? created = null;
        if (opportunityId is { } id)
        {
            opportunity = await db.Opportunities.FirstAsync(o => o.Id == id, ct);
            if (opportunity.Status == OpportunityStatus.Lost)
            {
                throw new DomainRuleException("The opportunity is lost; reopen it before taking an order on it.", "order.opportunity-lost");
            }
        }
        else
        {
            // A direct order is a sale already made: it gets a won opportunity in the default pipeline's last stage, through opportunity creation.
            var title = string.IsNullOrWhiteSpace(opportunityTitle) ? account.Name : opportunityTitle.Trim();
            created = opportunity = OpportunityCommands.Opened(await OpportunityCommands.OpenAsync(db, me, now, new NewOpportunity(
                title, account.Id, null, null, 0m, money.Currency, money.Rate, orderDate, null, null, null, null, null, OwnerFromAccount: true, InLastStage: true), ct));
        }

        // The number is taken last, right before the save: the organization's other orders wait for this save only (see DocumentNumbers).
        var sequence = await DocumentNumbers.NextAsync(db, me.RequiredOrganizationId, DocumentNumbers.Order, orderDate.Year, ct);
        var number = DocumentNumbers.Format(org.OrderPrefix, orderDate.Year, sequence, org.DocumentNumberDigits);
        if (created is not null && string.IsNullOrWhiteSpace(opportunityTitle))
        {
            created.Rename($"{account.Name} · {number}");
        }

        var order = new Order(me.RequiredOrganizationId, opportunity.OwnerId, account.Id, opportunity.Id, quoteId, number, orderDate.Year, sequence,
            money.Currency, money.Rate, orderDate, now);
        order.SetMoneyTerms(money.Currency, money.Rate, money.Discount);
        order.SetDetails(details.CustomerReference, details.RequestedDeliveryDate, details.DeliveryAddress ?? account.Address, details.Notes);
        order.SetLines(lines);
        db.Orders.Add(order);

        var won = opportunity.Status == OpportunityStatus.Open && (created is not null || org.WinOnFirstOrder);
        if (won)
        {
            opportunity.MarkWon(me.RequiredUserId, now, orderDate, cause: number);
        }

        await RollUpAsync(db, opportunity, ct);
        await db.SaveChangesAsync(ct);
        return new Created(order, created, won);
    }

    /// <summary>
    /// Edits an order: details always; money terms and lines only where nothing is delivered (the entity says so).
    /// Lines are all the order's lines as the caller wants them (<see cref="OrderLineEdit.Id"/> names an existing one);
    /// product lines may leave description, unit, price and VAT to the product.
    /// </summary>
    public static Task<Outcome<Order>> UpdateAsync(
        KazanDbContext db, Guid id, int? version, OrderDetails details, OrderMoneyChange? money, IReadOnlyList<OrderLineEdit>? lines, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, async order =>
        {
            order.SetDetails(details.CustomerReference, details.RequestedDeliveryDate, details.DeliveryAddress, details.Notes);
            if (money is not null)
            {
                var baseCurrency = await db.Organizations.AsNoTracking().Select(o => o.BaseCurrency).FirstAsync(ct);
                var currency = money.Currency ?? order.Currency.Code;

                // The order's own rate stays when the currency does and no other rate is given.
                var sameCurrency = string.Equals(currency.Trim(), order.Currency.Code, StringComparison.OrdinalIgnoreCase);
                var resolved = ExchangeRate.Resolve(currency, money.ExchangeRate ?? (sameCurrency ? order.Currency.Rate : null), baseCurrency, "order");
                if (!resolved.IsOk)
                {
                    return resolved.AsFailure();
                }

                order.SetMoneyTerms(resolved.Value.Code, resolved.Value.Rate, money.DocumentDiscountPercent ?? order.DocumentDiscountPercent);
            }

            if (lines?.Any(l => l.Draft.Quantity is null) == true)
            {
                return Outcome.Invalid("lines", "Every line needs a quantity.", "order.line-quantity-required");
            }

            if (lines is not null)
            {
                var resolved = await LineDrafts.ResolveAsync(db, lines.Select(l => l.Draft).ToList(), ct);
                var inputs = lines.Zip(resolved, (edit, l) => new OrderLineInput(edit.Id, null, l.ProductId, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate)).ToList();
                var before = order.Lines.ToList();
                order.SetLines(inputs);
                db.OrderLines.RemoveRange(before.Where(b => order.Lines.All(l => !ReferenceEquals(l, b))));
                db.OrderLines.AddRange(order.Lines.Where(l => before.All(b => !ReferenceEquals(l, b))));
            }

            await RolledUpAsync(db, order, ct);
            return null;
        }, ct);

    /// <summary>
    /// Records a delivery or a return. With an expected version a stale caller gets Stale; without one, a delivery
    /// that lost a race is checked again on the fresh order, so it is refused only if the units are really gone.
    /// </summary>
    public static async Task<Outcome<Recorded>> RecordDeliveryAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid orderId, int? expectedVersion, DeliveryKind kind,
        IReadOnlyDictionary<Guid, decimal>? quantities, DateOnly? date, string? noteNumber, string? note, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            Delivery? delivery = null;
            var outcome = await UseCase.ChangeAsync(db, () => LoadAsync(db, orderId, ct), What, expectedVersion, async order =>
            {
                // Without quantities a delivery takes everything still to deliver (a return must say what came back).
                var wanted = quantities ?? (kind == DeliveryKind.Delivery
                    ? order.Lines.Where(l => l.RemainingQuantity > 0).ToDictionary(l => l.Id, l => l.RemainingQuantity)
                    : new Dictionary<Guid, decimal>());
                var now = time.Now;
                delivery = order.Deliver(kind, wanted, date ?? time.Today, noteNumber, note, me.RequiredUserId, now);
                db.Deliveries.Add(delivery);
                await RolledUpAsync(db, order, ct);
                return null;
            }, ct);

            // A race lost without a version to keep: try again on the fresh order (its rules decide).
            if (outcome.Status == OutcomeStatus.Stale && expectedVersion is null && attempt < 5)
            {
                continue;
            }

            return outcome.Map(order => new Recorded(order, delivery!));
        }
    }

    /// <summary>Cancels what is undelivered. When no order of a won opportunity is left, reopens it if asked, else says it could.</summary>
    public static async Task<Outcome<Cancelled>> CancelAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid id, int? version, string reason, bool reopenOpportunity, CancellationToken ct)
    {
        var couldReopen = false;
        var outcome = await UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, async order =>
        {
            var now = time.Now;
            order.CancelRemainder(reason, now);
            var opportunity = await db.Opportunities.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).FirstAsync(o => o.Id == order.OpportunityId, ct);
            var live = await RollUpAsync(db, opportunity, ct);
            couldReopen = live == 0 && opportunity.Status == OpportunityStatus.Won;
            if (couldReopen && reopenOpportunity)
            {
                opportunity.Reopen(me.RequiredUserId, now, cause: order.Number);
            }

            TouchOrder(db, order);
            return null;
        }, ct);
        return outcome.Map(order => new Cancelled(order, couldReopen && reopenOpportunity, couldReopen && !reopenOpportunity));
    }

    /// <summary>
    /// The answer to "reopen the deal?" after cancelling a won deal's last order: reopens the order's opportunity at
    /// the version the user saw, recorded with the order's number as the cause.
    /// </summary>
    public static async Task<Outcome<Order>> ReopenOpportunityAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid orderId, int opportunityVersion, CancellationToken ct)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct);
        if (order is null)
        {
            return Outcome.NotFound(What);
        }

        var reopened = await UseCase.ChangeAsync(db, () => OpportunityCommands.LoadAsync(db, order.OpportunityId, ct), "Opportunity", opportunityVersion,
            opportunity => opportunity.Reopen(me.RequiredUserId, time.Now, cause: order.Number), ct);
        return reopened.Map(_ => order);
    }

    public static async Task<Order?> LoadAsync(KazanDbContext db, Guid id, CancellationToken ct)
    {
        var order = await db.Orders.FirstOrDefaultAsync(o => o.Id == id, ct);
        if (order is not null)
        {
            await db.Entry(order).Collection("_lines").LoadAsync(ct);
        }

        return order;
    }

    /// <summary>Per item line of a quote: quoted quantity and how much non-cancelled orders took of it.</summary>
    public static async Task<List<QuoteLineCoverage>> CoverageAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        var items = quote.Lines.Where(l => l.Kind == QuoteLineKind.Item).ToList();
        var ids = items.Select(l => (Guid?)l.Id).ToList();

        // Every order counts, whoever may see it: what is left of the quote does not depend on the reader.
        var ordered = await db.OrderLines.AsNoTracking().Where(l => ids.Contains(l.QuoteLineId))
            .GroupBy(l => l.QuoteLineId)
            .Select(g => new { Id = g.Key!.Value, Quantity = g.Sum(l => l.Terms.Quantity - l.CancelledQuantity), Net = g.Sum(l => l.NetAmount) })
            .ToDictionaryAsync(x => x.Id, ct);
        return items.Select(l => ordered.TryGetValue(l.Id, out var o)
            ? new QuoteLineCoverage(l.Id, l.Description, l.Unit, l.Quantity, o.Quantity, o.Net)
            : new QuoteLineCoverage(l.Id, l.Description, l.Unit, l.Quantity, 0m, 0m)).ToList();
    }

    /// <summary>
    /// Recomputes the opportunity's ordered and delivered amounts from its orders (including unsaved changes tracked
    /// in <paramref name="db"/>), converted to its currency at each order's rate. Returns how many orders are not cancelled.
    /// </summary>
    public static async Task<int> RollUpAsync(KazanDbContext db, Opportunity opportunity, CancellationToken ct)
    {
        // Every order of the deal counts, whoever may see it (the rep who owns it now may not own older orders).
        var stored = await db.Orders.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).Where(o => o.OpportunityId == opportunity.Id).ToListAsync(ct);
        var added = db.ChangeTracker.Entries<Order>().Where(e => e.State == EntityState.Added && e.Entity.OpportunityId == opportunity.Id).Select(e => e.Entity);
        var live = stored.Concat(added).DistinctBy(o => o.Id).Where(o => o.Status != OrderStatus.Cancelled).ToList();
        decimal? ordered = live.Count == 0 ? null : live.Sum(o => InOpportunityCurrency(o.NetTotal, o, opportunity));
        decimal? delivered = live.Count == 0 ? null : live.Sum(o => InOpportunityCurrency(o.DeliveredNet, o, opportunity));
        if (ordered != opportunity.OrderedAmount || delivered != opportunity.DeliveredAmount)
        {
            opportunity.SetOrderAmounts(ordered, delivered);
        }

        return live.Count;
    }

    /// <summary>An order amount in the opportunity's currency: as is when they match, else through the base currency (kuruş-rounded).</summary>
    public static decimal InOpportunityCurrency(decimal amount, Order order, Opportunity opportunity) =>
        ExchangeRate.Convert(amount, order.Currency, opportunity.Currency);

    /// <summary>The opportunity's amounts follow the order's change; the order's version moves with its lines and deliveries.</summary>
    private static async Task RolledUpAsync(KazanDbContext db, Order order, CancellationToken ct)
    {
        var opportunity = await db.Opportunities.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).FirstAsync(o => o.Id == order.OpportunityId, ct);
        await RollUpAsync(db, opportunity, ct);
        TouchOrder(db, order);
    }

    /// <summary>Any change to an order's lines or deliveries bumps the order's version, so concurrent writers to one order conflict.</summary>
    private static void TouchOrder(KazanDbContext db, Order order)
    {
        var entry = db.Entry(order);
        if (entry.State == EntityState.Unchanged)
        {
            entry.State = EntityState.Modified;
        }
    }
}
