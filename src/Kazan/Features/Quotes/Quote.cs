using Kazan.Features.Pricing;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Quotes;

public enum QuoteStatus
{
    Draft,
    Sent,
    Accepted,
    Rejected,

    /// <summary>Never stored: a sent quote whose validity date has passed reads as expired (no background job needed).</summary>
    Expired,
    Superseded,
    Withdrawn,
}

/// <summary>What the editor sends for one line. Section headings carry only a description.</summary>
public sealed record QuoteLineInput(
    Guid? Key, QuoteLineKind Kind, Guid? ProductId, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal DiscountPercent, decimal VatRate);

/// <summary>
/// A written offer to an account within an opportunity. Numbered per organization and year (<c>TKL-2026-00042</c>);
/// a revision keeps the number and counts up (<c>/ R1</c>, <c>/ R2</c>) and supersedes the one it revises.
/// Only a draft can be edited. Sending freezes it: the exchange rate is fixed and the exact PDF sent is stored.
/// Totals come from <see cref="Pricing.Pricing"/> only.
/// </summary>
public sealed class Quote : IOwnedEntity, IVersioned
{
    private readonly List<QuoteLine> _lines = [];

    private Quote()
    {
        Number = "";
        Currency = null!; // set by every constructor, read back by EF Core
        Language = "tr";
    }

    public Quote(
        Guid organizationId, Guid ownerId, Guid accountId, Guid opportunityId, string number, int year, int sequence,
        string currency, decimal exchangeRate, string language, DateOnly issueDate, DateOnly validUntil, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        OwnerId = ownerId;
        AccountId = accountId;
        OpportunityId = opportunityId;
        Number = number;
        Year = year;
        Sequence = sequence;
        Status = QuoteStatus.Draft;
        CreatedAt = now;
        IssueDate = issueDate;
        SetTerms(currency, exchangeRate, language, 0m, validUntil, null, null);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid OwnerId { get; private set; }
    public Guid AccountId { get; private set; }
    public Guid OpportunityId { get; private set; }

    /// <summary>The number without revision, e.g. TKL-2026-00042; shared by all revisions.</summary>
    public string Number { get; private set; }

    public int Year { get; private set; }
    public int Sequence { get; private set; }

    /// <summary>0 for the original, then 1, 2, … for each revision.</summary>
    public int Revision { get; private set; }

    public Guid? RevisedFromId { get; private set; }
    public QuoteStatus Status { get; private set; }
    /// <summary>The quote's currency and its rate to the organization's base currency; the rate is fixed when sent.</summary>
    public CurrencyRate Currency { get; private set; }

    /// <summary>tr or en: the language of the PDF.</summary>
    public string Language { get; private set; }

    public decimal DocumentDiscountPercent { get; private set; }
    public DateOnly IssueDate { get; private set; }
    public DateOnly ValidUntil { get; private set; }
    public string? PaymentTerms { get; private set; }
    public string? Notes { get; private set; }
    public bool IsPrimary { get; private set; }
    public decimal GrossTotal { get; private set; }
    public decimal DiscountTotal { get; private set; }
    public decimal NetTotal { get; private set; }
    public decimal VatTotal { get; private set; }
    public decimal GrandTotal { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public int Version { get; private set; }

    public const int MaxSignerLength = 200;
    public const int MaxReasonLength = 2000;
    public const int MaxUserAgentLength = 512;

    /// <summary>True when the customer decided through the online quote (not a rep clicking on their behalf).</summary>
    public bool DecidedOnline { get; private set; }

    /// <summary>Who accepted or rejected online, as they typed it.</summary>
    public string? DecidedByName { get; private set; }

    public string? DecidedByTitle { get; private set; }

    /// <summary>The customer's reason for rejecting online (optional).</summary>
    public string? DecisionReason { get; private set; }

    public string? DecidedFromIp { get; private set; }
    public string? DecidedUserAgent { get; private set; }

    /// <summary>Views of the online quote by anyone but the organization's own signed-in users.</summary>
    public DateTimeOffset? FirstViewedAt { get; private set; }

    public DateTimeOffset? LastViewedAt { get; private set; }
    public int ViewCount { get; private set; }

    public IReadOnlyList<QuoteLine> Lines => _lines.OrderBy(l => l.Position).ToList();

    /// <summary><c>TKL-2026-00042</c> or <c>TKL-2026-00042 / R2</c>.</summary>
    public string DisplayNumber => Revision == 0 ? Number : $"{Number} / R{Revision}";

    /// <summary>The status a reader sees today: a sent quote past its validity is expired.</summary>
    public QuoteStatus StatusOn(DateOnly today) => Status == QuoteStatus.Sent && ValidUntil < today ? QuoteStatus.Expired : Status;

    public DocumentTotals Totals() => Pricing.Pricing.Totals(_lines.Where(l => l.Kind == QuoteLineKind.Item).OrderBy(l => l.Position).Select(l => l.Terms), DocumentDiscountPercent);

    public void SetTerms(string currency, decimal exchangeRate, string language, decimal documentDiscountPercent, DateOnly validUntil, string? paymentTerms, string? notes)
    {
        EnsureDraft();
        var money = CurrencyRate.Create(currency, exchangeRate, "quote");
        if (language is not ("tr" or "en"))
        {
            throw new DomainRuleException("A quote is written in Turkish (tr) or English (en).", "quote.language");
        }

        Pricing.Pricing.ValidatePercent(documentDiscountPercent, "A document discount", "quote.discount");
        if (validUntil < IssueDate)
        {
            throw new DomainRuleException("The validity date cannot be before the quote date.", "quote.valid-until");
        }

        if (paymentTerms?.Length > 1000 || notes?.Length > 8000)
        {
            throw new DomainRuleException("Payment terms are at most 1 000 and notes at most 8 000 characters.", "quote.text");
        }

        Currency = money;
        Language = language;
        DocumentDiscountPercent = documentDiscountPercent;
        ValidUntil = validUntil;
        PaymentTerms = string.IsNullOrWhiteSpace(paymentTerms) ? null : paymentTerms.Trim();
        Notes = string.IsNullOrWhiteSpace(notes) ? null : notes.Trim();
        Recalculate();
    }

    /// <summary>Replaces the lines (the editor sends them all, in order). Lines keep their key across edits and revisions.</summary>
    public void SetLines(IReadOnlyList<QuoteLineInput> lines)
    {
        EnsureDraft();
        if (lines.Count > 2000)
        {
            throw new DomainRuleException("A quote has at most 2 000 lines.", "quote.too-many-lines");
        }

        var built = lines.Select((l, i) => QuoteLine.Create(this, i, l)).ToList();
        if (built.Select(l => l.Key).Distinct().Count() != built.Count)
        {
            throw new DomainRuleException("Two lines carry the same key.", "quote.line-key");
        }

        _lines.Clear();
        _lines.AddRange(built);
        Recalculate();
    }

    /// <summary>Sends the quote: fixes the exchange rate, stamps the time. The caller stores the exact PDF sent.</summary>
    public void Send(DateTimeOffset now, DateOnly today, decimal exchangeRate)
    {
        EnsureDraft();
        if (!_lines.Any(l => l.Kind == QuoteLineKind.Item))
        {
            throw new DomainRuleException("A quote needs at least one line to be sent.", "quote.empty");
        }

        if (ValidUntil < today)
        {
            throw new DomainRuleException("The validity date has passed; extend it before sending.", "quote.valid-until");
        }

        Currency = Currency.At(exchangeRate, "quote");
        Status = QuoteStatus.Sent;
        SentAt = now;
    }

    public void Accept(DateTimeOffset now, DateOnly today)
    {
        var status = StatusOn(today);
        if (status == QuoteStatus.Expired)
        {
            throw new DomainRuleException($"The quote expired on {ValidUntil:yyyy-MM-dd}; revise it to offer again.", "quote.expired", ValidUntil);
        }

        if (status != QuoteStatus.Sent)
        {
            throw new DomainRuleException($"Only a sent quote can be accepted; this one is {status}.", "quote.not-sent");
        }

        Status = QuoteStatus.Accepted;
        DecidedAt = now;
    }

    public void Reject(DateTimeOffset now, DateOnly today)
    {
        if (Status != QuoteStatus.Sent)
        {
            throw new DomainRuleException($"Only a sent quote can be rejected; this one is {StatusOn(today)}.", "quote.not-sent");
        }

        Status = QuoteStatus.Rejected;
        DecidedAt = now;
    }

    /// <summary>The customer accepts through the online quote: the same rules as <see cref="Accept"/>, and who, from where.</summary>
    public void AcceptOnline(DateTimeOffset now, DateOnly today, string name, string? title, string? ip, string? userAgent)
    {
        Accept(now, today);
        RecordOnlineDecision(name, title, null, ip, userAgent);
    }

    /// <summary>The customer rejects through the online quote; an expired quote can no longer be answered online.</summary>
    public void RejectOnline(DateTimeOffset now, DateOnly today, string? reason, string? ip, string? userAgent)
    {
        if (StatusOn(today) == QuoteStatus.Expired)
        {
            throw new DomainRuleException($"The quote expired on {ValidUntil:yyyy-MM-dd}; revise it to offer again.", "quote.expired", ValidUntil);
        }

        Reject(now, today);
        RecordOnlineDecision(null, null, reason, ip, userAgent);
    }

    private void RecordOnlineDecision(string? name, string? title, string? reason, string? ip, string? userAgent)
    {
        DecidedOnline = true;
        DecidedByName = Clip(name, MaxSignerLength);
        DecidedByTitle = Clip(title, MaxSignerLength);
        DecisionReason = Clip(reason, MaxReasonLength);
        DecidedFromIp = Clip(ip, 64);
        DecidedUserAgent = Clip(userAgent, MaxUserAgentLength);

        static string? Clip(string? text, int max) =>
            string.IsNullOrWhiteSpace(text) ? null : text.Trim() is var t && t.Length > max ? t[..max] : text.Trim();
    }

    public void Withdraw(DateTimeOffset now)
    {
        if (Status is not (QuoteStatus.Draft or QuoteStatus.Sent))
        {
            throw new DomainRuleException($"Only a draft or sent quote can be withdrawn; this one is {Status}.", "quote.not-open");
        }

        Status = QuoteStatus.Withdrawn;
        DecidedAt = now;
        IsPrimary = false;
    }

    /// <summary>Copies a sent, rejected or expired quote into a new draft with the same number and the next revision; this one becomes Superseded.</summary>
    public Quote Revise(int nextRevision, Guid actorId, DateTimeOffset now, DateOnly today)
    {
        if (Status is not (QuoteStatus.Sent or QuoteStatus.Rejected))
        {
            throw new DomainRuleException($"Only a sent, rejected or expired quote can be revised; this one is {StatusOn(today)}.", "quote.not-revisable");
        }

        var copy = new Quote(OrganizationId, actorId, AccountId, OpportunityId, Number, Year, Sequence, Currency.Code, Currency.Rate, Language,
            today, ValidUntil < today ? today.AddDays(ValidUntil.DayNumber - IssueDate.DayNumber) : ValidUntil, now)
        {
            Revision = nextRevision,
            RevisedFromId = Id,
        };
        copy.SetTerms(Currency.Code, Currency.Rate, Language, DocumentDiscountPercent, copy.ValidUntil, PaymentTerms, Notes);
        copy.SetLines(Lines.Select(l => l.ToInput()).ToList());
        copy.IsPrimary = IsPrimary;
        Status = QuoteStatus.Superseded;
        IsPrimary = false;
        return copy;
    }

    /// <summary>Marks this quote the opportunity's primary one (the caller clears the others).</summary>
    public void MakePrimary()
    {
        if (Status is QuoteStatus.Superseded or QuoteStatus.Withdrawn or QuoteStatus.Rejected)
        {
            throw new DomainRuleException($"A {Status.ToString().ToLowerInvariant()} quote cannot be the primary one.", "quote.not-primary-candidate");
        }

        IsPrimary = true;
    }

    public void ClearPrimary() => IsPrimary = false;

    private void EnsureDraft()
    {
        if (Status != QuoteStatus.Draft)
        {
            throw new DomainRuleException($"Only a draft can be edited; this quote is {Status}. Revise it to change it.", "quote.not-draft");
        }
    }

    private void Recalculate()
    {
        var t = Totals();
        GrossTotal = t.Gross;
        DiscountTotal = t.Discount;
        NetTotal = t.Net;
        VatTotal = t.Vat;
        GrandTotal = t.Total;
        var amounts = t.Lines.GetEnumerator();
        foreach (var line in _lines.Where(l => l.Kind == QuoteLineKind.Item).OrderBy(l => l.Position))
        {
            amounts.MoveNext();
            line.SetAmounts(amounts.Current);
        }
    }
}
