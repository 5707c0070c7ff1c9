using PdfSharp.Drawing;

namespace Kazan.Infrastructure.Pdf;

/// <summary>A table column: header text, width in points (0 = whatever the other columns leave), alignment.</summary>
public sealed record PdfColumn(string Header, double Width, XStringAlignment Alignment = XStringAlignment.Near);

/// <summary>
/// A table that flows across pages: the header row is drawn again at the top of every page the table continues on.
/// Cells word-wrap; a row taller than what is left of the page moves to the next page, and a row taller than a whole
/// page is split between pages line by line. Section rows span all columns and stay with the row after them.
/// </summary>
public sealed class PdfTable
{
    private const double PadX = 3.5;
    private const double PadY = 2.5;

    private readonly PdfComposer _page;
    private readonly XFont _headerFont;
    private readonly XFont _bodyFont;
    private readonly double[] _widths;

    public PdfTable(PdfComposer composer, IReadOnlyList<PdfColumn> columns, XFont headerFont, XFont bodyFont)
    {
        _page = composer;
        Columns = columns;
        _headerFont = headerFont;
        _bodyFont = bodyFont;
        var fixedWidth = columns.Sum(c => c.Width);
        var flexible = columns.Count(c => c.Width <= 0);
        var rest = flexible == 0 ? 0 : Math.Max(40, (composer.Width - fixedWidth) / flexible);
        _widths = columns.Select(c => c.Width > 0 ? c.Width : rest).ToArray();
    }

    public IReadOnlyList<PdfColumn> Columns { get; }

    /// <summary>Starts the table at the cursor; keeps the header together with at least one body line.</summary>
    public void Begin()
    {
        _page.EnsureSpace(HeaderHeight() + RowHeight(1));
        DrawHeader();
    }

    /// <summary>One row; cells in column order (missing cells are empty).</summary>
    public void Row(IReadOnlyList<string?> cells, XFont? font = null)
    {
        font ??= _bodyFont;
        var lineHeight = PdfComposer.LineHeight(font);
        var wrapped = _widths.Select((w, i) => _page.Wrap(i < cells.Count ? cells[i] : null, font, w - (2 * PadX))).ToList();
        var lines = Math.Max(1, wrapped.Max(l => l.Count));
        var from = 0;
        var freshPage = false;
        while (from < lines)
        {
            var room = (int)Math.Floor((_page.Bottom - _page.Y - (2 * PadY)) / lineHeight);
            var take = lines - from;
            if (room < take)
            {
                // Whole rows move to the next page; only a row longer than a page is split.
                var fullPage = (int)Math.Floor((_page.Bottom - _page.Top - HeaderHeight() - (2 * PadY)) / lineHeight);
                if (!freshPage && (room < 1 || take <= fullPage))
                {
                    ContinueOnNextPage();
                    freshPage = true;
                    continue;
                }

                take = Math.Max(1, room);
            }

            freshPage = false;

            var height = (take * lineHeight) + (2 * PadY);
            var x = _page.Left;
            for (var c = 0; c < _widths.Length; c++)
            {
                var part = wrapped[c].Skip(from).Take(take).ToList();
                _page.DrawLines(part, font, x + PadX, _page.Y + PadY, _widths[c] - (2 * PadX), Columns[c].Alignment);
                x += _widths[c];
            }

            _page.Y += height;
            _page.Graphics.DrawLine(new XPen(PdfComposer.LineColor, 0.4), _page.Left, _page.Y, _page.Left + _widths.Sum(), _page.Y);
            from += take;
        }
    }

    /// <summary>A heading row across all columns (e.g. a quote section); never left alone at the bottom of a page.</summary>
    public void Section(string text, XFont font)
    {
        var width = _widths.Sum();
        var lines = _page.Wrap(text, font, width - (2 * PadX));
        var height = (lines.Count * PdfComposer.LineHeight(font)) + (2 * PadY);
        if (!_page.Fits(height + RowHeight(1)))
        {
            ContinueOnNextPage();
        }

        _page.Graphics.DrawRectangle(new XSolidBrush(PdfComposer.Shade), _page.Left, _page.Y, width, height);
        _page.DrawLines(lines, font, _page.Left + PadX, _page.Y + PadY, width - (2 * PadX), XStringAlignment.Near, PdfComposer.Accent);
        _page.Y += height;
    }

    private void ContinueOnNextPage()
    {
        _page.NewPage();
        DrawHeader();
    }

    private double HeaderHeight() =>
        (_widths.Select((w, i) => _page.Wrap(Columns[i].Header, _headerFont, w - (2 * PadX)).Count).Max() * PdfComposer.LineHeight(_headerFont)) + (2 * PadY) + 1;

    private double RowHeight(int lines) => (lines * PdfComposer.LineHeight(_bodyFont)) + (2 * PadY);

    private void DrawHeader()
    {
        var height = HeaderHeight();
        var width = _widths.Sum();
        _page.Graphics.DrawRectangle(new XSolidBrush(PdfComposer.Accent), _page.Left, _page.Y, width, height - 1);
        var x = _page.Left;
        for (var c = 0; c < _widths.Length; c++)
        {
            var lines = _page.Wrap(Columns[c].Header, _headerFont, _widths[c] - (2 * PadX));
            _page.DrawLines(lines, _headerFont, x + PadX, _page.Y + PadY, _widths[c] - (2 * PadX), Columns[c].Alignment, XColors.White);
            x += _widths[c];
        }

        _page.Y += height;
    }
}
