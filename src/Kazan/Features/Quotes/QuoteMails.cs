using Kazan.Features.Mail;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Quotes;

/// <summary>A person the quote can be mailed to: one of the opportunity's contacts with an e-mail address.</summary>
public sealed record QuoteRecipient(string Name, string Email);

/// <summary>What the send dialog starts from: the contacts, and the subject and message in the quote's language.</summary>
public sealed record QuoteMailDraft(bool MailConfigured, string Language, IReadOnlyList<QuoteRecipient> Contacts, string Subject, string Message);

/// <summary>The mail a rep sends with a quote: recipients, subject and message (which may hold <c>{link}</c>).</summary>
public sealed record QuoteEmail(IReadOnlyList<string>? To, IReadOnlyList<string>? Cc, string? Subject, string? Message);

/// <summary>
/// Mailing a quote. The mail is written to the outbox in the same transaction as the change that causes it (sending
/// freezes the quote and its PDF) and carries the frozen PDF byte for byte; the worker delivers it.
/// </summary>
public static class QuoteMails
{
    public const int MaxRecipients = 20;

    /// <summary>The send dialog's starting point (also offered when no mail server is set up, so the page can say so).</summary>
    public static async Task<QuoteMailDraft> DraftAsync(
        KazanDbContext db, IStringLocalizer l, MailRoutes routes, CurrentUser me, Quote quote, CancellationToken ct)
    {
        var contacts = await ContactsAsync(db, quote, ct);
        var wording = await MailTemplates.WordingAsync(db, l, MailTemplate.QuoteKind, quote.Language, ct);
        var values = await ValuesAsync(db, me, quote, contacts.FirstOrDefault()?.Name, ct);
        var configured = await routes.IsConfiguredAsync(db, quote.OrganizationId, ct);
        return new QuoteMailDraft(configured, quote.Language, contacts, MailTemplates.Fill(wording.Subject, values), MailTemplates.Fill(wording.Body, values));
    }

    /// <summary>The mail's text with the online quote's address in place of <c>{link}</c> (or after it, when the text has none).</summary>
    public static string WithLink(string message, string? link)
    {
        if (link is null)
        {
            return message.Replace("{link}", "", StringComparison.Ordinal).Trim();
        }

        return message.Contains("{link}", StringComparison.Ordinal)
            ? message.Replace("{link}", link, StringComparison.Ordinal)
            : message.TrimEnd() + "\n\n" + link;
    }

    /// <summary>Checks what the rep typed: 1–20 recipients in To and Cc together, each one address; subject and message present.</summary>
    public static Failure? Check(QuoteEmail email)
    {
        var errors = new Dictionary<string, string[]>();
        var codes = new Dictionary<string, string>();
        void Add(string field, string message, string code)
        {
            errors[field] = [message];
            codes[field] = code;
        }

        var to = email.To ?? [];
        var cc = email.Cc ?? [];
        if (to.Count == 0)
        {
            Add("email.to", "Choose at least one recipient.", "mail.no-recipient");
        }
        else if (to.FirstOrDefault(a => !MailSettings.IsAddress(a)) is { } bad)
        {
            Add("email.to", $"\"{Shorten(bad)}\" is not an e-mail address.", "mail.address");
        }

        if (cc.FirstOrDefault(a => !MailSettings.IsAddress(a)) is { } badCc)
        {
            Add("email.cc", $"\"{Shorten(badCc)}\" is not an e-mail address.", "mail.address");
        }

        if (to.Count + cc.Count > MaxRecipients)
        {
            Add("email.to", $"A quote goes to at most {MaxRecipients} addresses at once.", "mail.too-many-recipients");
        }

        if (string.IsNullOrWhiteSpace(email.Subject) || email.Subject.Length > 300 || email.Subject.Any(char.IsControl))
        {
            Add("email.subject", "The subject is one line of 1 to 300 characters.", "mail.subject");
        }

        if (string.IsNullOrWhiteSpace(email.Message) || email.Message.Length > 10_000)
        {
            Add("email.message", "The message is 1 to 10 000 characters.", "mail.body");
        }

        return errors.Count == 0 ? null : new Failure(OutcomeStatus.Invalid, null, errors, null, codes);
    }

    /// <summary>Writes the quote's mail to the outbox (saved by the caller, with the change that causes it).</summary>
    public static async Task<OutboxMail> EnqueueAsync(
        KazanDbContext db, CurrentUser me, Quote quote, QuoteEmail email, byte[] pdf, string? link, DateTimeOffset now, CancellationToken ct)
    {
        var replyTo = await db.Users.AsNoTracking().Where(u => u.Id == me.UserId).Select(u => u.Email).FirstOrDefaultAsync(ct);
        var mail = new OutboxMail(quote.OrganizationId, me.UserId, "quote", quote.Id,
            [.. email.To!.Select(a => a.Trim())], [.. (email.Cc ?? []).Select(a => a.Trim())], email.Subject!.Trim(), WithLink(email.Message!, link), now, replyTo);
        mail.Attach(QuotesApi.FileName(quote), "application/pdf", pdf);
        db.Add(mail);
        return mail;
    }

    private static async Task<List<QuoteRecipient>> ContactsAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        var rows = await db.OpportunityContacts.AsNoTracking().Where(c => c.OpportunityId == quote.OpportunityId)
            .Join(db.Contacts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]), oc => oc.ContactId, c => c.Id, (oc, c) => new { c.FirstName, c.LastName, c.Email })
            .Where(c => c.Email != null && c.Email != "")
            .ToListAsync(ct);
        return [.. rows.Select(c => new QuoteRecipient((c.FirstName + " " + c.LastName).Trim(), c.Email!.Trim())).DistinctBy(c => c.Email, StringComparer.OrdinalIgnoreCase)];
    }

    private static async Task<Dictionary<string, string>> ValuesAsync(KazanDbContext db, CurrentUser me, Quote quote, string? contact, CancellationToken ct)
    {
        var culture = Formats.Culture(quote.Language);
        var organization = await db.Organizations.AsNoTracking().Select(o => o.Name).FirstAsync(ct);
        var customer = await db.Accounts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).AsNoTracking().Where(a => a.Id == quote.AccountId).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? "";
        var sender = await db.Users.AsNoTracking().Where(u => u.Id == me.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? organization;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["number"] = quote.DisplayNumber,
            ["customer"] = customer,
            ["contact"] = contact ?? customer,
            ["total"] = Formats.Money(quote.GrandTotal, quote.Currency.Code, culture),
            ["validUntil"] = DateText.Format(quote.ValidUntil, culture),
            ["sender"] = sender,
            ["organization"] = organization,
        };
    }

    private static string Shorten(string text) => text.Length > 60 ? text[..60] + "…" : text;
}

/// <summary>Who mails a quote, to whom, and the means: the organization's mail route and the address links start with.</summary>
public sealed record QuoteMailing(CurrentUser Me, MailRoutes Routes, QuoteEmail Email, string LinkBase)
{
    /// <summary>The mailing a page's interactive component asks for: its scope's user and routes, links on the public address.</summary>
    public static QuoteMailing From(IServiceProvider services, QuoteEmail email) =>
        new(services.GetRequiredService<CurrentUser>(), services.GetRequiredService<MailRoutes>(), email, PublicLinks.Base(services));

    /// <summary>The mail as typed, and a mail server to send it through; a failure says what is missing.</summary>
    public async Task<Failure?> CheckAsync(KazanDbContext db, Quote quote, CancellationToken ct)
    {
        if (QuoteMails.Check(Email) is { } invalid)
        {
            return invalid;
        }

        return !await Routes.IsConfiguredAsync(db, quote.OrganizationId, ct)
            ? Outcome.Broken("No mail server is set up (Settings → Mail): send the quote without e-mail, or set one up.", "mail.not-configured")
            : null;
    }

    /// <summary>A new link to the online quote for this mail (saved with it): each mail carries its own, revocable one.</summary>
    public async Task<string?> LinkAsync(KazanDbContext db, Quote quote, DateTimeOffset now, CancellationToken ct) =>
        LinkBase + "/q/" + await QuoteLinkCommands.IssueAsync(db, quote, now, ct);
}
