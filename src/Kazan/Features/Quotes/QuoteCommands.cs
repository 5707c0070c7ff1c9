using Kazan.Features.Mail;
using Kazan.Features.Opportunities;
using Kazan.Features.Organizations;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Quotes;

/// <summary>A quote line as a caller describes it: its key and kind, and the priced line (<see cref="LineDraft"/>: a product line may leave description, unit, price and VAT to the product).</summary>
public sealed record QuoteLineDraft(
    Guid? Key, QuoteLineKind Kind, Guid? ProductId, string? Description, decimal Quantity, string? Unit, decimal? UnitPrice, decimal DiscountPercent, decimal? VatRate)
{
    public LineDraft Line => new(ProductId, Description, Quantity, Unit, UnitPrice, DiscountPercent, VatRate);
}

public sealed record QuoteHeader(
    string Currency, decimal? ExchangeRate, string? Language, DateOnly? ValidUntil, decimal DocumentDiscountPercent, string? PaymentTerms, string? Notes);

/// <summary>
/// The quote use cases shared by the API and the editor: create (with a new opportunity when none is given), edit,
/// the state transitions and the primary flag. Each keeps the opportunity's quoted amount in step with its primary
/// quote in the same transaction.
/// </summary>
public static class QuoteCommands
{
    private const string What = "Quote";

    /// <summary>A new quote, and the opportunity opened for it when none was named.</summary>
    public sealed record Created(Quote Quote, Opportunity? NewOpportunity) : IVersioned
    {
        public int Version => Quote.Version;
    }

    public static Task<Outcome<Created>> CreateAsync(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid accountId, Guid? opportunityId, string? opportunityTitle,
        QuoteHeader header, IReadOnlyList<QuoteLineDraft> lines, CancellationToken ct) => UseCase.RunAsync<Created>(db, async () =>
    {
        var now = time.Now;
        var today = time.Today;
        var account = await db.Accounts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == accountId, ct);
        if (account is null)
        {
            return Outcome.NotFound("Account");
        }

        var org = await OrganizationQueries.SettingsAsync(db, ct);
        var terms = await TermsAsync(db, header, lines, org.BaseCurrency, ct);
        if (!terms.IsOk)
        {
            return terms.AsFailure();
        }

        var (money, inputs) = terms.Value;

        Opportunity? created = null;
        if (opportunityId is { } oid)
        {
            var owner = await db.Opportunities.AsNoTracking().Where(o => o.Id == oid).Select(o => (Guid?)o.AccountId).FirstOrDefaultAsync(ct);
            if (owner is null)
            {
                return Outcome.NotFound("Opportunity");
            }

            if (owner != account.Id)
            {
                return Outcome.Broken("The opportunity belongs to another account.", "quote.opportunity-account");
            }
        }

        var year = today.Year;
        await DocumentNumbers.EnsureAsync(db, me.RequiredOrganizationId, DocumentNumbers.Quote, year, ct);
        await using var tx = await db.Database.BeginOrJoinAsync(ct);
        Opportunity opportunity;
        Quote? primary = null;
        if (opportunityId is { } id)
        {
            // Quotes made on one deal at once queue here, so the primary quote read next is still the primary one when this saves.
            await OpportunityCommands.HoldAsync(db, id, ct);
            opportunity = await db.Opportunities.FirstAsync(o => o.Id == id, ct);
            primary = await db.Quotes.FirstOrDefaultAsync(q => q.OpportunityId == id && q.IsPrimary, ct);
        }
        else
        {
            // No sale escapes the pipeline: a quote without an opportunity opens one in the default pipeline, through opportunity creation.
            var title = string.IsNullOrWhiteSpace(opportunityTitle) ? account.Name : opportunityTitle.Trim();
            created = opportunity = OpportunityCommands.Opened(await OpportunityCommands.OpenAsync(db, me, now, new NewOpportunity(
                title, account.Id, null, null, 0m, money.Code, money.Rate, today.AddDays(org.QuoteValidityDays), null, null, null, null, null, OwnerFromAccount: true), ct));
        }

        // The number is taken last, right before the save: the organization's other quotes wait for this save only.
        var sequence = await DocumentNumbers.NextAsync(db, me.RequiredOrganizationId, DocumentNumbers.Quote, year, ct);
        var quote = new Quote(me.RequiredOrganizationId, me.RequiredUserId, account.Id, opportunity.Id,
            DocumentNumbers.Format(org.QuotePrefix, year, sequence, org.DocumentNumberDigits), year, sequence,
            money.Code, money.Rate, header.Language ?? (org.DefaultCulture.StartsWith("en", StringComparison.Ordinal) ? "en" : "tr"),
            today, header.ValidUntil ?? today.AddDays(org.QuoteValidityDays), now);
        quote.SetTerms(money.Code, money.Rate, quote.Language, header.DocumentDiscountPercent, quote.ValidUntil, header.PaymentTerms, header.Notes);
        quote.SetLines(inputs);

        // The first quote of an opportunity becomes its primary one, so the quoted amount shows at once.
        if (primary is null)
        {
            quote.MakePrimary();
        }

        db.Quotes.Add(quote);
        await SyncQuotedAmountAsync(db, opportunity, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new Created(quote, created);
    });

    /// <summary>Edits a draft: header and all lines at once (the editor's save).</summary>
    public static Task<Outcome<Quote>> UpdateAsync(
        KazanDbContext db, Guid id, int? version, QuoteHeader header, IReadOnlyList<QuoteLineDraft> lines, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => QuoteQueries.LoadAsync(db, id, ct), What, version, async quote =>
        {
            var baseCurrency = await db.Organizations.AsNoTracking().Select(o => o.BaseCurrency).FirstAsync(ct);
            var terms = await TermsAsync(db, header, lines, baseCurrency, ct);
            if (!terms.IsOk)
            {
                return terms.AsFailure();
            }

            var (money, inputs) = terms.Value;
            quote.SetTerms(money.Code, money.Rate, header.Language ?? quote.Language, header.DocumentDiscountPercent, header.ValidUntil ?? quote.ValidUntil, header.PaymentTerms, header.Notes);
            db.QuoteLines.RemoveRange(quote.Lines);
            quote.SetLines(inputs);
            db.QuoteLines.AddRange(quote.Lines);
            return await SyncedAsync(db, quote, ct);
        }, ct);

    /// <summary>
    /// Sends a draft: fixes the exchange rate (the one given, else the quote's), renders the PDF as sent and stores its
    /// exact bytes with the quote in the same transaction. With <paramref name="mailing"/> the quote is also mailed:
    /// the mail, with that PDF, is written to the outbox in the same transaction (no mail server set up → nothing
    /// changes and the rule <c>mail.not-configured</c> says why); without it the quote is only marked as sent.
    /// </summary>
    public static Task<Outcome<Quote>> SendAsync(
        KazanDbContext db, Guid id, int? version, decimal? exchangeRate, OrganizationTime time, CancellationToken ct, QuoteMailing? mailing = null) =>
        UseCase.ChangeAsync(db, () => QuoteQueries.LoadAsync(db, id, ct), What, version, async quote =>
        {
            if (mailing is not null && await mailing.CheckAsync(db, quote, ct) is { } refused)
            {
                return refused;
            }

            var baseCurrency = await db.Organizations.AsNoTracking().Select(o => o.BaseCurrency).FirstAsync(ct);
            var resolved = ExchangeRate.Resolve(quote.Currency.Code, exchangeRate ?? quote.Currency.Rate, baseCurrency, "quote");
            if (!resolved.IsOk)
            {
                return resolved.AsFailure();
            }

            var now = time.Now;
            quote.Send(now, time.Today, resolved.Value.Rate);
            var pdf = await RenderAsync(db, quote, ct);
            db.QuoteDocuments.Add(new QuoteDocument(quote.OrganizationId, quote.Id, pdf, now));
            if (mailing is not null)
            {
                await QuoteMails.EnqueueAsync(db, mailing.Me, quote, mailing.Email, pdf, await mailing.LinkAsync(db, quote, now, ct), now, ct);
            }

            return await SyncedAsync(db, quote, ct);
        }, ct);

    /// <summary>
    /// Mails a quote that was sent already (again, or to someone else), with the same frozen PDF; an accepted quote may
    /// be mailed as a copy. The quote itself does not change.
    /// </summary>
    public static Task<Outcome<OutboxMail>> MailAsync(KazanDbContext db, Guid id, OrganizationTime time, QuoteMailing mailing, CancellationToken ct) =>
        UseCase.RunAsync<OutboxMail>(db, async () =>
        {
            var quote = await QuoteQueries.LoadAsync(db, id, ct);
            if (quote is null)
            {
                return Outcome.NotFound(What);
            }

            var status = quote.StatusOn(time.Today);
            if (status is not (QuoteStatus.Sent or QuoteStatus.Accepted))
            {
                return Outcome.Broken($"Only a sent or accepted quote can be mailed; this one is {status}.", "quote.not-mailable");
            }

            if (await mailing.CheckAsync(db, quote, ct) is { } refused)
            {
                return refused;
            }

            var now = time.Now;
            var pdf = await PdfAsync(db, quote, ct);
            var mail = await QuoteMails.EnqueueAsync(db, mailing.Me, quote, mailing.Email, pdf, await mailing.LinkAsync(db, quote, now, ct), now, ct);
            await db.SaveChangesAsync(ct);
            return mail;
        });

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

    public static Task<Outcome<Quote>> AcceptAsync(KazanDbContext db, Guid id, int? version, OrganizationTime time, CancellationToken ct) =>
        ChangeAsync(db, id, version, quote => quote.Accept(time.Now, time.Today), ct);

    public static Task<Outcome<Quote>> RejectAsync(KazanDbContext db, Guid id, int? version, OrganizationTime time, CancellationToken ct) =>
        ChangeAsync(db, id, version, quote =>
        {
            quote.Reject(time.Now, time.Today);
            quote.ClearPrimary();
        }, ct);

    public static Task<Outcome<Quote>> WithdrawAsync(KazanDbContext db, Guid id, int? version, OrganizationTime time, CancellationToken ct) =>
        ChangeAsync(db, id, version, quote => quote.Withdraw(time.Now), ct);

    /// <summary>Copies a sent, rejected or expired quote into a new draft revision; the outcome is the new revision.</summary>
    public static async Task<Outcome<Quote>> ReviseAsync(KazanDbContext db, CurrentUser me, Guid id, int? version, OrganizationTime time, CancellationToken ct)
    {
        Quote? revision = null;
        var outcome = await UseCase.ChangeAsync(db, () => QuoteQueries.LoadAsync(db, id, ct), What, version, async quote =>
        {
            var last = await db.Quotes.Where(q => q.Year == quote.Year && q.Sequence == quote.Sequence).MaxAsync(q => q.Revision, ct);
            revision = quote.Revise(last + 1, me.RequiredUserId, time.Now, time.Today);
            db.Quotes.Add(revision);
            return await SyncedAsync(db, revision, ct);
        }, ct);
        return outcome.Map(_ => revision!);
    }

    /// <summary>
    /// Makes the quote the opportunity's primary one (the others stop being it). The flag is not part of the quote's
    /// content, so the pages do not ask for the version on screen (null); the API still sends If-Match.
    /// </summary>
    public static Task<Outcome<Quote>> MakePrimaryAsync(KazanDbContext db, Guid id, int? version, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => QuoteQueries.LoadAsync(db, id, ct), What, version, async quote =>
        {
            foreach (var other in await db.Quotes.Where(q => q.OpportunityId == quote.OpportunityId && q.IsPrimary && q.Id != quote.Id).ToListAsync(ct))
            {
                other.ClearPrimary();
            }

            quote.MakePrimary();
            return await SyncedAsync(db, quote, ct);
        }, ct);

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
            : ExchangeRate.Convert(primary.NetTotal, primary.Currency, opportunity.Currency);
        if (amount != opportunity.QuotedAmount)
        {
            opportunity.SetQuotedAmount(amount);
        }
    }

    /// <summary>A state change of one quote: load, version, the entity's verb, the opportunity's quoted amount, save.</summary>
    private static Task<Outcome<Quote>> ChangeAsync(KazanDbContext db, Guid id, int? version, Action<Quote> change, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => QuoteQueries.LoadAsync(db, id, ct), What, version, quote =>
        {
            change(quote);
            return SyncedAsync(db, quote, ct);
        }, ct);

    /// <summary>Brings the opportunity's quoted amount in step with the change (saved with it by the runner).</summary>
    internal static async Task<Failure?> SyncedAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        var opportunity = await db.Opportunities.FirstAsync(o => o.Id == quote.OpportunityId, ct);
        await SyncQuotedAmountAsync(db, opportunity, ct);
        return null;
    }

    /// <summary>The currency and rate a quote's header names (the one exchange-rate rule) and its lines filled from the catalogue.</summary>
    private static async Task<Outcome<(CurrencyRate Money, List<QuoteLineInput> Lines)>> TermsAsync(
        KazanDbContext db, QuoteHeader header, IReadOnlyList<QuoteLineDraft> lines, string baseCurrency, CancellationToken ct)
    {
        var money = ExchangeRate.Resolve(header.Currency, header.ExchangeRate, baseCurrency, "quote");
        return money.IsOk ? (money.Value, await ResolveLinesAsync(db, lines, ct)) : money.AsFailure();
    }

    /// <summary>The quote's lines filled from the catalogue (the shared <see cref="LineDrafts"/>), keeping each line's key and kind.</summary>
    private static async Task<List<QuoteLineInput>> ResolveLinesAsync(KazanDbContext db, IReadOnlyList<QuoteLineDraft> lines, CancellationToken ct)
    {
        var resolved = await LineDrafts.ResolveAsync(db, lines.Select(l => l.Line).ToList(), ct);
        return lines.Zip(resolved, (l, r) => new QuoteLineInput(l.Key, l.Kind, r.ProductId, r.Description, r.Quantity, r.Unit, r.UnitPrice, r.DiscountPercent, r.VatRate)).ToList();
    }
}
