using System.Net.Mail;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Mail;

/// <summary>
/// An organization's own SMTP server: the mail Kazan sends for it (quotes) goes out through this server and from this
/// address. Without it the installation's server (<c>Kazan:Smtp</c>) is used when there is one. The password is kept
/// encrypted with ASP.NET Core Data Protection (<see cref="ProtectedPassword"/>) and never read back by any API.
/// </summary>
public sealed class MailSettings : ITenantEntity, IVersioned
{
    private MailSettings()
    {
        Host = "";
        FromAddress = "";
    }

    public MailSettings(Guid organizationId) : this() => OrganizationId = organizationId;

    public Guid OrganizationId { get; private set; }
    public string Host { get; private set; }
    public int Port { get; private set; }
    public SmtpSecurity Security { get; private set; }
    public string? UserName { get; private set; }

    /// <summary>The SMTP password as Data Protection wrote it; null when the server needs none.</summary>
    public string? ProtectedPassword { get; private set; }

    public string FromAddress { get; private set; }
    public string? FromName { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public int Version { get; private set; }

    public void Change(string host, int port, SmtpSecurity security, string? userName, string fromAddress, string? fromName, DateTimeOffset now)
    {
        host = host.Trim();
        if (host.Length is 0 or > 255 || host.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new DomainRuleException("The SMTP server is a host name or address, e.g. smtp.example.com.", "mail.host");
        }

        if (port is < 1 or > 65535)
        {
            throw new DomainRuleException("The SMTP port is 1 to 65535 (usually 587, or 465 for TLS on connect).", "mail.port");
        }

        if (!Enum.IsDefined(security))
        {
            throw new DomainRuleException("Unknown connection security.", "mail.security");
        }

        if (!IsAddress(fromAddress))
        {
            throw new DomainRuleException("The sender is one e-mail address, e.g. sales@example.com.", "mail.from");
        }

        if (userName?.Length > 255 || fromName?.Length > 200)
        {
            throw new DomainRuleException("The user name is at most 255 and the sender's name at most 200 characters.", "mail.text");
        }

        Host = host;
        Port = port;
        Security = security;
        UserName = string.IsNullOrWhiteSpace(userName) ? null : userName.Trim();
        FromAddress = fromAddress.Trim();
        FromName = string.IsNullOrWhiteSpace(fromName) ? null : fromName.Trim();
        UpdatedAt = now;
    }

    public void SetProtectedPassword(string? protectedPassword) => ProtectedPassword = protectedPassword;

    /// <summary>One plain address (no display name, no list): what a From, To or Cc box takes.</summary>
    public static bool IsAddress(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value.Length > 254 || value.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ',' or ';' or '<' or '>' or '"'))
        {
            return false;
        }

        return MailAddress.TryCreate(value, out var parsed) && parsed.Address == value && value.IndexOf('@', StringComparison.Ordinal) is > 0 && !value.EndsWith('@');
    }
}
