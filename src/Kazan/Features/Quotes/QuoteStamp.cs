using System.Globalization;
using Kazan.Infrastructure.Pdf;
using Kazan.Infrastructure.Time;
using PdfSharp.Drawing;
using PdfSharp.Pdf.IO;

namespace Kazan.Features.Quotes;

/// <summary>
/// The accepted copy of a quote: the PDF exactly as sent with a stamp drawn on its first page, saying who accepted it
/// online and when (on the organization's clock). The sent PDF itself is never changed; this copy is made on request
/// from its bytes, so it is the same document every time.
/// </summary>
public static class QuoteStamp
{
    /// <summary>The stamp's sentence in the quote's language.</summary>
    public static string Text(Quote quote, TimeZoneInfo zone)
    {
        var at = TimeZoneInfo.ConvertTime(quote.DecidedAt ?? DateTimeOffset.MinValue, zone);
        var who = quote.DecidedByTitle is { Length: > 0 } title ? $"{quote.DecidedByName} ({title})" : quote.DecidedByName ?? "";
        var place = ZoneName(zone, quote.Language);
        return quote.Language == "en"
            ? string.Create(CultureInfo.InvariantCulture, $"Accepted online by {who} on {at:dd.MM.yyyy HH:mm} ({place} time)")
            : string.Create(CultureInfo.InvariantCulture, $"{who} tarafından {at:dd.MM.yyyy HH:mm} tarihinde çevrimiçi kabul edildi ({place} saati)");
    }

    /// <summary>"İstanbul" for Turkey's zone, else the city of the IANA id.</summary>
    private static string ZoneName(TimeZoneInfo zone, string language) =>
        zone.Id is OrganizationTime.DefaultZoneId or "Turkey" ? "İstanbul"
        : zone.Id.Split('/')[^1].Replace('_', ' ') is { Length: > 0 } city ? city : (language == "en" ? "local" : "yerel");

    /// <summary>The sent PDF with the stamp on its first page (a framed box across the top, below the margin).</summary>
    public static byte[] Stamp(byte[] sentPdf, string text, DateTimeOffset decidedAt)
    {
        PdfFonts.EnsureInstalled();
        using var input = new MemoryStream(sentPdf);
        using var document = PdfReader.Open(input, PdfDocumentOpenMode.Modify);
        var page = document.Pages[0];
        using (var gfx = XGraphics.FromPdfPage(page, XGraphicsPdfPageOptions.Append))
        {
            var font = PdfFonts.Bold(9);
            var width = page.Width.Point;
            var size = gfx.MeasureString(text, font);
            var boxWidth = Math.Min(width - 40, size.Width + 20);
            var box = new XRect((width - boxWidth) / 2, 8, boxWidth, size.Height + 10);
            var green = XColor.FromArgb(0x1B, 0x6E, 0x3A);
            gfx.DrawRectangle(new XPen(green, 1.2), new XSolidBrush(XColor.FromArgb(235, 0xE8, 0xF5, 0xEC)), box);
            gfx.DrawString(text, font, new XSolidBrush(green), box, XStringFormats.Center);
        }

        return DeterministicPdf.Save(document, decidedAt);
    }
}
