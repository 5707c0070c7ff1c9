using System.Globalization;
using Kazan.Infrastructure.Mail;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Users;

/// <summary>The mails about accounts, each written in the recipient's language.</summary>
public static class UserMails
{
    public static string ResetPath(string token) => "/reset-password/" + token;

    public static string InvitePath(string token) => "/invite/" + token;

    public static OutgoingMail PasswordReset(IStringLocalizer l, User user, string link, TimeSpan validFor) =>
        MailSetup.InCulture(user.Culture, () => new OutgoingMail(
            user.Email!,
            l["Mail.Reset.Subject"],
            string.Join("\n\n", l["Mail.Greeting", user.DisplayName], l["Mail.Reset.Body", Hours(validFor)], link, l["Mail.Reset.NotYou"], l["Mail.Signature"]) + "\n"));

    public static OutgoingMail Invitation(IStringLocalizer l, string email, string culture, string organization, string link, TimeSpan validFor) =>
        MailSetup.InCulture(culture, () => new OutgoingMail(
            email,
            l["Mail.Invite.Subject", organization],
            string.Join("\n\n", l["Mail.Invite.Body", organization, (int)validFor.TotalDays], link, l["Mail.Signature"]) + "\n"));

    private static string Hours(TimeSpan span) => ((int)Math.Round(span.TotalHours)).ToString(CultureInfo.CurrentCulture);
}
