using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Quotes;

public sealed record QuoteLinkResponse(string Url, DateTimeOffset ExpiresAt);

public sealed record QuoteLinksRevoked(int Revoked);

public sealed record PublicAcceptRequest([StringLength(Quote.MaxSignerLength)] string? Name, [StringLength(Quote.MaxSignerLength)] string? Title, bool Accepted);

public sealed record PublicRejectRequest([StringLength(Quote.MaxReasonLength)] string? Reason);

/// <summary>
/// The online quote's endpoints: members issue and revoke links and download the accepted (stamped) copy; the
/// customer's side (<c>/api/v1/public/quotes/{token}</c> and the page's PDF routes under <c>/q/</c>) is explicitly
/// anonymous and answers every unusable token with the same neutral 404.
/// </summary>
public static class QuoteLinksApi
{
    public static IEndpointRouteBuilder MapQuoteLinks(this IEndpointRouteBuilder app)
    {
        var members = app.MapGroup("/api/v1/quotes").WithTags("Quotes").RequireAuthorization(Policies.Member);
        members.MapPost("/{id:guid}/link", Issue).WithSummary("Issue a link to the online quote (sent quotes only); returns its URL, shown once. Earlier links keep working.");
        members.MapPost("/{id:guid}/link/revoke", Revoke).WithSummary("Revoke every link of the quote: they answer \"not valid\" from now on.");
        members.MapGet("/{id:guid}/pdf/accepted", MemberAcceptedPdf).WithSummary("The sent PDF with the online acceptance stamped on its first page (quotes accepted online).");

        var open = app.MapGroup("/api/v1/public/quotes").WithTags("Public quotes").AllowAnonymous();
        open.MapGet("/{token}", Get).WithSummary("The online quote a customer's link shows (anonymous; counts a view unless the caller is the organization's own user).");
        open.MapGet("/{token}/pdf", SentPdf).WithSummary("The PDF exactly as sent (anonymous).");
        open.MapGet("/{token}/pdf/accepted", AcceptedPdf).WithSummary("The accepted copy with the stamp (anonymous; after an online acceptance).");
        open.MapPost("/{token}/accept", Accept).WithSummary("Accept the quote: name (required), title, accepted=true. Final: a second answer is 409.");
        open.MapPost("/{token}/reject", Reject).WithSummary("Reject the quote with an optional reason. Final: a second answer is 409.");

        // The page's downloads and the way to a newer revision (the page itself is QuoteOnlinePage).
        app.MapGet("/q/{token}/pdf", SentPdf).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/q/{token}/pdf/accepted", AcceptedPdf).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/q/{token}/revised", Revised).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>The one answer for an unknown, malformed, tampered, revoked or expired link: it says nothing else.</summary>
    public static ProblemHttpResult NotValid() => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = "This link is not valid.",
        Detail = "The link is unknown, was revoked or has expired.",
    });

    private static async Task<Results<Ok<QuoteLinkResponse>, ValidationProblem, ProblemHttpResult>> Issue(
        Guid id, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await QuoteLinkCommands.IssueForAsync(db, time, id, ct), http,
            issued => new QuoteLinkResponse(QuoteLinkCommands.Url(http, issued.Token), issued.ExpiresAt));

    private static async Task<Results<Ok<QuoteLinksRevoked>, ValidationProblem, ProblemHttpResult>> Revoke(
        Guid id, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await QuoteLinkCommands.RevokeAsync(db, time, id, ct), http, count => new QuoteLinksRevoked(count));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> MemberAcceptedPdf(Guid id, KazanDbContext db, OrganizationTime time, CancellationToken ct)
    {
        var quote = await db.Quotes.AsNoTracking().FirstOrDefaultAsync(q => q.Id == id, ct);
        if (quote is null)
        {
            return Problems.NotFound("Quote");
        }

        var stamped = await StampedAsync(db, quote, time.Zone, ct);
        return stamped is null
            ? TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "A business rule was violated.",
                Detail = "Only a quote accepted online has an accepted copy.",
                Extensions = { ["code"] = "quote.not-accepted-online" },
            })
            : TypedResults.File(stamped, "application/pdf", AcceptedFileName(quote));
    }

    private static async Task<byte[]?> StampedAsync(KazanDbContext db, Quote quote, TimeZoneInfo zone, CancellationToken ct)
    {
        if (quote.Status != QuoteStatus.Accepted || !quote.DecidedOnline || quote.DecidedAt is not { } at)
        {
            return null;
        }

        var sent = await db.QuoteDocuments.AsNoTracking().Where(d => d.QuoteId == quote.Id).Select(d => d.Content).FirstOrDefaultAsync(ct);
        return sent is null ? null : QuoteStamp.Stamp(sent, QuoteStamp.Text(quote, zone), at);
    }

    public static string AcceptedFileName(Quote quote) => QuotesApi.FileName(quote).Replace(".pdf", quote.Language == "en" ? "-accepted.pdf" : "-kabul.pdf", StringComparison.Ordinal);

    private static async Task<Results<Ok<PublicQuote>, ProblemHttpResult>> Get(string token, HttpContext http, CancellationToken ct)
    {
        await using var visit = await QuoteVisit.OpenAsync(http, token, ct);
        if (visit is null)
        {
            return NotValid();
        }

        await visit.CountViewAsync(ct);
        return TypedResults.Ok(await visit.ViewAsync(ct));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> SentPdf(string token, HttpContext http, CancellationToken ct)
    {
        await using var visit = await QuoteVisit.OpenAsync(http, token, ct);
        return visit is not null && await visit.SentPdfAsync(ct) is { } bytes
            ? TypedResults.File(bytes, "application/pdf", QuotesApi.FileName(visit.Quote))
            : NotValid();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> AcceptedPdf(string token, HttpContext http, CancellationToken ct)
    {
        await using var visit = await QuoteVisit.OpenAsync(http, token, ct);
        return visit is not null && await StampedAsync(visit.Db, visit.Quote, visit.Time.Zone, ct) is { } bytes
            ? TypedResults.File(bytes, "application/pdf", AcceptedFileName(visit.Quote))
            : NotValid();
    }

    private static async Task<Results<RedirectHttpResult, ProblemHttpResult>> Revised(string token, HttpContext http, CancellationToken ct)
    {
        await using var visit = await QuoteVisit.OpenAsync(http, token, ct);
        if (visit is null)
        {
            return NotValid();
        }

        var next = await QuoteLinkCommands.FollowRevisionAsync(visit.Db, visit.Quote, visit.Time, ct);
        return TypedResults.Redirect("/q/" + (next ?? token));
    }

    private static async Task<Results<Ok<PublicQuote>, ValidationProblem, ProblemHttpResult>> Accept(
        string token, PublicAcceptRequest request, HttpContext http, CancellationToken ct)
    {
        await using var visit = await QuoteVisit.OpenAsync(http, token, ct);
        if (visit is null)
        {
            return NotValid();
        }

        return await AnswerAsync(visit, await QuoteLinkCommands.AcceptAsync(visit.Db, visit.Time, visit.Link,
            new OnlineAcceptance(request.Name, request.Title, request.Accepted), VisitorOrigin.Of(http), ct), ct);
    }

    private static async Task<Results<Ok<PublicQuote>, ValidationProblem, ProblemHttpResult>> Reject(
        string token, PublicRejectRequest? request, HttpContext http, CancellationToken ct)
    {
        await using var visit = await QuoteVisit.OpenAsync(http, token, ct);
        if (visit is null)
        {
            return NotValid();
        }

        return await AnswerAsync(visit, await QuoteLinkCommands.RejectAsync(visit.Db, visit.Time, visit.Link, request?.Reason, VisitorOrigin.Of(http), ct), ct);
    }

    /// <summary>The answer's outcome as HTTP: a second answer (already decided, or lost the race) is 409; other rules 422.</summary>
    private static async Task<Results<Ok<PublicQuote>, ValidationProblem, ProblemHttpResult>> AnswerAsync(QuoteVisit visit, Outcome<Quote> outcome, CancellationToken ct)
    {
        if (outcome.IsOk)
        {
            return TypedResults.Ok(await QuoteLinkCommands.ViewAsync(visit.Db, outcome.Value, visit.Time, ct));
        }

        return outcome.Status switch
        {
            OutcomeStatus.Invalid => ApiOutcomes.Invalid(outcome),
            OutcomeStatus.Stale => AlreadyDecided(),
            OutcomeStatus.RuleBroken when outcome.Rule!.Code == QuoteLinkCommands.AlreadyDecided => AlreadyDecided(),
            OutcomeStatus.NotFound => NotValid(),
            _ => ApiOutcomes.Problem(outcome),
        };
    }

    private static ProblemHttpResult AlreadyDecided() => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status409Conflict,
        Title = "This quote has already been answered.",
        Detail = "The decision is final; open the link again to see it.",
        Extensions = { ["code"] = QuoteLinkCommands.AlreadyDecided },
    });
}
