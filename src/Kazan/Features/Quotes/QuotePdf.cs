using System.Globalization;
using Kazan.Features.Accounts;
using Kazan.Features.Organizations;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Pdf;
using PdfSharp.Drawing;

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

    /// <summary>Gross, discount, net, VAT per rate and grand total, exactly as <see cref="Pricing.Pricing.Totals"/> computed them.</summary>
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
            Currency = quote.Currency,
            BaseCurrency = org.BaseCurrency,
            ExchangeRate = quote.ExchangeRate,
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
/// emphasised and written out in words, payment terms, notes, signature boxes and "Sayfa n / N".
/// </summary>
public static class QuotePdf
{
    public static byte[] Render(QuotePdfModel model)
    {
        var t = model.Language == "tr" ? Labels.Tr : Labels.En;
        var lang = model.Language;
        using var page = new PdfComposer(lang, $"{t.Title} {model.DisplayNumber}", model.Organization.Name, model.IsDraft ? t.Draft : null);
        page.ContinuationHeader = p => RunningHeader(p, model, t);

        page.DrawLetterhead(model.Organization);
        TitleAndParties(page, model, t);
        LineTable(page, model, t);
        Totals(page, model, t);
        Terms(page, model, t);
        Signatures(page, model, t);

        // The footer repeats the draft mark in plain text: it survives grayscale printing and text extraction.
        var footer = $"{model.Organization.Name}  ·  {t.Title} {model.DisplayNumber}" + (model.IsDraft ? $"  ·  {t.Draft}" : "");
        return page.Finish(model.Timestamp, footer);
    }

    private static void RunningHeader(PdfComposer page, QuotePdfModel model, Labels t)
    {
        var font = PdfFonts.Bold(8.5);
        var h = page.DrawText(model.Organization.Name, font, page.Left, page.Y, page.Width / 2, XStringAlignment.Near, PdfComposer.Accent);
        page.DrawText($"{t.Title}  {model.DisplayNumber}", font, page.Left + (page.Width / 2), page.Y, page.Width / 2, XStringAlignment.Far, PdfComposer.Accent);
        page.Y += h + 4;
        page.Rule(0.8, PdfComposer.Accent);
        page.Y += 8;
    }

    private static void TitleAndParties(PdfComposer page, QuotePdfModel model, Labels t)
    {
        var lang = model.Language;
        var titleHeight = page.DrawText(t.Title, PdfFonts.Bold(20), page.Left, page.Y, page.Width / 2, XStringAlignment.Near, PdfComposer.Accent);
        page.Y += titleHeight + 8;

        var gap = 16.0;
        var customerWidth = (page.Width * 0.56) - (gap / 2);
        var customerHeight = page.DrawCustomer(t.Customer, model.Customer, page.Left, page.Y, customerWidth);

        var meta = new List<(string, string)>
        {
            (t.Number, model.DisplayNumber),
            (t.Date, PdfText.Date(model.IssueDate, lang)),
            (t.ValidUntil, PdfText.Date(model.ValidUntil, lang)),
            (t.Currency, $"{model.Currency} ({Formats.Symbol(model.Currency)})"),
        };
        if (model.Currency != model.BaseCurrency)
        {
            var rate = model.ExchangeRate.ToString("#,##0.0000", PdfText.Culture(lang));
            meta.Add((t.ExchangeRate, $"1 {model.Currency} = {rate} {model.BaseCurrency}"));
        }

        meta.Add((t.PreparedBy, model.OwnerName));
        var metaX = page.Left + customerWidth + gap;
        var metaHeight = page.KeyValues(meta, metaX, page.Y + 6, page.Right - metaX, PdfFonts.Regular(8.5), PdfFonts.Bold(8.5), 78);

        page.Y += Math.Max(customerHeight, metaHeight + 6) + 12;
        page.Paragraph(t.Intro, PdfFonts.Regular(8.5));
        page.Y += 6;
    }

    private static void LineTable(PdfComposer page, QuotePdfModel model, Labels t)
    {
        var lang = model.Language;
        var showDiscount = model.Lines.Any(l => l.Kind == QuoteLineKind.Item && l.DiscountPercent != 0);
        var columns = new List<PdfColumn>
        {
            new(t.ColNo, 24, XStringAlignment.Far),
            new(t.ColDescription, 0),
            new(t.ColQuantity, 64, XStringAlignment.Far),
            new(t.ColUnitPrice, 76, XStringAlignment.Far),
        };
        if (showDiscount)
        {
            columns.Add(new(t.ColDiscount, 40, XStringAlignment.Far));
        }

        columns.Add(new(t.ColVat, 36, XStringAlignment.Far));
        columns.Add(new(t.ColNet, 82, XStringAlignment.Far));

        var table = new PdfTable(page, columns, PdfFonts.Bold(8), PdfFonts.Regular(8.5));
        table.Begin();
        var sectionFont = PdfFonts.Bold(8.5);
        foreach (var line in model.Lines)
        {
            if (line.Kind == QuoteLineKind.Section)
            {
                table.Section(line.Description, sectionFont);
                continue;
            }

            var cells = new List<string?>
            {
                line.No?.ToString(CultureInfo.InvariantCulture),
                line.Description,
                $"{PdfText.Quantity(line.Quantity, lang)} {line.Unit}",
                PdfText.UnitPrice(line.UnitPrice, model.Currency, lang),
            };
            if (showDiscount)
            {
                cells.Add(line.DiscountPercent == 0 ? "" : PdfText.Percent(line.DiscountPercent, lang));
            }

            cells.Add(PdfText.Percent(line.VatRate, lang));
            cells.Add(PdfText.Money(line.NetAmount, model.Currency, lang));
            table.Row(cells);
        }

        page.Y += 6;
        if (model.DocumentDiscountPercent != 0)
        {
            page.Paragraph(string.Format(CultureInfo.InvariantCulture, t.DocumentDiscountNote, PdfText.Percent(model.DocumentDiscountPercent, lang)),
                PdfFonts.Italic(8), PdfComposer.Muted);
        }

        page.Y += 6;
    }

    private static void Totals(PdfComposer page, QuotePdfModel model, Labels t)
    {
        var lang = model.Language;
        var totals = model.Totals;
        string Money(decimal amount) => PdfText.Money(amount, model.Currency, lang);

        var rows = new List<DocumentBlocks.TotalRow>();
        if (totals.Discount != 0)
        {
            rows.Add(new(t.Gross, Money(totals.Gross)));
            rows.Add(new(t.Discount, Money(-totals.Discount)));
        }

        rows.Add(new(t.Net, Money(totals.Net)));
        foreach (var vat in totals.VatByRate)
        {
            rows.Add(new($"{t.Vat} {PdfText.Percent(vat.Rate, lang)}", Money(vat.Vat)));
        }

        rows.Add(new(t.GrandTotal, Money(totals.Total), Emphasis: true));
        page.DrawTotals(rows);

        page.Y += 6;
        page.Paragraph($"{t.InWords}: {NumberWords.Amount(totals.Total, model.Currency, lang)}", PdfFonts.Italic(8.5));
        page.Y += 10;
    }

    private static void Terms(PdfComposer page, QuotePdfModel model, Labels t)
    {
        var heading = PdfFonts.Bold(9);
        var body = PdfFonts.Regular(8.5);
        Section(t.Validity, string.Format(CultureInfo.InvariantCulture, t.ValiditySentence, PdfText.Date(model.ValidUntil, model.Language)));
        if (model.PaymentTerms is not null)
        {
            Section(t.PaymentTerms, model.PaymentTerms);
        }

        if (model.Notes is not null)
        {
            Section(t.Notes, model.Notes);
        }

        void Section(string title, string text)
        {
            // A heading never stays alone at the bottom of a page.
            page.EnsureSpace(PdfComposer.LineHeight(heading) + (2 * PdfComposer.LineHeight(body)) + 4);
            page.Paragraph(title, heading, PdfComposer.Accent);
            page.Y += 2;
            page.Paragraph(text, body);
            page.Y += 8;
        }
    }

    private static void Signatures(PdfComposer page, QuotePdfModel model, Labels t)
    {
        page.EnsureSpace(78);
        page.Y += 8;
        var width = (page.Width - 40) / 2;
        var right = page.Left + width + 40;
        var label = PdfFonts.Bold(8.5);
        var value = PdfFonts.Regular(8.5);
        page.DrawText(t.PreparedBy, label, page.Left, page.Y, width, XStringAlignment.Near, PdfComposer.Muted);
        page.DrawText(t.CustomerApproval, label, right, page.Y, width, XStringAlignment.Near, PdfComposer.Muted);
        var y = page.Y + PdfComposer.LineHeight(label) + 2;
        y += page.DrawText(model.OwnerName, value, page.Left, y, width);
        page.DrawText(model.Organization.Name, value, page.Left, y, width, XStringAlignment.Near, PdfComposer.Muted);

        var lineY = page.Y + 58;
        var pen = new XPen(PdfComposer.LineColor, 0.6);
        page.Graphics.DrawLine(pen, right, lineY, page.Right, lineY);
        page.DrawText(t.StampAndSignature, PdfFonts.Regular(7.5), right, lineY + 2, width, XStringAlignment.Near, PdfComposer.Muted);
        page.Y = lineY + 14;
    }

    /// <summary>The document's fixed wording in its two languages (document template text, not UI strings).</summary>
    private sealed record Labels(
        string Title, string Draft, string Customer, string Number, string Date, string ValidUntil, string Currency, string ExchangeRate,
        string PreparedBy, string Intro, string ColNo, string ColDescription, string ColQuantity, string ColUnitPrice, string ColDiscount,
        string ColVat, string ColNet, string DocumentDiscountNote, string Gross, string Discount, string Net, string Vat, string GrandTotal,
        string InWords, string Validity, string ValiditySentence, string PaymentTerms, string Notes, string CustomerApproval, string StampAndSignature)
    {
        public static readonly Labels Tr = new(
            Title: "TEKLİF",
            Draft: "TASLAK",
            Customer: "MÜŞTERİ",
            Number: "Teklif No",
            Date: "Tarih",
            ValidUntil: "Geçerlilik",
            Currency: "Para Birimi",
            ExchangeRate: "Kur",
            PreparedBy: "Hazırlayan",
            Intro: "Talebiniz üzerine hazırladığımız teklifimizi bilgilerinize sunarız.",
            ColNo: "No",
            ColDescription: "Açıklama",
            ColQuantity: "Miktar",
            ColUnitPrice: "Birim Fiyat",
            ColDiscount: "İsk.",
            ColVat: "KDV",
            ColNet: "Tutar",
            DocumentDiscountNote: "Satır tutarlarına {0} genel iskonto uygulanmıştır.",
            Gross: "Brüt Toplam",
            Discount: "İskonto",
            Net: "Ara Toplam",
            Vat: "KDV",
            GrandTotal: "Genel Toplam",
            InWords: "Yalnız",
            Validity: "Geçerlilik",
            ValiditySentence: "Bu teklif {0} tarihine kadar geçerlidir.",
            PaymentTerms: "Ödeme Koşulları",
            Notes: "Notlar ve Koşullar",
            CustomerApproval: "Müşteri Onayı",
            StampAndSignature: "Kaşe / İmza / Tarih");

        public static readonly Labels En = new(
            Title: "QUOTATION",
            Draft: "DRAFT",
            Customer: "CUSTOMER",
            Number: "Quote no.",
            Date: "Date",
            ValidUntil: "Valid until",
            Currency: "Currency",
            ExchangeRate: "Exchange rate",
            PreparedBy: "Prepared by",
            Intro: "Thank you for your enquiry. We are pleased to submit our quotation as follows.",
            ColNo: "No.",
            ColDescription: "Description",
            ColQuantity: "Quantity",
            ColUnitPrice: "Unit price",
            ColDiscount: "Disc.",
            ColVat: "VAT",
            ColNet: "Amount",
            DocumentDiscountNote: "Line amounts include a general discount of {0}.",
            Gross: "Gross total",
            Discount: "Discount",
            Net: "Subtotal",
            Vat: "VAT",
            GrandTotal: "Grand total",
            InWords: "Say",
            Validity: "Validity",
            ValiditySentence: "This quotation is valid until {0}.",
            PaymentTerms: "Payment terms",
            Notes: "Notes and terms",
            CustomerApproval: "Customer approval",
            StampAndSignature: "Stamp / Signature / Date");
    }
}
