using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Kazan.Infrastructure.Pdf;

/// <summary>
/// Flows a business document (quote, order, delivery note) onto A4 pages: a cursor <see cref="Y"/> moves down,
/// <see cref="EnsureSpace"/> starts a new page when a block would not fit, <see cref="Finish"/> stamps
/// "Sayfa n / N" footers once the page count is known and saves deterministically.
/// Units are PDF points (1/72 inch); y grows downwards.
/// </summary>
public sealed class PdfComposer : IDisposable
{
    public const double PageWidth = 595.28;
    public const double PageHeight = 841.89;

    public static readonly XColor Ink = XColor.FromArgb(33, 37, 41);
    public static readonly XColor Muted = XColor.FromArgb(108, 117, 125);
    public static readonly XColor LineColor = XColor.FromArgb(206, 212, 218);
    public static readonly XColor Shade = XColor.FromArgb(241, 243, 245);
    public static readonly XColor Accent = XColor.FromArgb(31, 78, 121);

    private readonly PdfDocument _document = new();
    private readonly string? _watermark;
    private XGraphics? _graphics;

    /// <param name="language">tr or en: the document's language, also used for the page footer.</param>
    /// <param name="title">Document title shown by PDF viewers, e.g. "TEKLİF TKL-2026-00042".</param>
    /// <param name="author">The organization that issues the document.</param>
    /// <param name="watermark">Large diagonal text under every page's content (e.g. TASLAK), or null.</param>
    public PdfComposer(string language, string title, string author, string? watermark = null)
    {
        PdfFonts.EnsureInstalled();
        Language = language;
        _watermark = string.IsNullOrWhiteSpace(watermark) ? null : watermark;
        _document.Info.Title = title;
        _document.Info.Author = author;
        _document.Info.Creator = "Kazan";
        _document.Language = language == "tr" ? "tr-TR" : "en-US";
        NewPage();
    }

    public string Language { get; }
    public double MarginLeft { get; init; } = 42;
    public double MarginRight { get; init; } = 42;
    public double MarginTop { get; init; } = 40;

    /// <summary>Space kept free at the bottom of each page for the footer.</summary>
    public double MarginBottom { get; init; } = 58;

    public double Left => MarginLeft;
    public double Right => PageWidth - MarginRight;
    public double Width => Right - Left;
    public double Top => MarginTop;
    public double Bottom => PageHeight - MarginBottom;

    /// <summary>Where the next block starts on the current page.</summary>
    public double Y { get; set; }

    public int PageCount => _document.PageCount;

    /// <summary>Drawing surface of the current page.</summary>
    public XGraphics Graphics => _graphics ?? throw new ObjectDisposedException(nameof(PdfComposer));

    /// <summary>Called at the top of every page after the first (running header); may move <see cref="Y"/>.</summary>
    public Action<PdfComposer>? ContinuationHeader { get; set; }

    public static double LineHeight(XFont font) => font.GetHeight();

    public void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Size = PageSize.A4;
        page.Orientation = PageOrientation.Portrait;
        _graphics = XGraphics.FromPdfPage(page);
        Y = Top;
        if (_watermark is not null)
        {
            DrawWatermark(_graphics, _watermark);
        }

        if (_document.PageCount > 1)
        {
            ContinuationHeader?.Invoke(this);
        }
    }

    public bool Fits(double height) => Y + height <= Bottom + 0.01;

    /// <summary>Starts a new page unless <paramref name="height"/> still fits below the cursor (or the page is still empty).</summary>
    public void EnsureSpace(double height)
    {
        if (!Fits(height) && Y > Top + 0.01)
        {
            NewPage();
        }
    }

    public void Space(double height) => Y += height;

    /// <summary>Word-wraps <paramref name="text"/> to <paramref name="width"/>; explicit line breaks are kept, over-long words are cut.</summary>
    public IReadOnlyList<string> Wrap(string? text, XFont font, double width)
    {
        var lines = new List<string>();
        if (string.IsNullOrEmpty(text))
        {
            return lines;
        }

        foreach (var paragraph in text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Replace('\t', ' ').Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : $"{current} {word}";
                if (Measure(candidate, font) <= width)
                {
                    current = candidate;
                    continue;
                }

                if (current.Length > 0)
                {
                    lines.Add(current);
                }

                current = word;
                while (current.Length > 1 && Measure(current, font) > width)
                {
                    // A word wider than the column (a long code or URL) is cut where it fills the line.
                    var cut = LongestFit(current, font, width);
                    lines.Add(current[..cut]);
                    current = current[cut..];
                }
            }

            lines.Add(current);
        }

        return lines;
    }

    public double Measure(string text, XFont font) => Graphics.MeasureString(text, font).Width;

    /// <summary>The longest prefix length (at least 1) of <paramref name="text"/> that fits <paramref name="width"/>.</summary>
    private int LongestFit(string text, XFont font, double width)
    {
        int low = 1, high = text.Length - 1;
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (Measure(text[..mid], font) <= width)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }

        return low;
    }

    /// <summary>Draws lines top-down from <paramref name="y"/> inside a column; returns the height used.</summary>
    public double DrawLines(IReadOnlyList<string> lines, XFont font, double x, double y, double width, XStringAlignment alignment = XStringAlignment.Near, XColor? color = null)
    {
        var height = LineHeight(font);
        var brush = new XSolidBrush(color ?? Ink);
        var format = new XStringFormat { Alignment = alignment, LineAlignment = XLineAlignment.Near };
        for (var i = 0; i < lines.Count; i++)
        {
            Graphics.DrawString(lines[i], font, brush, new XRect(x, y + (i * height), width, height), format);
        }

        return lines.Count * height;
    }

    /// <summary>Draws wrapped text in a column at <paramref name="y"/> without moving the cursor; returns the height used.</summary>
    public double DrawText(string? text, XFont font, double x, double y, double width, XStringAlignment alignment = XStringAlignment.Near, XColor? color = null) =>
        DrawLines(Wrap(text, font, width), font, x, y, width, alignment, color);

    /// <summary>A full-width paragraph at the cursor that may continue on the next page, line by line.</summary>
    public void Paragraph(string? text, XFont font, XColor? color = null)
    {
        var height = LineHeight(font);
        foreach (var line in Wrap(text, font, Width))
        {
            EnsureSpace(height);
            DrawLines([line], font, Left, Y, Width, XStringAlignment.Near, color);
            Y += height;
        }
    }

    /// <summary>A horizontal rule across the content width at the cursor.</summary>
    public void Rule(double thickness = 0.6, XColor? color = null)
    {
        Graphics.DrawLine(new XPen(color ?? LineColor, thickness), Left, Y, Right, Y);
    }

    /// <summary>Label/value pairs in two aligned columns at (<paramref name="x"/>, <paramref name="y"/>); returns the height used.</summary>
    public double KeyValues(IReadOnlyList<(string Label, string Value)> rows, double x, double y, double width, XFont labelFont, XFont valueFont, double labelWidth)
    {
        var used = 0.0;
        foreach (var (label, value) in rows)
        {
            var labelHeight = DrawText(label, labelFont, x, y + used, labelWidth, XStringAlignment.Near, Muted);
            var valueHeight = DrawText(value, valueFont, x + labelWidth, y + used, width - labelWidth);
            used += Math.Max(labelHeight, valueHeight) + 1.5;
        }

        return used;
    }

    /// <summary>Draws an image (PNG or JPEG bytes) scaled to fit the box, right-aligned; returns false when the bytes are not an image PDFsharp reads.</summary>
    public bool Image(byte[] bytes, double right, double y, double maxWidth, double maxHeight)
    {
        XImage image;
        try
        {
            image = XImage.FromStream(new MemoryStream(bytes, writable: false));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A broken logo (uploaded bytes PDFsharp cannot decode, whatever it throws) must not stop the document.
            return false;
        }

        using (image)
        {
            var scale = Math.Min(maxWidth / image.PixelWidth, maxHeight / image.PixelHeight);
            var width = image.PixelWidth * scale;
            var height = image.PixelHeight * scale;
            Graphics.DrawImage(image, right - width, y, width, height);
        }

        return true;
    }

    /// <summary>Stamps the footer on every page (rule, <paramref name="footerLeft"/>, "Sayfa n / N") and returns the PDF bytes.</summary>
    public byte[] Finish(DateTimeOffset createdAt, string? footerLeft = null)
    {
        _graphics?.Dispose();
        _graphics = null;
        var total = _document.PageCount;
        var font = PdfFonts.Regular(7.5);
        var brush = new XSolidBrush(Muted);
        for (var i = 0; i < total; i++)
        {
            using var gfx = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var y = Bottom + 18;
            gfx.DrawLine(new XPen(LineColor, 0.5), Left, y, Right, y);
            var box = new XRect(Left, y + 4, Width, LineHeight(font));
            if (footerLeft is not null)
            {
                gfx.DrawString(footerLeft, font, brush, box, XStringFormats.TopLeft);
            }

            gfx.DrawString(PdfText.PageOf(Language, i + 1, total), font, brush, box, XStringFormats.TopRight);
        }

        return DeterministicPdf.Save(_document, createdAt);
    }

    public void Dispose()
    {
        _graphics?.Dispose();
        _graphics = null;
        _document.Dispose();
    }

    private static void DrawWatermark(XGraphics gfx, string text)
    {
        var font = PdfFonts.Bold(110);
        var angle = -Math.Atan2(PageHeight, PageWidth) * 180 / Math.PI;
        var center = new XPoint(PageWidth / 2, PageHeight / 2);
        var state = gfx.Save();
        gfx.RotateAtTransform(angle, center);
        gfx.DrawString(text, font, new XSolidBrush(XColor.FromArgb(232, 232, 232)), new XRect(center.X - 400, center.Y - 70, 800, 140), XStringFormats.Center);
        gfx.Restore(state);
    }
}
