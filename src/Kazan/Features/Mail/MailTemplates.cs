using System.Text.RegularExpressions;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Mail;

/// <summary>A mail's wording in one language: the organization's own, or the built-in one.</summary>
public sealed record MailWording(string Kind, string Language, string Subject, string Body, bool IsDefault, int Version);

/// <summary>
/// The wording of the mails Kazan writes for an organization, and the one rule for placeholders: <c>{name}</c> is
/// replaced by its value; a name Kazan does not know stays as written, so a typo shows in the mail instead of vanishing.
/// </summary>
public static partial class MailTemplates
{
    public static readonly string[] Languages = ["tr", "en"];

    /// <summary>What a quote mail may say; <c>{link}</c> is the online quote (added at the end when the text leaves it out).</summary>
    public static readonly string[] QuotePlaceholders = ["number", "customer", "contact", "total", "validUntil", "sender", "organization", "link"];

    public static bool IsKind(string kind) => kind == MailTemplate.QuoteKind;

    public static async Task<MailWording> WordingAsync(KazanDbContext db, IStringLocalizer l, string kind, string language, CancellationToken ct)
    {
        var own = await db.Set<MailTemplate>().AsNoTracking().FirstOrDefaultAsync(t => t.Kind == kind && t.Language == language, ct);
        return own is not null
            ? new MailWording(kind, language, own.Subject, own.Body, false, own.Version)
            : Default(l, kind, language);
    }

    public static async Task<List<MailWording>> AllAsync(KazanDbContext db, IStringLocalizer l, CancellationToken ct)
    {
        var own = await db.Set<MailTemplate>().AsNoTracking().ToListAsync(ct);
        return [.. Languages.Select(language => own.FirstOrDefault(t => t.Kind == MailTemplate.QuoteKind && t.Language == language) is { } t
            ? new MailWording(t.Kind, t.Language, t.Subject, t.Body, false, t.Version)
            : Default(l, MailTemplate.QuoteKind, language))];
    }

    /// <summary>The built-in wording, from the resources of <paramref name="language"/>.</summary>
    public static MailWording Default(IStringLocalizer l, string kind, string language) =>
        MailSetup.InCulture(language, () => new MailWording(kind, language, l["Mail.Quote.Subject"], l["Mail.Quote.Body"], true, 0));

    public static string Fill(string text, IReadOnlyDictionary<string, string> values) =>
        Placeholder().Replace(text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"\{([A-Za-z]+)\}")]
    private static partial Regex Placeholder();
}
