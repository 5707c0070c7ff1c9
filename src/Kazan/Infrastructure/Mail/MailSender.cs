using System.Globalization;
using System.Net.Sockets;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kazan.Infrastructure.Mail;

/// <summary>One plain-text message to one recipient.</summary>
public sealed record OutgoingMail(string To, string Subject, string Body);

/// <summary>
/// Sends mail. The one seam for mail: today SMTP through MailKit configured by <c>Kazan:Smtp:*</c>; a later
/// per-organization sender or an outbox replaces this registration and nothing else.
/// </summary>
public interface IMailSender
{
    /// <summary>False when no SMTP host is configured: callers then show links to hand over instead.</summary>
    bool IsConfigured { get; }

    /// <summary>True when the server accepted the message. Never throws for mail trouble: it is logged and reported as false.</summary>
    Task<bool> TrySendAsync(OutgoingMail mail, CancellationToken ct);
}

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>TLS on connect for port 465, STARTTLS when the server offers it otherwise.</summary>
    Auto,

    /// <summary>Plain text (a relay on localhost or in a private network only).</summary>
    None,

    /// <summary>STARTTLS, required.</summary>
    StartTls,

    /// <summary>TLS from the first byte (usually port 465).</summary>
    SslOnConnect,
}

/// <summary><c>Kazan:Smtp</c>: Host (empty = no mail), Port, Security, User, Password, From.</summary>
public sealed class SmtpOptions
{
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;
    public string? User { get; set; }
    public string? Password { get; set; }
    public string? From { get; set; }
    public int TimeoutSeconds { get; set; } = 30;
}

public sealed class SmtpMailSender(IOptionsMonitor<SmtpOptions> options, ILogger<SmtpMailSender> log) : IMailSender
{
    public bool IsConfigured => !string.IsNullOrWhiteSpace(options.CurrentValue.Host);

    public async Task<bool> TrySendAsync(OutgoingMail mail, CancellationToken ct)
    {
        var smtp = options.CurrentValue;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return false;
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(string.IsNullOrWhiteSpace(smtp.From) ? "kazan@localhost" : smtp.From));
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.Subject = mail.Subject;
        message.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = mail.Body };

        try
        {
            await SmtpTransport.SendAsync(smtp, message, ct);
            log.LogInformation("Mail \"{Subject}\" sent to {To}", mail.Subject, Mask(mail.To));
            return true;
        }
        catch (Exception e) when (SmtpTransport.IsMailTrouble(e))
        {
            log.LogWarning(e, "Mail \"{Subject}\" to {To} through {Host}:{Port} failed", mail.Subject, Mask(mail.To), smtp.Host, smtp.Port);
            return false;
        }
    }

    /// <summary>Logs name the domain, not the person: <c>a…@example.com</c>.</summary>
    internal static string Mask(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 0 ? "…" : string.Create(CultureInfo.InvariantCulture, $"{address[0]}…{address[at..]}");
    }
}

/// <summary>One SMTP conversation through MailKit: connect, sign in when a user is set, send, quit.</summary>
public static class SmtpTransport
{
    /// <summary>Sends or throws; <see cref="IsMailTrouble"/> tells the mail server's refusals and network trouble from bugs.</summary>
    public static async Task SendAsync(SmtpOptions smtp, MimeMessage message, CancellationToken ct)
    {
        using var client = new MailKit.Net.Smtp.SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        await client.ConnectAsync(smtp.Host ?? "", smtp.Port, Secure(smtp), ct);
        if (!string.IsNullOrEmpty(smtp.User))
        {
            await client.AuthenticateAsync(smtp.User, smtp.Password ?? "", ct);
        }

        await client.SendAsync(message, ct);
        await client.DisconnectAsync(quit: true, ct);
    }

    public static bool IsMailTrouble(Exception e) =>
        e is MailKit.CommandException or MailKit.ProtocolException or MailKit.ServiceNotConnectedException or AuthenticationException
            or SslHandshakeException or IOException or SocketException or TimeoutException;

    private static SecureSocketOptions Secure(SmtpOptions smtp) => smtp.Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.Auto,
    };
}

public static class MailSetup
{
    public static IServiceCollection AddKazanMail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<SmtpOptions>(configuration.GetSection("Kazan:Smtp"));
        services.AddSingleton<IMailSender, SmtpMailSender>();
        return services;
    }

    /// <summary>Runs <paramref name="compose"/> with the recipient's language as the current culture, so resources come out in it.</summary>
    public static T InCulture<T>(string culture, Func<T> compose)
    {
        var (ui, format) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = Localization.Formats.Culture(culture);
            return compose();
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, format);
        }
    }
}
