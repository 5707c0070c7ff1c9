using System.ComponentModel.DataAnnotations;
using Kazan.Features.Exports;
using Kazan.Features.Mail;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Quotes;

public sealed record QuoteLineRequest(
    Guid? Key,
    QuoteLineKind Kind,
    Guid? ProductId,
    [StringLength(2000)] string? Description,
    [Range(typeof(decimal), "0", "1000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal Quantity,
    [StringLength(20)] string? Unit,
    [Range(typeof(decimal), "0", "1000000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? UnitPrice,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal DiscountPercent,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? VatRate);

public sealed record CreateQuoteRequest(
    Guid AccountId,
    Guid? OpportunityId,
    [StringLength(200)] string? OpportunityTitle,
    [Required, StringLength(3, MinimumLength = 3)] string Currency,
    [Range(typeof(decimal), "0.0001", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? ExchangeRate,
    [RegularExpression("^(tr|en)$")] string? Language,
    DateOnly? ValidUntil,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal DocumentDiscountPercent,
    [StringLength(1000)] string? PaymentTerms,
    [StringLength(8000)] string? Notes,
    [MaxLength(2000)] List<QuoteLineRequest>? Lines);

public sealed record UpdateQuoteRequest(
    [Required, StringLength(3, MinimumLength = 3)] string Currency,
    [Range(typeof(decimal), "0.0001", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? ExchangeRate,
    [RegularExpression("^(tr|en)$")] string? Language,
    DateOnly? ValidUntil,
    [Range(typeof(decimal), "0", "100", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal DocumentDiscountPercent,
    [StringLength(1000)] string? PaymentTerms,
    [StringLength(8000)] string? Notes,
    [MaxLength(2000)] List<QuoteLineRequest>? Lines);

/// <summary>The mail that goes with a quote. The message may hold <c>{link}</c>, replaced by the online quote's address.</summary>
public sealed record QuoteEmailRequest(
    [MaxLength(QuoteMails.MaxRecipients)] List<string>? To,
    [MaxLength(QuoteMails.MaxRecipients)] List<string>? Cc,
    [StringLength(300)] string? Subject,
    [StringLength(10_000)] string? Message)
{
    public QuoteEmail ToEmail() => new(To, Cc, Subject, Message);
}

/// <summary>
/// Optional body of send: the exchange rate to fix (a foreign-currency quote keeps its rate otherwise), and the mail to
/// send the quote with (without it the quote is only marked as sent).
/// </summary>
public sealed record SendQuoteRequest(
    [Range(typeof(decimal), "0.0001", "1000000", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)] decimal? ExchangeRate,
    QuoteEmailRequest? Email = null);

public sealed record QuoteLineResponse(Guid Key, QuoteLineKind Kind, Guid? ProductId, string Description, decimal Quantity, string Unit,
    decimal UnitPrice, decimal DiscountPercent, decimal VatRate, decimal NetAmount, decimal VatAmount);

public sealed record QuoteResponse(
    Guid Id, string Number, int Revision, string DisplayNumber, QuoteStatus Status, Guid AccountId, Guid OpportunityId, Guid OwnerId,
    string Currency, decimal ExchangeRate, string Language, DateOnly IssueDate, DateOnly ValidUntil, decimal DocumentDiscountPercent,
    string? PaymentTerms, string? Notes, bool IsPrimary, decimal GrossTotal, decimal DiscountTotal, decimal NetTotal, decimal VatTotal,
    decimal GrandTotal, IReadOnlyList<VatGroup> VatByRate, IReadOnlyList<QuoteLineResponse> Lines, DateTimeOffset? SentAt, int Version,
    bool OpportunityCreated = false, int ViewCount = 0, DateTimeOffset? FirstViewedAt = null, DateTimeOffset? LastViewedAt = null,
    DateTimeOffset? DecidedAt = null, bool DecidedOnline = false, string? DecidedByName = null, string? DecidedByTitle = null,
    string? DecisionReason = null, string? DecidedFromIp = null);

public sealed record QuoteSummary(Guid Id, string DisplayNumber, QuoteStatus Status, Guid AccountId, Guid OpportunityId, string Currency,
    decimal NetTotal, decimal GrandTotal, bool IsPrimary, DateOnly IssueDate, DateOnly ValidUntil, DateTimeOffset CreatedAt);

public static class QuotesApi
{
    public static IEndpointRouteBuilder MapQuotes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/quotes").WithTags("Quotes").RequireAuthorization(Policies.Member);
        group.MapGet("/export", Export).WithSummary("The list's rows for the same filters as a CSV or XLSX download (format=csv|xlsx), streamed.");
        group.MapGet("/", List).WithSummary("Quotes, newest first (keyset paged both ways); filter by opportunity, account, status, owner, created and valid-until dates, and q (a quote number or words of the customer's name).");
        group.MapPost("/", Create).WithSummary("Create a draft quote; without an opportunity one is created in the default pipeline (the response says so).");
        group.MapGet("/{id:guid}", Get);
        group.MapPut("/{id:guid}", Update).WithSummary("Replace a draft's terms and lines (If-Match).");
        group.MapPost("/{id:guid}/send", Send).WithSummary("Send a draft: fixes the exchange rate and stores the exact PDF sent (If-Match); with an email, mails it with that PDF through the outbox (422 mail.not-configured when no mail server is set up).");
        group.MapGet("/{id:guid}/mail-draft", MailDraft).WithSummary("What the send dialog starts from: whether mail is set up, the opportunity's contacts with e-mail, subject and message in the quote's language.");
        group.MapPost("/{id:guid}/mail", Mail).WithSummary("Mail a sent or accepted quote (again) with the same frozen PDF; 202 with the outbox mail.");
        group.MapGet("/{id:guid}/mails", Mails).WithSummary("The mails sent with this quote, newest first, with their delivery state.");
        group.MapGet("/{id:guid}/pdf", Pdf).WithSummary("The quote as PDF: the stored document once sent, a TASLAK/DRAFT render before.");
        group.MapPost("/{id:guid}/accept", Accept);
        group.MapPost("/{id:guid}/reject", Reject);
        group.MapPost("/{id:guid}/withdraw", Withdraw);
        group.MapPost("/{id:guid}/revise", Revise).WithSummary("Copy a sent, rejected or expired quote into a new draft revision; the old one becomes Superseded.");
        group.MapPost("/{id:guid}/primary", MakePrimary).WithSummary("Make this the opportunity's primary quote: its net total becomes the quoted amount.");
        group.MapGet("/{id:guid}/diff", Diff).WithSummary("Compare this revision with another revision of the same quote (?against=id).");
        return app;
    }

    public static QuoteResponse ToResponse(Quote q, DateOnly today, bool opportunityCreated = false) => new(
        q.Id, q.Number, q.Revision, q.DisplayNumber, q.StatusOn(today), q.AccountId, q.OpportunityId, q.OwnerId, q.Currency.Code, q.Currency.Rate,
        q.Language, q.IssueDate, q.ValidUntil, q.DocumentDiscountPercent, q.PaymentTerms, q.Notes, q.IsPrimary, q.GrossTotal, q.DiscountTotal,
        q.NetTotal, q.VatTotal, q.GrandTotal, q.Totals().VatByRate,
        q.Lines.Select(l => new QuoteLineResponse(l.Key, l.Kind, l.ProductId, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.DiscountPercent,
            l.VatRate, l.NetAmount, l.VatAmount)).ToList(),
        q.SentAt, q.Version, opportunityCreated, q.ViewCount, q.FirstViewedAt, q.LastViewedAt, q.DecidedAt, q.DecidedOnline, q.DecidedByName,
        q.DecidedByTitle, q.DecisionReason, q.DecidedFromIp);

    public static List<QuoteLineDraft> Drafts(List<QuoteLineRequest>? lines) =>
        (lines ?? []).Select(l => new QuoteLineDraft(l.Key, l.Kind, l.ProductId, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate)).ToList();

    private static async Task<Results<Ok<Page<QuoteSummary>>, ValidationProblem>> List(
        KazanDbContext db, OrganizationTime time, Guid? opportunityId, Guid? accountId, QuoteStatus? status, Guid? ownerId, string? q,
        DateOnly? createdFrom, DateOnly? createdTo, DateOnly? validFrom, DateOnly? validTo, int? limit, string? cursor, CancellationToken ct)
    {
        if (FilterErrors(Paging.Validate(limit, cursor) ?? [], q, createdFrom, createdTo, validFrom, validTo) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var filter = new QuoteFilter(opportunityId, accountId, status, ownerId, q, createdFrom, createdTo, validFrom, validTo);
        return TypedResults.Ok(await QuoteQueries.ListAsync(db, filter, time, limit ?? Paging.DefaultLimit, cursor, ct));
    }

    private static Dictionary<string, string[]> FilterErrors(
        Dictionary<string, string[]> errors, string? q, DateOnly? createdFrom, DateOnly? createdTo, DateOnly? validFrom, DateOnly? validTo)
    {
        if (QuoteSearch.Error(q) is { } searchError)
        {
            errors["q"] = [searchError];
        }

        if (createdFrom > createdTo)
        {
            errors["createdTo"] = ["createdTo must not be before createdFrom."];
        }

        if (validFrom > validTo)
        {
            errors["validTo"] = ["validTo must not be before validFrom."];
        }

        return errors;
    }

    /// <summary>The list's filters as a file: every matching quote the caller sees, newest first, with its customer's name.</summary>
    private static Results<TableDownload, ValidationProblem> Export(
        KazanDbContext db, OrganizationTime time, IStringLocalizer<SharedResource> l, string? format, Guid? opportunityId, Guid? accountId,
        QuoteStatus? status, Guid? ownerId, string? q, DateOnly? createdFrom, DateOnly? createdTo, DateOnly? validFrom, DateOnly? validTo)
    {
        if (FilterErrors(ListExport.CheckFormat(format), q, createdFrom, createdTo, validFrom, validTo) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var filter = new QuoteFilter(opportunityId, accountId, status, ownerId, q, createdFrom, createdTo, validFrom, validTo);
        Dictionary<Guid, string> accounts = [];
        return ListExport.Download<QuoteSummary>(format, "quotes", time, l,
            [
                new("Quote.Number", x => x.DisplayNumber),
                new("Quote.Account", x => accounts.GetValueOrDefault(x.AccountId)),
                new("Quote.Status", x => l["QuoteStatus." + x.Status].Value),
                new("Quote.IssueDate", x => x.IssueDate),
                new("Quote.ValidUntil", x => x.ValidUntil),
                new("Quote.Net", x => x.NetTotal),
                new("Quote.GrandTotal", x => x.GrandTotal),
                new("Common.Currency", x => x.Currency),
            ],
            (cursor, limit, ct) => QuoteQueries.ListAsync(db, filter, time, limit, cursor, ct),
            async (batch, ct) => accounts = await QuoteQueries.AccountNamesAsync(db, batch.Select(x => x.AccountId), ct));
    }

    private static async Task<Results<Created<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateQuoteRequest request, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(
            await QuoteCommands.CreateAsync(db, me, time, request.AccountId, request.OpportunityId, request.OpportunityTitle,
                new QuoteHeader(request.Currency, request.ExchangeRate, request.Language, request.ValidUntil, request.DocumentDiscountPercent, request.PaymentTerms, request.Notes),
                Drafts(request.Lines), ct),
            http, c => $"/api/v1/quotes/{c.Quote.Id}", c => Task.FromResult(ToResponse(c.Quote, time.Today, c.NewOpportunity is not null)));

    private static async Task<Results<Ok<QuoteResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await QuoteQueries.LoadAsync(db, id, ct), "Quote", http, quote => quote.Version, quote => ToResponse(quote, time.Today));

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateQuoteRequest request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(await QuoteCommands.UpdateAsync(db, id, ifMatch.Version,
            new QuoteHeader(request.Currency, request.ExchangeRate, request.Language, request.ValidUntil, request.DocumentDiscountPercent, request.PaymentTerms, request.Notes),
            Drafts(request.Lines), ct), time, http);

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Send(
        Guid id, SendQuoteRequest? request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, MailRoutes routes, OutboxSignal signal, OrganizationTime time,
        HttpContext http, CancellationToken ct)
    {
        var mailing = request?.Email is { } email ? new QuoteMailing(me, routes, email.ToEmail(), PublicLinks.Base(http)) : null;
        var outcome = await QuoteCommands.SendAsync(db, id, ifMatch.Version, request?.ExchangeRate, time, ct, mailing);
        if (outcome.IsOk && mailing is not null)
        {
            signal.Pulse();
        }

        return Respond(outcome, time, http);
    }

    private static async Task<Results<Ok<QuoteMailDraft>, ProblemHttpResult>> MailDraft(
        Guid id, KazanDbContext db, CurrentUser me, MailRoutes routes, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var quote = await QuoteQueries.LoadAsync(db, id, ct);
        return quote is null ? Problems.NotFound("Quote") : TypedResults.Ok(await QuoteMails.DraftAsync(db, l, routes, me, quote, ct));
    }

    private static async Task<Results<Accepted<OutboxMailResponse>, ValidationProblem, ProblemHttpResult>> Mail(
        Guid id, QuoteEmailRequest request, KazanDbContext db, CurrentUser me, MailRoutes routes, OutboxSignal signal, OrganizationTime time,
        HttpContext http, CancellationToken ct)
    {
        var outcome = await QuoteCommands.MailAsync(db, id, time, new QuoteMailing(me, routes, request.ToEmail(), PublicLinks.Base(http)), ct);
        if (!outcome.IsOk)
        {
            return outcome.Status == OutcomeStatus.Invalid ? ApiOutcomes.Invalid(outcome) : ApiOutcomes.Problem(outcome);
        }

        signal.Pulse();
        var mail = outcome.Value!;
        return TypedResults.Accepted($"/api/v1/quotes/{id}/mails", MailQueries.ToResponse(mail, [.. mail.Attachments.Select(a => a.FileName)]));
    }

    private static async Task<Results<Ok<List<OutboxMailResponse>>, ProblemHttpResult>> Mails(Guid id, KazanDbContext db, CancellationToken ct)
    {
        if (await QuoteQueries.LoadAsync(db, id, ct) is null)
        {
            return Problems.NotFound("Quote");
        }

        // Mails are tenant rows, not owned ones: the quote's own visibility (checked above) decides who reads them.
        return TypedResults.Ok(await MailQueries.OutboxAsync(db, null, id, Paging.MaxLimit, ct));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(Guid id, KazanDbContext db, CancellationToken ct)
    {
        var quote = await QuoteQueries.LoadAsync(db, id, ct);
        if (quote is null)
        {
            return Problems.NotFound("Quote");
        }

        var bytes = await QuoteCommands.PdfAsync(db, quote, ct);
        return TypedResults.File(bytes, "application/pdf", FileName(quote));
    }

    public static string FileName(Quote quote) => quote.DisplayNumber.Replace(" / ", "-", StringComparison.Ordinal) + ".pdf";

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Accept(
        Guid id, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(await QuoteCommands.AcceptAsync(db, id, ifMatch.Version, time, ct), time, http);

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Reject(
        Guid id, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(await QuoteCommands.RejectAsync(db, id, ifMatch.Version, time, ct), time, http);

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Withdraw(
        Guid id, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(await QuoteCommands.WithdrawAsync(db, id, ifMatch.Version, time, ct), time, http);

    private static async Task<Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult>> MakePrimary(
        Guid id, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(await QuoteCommands.MakePrimaryAsync(db, id, ifMatch.Version, ct), time, http);

    private static async Task<Results<Created<QuoteResponse>, ValidationProblem, ProblemHttpResult>> Revise(
        Guid id, IfMatch ifMatch, KazanDbContext db, CurrentUser me, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(await QuoteCommands.ReviseAsync(db, me, id, ifMatch.Version, time, ct), http,
            r => $"/api/v1/quotes/{r.Id}", r => Task.FromResult(ToResponse(r, time.Today)));

    private static Results<Ok<QuoteResponse>, ValidationProblem, ProblemHttpResult> Respond(Outcome<Quote> outcome, OrganizationTime time, HttpContext http) =>
        ApiOutcomes.Ok(outcome, http, q => ToResponse(q, time.Today));

    private static async Task<Results<Ok<QuoteDiffResult>, ProblemHttpResult, ValidationProblem>> Diff(
        Guid id, Guid? against, KazanDbContext db, CancellationToken ct)
    {
        var quote = await QuoteQueries.LoadAsync(db, id, ct);
        if (quote is null)
        {
            return Problems.NotFound("Quote");
        }

        Quote? other;
        if (against is null)
        {
            // Without ?against, compare with the revision this one was made from.
            other = quote.RevisedFromId is { } from ? await QuoteQueries.LoadAsync(db, from, ct) : null;
            if (other is null)
            {
                return Problems.Validation("against", "This is the first revision; name the revision to compare with (?against=id).");
            }
        }
        else
        {
            other = await QuoteQueries.LoadAsync(db, against.Value, ct);
            if (other is null)
            {
                return Problems.NotFound("Quote");
            }
        }

        if (other.Number != quote.Number)
        {
            return Problems.Validation("against", "Only revisions of the same quote can be compared.");
        }

        var (before, after) = other.Revision <= quote.Revision ? (other, quote) : (quote, other);
        return TypedResults.Ok(QuoteDiff.Compare(before, after));
    }
}
