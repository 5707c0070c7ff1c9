using System.Net;
using System.Net.Mail;

namespace Kazan.Features.Users;

/// <summary>
/// Mails invitation links when <c>Kazan:Smtp:Host</c> is set; otherwise does nothing and the admin hands the link over.
/// A mail failure never fails the invitation: the link is shown either way.
/// </summary>
public sealed class InvitationMailer(IConfiguration configuration, ILogger<InvitationMailer> log)
{
    public async Task<bool> TrySendAsync(string to, string link, CancellationToken ct)
    {
        var smtp = configuration.GetSection("Kazan:Smtp");
        var host = smtp["Host"];
        if (string.IsNullOrWhiteSpace(host))
        {
            return false;
        }

        try
        {
            using var client = new SmtpClient(host, smtp.GetValue("Port", 587)) { EnableSsl = smtp.GetValue("EnableSsl", true) };
            if (smtp["User"] is { Length: > 0 } user)
            {
                client.Credentials = new NetworkCredential(user, smtp["Password"]);
            }

            using var message = new MailMessage(smtp["From"] ?? "kazan@localhost", to, "Kazan invitation / Kazan daveti",
                $"You are invited to Kazan. Set your password here:\nKazan'a davet edildiniz. Şifrenizi buradan belirleyin:\n\n{link}\n");
            await client.SendMailAsync(message, ct);
            return true;
        }
        catch (SmtpException e)
        {
            log.LogWarning(e, "Invitation mail to {To} failed; the link is still shown to the admin", to);
            return false;
        }
    }
}
