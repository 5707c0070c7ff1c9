using Kazan.Features.Notifications;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Quotes;

/// <summary>What the online quote shows: open for an answer, or why not.</summary>
public enum PublicQuoteState
{
    Open,
    Expired,
    Withdrawn,
    Superseded,
    Accepted,
    Rejected,
}

public sealed record PublicQuoteLine(QuoteLineKind Kind, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal DiscountPercent, decimal VatRate, decimal NetAmount);

/// <summary>The recorded answer: accepted or rejected, when, and (online) by whom.</summary>
public sealed record PublicQuoteDecision(PublicQuoteState Outcome, DateTimeOffset? At, bool Online, string? Name, string? Title, string? Reason);

/// <summary>
/// The online quote as the customer sees it: the document's content and its state, nothing else of the organization
/// (no ids, no owner, no other records). <see cref="RevisedAvailable"/> says the newest revision can be reached (it has
/// a live link of its own).
/// </summary>
public sealed record PublicQuote(
    string Organization, string Number, string Language, PublicQuoteState State, bool CanAnswer, DateOnly IssueDate, DateOnly ValidUntil,
    string Customer, string Currency, IReadOnlyList<PublicQuoteLine> Lines, decimal GrossTotal, decimal DiscountTotal, decimal DocumentDiscountPercent,
    decimal NetTotal, IReadOnlyList<VatGroup> VatByRate, decimal VatTotal, decimal GrandTotal, string? PaymentTerms, string? Notes,
    PublicQuoteDecision? Decision, bool RevisedAvailable)
{
    /// <summary>The logo's bytes (PNG or JPEG), shown on the page; not part of the JSON.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public byte[]? Logo { get; init; }
}

/// <summary>What the customer sends to accept: their name (required), title, and the "I accept" box (must be ticked).</summary>
public sealed record OnlineAcceptance(string? Name, string? Title, bool Accepted);

/// <summary>Where an online answer came from (recorded with it).</summary>
public sealed record VisitorOrigin(string? Ip, string? UserAgent)
{
    public static VisitorOrigin Of(HttpContext http) => new(http.Connection.RemoteIpAddress?.ToString(), http.Request.Headers.UserAgent.ToString());
}

/// <summary>
/// The online quote: issuing and revoking links (members), and what the customer does through one (view, accept,
/// reject). Links are looked up by the hash of the token across organizations; everything after that runs as a
/// visitor of the link's organization (<see cref="CurrentUser.SetVisitor"/>), so the query filters still apply.
/// </summary>
public static class QuoteLinkCommands
{
    public const string TokenPrefix = "qt_";
    private const string What = "Quote";

    /// <summary>
    /// Issues a new link for a sent quote and adds it to the context without saving, so it joins the caller's
    /// transaction (the mail sender's). Earlier links keep working until revoked. Returns the token (shown once).
    /// </summary>
    public static async Task<string> IssueAsync(KazanDbContext db, Quote quote, DateTimeOffset now, CancellationToken ct)
    {
        var zoneId = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == quote.OrganizationId).Select(o => o.TimeZone).FirstOrDefaultAsync(ct);
        var token = SecretTokens.New(TokenPrefix);
        db.QuoteLinks.Add(new QuoteLink(quote.OrganizationId, quote.Id, SecretTokens.Hash(token), now,
            ExpiresAt(quote, OrganizationTime.Find(zoneId) ?? OrganizationTime.DefaultZone)));
        return token;
    }

    /// <summary>The end of the quote's last valid day in the organization's zone, plus the viewing grace.</summary>
    public static DateTimeOffset ExpiresAt(Quote quote, TimeZoneInfo zone) =>
        OrganizationTime.At(zone, quote.ValidUntil.AddDays(1 + QuoteLink.ViewingGraceDays), TimeOnly.MinValue).AddTicks(-1);

    public static string Url(HttpContext http, string token) => PublicLinks.Base(http) + "/q/" + token;

    /// <summary>A member issues a link to hand over themselves (WhatsApp …): only for a quote that has been sent.</summary>
    public static Task<Outcome<IssuedLink>> IssueForAsync(KazanDbContext db, OrganizationTime time, Guid id, CancellationToken ct) =>
        UseCase.RunAsync<IssuedLink>(db, async () =>
        {
            var quote = await db.Quotes.FirstOrDefaultAsync(q => q.Id == id, ct);
            if (quote is null)
            {
                return Outcome.NotFound(What);
            }

            if (quote.Status is not (QuoteStatus.Sent or QuoteStatus.Accepted or QuoteStatus.Rejected))
            {
                return Outcome.Broken($"Only a sent quote can be shared online; this one is {quote.StatusOn(time.Today)}.", "quote.link-not-sent");
            }

            var token = await IssueAsync(db, quote, time.Now, ct);
            await db.SaveChangesAsync(ct);
            return new IssuedLink(quote, token, ExpiresAt(quote, time.Zone));
        });

    public sealed record IssuedLink(Quote Quote, string Token, DateTimeOffset ExpiresAt);

    /// <summary>Revokes every live link of the quote; the outcome is how many were revoked.</summary>
    public static Task<Outcome<int>> RevokeAsync(KazanDbContext db, OrganizationTime time, Guid id, CancellationToken ct) =>
        UseCase.RunAsync<int>(db, async () =>
        {
            if (!await db.Quotes.AnyAsync(q => q.Id == id, ct))
            {
                return Outcome.NotFound(What);
            }

            var links = await db.QuoteLinks.Where(l => l.QuoteId == id && l.RevokedAt == null).ToListAsync(ct);
            foreach (var link in links)
            {
                link.Revoke(time.Now);
            }

            await db.SaveChangesAsync(ct);
            return links.Count;
        });

    /// <summary>
    /// The live link a token names, in any organization, or null: unknown, malformed, revoked and expired tokens all
    /// read the same. Only the hash is compared, in the database.
    /// </summary>
    public static async Task<QuoteLink?> FindAsync(KazanDbContext db, string? token, DateTimeOffset now, CancellationToken ct)
    {
        if (token is null || token.Length is < 20 or > 80 || !token.StartsWith(TokenPrefix, StringComparison.Ordinal))
        {
            return null;
        }

        var hash = SecretTokens.Hash(token);
        var link = await db.QuoteLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.TokenHash == hash, ct);
        return link is not null && link.IsLive(now) ? link : null;
    }

    /// <summary>The language of the quote a live link names (tr/en), or null: the online page speaks it.</summary>
    public static async Task<string?> LanguageAsync(KazanDbContext db, string? token, DateTimeOffset now, CancellationToken ct)
    {
        var link = await FindAsync(db, token, now, ct);
        return link is null ? null
            : await db.Quotes.IgnoreQueryFilters().Where(q => q.Id == link.QuoteId && q.OrganizationId == link.OrganizationId).Select(q => q.Language).FirstOrDefaultAsync(ct);
    }

    /// <summary>The quote behind a live link, as the organization's visitor (tracked, with its lines); null for a draft.</summary>
    public static async Task<Quote?> QuoteAsync(KazanDbContext db, QuoteLink link, CancellationToken ct)
    {
        var quote = await QuoteQueries.LoadAsync(db, link.QuoteId, ct);
        return quote is null || quote.Status == QuoteStatus.Draft ? null : quote;
    }

    /// <summary>What the page and the public API show.</summary>
    public static async Task<PublicQuote> ViewAsync(KazanDbContext db, Quote quote, OrganizationTime time, CancellationToken ct)
    {
        var now = time.Now;
        var status = quote.StatusOn(time.Today);
        var state = status switch
        {
            QuoteStatus.Accepted => PublicQuoteState.Accepted,
            QuoteStatus.Rejected => PublicQuoteState.Rejected,
            QuoteStatus.Withdrawn => PublicQuoteState.Withdrawn,
            QuoteStatus.Superseded => PublicQuoteState.Superseded,
            QuoteStatus.Expired => PublicQuoteState.Expired,
            _ => PublicQuoteState.Open,
        };
        var org = await db.Organizations.AsNoTracking().Where(o => o.Id == quote.OrganizationId).Select(o => new { o.Name, o.Logo }).FirstAsync(ct);
        var customer = await db.Accounts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).AsNoTracking()
            .Where(a => a.Id == quote.AccountId).Select(a => a.Name).FirstAsync(ct);
        var revised = state == PublicQuoteState.Superseded && await NewestRevisionLinkAsync(db, quote, now, ct) is not null;
        var totals = quote.Totals();
        var decision = state is PublicQuoteState.Accepted or PublicQuoteState.Rejected
            ? new PublicQuoteDecision(state, quote.DecidedAt, quote.DecidedOnline, quote.DecidedByName, quote.DecidedByTitle, quote.DecisionReason)
            : null;
        return new PublicQuote(org.Name, quote.DisplayNumber, quote.Language, state, state == PublicQuoteState.Open, quote.IssueDate, quote.ValidUntil,
            customer, quote.Currency.Code,
            quote.Lines.Select(l => new PublicQuoteLine(l.Kind, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate, l.NetAmount)).ToList(),
            quote.GrossTotal, quote.DiscountTotal, quote.DocumentDiscountPercent, quote.NetTotal, totals.VatByRate, quote.VatTotal, quote.GrandTotal,
            quote.PaymentTerms, quote.Notes, decision, revised)
        {
            Logo = org.Logo,
        };
    }

    /// <summary>
    /// The newest sent revision of a superseded quote when it has a live link of its own (the rep shared it), else
    /// null. Only the hash of that link is stored, so the way there is a fresh link (<see cref="FollowRevisionAsync"/>).
    /// </summary>
    private static async Task<Quote?> NewestRevisionLinkAsync(KazanDbContext db, Quote quote, DateTimeOffset now, CancellationToken ct)
    {
        var newest = await db.Quotes.IgnoreQueryFilters([KazanDbContext.OwnerFilter])
            .Where(q => q.Year == quote.Year && q.Sequence == quote.Sequence && q.Revision > quote.Revision)
            .OrderByDescending(q => q.Revision).FirstOrDefaultAsync(ct);
        if (newest is null || newest.Status is QuoteStatus.Draft or QuoteStatus.Withdrawn)
        {
            return null;
        }

        var live = await db.QuoteLinks.AnyAsync(l => l.QuoteId == newest.Id && l.RevokedAt == null && l.ExpiresAt >= now, ct);
        return live ? newest : null;
    }

    /// <summary>
    /// From a superseded quote's link to the newest revision: a fresh link to it (saved), or null when that revision
    /// has no live link (not shared yet, or its links were revoked).
    /// </summary>
    public static async Task<string?> FollowRevisionAsync(KazanDbContext db, Quote quote, OrganizationTime time, CancellationToken ct)
    {
        if (quote.Status != QuoteStatus.Superseded || await NewestRevisionLinkAsync(db, quote, time.Now, ct) is not { } newest)
        {
            return null;
        }

        var token = await IssueAsync(db, newest, time.Now, ct);
        await db.SaveChangesAsync(ct);
        return token;
    }

    /// <summary>
    /// Counts a view of the online quote (first, last, count) in one statement: no version change (a rep's open page
    /// stays current) and no audit row per view. The organization's own signed-in users are not counted.
    /// </summary>
    public static async Task CountViewAsync(KazanDbContext db, Quote quote, DateTimeOffset now, CancellationToken ct)
    {
        var first = await db.Quotes.Where(q => q.Id == quote.Id && q.FirstViewedAt == null).ExecuteUpdateAsync(s => s
            .SetProperty(q => q.ViewCount, q => q.ViewCount + 1)
            .SetProperty(q => q.LastViewedAt, now)
            .SetProperty(q => q.FirstViewedAt, now), ct) == 1;
        if (!first)
        {
            await db.Quotes.Where(q => q.Id == quote.Id).ExecuteUpdateAsync(s => s
                .SetProperty(q => q.ViewCount, q => q.ViewCount + 1)
                .SetProperty(q => q.LastViewedAt, now), ct);
            return;
        }

        // The owner hears of the first view only (the one statement above that found no first view wins it): later
        // views show as counts on the quote, not as a notification each.
        await TellAsync(db, quote, NotificationKind.QuoteViewed, now, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The customer accepts through the link: the quote's own verb (so the opportunity follows as when a rep accepts), who and from where.</summary>
    public static Task<Outcome<Quote>> AcceptAsync(
        KazanDbContext db, OrganizationTime time, QuoteLink link, OnlineAcceptance input, VisitorOrigin origin, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var codes = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(input.Name))
        {
            (errors["name"], codes["name"]) = (["Your full name is required."], "quote.signer-required");
        }
        else if (input.Name.Trim().Length > Quote.MaxSignerLength)
        {
            (errors["name"], codes["name"]) = (["A name is at most 200 characters."], "quote.signer-length");
        }

        if (input.Title?.Trim().Length > Quote.MaxSignerLength)
        {
            (errors["title"], codes["title"]) = (["A title is at most 200 characters."], "quote.signer-length");
        }

        if (!input.Accepted)
        {
            (errors["accepted"], codes["accepted"]) = (["Tick “I accept this quote” to accept it."], "quote.accept-unticked");
        }

        if (errors.Count > 0)
        {
            return Task.FromResult<Outcome<Quote>>(new Failure(OutcomeStatus.Invalid, null, errors, null, codes));
        }

        return DecideAsync(db, link, NotificationKind.QuoteAccepted, time.Now, quote =>
            quote.AcceptOnline(time.Now, time.Today, input.Name!, input.Title, origin.Ip, origin.UserAgent), ct);
    }

    /// <summary>The customer rejects through the link, with an optional reason.</summary>
    public static Task<Outcome<Quote>> RejectAsync(
        KazanDbContext db, OrganizationTime time, QuoteLink link, string? reason, VisitorOrigin origin, CancellationToken ct)
    {
        if (reason?.Trim().Length > Quote.MaxReasonLength)
        {
            return Task.FromResult<Outcome<Quote>>(Outcome.Invalid("reason", "A reason is at most 2 000 characters.", "quote.reason-length"));
        }

        return DecideAsync(db, link, NotificationKind.QuoteRejected, time.Now, quote =>
        {
            quote.RejectOnline(time.Now, time.Today, reason, origin.Ip, origin.UserAgent);
            quote.ClearPrimary();
        }, ct);
    }

    /// <summary>
    /// The decision is final: a quote already answered refuses another answer (<c>quote.already-decided</c>). Two
    /// answers at once both read "sent"; the version token lets exactly one write, the other ends Stale.
    /// </summary>
    private static Task<Outcome<Quote>> DecideAsync(
        KazanDbContext db, QuoteLink link, NotificationKind kind, DateTimeOffset now, Action<Quote> decide, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => QuoteQueries.LoadAsync(db, link.QuoteId, ct), What, null, async quote =>
        {
            if (quote.Status is QuoteStatus.Accepted or QuoteStatus.Rejected)
            {
                return Outcome.Broken($"This quote has already been answered ({quote.Status}).", AlreadyDecided);
            }

            decide(quote);
            await TellAsync(db, quote, kind, now, ct);
            return await QuoteCommands.SyncedAsync(db, quote, ct);
        }, ct);

    public const string AlreadyDecided = "quote.already-decided";

    /// <summary>
    /// The one place the online quote's moments (viewed, accepted, rejected) reach the quote's owner.
    /// </summary>
    private static async Task TellAsync(KazanDbContext db, Quote quote, NotificationKind kind, DateTimeOffset now, CancellationToken ct)
    {
        var account = await db.Accounts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).Where(a => a.Id == quote.AccountId).Select(a => a.Name).FirstOrDefaultAsync(ct);
        QuoteNotifications.NotifyOwner(db, quote, account ?? "", kind, now);
    }
}
