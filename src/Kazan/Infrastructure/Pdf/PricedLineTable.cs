using System.Globalization;
using PdfSharp.Drawing;

namespace Kazan.Infrastructure.Pdf;

/// <summary>
/// One row of a priced line table: a numbered item, or a section heading (<see cref="IsSection"/>, only
/// <see cref="Description"/>). <see cref="Quantity"/> is the quantity the amount is for; <see cref="Cancelled"/> what
/// was ordered and cancelled on top of it (orders only).
/// </summary>
public sealed record PricedRow(
    int? No, string Description, decimal Quantity, string Unit, decimal UnitPrice, decimal DiscountPercent, decimal VatRate, decimal NetAmount,
    decimal Cancelled = 0, bool IsSection = false)
{
    public static PricedRow Section(string heading) => new(null, heading, 0, "", 0, 0, 0, 0, IsSection: true);
}

/// <summary>
/// The line table of a quote or an order confirmation: No, description, quantity + unit, (cancelled), unit price,
/// (discount), VAT rate, net amount. The discount column appears only when a line has a discount, the cancelled column
/// only when a line has cancellations; a note under the table names the document discount and the cancellations.
/// </summary>
public static class PricedLineTable
{
    public static void Draw(PdfComposer page, IReadOnlyList<PricedRow> rows, string currency, decimal documentDiscountPercent, DocumentWords words)
    {
        var lang = page.Language;
        var items = rows.Where(r => !r.IsSection).ToList();
        var showDiscount = items.Any(l => l.DiscountPercent != 0);
        var showCancelled = items.Any(l => l.Cancelled != 0);
        var columns = new List<PdfColumn>
        {
            new(words.ColNo, 24, XStringAlignment.Far),
            new(words.ColDescription, 0),
            new(words.ColQuantity, 64, XStringAlignment.Far),
        };
        if (showCancelled)
        {
            columns.Add(new(words.ColCancelled, 58, XStringAlignment.Far));
        }

        columns.Add(new(words.ColUnitPrice, 76, XStringAlignment.Far));
        if (showDiscount)
        {
            columns.Add(new(words.ColDiscount, 40, XStringAlignment.Far));
        }

        columns.Add(new(words.ColVat, 36, XStringAlignment.Far));
        columns.Add(new(words.ColNet, 82, XStringAlignment.Far));

        var table = new PdfTable(page, columns, PdfFonts.Bold(8), PdfFonts.Regular(8.5));
        table.Begin();
        var sectionFont = PdfFonts.Bold(8.5);
        foreach (var line in rows)
        {
            if (line.IsSection)
            {
                table.Section(line.Description, sectionFont);
                continue;
            }

            var cells = new List<string?>
            {
                line.No?.ToString(CultureInfo.InvariantCulture),
                line.Description,
                $"{PdfText.Quantity(line.Quantity, lang)} {line.Unit}",
            };
            if (showCancelled)
            {
                cells.Add(line.Cancelled == 0 ? "" : $"{PdfText.Quantity(line.Cancelled, lang)} {line.Unit}");
            }

            cells.Add(PdfText.UnitPrice(line.UnitPrice, currency, lang));
            if (showDiscount)
            {
                cells.Add(line.DiscountPercent == 0 ? "" : PdfText.Percent(line.DiscountPercent, lang));
            }

            cells.Add(PdfText.Percent(line.VatRate, lang));
            cells.Add(PdfText.Money(line.NetAmount, currency, lang));
            table.Row(cells);
        }

        page.Y += 6;
        var note = PdfFonts.Italic(8);
        if (documentDiscountPercent != 0)
        {
            page.Paragraph(string.Format(CultureInfo.InvariantCulture, words.DocumentDiscountNote, PdfText.Percent(documentDiscountPercent, lang)), note, PdfComposer.Muted);
        }

        if (showCancelled)
        {
            page.Paragraph(words.CancelledNote, note, PdfComposer.Muted);
        }

        page.Y += 6;
    }
}
