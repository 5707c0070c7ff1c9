using System.Text;

namespace Kazan.Features.Demo;

/// <summary>Who can sign in to a freshly created demo organization (the password is generated, shown once).</summary>
public sealed record DemoSignIn(string Email, IReadOnlyList<string> OtherEmails, string Password)
{
    public const string Option = "--demo";

    /// <summary>
    /// Takes <c>--demo</c> out of the command line wherever it stands. Left in, the host's command-line configuration
    /// reads it as a key whose value is the next argument, so <c>--demo --urls http://…</c> silently lost <c>--urls</c>.
    /// </summary>
    public static (bool Demo, string[] HostArgs) Split(IEnumerable<string> args)
    {
        var list = args.ToList();
        var demo = list.RemoveAll(a => string.Equals(a, Option, StringComparison.OrdinalIgnoreCase)) > 0;
        return (demo, list.ToArray());
    }

    /// <summary>The framed block printed to the console once the server listens: where to go and how to sign in.</summary>
    public string Banner(IEnumerable<string> urls)
    {
        var lines = new List<string> { "Kazan demo is ready — sign in:", "" };
        lines.AddRange(urls.Select(u => "  URL:      " + u));
        lines.Add("  E-mail:   " + Email);
        lines.Add("  Password: " + Password);
        if (OtherEmails.Count > 0)
        {
            lines.Add("");
            lines.Add("The same password works for " + string.Join(", ", OtherEmails) + ".");
        }

        var width = lines.Max(l => l.Length);
        var frame = new StringBuilder();
        frame.Append('╔').Append('═', width + 2).Append('╗').AppendLine();
        foreach (var line in lines)
        {
            frame.Append("║ ").Append(line.PadRight(width)).Append(" ║").AppendLine();
        }

        frame.Append('╚').Append('═', width + 2).Append('╝').AppendLine();
        return frame.ToString();
    }
}
