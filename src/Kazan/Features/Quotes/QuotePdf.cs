using System.Globalization;
using Kazan.Features.Accounts;
using Kazan.Features.Organizations;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Pdf;

namespace Kazan.Features.Quotes;

/// <summary>One row of the quote table: a section heading (only <see cref="Description"/>) or a numbered item.</summary>
public sealed record QuotePdfLine(
    QuoteLineKind Kind, int? No, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal DiscountPercent, decimal VatRate, decimal NetAmount)
{
    public static QuotePdfLine Section(string heading) => new(QuoteLineKind.Section, null, heading, 0, "", 0, 0, 0, 0);
}

/// <summary>
/// Everything a quote PDF shows, and nothing else: <see cref="QuotePdf.Render"/> reads only this, so the same
/// model always gives the same bytes. Build it with <see cref="From"/>; amounts come from <see cref="Quote.Totals"/>.
/// </summary>
public sealed record QuotePdfModel
{
    public required Letterhead Organization { get; init; }
    public required CustomerBlock Customer { get; init; }

    /// <summary>TKL-2026-00042 or TKL-2026-00042 / R2.</summary>
    public required string DisplayNumber { get; init; }

    public required DateOnly IssueDate { get; init; }
    public required DateOnly ValidUntil { get; init; }
    public required string Currency { get; init; }

    /// <summary>The organization's base currency; the exchange rate is printed when <see cref="Currency"/> differs.</summary>
    public required string BaseCurrency { get; init; }

    /// <summary>Units of <see cref="BaseCurrency"/> per unit of <see cref="Currency"/>.</summary>
    public required decimal ExchangeRate { get; init; }

    /// <summary>tr or en.</summary>
    public required string Language { get; init; }

    public required IReadOnlyList<QuotePdfLine> Lines { get; init; }

    /// <summary>Gross, discount, net, VAT per rate and grand total, exactly as <see cref="Quote.Totals"/> computed them.</summary>
    public required DocumentTotals Totals { get; init; }

    public decimal DocumentDiscountPercent { get; init; }
    public string? PaymentTerms { get; init; }
    public string? Notes { get; init; }

    /// <summary>Drafts carry a diagonal TASLAK / DRAFT watermark on every page.</summary>
    public required bool IsDraft { get; init; }

    /// <summary>The quote owner, printed as the person who prepared it.</summary>
    public required string OwnerName { get; init; }

    /// <summary>The PDF's creation date: when the quote was sent, else when it was created. Never the clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }

    public static QuotePdfModel From(Quote quote, Organization org, Account account, string ownerName, string? contactName, byte[]? logo = null)
    {
        var totals = quote.Totals();
        var lines = new List<QuotePdfLine>();
        var item = 0;
        foreach (var line in quote.Lines)
        {
            if (line.Kind == QuoteLineKind.Section)
            {
                lines.Add(QuotePdfLine.Section(line.Description));
                continue;
            }

            // Totals().Lines holds the item lines' rounded figures in position order.
            var amounts = totals.Lines[item++];
            lines.Add(new QuotePdfLine(
                QuoteLineKind.Item, item, line.Description, line.Quantity, line.Unit, line.UnitPrice, line.DiscountPercent, line.VatRate, amounts.Net));
        }

        return new QuotePdfModel
        {
            Organization = new Letterhead(org.Name, org.Address, org.TaxOffice, org.TaxNumber, org.Phone, org.Email, logo),
            Customer = new CustomerBlock(account.Name, account.Address, account.City, account.TaxOffice, account.TaxNumber, contactName),
            DisplayNumber = quote.DisplayNumber,
            IssueDate = quote.IssueDate,
            ValidUntil = quote.ValidUntil,
            Currency = quote.Currency.Code,
            BaseCurrency = org.BaseCurrency,
            ExchangeRate = quote.Currency.Rate,
            Language = quote.Language,
            Lines = lines,
            Totals = totals,
            DocumentDiscountPercent = quote.DocumentDiscountPercent,
            PaymentTerms = quote.PaymentTerms,
            Notes = quote.Notes,
            IsDraft = quote.Status == QuoteStatus.Draft,
            OwnerName = ownerName,
            Timestamp = quote.SentAt ?? quote.CreatedAt,
        };
    }
}

/// <summary>
/// Renders a quote as an A4 PDF a Turkish customer accepts: letterhead (logo right), TEKLİF / QUOTATION, customer
/// and quote details, the line table (header repeated on every page), VAT per rate, totals with the grand total
/// emphasised and written out in words, payment terms, notes, signature boxes and "Sayfa n / N". The blocks are the
/// shared ones in <c>Infrastructure/Pdf</c> (order confirmations and delivery notes use them too).
/// </summary>
public static class QuotePdf
{
    public static byte[] Render(QuotePdfModel model)
    {
        var t = model.Language == "tr" ? Labels.Tr : Labels.En;
        var w = DocumentWords.For(model.Language);
        var lang = model.Language;
        using var page = new PdfComposer(lang, $"{t.Title} {model.DisplayNumber}", model.Organization.Name, model.IsDraft ? t.Draft : null);
        page.ContinuationHeader = p => p.DrawRunningHeader(model.Organization.Name, $"{t.Title}  {model.DisplayNumber}");

        page.DrawLetterhead(model.Organization);
        var details = new List<(string, string)>
        {
            (t.Number, model.DisplayNumber),
            (w.Date, PdfText.Date(model.IssueDate, lang)),
            (t.ValidUntil, PdfText.Date(model.ValidUntil, lang)),
        };
        details.AddRange(DocumentBlocks.CurrencyDetails(model.Currency, model.BaseCurrency, model.ExchangeRate, w, lang));
        details.Add((w.PreparedBy, model.OwnerName));
        page.DrawTitleAndParties(t.Title, w.Customer, model.Customer, details);
        page.Paragraph(t.Intro, PdfFonts.Regular(8.5));
        page.Y += 6;

        var rows = model.Lines.Select(l => l.Kind == QuoteLineKind.Section
            ? PricedRow.Section(l.Description)
            : new PricedRow(l.No, l.Description, l.Quantity, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate, l.NetAmount)).ToList();
        PricedLineTable.Draw(page, rows, model.Currency, model.DocumentDiscountPercent, w);
        page.DrawAmounts(model.Totals, model.Currency, w);

        page.DrawSection(t.Validity, string.Format(CultureInfo.InvariantCulture, t.ValiditySentence, PdfText.Date(model.ValidUntil, lang)));
        page.DrawSection(t.PaymentTerms, model.PaymentTerms);
        page.DrawSection(t.Notes, model.Notes);
        page.DrawSignatures(
            new DocumentBlocks.SignatureBox(w.PreparedBy, [model.OwnerName, model.Organization.Name], null),
            new DocumentBlocks.SignatureBox(w.CustomerApproval, [], w.StampAndSignature));

        // The footer repeats the draft mark in plain text: it survives grayscale printing and text extraction.
        var footer = $"{model.Organization.Name}  ·  {t.Title} {model.DisplayNumber}" + (model.IsDraft ? $"  ·  {t.Draft}" : "");
        return page.Finish(model.Timestamp, footer);
    }

    /// <summary>The quote's own wording in its two languages (the shared words are in <see cref="DocumentWords"/>).</summary>
    private sealed record Labels(
        string Title, string Draft, string Number, string ValidUntil, string Intro, string Validity, string ValiditySentence, string PaymentTerms, string Notes)
    {
        public static readonly Labels Tr = new(
            Title: "TEKLİF",
            Draft: "TASLAK",
            Number: "Teklif No",
            ValidUntil: "Geçerlilik",
            Intro: "Talebiniz üzerine hazırladığımız teklifimizi bilgilerinize sunarız.",
            Validity: "Geçerlilik",
            ValiditySentence: "Bu teklif {0} tarihine kadar geçerlidir.",
            PaymentTerms: "Ödeme Koşulları",
            Notes: "Notlar ve Koşullar");

        public static readonly Labels En = new(
            Title: "QUOTATION",
            Draft: "DRAFT",
            Number: "Quote no.",
            ValidUntil: "Valid until",
            Intro: "Thank you for your enquiry. We are pleased to submit our quotation as follows.",
            Validity: "Validity",
            ValiditySentence: "This quotation is valid until {0}.",
            PaymentTerms: "Payment terms",
            Notes: "Notes and terms");
    }
}
