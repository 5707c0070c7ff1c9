using Kazan.Features.Opportunities;
using Kazan.Features.Products;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Quotes;

/// <summary>A line as a caller describes it: a product line may leave description, unit, price and VAT to the product.</summary>
public sealed record QuoteLineDraft(
    Guid? Key, QuoteLineKind Kind, Guid? ProductId, string? Description, decimal Quantity, string? Unit, decimal? UnitPrice, decimal DiscountPercent, decimal? VatRate);

public sealed record QuoteHeader(
    string Currency, decimal? ExchangeRate, string? Language, DateOnly? ValidUntil, decimal DocumentDiscountPercent, string? PaymentTerms, string? Notes);

/// <summary>
/// The quote use cases shared by the API and the editor: create (with a new opportunity when none is given), edit,
/// the state transitions and the primary flag. Each keeps the opportunity's quoted amount in step with its primary
/// quote in the same transaction.
/// </summary>
public static class QuoteCommands
{
    public sealed record Created(Quote Quote, Opportunity? NewOpportunity);

    public static async Task<Created> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, Guid accountId, Guid? opportunityId, string? opportunityTitle,
        QuoteHeader header, IReadOnlyList<QuoteLineDraft> lines, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct)
            ?? throw new NotFoundException("Account");
        var org = await db.Organizations.AsNoTracking().FirstAsync(ct);
        var (currency, rate) = CurrencyAndRate(header, org.BaseCurrency);
        var inputs = await ResolveLinesAsync(db, lines, ct);

        Opportunity? created = null;
        if (opportunityId is { } oid)
        {
            var owner = await db.Opportunities.AsNoTracking().Where(o => o.Id == oid).Select(o => (Guid?)o.AccountId).FirstOrDefaultAsync(ct)
                ?? throw new NotFoundException("Opportunity");
            if (owner != account.Id)
            {
                throw new DomainRuleException("The opportunity belongs to another account.", "quote.opportunity-account");
            }
        }

        var year = today.Year;
        await DocumentNumbers.EnsureAsync(db, me.RequiredOrganizationId, DocumentNumbers.Quote, year, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // Taking the number is the transaction's first write: concurrent creators queue here, so what is read below is current.
        var sequence = await DocumentNumbers.NextAsync(db, me.RequiredOrganizationId, DocumentNumbers.Quote, year, ct);
        Opportunity opportunity;
        if (opportunityId is { } id)
        {
            opportunity = await db.Opportunities.FirstAsync(o => o.Id == id, ct);
        }
        else
        {
            // No sale escapes the pipeline: a quote without an opportunity opens one in the default pipeline, through opportunity creation.
            var title = string.IsNullOrWhiteSpace(opportunityTitle) ? account.Name : opportunityTitle.Trim();
            created = opportunity = OpportunityCommands.Opened(await OpportunityCommands.OpenAsync(db, me, now, new NewOpportunity(
                title, account.Id, null, null, 0m, currency, rate, today.AddDays(org.QuoteValidityDays), null, null, null, null, null, OwnerFromAccount: true), ct));
        }

        var quote = new Quote(me.RequiredOrganizationId, me.RequiredUserId, account.Id, opportunity.Id,
            DocumentNumbers.Format(org.QuotePrefix, year, sequence, org.DocumentNumberDigits), year, sequence,
            currency, rate, header.Language ?? (org.DefaultCulture.StartsWith("en", StringComparison.Ordinal) ? "en" : "tr"),
            today, header.ValidUntil ?? today.AddDays(org.QuoteValidityDays), now);
        quote.SetTerms(currency, rate, quote.Language, header.DocumentDiscountPercent, quote.ValidUntil, header.PaymentTerms, header.Notes);
        quote.SetLines(inputs);

        // The first quote of an opportunity becomes its primary one, so the quoted amount shows at once.
        if (created is not null || !await db.Quotes.AnyAsync(q => q.OpportunityId == opportunity.Id && q.IsPrimary, ct))
        {
            quote.MakePrimary();
        }

        db.Quotes.Add(quote);
        await SyncQuotedAmountAsync(db, opportunity, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Created(quote, created);
    }

    /// <summary>Edits a draft: header and all lines at once (the editor's save).</summary>
    public static async Task UpdateAsync(KazanDbContext db, Quote quote, int expectedVersion, QuoteHeader header, IReadOnlyList<QuoteLineDraft> lines, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstAsync(ct);
        var (currency, rate) = CurrencyAndRate(header, org.BaseCurrency);
        var inputs = await ResolveLinesAsync(db, lines, ct);
        db.ExpectVersion(quote, expectedVersion);
        quote.SetTerms(currency, rate, header.Language ?? quote.Language, header.DocumentDiscountPercent, header.ValidUntil ?? quote.ValidUntil, header.PaymentTerms, header.Notes);
        await LoadLinesAsync(db, quote, ct);
        db.QuoteLines.RemoveRange(quote.Lines);
        quote.SetLines(inputs);
        db.QuoteLines.AddRange(quote.Lines);
        await SaveWithOpportunityAsync(db, quote, ct);
    }

    /// <summary>
    /// Sends a draft: fixes the exchange rate (the one given, else the quote's), renders the PDF as sent and stores its
    /// exact bytes with the quote in the same transaction.
    /// </summary>
    public static async Task SendAsync(KazanDbContext db, Quote quote, int expectedVersion, decimal? exchangeRate, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        db.ExpectVersion(quote, expectedVersion);
        quote.Send(now, DateOnly.FromDateTime(now.UtcDateTime), exchangeRate ?? quote.ExchangeRate);
        var pdf = await RenderAsync(db, quote, ct);
        db.QuoteDocuments.Add(new QuoteDocument(quote.OrganizationId, quote.Id, pdf, now));
        await SaveWithOpportunityAsync(db, quote, ct);
    }

    /// <summary>The PDF of a quote: the stored bytes once sent (unchanged forever), else a fresh render marked as draft.</summary>
    public static async Task<byte[]> PdfAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        var stored = await db.QuoteDocuments.AsNoTracking().Where(d => d.QuoteId == quote.Id).Select(d => d.Content).FirstOrDefaultAsync(ct);
        return stored ?? await RenderAsync(db, quote, ct);
    }

    private static async Task<byte[]> RenderAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        await LoadLinesAsync(db, quote, ct);
        var org = await db.Organizations.AsNoTracking().FirstAsync(ct);
        var account = await db.Accounts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).AsNoTracking().FirstAsync(a => a.Id == quote.AccountId, ct);
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == quote.OwnerId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var contact = await db.OpportunityContacts.AsNoTracking().Where(c => c.OpportunityId == quote.OpportunityId)
            .Join(db.Contacts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]), oc => oc.ContactId, c => c.Id, (oc, c) => c.FirstName + " " + c.LastName)
            .FirstOrDefaultAsync(ct);
        return QuotePdf.Render(QuotePdfModel.From(quote, org, account, owner, contact, org.Logo));
    }

    public static async Task AcceptAsync(KazanDbContext db, Quote quote, int expectedVersion, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        db.ExpectVersion(quote, expectedVersion);
        quote.Accept(now, DateOnly.FromDateTime(now.UtcDateTime));
        await SaveWithOpportunityAsync(db, quote, ct);
    }

    public static async Task RejectAsync(KazanDbContext db, Quote quote, int expectedVersion, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        db.ExpectVersion(quote, expectedVersion);
        quote.Reject(now, DateOnly.FromDateTime(now.UtcDateTime));
        quote.ClearPrimary();
        await SaveWithOpportunityAsync(db, quote, ct);
    }

    public static async Task WithdrawAsync(KazanDbContext db, Quote quote, int expectedVersion, TimeProvider clock, CancellationToken ct)
    {
        db.ExpectVersion(quote, expectedVersion);
        quote.Withdraw(clock.GetUtcNow());
        await SaveWithOpportunityAsync(db, quote, ct);
    }

    public static async Task<Quote> ReviseAsync(KazanDbContext db, CurrentUser me, Quote quote, int expectedVersion, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await LoadLinesAsync(db, quote, ct);
        var last = await db.Quotes.Where(q => q.Year == quote.Year && q.Sequence == quote.Sequence).MaxAsync(q => q.Revision, ct);
        db.ExpectVersion(quote, expectedVersion);
        var revision = quote.Revise(last + 1, me.RequiredUserId, now, DateOnly.FromDateTime(now.UtcDateTime));
        db.Quotes.Add(revision);
        await SaveWithOpportunityAsync(db, revision, ct);
        return revision;
    }

    public static async Task MakePrimaryAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        foreach (var other in await db.Quotes.Where(q => q.OpportunityId == quote.OpportunityId && q.IsPrimary && q.Id != quote.Id).ToListAsync(ct))
        {
            other.ClearPrimary();
        }

        quote.MakePrimary();
        await SaveWithOpportunityAsync(db, quote, ct);
    }

    public static async Task LoadLinesAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        var entry = db.Entry(quote);
        if (entry.State != EntityState.Added)
        {
            await entry.Collection("_lines").LoadAsync(ct);
        }
    }

    /// <summary>
    /// The opportunity's quoted amount is its primary quote's net total, converted to the opportunity's currency
    /// through the base currency when they differ (rounded to kuruş); null without a primary quote.
    /// </summary>
    public static async Task SyncQuotedAmountAsync(KazanDbContext db, Opportunity opportunity, CancellationToken ct)
    {
        var tracked = db.ChangeTracker.Entries<Quote>().Select(e => e.Entity).Where(q => q.OpportunityId == opportunity.Id).ToList();
        var primary = tracked.FirstOrDefault(q => q.IsPrimary)
            ?? (await db.Quotes.Where(q => q.OpportunityId == opportunity.Id && q.IsPrimary).ToListAsync(ct))
                .FirstOrDefault(q => tracked.All(t => t.Id != q.Id));
        decimal? amount = primary is null ? null
            : primary.Currency == opportunity.Currency ? primary.NetTotal
            : Pricing.Pricing.Round2(primary.NetTotal * primary.ExchangeRate / opportunity.ExchangeRate);
        if (amount != opportunity.QuotedAmount)
        {
            opportunity.SetQuotedAmount(amount);
        }
    }

    private static async Task SaveWithOpportunityAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        var opportunity = await db.Opportunities.FirstAsync(o => o.Id == quote.OpportunityId, ct);
        await SyncQuotedAmountAsync(db, opportunity, ct);
        await db.SaveChangesAsync(ct);
    }

    private static (string Currency, decimal Rate) CurrencyAndRate(QuoteHeader header, string baseCurrency) =>
        CurrencyAndRate(header.Currency, header.ExchangeRate, baseCurrency, "quote");

    /// <summary>The base currency has rate 1; any other currency needs the caller's rate to the base currency.</summary>
    public static (string Currency, decimal Rate) CurrencyAndRate(string currency, decimal? exchangeRate, string baseCurrency, string document)
    {
        var normalized = Organizations.Currencies.Normalize(currency);
        if (normalized == baseCurrency)
        {
            return (normalized, 1m);
        }

        return exchangeRate is > 0 and var rate
            ? (normalized, rate)
            : throw new DomainRuleException($"A {document} in {normalized} needs its exchange rate to {baseCurrency}.", $"{document}.exchange-rate-required");
    }

    /// <summary>Fills product lines from the catalogue where the caller left fields empty (quotes and direct orders).</summary>
    public static async Task<List<QuoteLineInput>> ResolveLinesAsync(KazanDbContext db, IReadOnlyList<QuoteLineDraft> lines, CancellationToken ct)
    {
        var productIds = lines.Where(l => l.ProductId is not null).Select(l => l.ProductId!.Value).Distinct().ToList();
        var products = productIds.Count == 0
            ? new Dictionary<Guid, Product>()
            : await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return lines.Select((l, i) =>
        {
            Product? product = null;
            if (l.ProductId is { } pid && !products.TryGetValue(pid, out product))
            {
                throw new DomainRuleException($"Line {i + 1}: no such product.", "line.product") { Line = i + 1 };
            }

            return new QuoteLineInput(l.Key, l.Kind, l.ProductId, l.Description ?? product?.Name ?? "", l.Quantity,
                l.Unit ?? product?.Unit ?? "adet", l.UnitPrice ?? product?.ListPrice ?? 0m, l.DiscountPercent, l.VatRate ?? product?.VatRate ?? 20m);
        }).ToList();
    }
}
