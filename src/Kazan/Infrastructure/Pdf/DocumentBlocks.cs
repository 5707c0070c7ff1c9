using Kazan.Features.Pricing;
using Kazan.Infrastructure.Localization;
using PdfSharp.Drawing;

namespace Kazan.Infrastructure.Pdf;

/// <summary>The issuing organization as it heads its documents. <see cref="Logo"/>: PNG or JPEG bytes, drawn top right when present.</summary>
public sealed record Letterhead(string Name, string? Address, string? TaxOffice, string? TaxNumber, string? Phone, string? Email, byte[]? Logo = null);

/// <summary>The customer a document is addressed to; <see cref="TaxNumber"/> is a VKN (10 digits) or TCKN (11).</summary>
public sealed record CustomerBlock(string Name, string? Address, string? City, string? TaxOffice, string? TaxNumber, string? ContactName = null);

/// <summary>
/// The blocks every Kazan business document shares: letterhead, running header, title with customer and details,
/// totals box with the amount in words, framed text boxes and signature boxes.
/// </summary>
public static class DocumentBlocks
{
    /// <summary>One line of a totals box; <see cref="Emphasis"/> marks the grand total.</summary>
    public sealed record TotalRow(string Label, string Amount, bool Emphasis = false);

    /// <summary>
    /// One signature box: a caption, text lines under it (the first in ink, the rest muted) and, when
    /// <see cref="SignHere"/> is set, a line to sign on with that caption under it.
    /// </summary>
    public sealed record SignatureBox(string Caption, IReadOnlyList<string> Lines, string? SignHere);

    /// <summary>The header of every page after the first: issuer left, document and number right, a rule below.</summary>
    public static void DrawRunningHeader(this PdfComposer page, string left, string right)
    {
        var font = PdfFonts.Bold(8.5);
        var h = page.DrawText(left, font, page.Left, page.Y, page.Width / 2, XStringAlignment.Near, PdfComposer.Accent);
        page.DrawText(right, font, page.Left + (page.Width / 2), page.Y, page.Width / 2, XStringAlignment.Far, PdfComposer.Accent);
        page.Y += h + 4;
        page.Rule(0.8, PdfComposer.Accent);
        page.Y += 8;
    }

    /// <summary>
    /// The document title (e.g. TEKLİF), then the framed customer block left (<paramref name="customerShare"/> of the
    /// width) and the document's details (number, dates …) right; moves the cursor below the taller of the two.
    /// </summary>
    public static void DrawTitleAndParties(
        this PdfComposer page, string title, string customerCaption, CustomerBlock customer, IReadOnlyList<(string Label, string Value)> details,
        double labelWidth = 78, double customerShare = 0.56)
    {
        var titleHeight = page.DrawText(title, PdfFonts.Bold(20), page.Left, page.Y, page.Width * 0.7, XStringAlignment.Near, PdfComposer.Accent);
        page.Y += titleHeight + 8;

        const double gap = 16.0;
        var customerWidth = (page.Width * customerShare) - (gap / 2);
        var customerHeight = page.DrawCustomer(customerCaption, customer, page.Left, page.Y, customerWidth);
        var detailsX = page.Left + customerWidth + gap;
        var detailsHeight = page.KeyValues(details, detailsX, page.Y + 6, page.Right - detailsX, PdfFonts.Regular(8.5), PdfFonts.Bold(8.5), labelWidth);
        page.Y += Math.Max(customerHeight, detailsHeight + 6) + 12;
    }

    /// <summary>The currency and, when it is not the base currency, the exchange rate, as document detail rows.</summary>
    public static IEnumerable<(string Label, string Value)> CurrencyDetails(string currency, string baseCurrency, decimal exchangeRate, DocumentWords words, string language)
    {
        yield return (words.Currency, $"{currency} ({Formats.Symbol(currency)})");
        if (currency != baseCurrency)
        {
            var rate = exchangeRate.ToString("#,##0.0000", PdfText.Culture(language));
            yield return (words.ExchangeRate, $"1 {currency} = {rate} {baseCurrency}");
        }
    }

    /// <summary>
    /// The totals box (gross and discount when there is one, net, VAT per rate, grand total) exactly as
    /// <see cref="Pricing"/> computed them, then the grand total in words.
    /// </summary>
    public static void DrawAmounts(this PdfComposer page, DocumentTotals totals, string currency, DocumentWords words)
    {
        var lang = page.Language;
        string Money(decimal amount) => PdfText.Money(amount, currency, lang);

        var rows = new List<TotalRow>();
        if (totals.Discount != 0)
        {
            rows.Add(new(words.Gross, Money(totals.Gross)));
            rows.Add(new(words.Discount, Money(-totals.Discount)));
        }

        rows.Add(new(words.Net, Money(totals.Net)));
        foreach (var vat in totals.VatByRate)
        {
            rows.Add(new($"{words.Vat} {PdfText.Percent(vat.Rate, lang)}", Money(vat.Vat)));
        }

        rows.Add(new(words.GrandTotal, Money(totals.Total), Emphasis: true));
        page.DrawTotals(rows);

        page.Y += 6;
        page.Paragraph($"{words.InWords}: {NumberWords.Amount(totals.Total, currency, lang)}", PdfFonts.Italic(8.5));
        page.Y += 10;
    }

    /// <summary>A heading and a text under it (notes, terms), kept together at a page break; nothing when the text is empty.</summary>
    public static void DrawSection(this PdfComposer page, string title, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return;
        }

        var heading = PdfFonts.Bold(9);
        var body = PdfFonts.Regular(8.5);

        // A heading never stays alone at the bottom of a page.
        page.EnsureSpace(PdfComposer.LineHeight(heading) + (2 * PdfComposer.LineHeight(body)) + 4);
        page.Paragraph(title, heading, PdfComposer.Accent);
        page.Y += 2;
        page.Paragraph(text, body);
        page.Y += 8;
    }

    /// <summary>A full-width framed box with a small caption and wrapped text (e.g. the delivery address) at the cursor.</summary>
    public static void DrawBox(this PdfComposer page, string caption, string text)
    {
        const double pad = 6;
        var inner = page.Width - (2 * pad);
        var captionFont = PdfFonts.Bold(7);
        var body = PdfFonts.Regular(9);
        var lines = page.Wrap(text, body, inner);
        var height = pad + PdfComposer.LineHeight(captionFont) + 1 + (lines.Count * PdfComposer.LineHeight(body)) + pad;
        page.EnsureSpace(height);
        var y = page.Y + pad;
        y += page.DrawText(caption, captionFont, page.Left + pad, y, inner, XStringAlignment.Near, PdfComposer.Muted) + 1;
        page.DrawLines(lines, body, page.Left + pad, y, inner);
        page.Graphics.DrawRectangle(new XPen(PdfComposer.LineColor, 0.6), page.Left, page.Y, page.Width, height);
        page.Y += height + 10;
    }

    /// <summary>Two signature boxes side by side, kept on one page.</summary>
    public static void DrawSignatures(this PdfComposer page, SignatureBox left, SignatureBox right)
    {
        page.EnsureSpace(78);
        page.Y += 8;
        var width = (page.Width - 40) / 2;
        var top = page.Y;
        var bottom = Math.Max(Box(left, page.Left), Box(right, page.Left + width + 40));
        page.Y = bottom;

        double Box(SignatureBox box, double x)
        {
            var label = PdfFonts.Bold(8.5);
            var value = PdfFonts.Regular(8.5);
            page.DrawText(box.Caption, label, x, top, width, XStringAlignment.Near, PdfComposer.Muted);
            var y = top + PdfComposer.LineHeight(label) + 2;
            for (var i = 0; i < box.Lines.Count; i++)
            {
                y += page.DrawText(box.Lines[i], value, x, y, width, XStringAlignment.Near, i == 0 ? PdfComposer.Ink : PdfComposer.Muted);
            }

            if (box.SignHere is null)
            {
                return y;
            }

            var lineY = Math.Max(top + 58, y + 24);
            page.Graphics.DrawLine(new XPen(PdfComposer.LineColor, 0.6), x, lineY, x + width, lineY);
            page.DrawText(box.SignHere, PdfFonts.Regular(7.5), x, lineY + 2, width, XStringAlignment.Near, PdfComposer.Muted);
            return lineY + 14;
        }
    }

    /// <summary>Organization name, address, tax office + VKN, phone and e-mail top left; the logo top right; a rule below.</summary>
    public static void DrawLetterhead(this PdfComposer page, Letterhead letterhead)
    {
        const double logoWidth = 150;
        const double logoHeight = 58;
        var top = page.Y;
        var hasLogo = letterhead.Logo is { Length: > 0 } logo && page.Image(logo, page.Right, top, logoWidth, logoHeight);
        var width = hasLogo ? page.Width - logoWidth - 16 : page.Width;
        var lang = page.Language;

        var y = top;
        y += page.DrawText(letterhead.Name, PdfFonts.Bold(13), page.Left, y, width, XStringAlignment.Near, PdfComposer.Accent) + 2;
        var small = PdfFonts.Regular(8);
        y += page.DrawText(letterhead.Address, small, page.Left, y, width, XStringAlignment.Near, PdfComposer.Muted);
        y += page.DrawText(Join(
            Labelled(PdfText.TaxOffice(lang), letterhead.TaxOffice),
            Labelled(PdfText.TaxNumber(letterhead.TaxNumber, lang), letterhead.TaxNumber)), small, page.Left, y, width, XStringAlignment.Near, PdfComposer.Muted);
        y += page.DrawText(Join(
            Labelled(PdfText.Phone(lang), letterhead.Phone),
            Labelled(PdfText.Email(lang), letterhead.Email)), small, page.Left, y, width, XStringAlignment.Near, PdfComposer.Muted);

        page.Y = Math.Max(y, hasLogo ? top + logoHeight : y) + 8;
        page.Rule(0.8, PdfComposer.Accent);
        page.Y += 10;
    }

    /// <summary>A framed customer block at (<paramref name="x"/>, <paramref name="y"/>); returns its height.</summary>
    public static double DrawCustomer(this PdfComposer page, string caption, CustomerBlock customer, double x, double y, double width)
    {
        const double pad = 6;
        var lang = page.Language;
        var inner = width - (2 * pad);
        var used = pad;
        var regular = PdfFonts.Regular(8.5);
        used += page.DrawText(caption, PdfFonts.Bold(7), x + pad, y + used, inner, XStringAlignment.Near, PdfComposer.Muted) + 1;
        used += page.DrawText(customer.Name, PdfFonts.Bold(10), x + pad, y + used, inner) + 1;
        used += page.DrawText(customer.Address, regular, x + pad, y + used, inner);
        used += page.DrawText(customer.City, regular, x + pad, y + used, inner);
        used += page.DrawText(Join(
            Labelled(PdfText.TaxOffice(lang), customer.TaxOffice),
            Labelled(PdfText.TaxNumber(customer.TaxNumber, lang), customer.TaxNumber)), regular, x + pad, y + used, inner);
        used += page.DrawText(Labelled(PdfText.IsTurkish(lang) ? "İlgili" : "Attn.", customer.ContactName), regular, x + pad, y + used, inner);
        used += pad;
        page.Graphics.DrawRectangle(new XPen(PdfComposer.LineColor, 0.6), x, y, width, used);
        return used;
    }

    /// <summary>The totals box, right-aligned at the cursor and kept on one page; the emphasised row is shaded and larger.</summary>
    public static void DrawTotals(this PdfComposer page, IReadOnlyList<TotalRow> rows, double width = 260)
    {
        var font = PdfFonts.Regular(9);
        var strong = PdfFonts.Bold(11);
        var heights = rows.Select(r => PdfComposer.LineHeight(r.Emphasis ? strong : font) + (r.Emphasis ? 8 : 4)).ToList();
        page.EnsureSpace(heights.Sum() + 4);
        var x = page.Right - width;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var f = row.Emphasis ? strong : font;
            var pad = row.Emphasis ? 4 : 2;
            if (row.Emphasis)
            {
                page.Graphics.DrawRectangle(new XSolidBrush(PdfComposer.Shade), x, page.Y, width, heights[i]);
                page.Graphics.DrawLine(new XPen(PdfComposer.Accent, 1), x, page.Y, page.Right, page.Y);
            }

            page.DrawText(row.Label, f, x + 6, page.Y + pad, (width / 2) - 6, XStringAlignment.Near, row.Emphasis ? PdfComposer.Accent : PdfComposer.Ink);
            page.DrawText(row.Amount, f, x + (width / 2), page.Y + pad, (width / 2) - 6, XStringAlignment.Far, row.Emphasis ? PdfComposer.Accent : PdfComposer.Ink);
            page.Y += heights[i];
        }
    }

    /// <summary>"Label: value", or null when there is no value.</summary>
    public static string? Labelled(string label, string? value) => string.IsNullOrWhiteSpace(value) ? null : $"{label}: {value.Trim()}";

    /// <summary>The present parts joined with a middle dot, or null when none is present.</summary>
    public static string? Join(params string?[] parts)
    {
        var present = parts.Where(p => !string.IsNullOrWhiteSpace(p)).ToList();
        return present.Count == 0 ? null : string.Join("  ·  ", present);
    }
}
