using System.Diagnostics;

namespace Kazan.Tests.Pdf;

/// <summary>Reads rendered PDFs back with poppler-utils (pdftotext, pdftoppm), as a customer's viewer would.</summary>
internal static class PdfTools
{
    /// <summary>The text of every page, in page order (pdftotext -layout separates pages with form feeds).</summary>
    public static IReadOnlyList<string> Pages(byte[] pdf)
    {
        var text = Text(pdf);
        var pages = text.Split('\f');
        return pages[^1].Trim().Length == 0 ? pages[..^1] : pages;
    }

    public static string Text(byte[] pdf)
    {
        var file = Path.Combine(Path.GetTempPath(), $"kazan-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(file, pdf);
        try
        {
            return Run("pdftotext", "-layout", "-enc", "UTF-8", file, "-");
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>Renders page 1 to test-artifacts/&lt;name&gt;.png (for a human look; nothing asserts on pixels).</summary>
    public static string FirstPagePng(byte[] pdf, string name)
    {
        var dir = ArtifactsDirectory();
        var pdfFile = Path.Combine(dir, name + ".pdf");
        File.WriteAllBytes(pdfFile, pdf);
        Run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", pdfFile, Path.Combine(dir, name));
        return Path.Combine(dir, name + ".png");
    }

    /// <summary>How many pixels of page 1, rendered at 40 dpi, have exactly this colour.</summary>
    public static int CountPixels(byte[] pdf, (byte R, byte G, byte B) colour)
    {
        var stem = Path.Combine(Path.GetTempPath(), $"kazan-{Guid.NewGuid():N}");
        File.WriteAllBytes(stem + ".pdf", pdf);
        try
        {
            Run("pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-singlefile", "-aa", "no", "-aaVector", "no", stem + ".pdf", stem);
            var ppm = File.ReadAllBytes(stem + ".ppm");

            // Binary PPM: "P6", width, height, max value, each followed by one whitespace, then RGB triples.
            var offset = 0;
            for (var fields = 0; fields < 4; fields++)
            {
                while (char.IsWhiteSpace((char)ppm[offset]))
                {
                    offset++;
                }

                while (!char.IsWhiteSpace((char)ppm[offset]))
                {
                    offset++;
                }
            }

            offset++;
            var count = 0;
            for (var i = offset; i + 2 < ppm.Length; i += 3)
            {
                if (ppm[i] == colour.R && ppm[i + 1] == colour.G && ppm[i + 2] == colour.B)
                {
                    count++;
                }
            }

            return count;
        }
        finally
        {
            File.Delete(stem + ".pdf");
            File.Delete(stem + ".ppm");
        }
    }

    private static string ArtifactsDirectory()
    {
        var dir = Environment.GetEnvironmentVariable("KAZAN_ARTIFACTS");
        if (string.IsNullOrEmpty(dir))
        {
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Kazan.slnx")))
            {
                root = root.Parent;
            }

            dir = Path.Combine(root?.FullName ?? Path.GetTempPath(), "test-artifacts");
        }

        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill();
            throw new TimeoutException($"{tool} took longer than a minute.");
        }

        return process.ExitCode == 0 ? output : throw new InvalidOperationException($"{tool} failed ({process.ExitCode}): {stderr.Result}");
    }
}
