using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Mail;

/// <summary>
/// An organization's own wording of a mail Kazan writes (today: the quote mail), per language. Without one the
/// built-in text in that language is used. Placeholders in braces (<c>{number}</c>, <c>{link}</c>…) are filled when
/// the mail is written; see <see cref="MailTemplates"/>.
/// </summary>
public sealed class MailTemplate : ITenantEntity, IVersioned
{
    public const string QuoteKind = "quote";

    private MailTemplate()
    {
        Kind = "";
        Language = "";
        Subject = "";
        Body = "";
    }

    public MailTemplate(Guid organizationId, string kind, string language) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Kind = kind;
        Language = language;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Kind { get; private set; }

    /// <summary>tr or en.</summary>
    public string Language { get; private set; }

    public string Subject { get; private set; }
    public string Body { get; private set; }
    public int Version { get; private set; }

    public void Change(string subject, string body)
    {
        subject = subject.Trim();
        if (subject.Length is 0 or > 300 || subject.Any(char.IsControl))
        {
            throw new DomainRuleException("A subject is one line of 1 to 300 characters.", "mail.subject");
        }

        if (string.IsNullOrWhiteSpace(body) || body.Length > 10_000)
        {
            throw new DomainRuleException("A message is 1 to 10 000 characters.", "mail.body");
        }

        Subject = subject;
        Body = body.Trim();
    }
}
