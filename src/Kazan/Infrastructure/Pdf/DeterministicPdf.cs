using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PdfSharp.Pdf;

namespace Kazan.Infrastructure.Pdf;

/// <summary>
/// Saves a PDF so that the same content always gives the same bytes: a sent quote's stored PDF can be checked by
/// hash, and tests can compare renders byte for byte.
/// <para>
/// PDFsharp 6.2.4 takes four values from the clock or from <see cref="Guid.NewGuid"/>: the creation and modification
/// dates (set here from the date passed in), the trailer file identifier, the six-letter font subset tags
/// (<c>ABCDEF+DejaVu#20Sans</c>) and the XMP DocumentID/InstanceID. The last three are only written during
/// <c>Save</c>, so they are replaced afterwards by values of the same length derived from a SHA-256 of the document
/// with those fields blanked (the content-based identifier ISO 32000 suggests). Equal lengths keep every
/// cross-reference offset valid; all three live in uncompressed dictionaries, the metadata stream and the trailer.
/// </para>
/// </summary>
public static partial class DeterministicPdf
{
    private const int IdBytes = 16;

    public static byte[] Save(PdfDocument document, DateTimeOffset createdAt)
    {
        // Whole seconds in UTC: that is all a PDF date holds, and the server's time zone must not leak in.
        var utc = new DateTime(createdAt.UtcDateTime.Ticks - (createdAt.UtcDateTime.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
        document.Info.CreationDate = utc;
        document.Info.ModificationDate = utc;
        var placeholderId = new string('\0', IdBytes);
        document.Internals.FirstDocumentID = placeholderId;
        document.Internals.SecondDocumentID = placeholderId;

        using var stream = new MemoryStream();
        document.Save(stream);
        return Normalize(stream.ToArray());
    }

    private static byte[] Normalize(byte[] pdf)
    {
        // Latin-1 maps bytes 1:1 to chars, so string positions are byte positions.
        var text = Encoding.Latin1.GetString(pdf);
        var tags = SubsetTag().Matches(text);
        var uuids = XmpUuid().Matches(text);
        var ids = TrailerId().Matches(text);

        var blank = (byte[])pdf.Clone();
        foreach (Match m in tags)
        {
            Fill(blank, m.Groups["tag"], (byte)'A');
        }

        foreach (Match m in uuids)
        {
            Fill(blank, m.Groups["uuid"], (byte)'0');
        }

        foreach (Match m in ids)
        {
            Fill(blank, m.Groups["first"], (byte)'0');
            Fill(blank, m.Groups["second"], (byte)'0');
        }

        var digest = SHA256.HashData(blank);
        var result = blank;

        // Distinct random tags in order of first appearance; each gets its own stable six letters.
        var distinct = tags.Select(m => m.Groups["tag"].Value).Distinct(StringComparer.Ordinal).ToList();
        foreach (Match m in tags)
        {
            var index = distinct.IndexOf(m.Groups["tag"].Value);
            var seed = SHA256.HashData([.. digest, (byte)index]);
            var letters = seed.Take(6).Select(b => (byte)('A' + (b % 26))).ToArray();
            Write(result, m.Groups["tag"], letters);
        }

        var uuid = new Guid(digest.AsSpan(0, IdBytes)).ToString("D");
        foreach (Match m in uuids)
        {
            Write(result, m.Groups["uuid"], Encoding.ASCII.GetBytes(uuid));
        }

        var hex = Encoding.ASCII.GetBytes(Convert.ToHexString(digest, 0, IdBytes));
        foreach (Match m in ids)
        {
            Write(result, m.Groups["first"], hex);
            Write(result, m.Groups["second"], hex);
        }

        return result;
    }

    private static void Fill(byte[] target, Group group, byte value) => target.AsSpan(group.Index, group.Length).Fill(value);

    private static void Write(byte[] target, Group group, byte[] value)
    {
        if (value.Length != group.Length)
        {
            throw new InvalidOperationException("A deterministic PDF field must keep its length.");
        }

        value.CopyTo(target, group.Index);
    }

    [GeneratedRegex(@"/(?:FontName|BaseFont)/(?<tag>[A-Z]{6})\+", RegexOptions.CultureInvariant)]
    private static partial Regex SubsetTag();

    [GeneratedRegex(@"<xmpMM:(?:DocumentID|InstanceID)>uuid:(?<uuid>[0-9a-fA-F-]{36})<", RegexOptions.CultureInvariant)]
    private static partial Regex XmpUuid();

    [GeneratedRegex(@"/ID\s*\[\s*<(?<first>[0-9A-Fa-f]{32})>\s*<(?<second>[0-9A-Fa-f]{32})>\s*\]", RegexOptions.CultureInvariant)]
    private static partial Regex TrailerId();
}
