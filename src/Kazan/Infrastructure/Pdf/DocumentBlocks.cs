using PdfSharp.Drawing;

namespace Kazan.Infrastructure.Pdf;

/// <summary>The issuing organization as it heads its documents. <see cref="Logo"/>: PNG or JPEG bytes, drawn top right when present.</summary>
public sealed record Letterhead(string Name, string? Address, string? TaxOffice, string? TaxNumber, string? Phone, string? Email, byte[]? Logo = null);

/// <summary>The customer a document is addressed to; <see cref="TaxNumber"/> is a VKN (10 digits) or TCKN (11).</summary>
public sealed record CustomerBlock(string Name, string? Address, string? City, string? TaxOffice, string? TaxNumber, string? ContactName = null);

/// <summary>The blocks every Kazan business document shares: letterhead, customer block, totals box.</summary>
public static class DocumentBlocks
{
    /// <summary>One line of a totals box; <see cref="Emphasis"/> marks the grand total.</summary>
    public sealed record TotalRow(string Label, string Amount, bool Emphasis = false);

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
