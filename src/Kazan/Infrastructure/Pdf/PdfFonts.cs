using System.Collections.Concurrent;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace Kazan.Infrastructure.Pdf;

/// <summary>
/// The fonts of every Kazan PDF. PDFsharp finds no system fonts on Linux, so the DejaVu Sans faces ship inside the
/// assembly (<c>Infrastructure/Pdf/Fonts</c>, licence beside them); they cover Turkish (ğ ü ş ı ö ç İ) and ₺.
/// Every <see cref="XFont"/> is made here, Unicode-encoded, after the resolver is installed once.
/// </summary>
public static class PdfFonts
{
    public const string Family = "DejaVu Sans";

    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Installs the font resolver; safe to call from many threads, does the work once.</summary>
    public static void EnsureInstalled()
    {
        if (Volatile.Read(ref _installed))
        {
            return;
        }

        lock (Gate)
        {
            if (!_installed)
            {
                GlobalFontSettings.FontResolver = new EmbeddedFontResolver();
                Volatile.Write(ref _installed, true);
            }
        }
    }

    public static XFont Regular(double size) => Create(size, XFontStyleEx.Regular);

    public static XFont Bold(double size) => Create(size, XFontStyleEx.Bold);

    public static XFont Italic(double size) => Create(size, XFontStyleEx.Italic);

    private static XFont Create(double size, XFontStyleEx style)
    {
        EnsureInstalled();

        // Unicode (Identity-H) encoding for every face: WinAnsi cannot encode ğ ş ı İ ₺.
        return new XFont(Family, size, style, new XPdfFontOptions(PdfFontEncoding.Unicode));
    }

    /// <summary>Serves the shipped DejaVu faces for any family name, so no request can fall through to a missing system font.</summary>
    private sealed class EmbeddedFontResolver : IFontResolver
    {
        private const string RegularFace = "DejaVuSans";
        private const string BoldFace = "DejaVuSans-Bold";
        private const string ObliqueFace = "DejaVuSans-Oblique";

        private static readonly ConcurrentDictionary<string, byte[]> Cache = new(StringComparer.Ordinal);

        public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) => (bold, italic) switch
        {
            (true, true) => new FontResolverInfo(BoldFace, XStyleSimulations.ItalicSimulation),
            (true, false) => new FontResolverInfo(BoldFace),
            (false, true) => new FontResolverInfo(ObliqueFace),
            _ => new FontResolverInfo(RegularFace),
        };

        public byte[] GetFont(string faceName) => Cache.GetOrAdd(faceName, static face =>
        {
            var name = $"Kazan.Fonts.{face}.ttf";
            using var stream = typeof(PdfFonts).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"The font resource {name} is not embedded in the Kazan assembly.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }
}
