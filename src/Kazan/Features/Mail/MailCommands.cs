using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Kazan.Features.Mail;

/// <summary>What the settings form sends. A null password keeps the stored one; an empty one removes it.</summary>
public sealed record MailServerInput(string? Host, int? Port, SmtpSecurity? Security, string? UserName, string? Password, string? FromAddress, string? FromName);

/// <summary>Mail settings, templates, the test mail and the outbox's retry: the admin's use cases.</summary>
public static class MailCommands
{
    /// <summary>Creates or changes the organization's own SMTP server (last writer wins, like the other settings forms).</summary>
    public static Task<Outcome<MailSettings>> SaveServerAsync(
        KazanDbContext db, CurrentUser me, MailRoutes routes, MailServerInput input, DateTimeOffset now, CancellationToken ct) =>
        UseCase.RunAsync<MailSettings>(db, async () =>
        {
            var errors = new Dictionary<string, string[]>();
            if (string.IsNullOrWhiteSpace(input.Host))
            {
                errors["host"] = ["The SMTP server is required."];
            }

            if (string.IsNullOrWhiteSpace(input.FromAddress))
            {
                errors["fromAddress"] = ["The sender's address is required."];
            }

            if (input.Password?.Length > 500)
            {
                errors["password"] = ["The password is at most 500 characters."];
            }

            if (errors.Count > 0)
            {
                return Outcome.Invalid(errors);
            }

            var settings = await db.Set<MailSettings>().FirstOrDefaultAsync(ct);
            if (settings is null)
            {
                settings = new MailSettings(me.RequiredOrganizationId);
                db.Add(settings);
            }

            settings.Change(input.Host!, input.Port ?? 587, input.Security ?? SmtpSecurity.StartTls, input.UserName, input.FromAddress!, input.FromName, now);
            if (input.Password is not null)
            {
                settings.SetProtectedPassword(input.Password.Length == 0 ? null : routes.Protect(input.Password));
            }

            await db.SaveChangesAsync(ct);
            return settings;
        });

    /// <summary>Forgets the organization's own server: mail goes through the installation's server, or is not sent.</summary>
    public static Task<Outcome<MailSettings>> RemoveServerAsync(KazanDbContext db, CancellationToken ct) =>
        UseCase.RunAsync<MailSettings>(db, async () =>
        {
            var settings = await db.Set<MailSettings>().FirstOrDefaultAsync(ct);
            if (settings is null)
            {
                return Outcome.NotFound("Mail server");
            }

            db.Remove(settings);
            await db.SaveChangesAsync(ct);
            return settings;
        });

    /// <summary>
    /// Sends a test mail to <paramref name="to"/> now, through the organization's route, and answers with the server's
    /// words when it refuses (it does not go through the outbox: the admin is waiting for the answer).
    /// </summary>
    public static async Task<Outcome<string>> SendTestAsync(KazanDbContext db, CurrentUser me, MailRoutes routes, string? to, CancellationToken ct)
    {
        if (!MailSettings.IsAddress(to))
        {
            return Outcome.Invalid("to", "Give one e-mail address to send the test mail to.", "mail.address");
        }

        var route = await routes.ForAsync(db, me.RequiredOrganizationId, ct);
        if (route is null)
        {
            return Outcome.Broken("No mail server is set up for this organization.", "mail.not-configured");
        }

        var orgName = await db.Organizations.AsNoTracking().Select(o => o.Name).FirstAsync(ct);
        var message = new MimeMessage { Subject = "Kazan: test mail / deneme e-postası" };
        message.From.Add(route.From);
        message.To.Add(MailboxAddress.Parse(to!.Trim()));
        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText("utf-8", $"{orgName}\n\nThis test mail shows that Kazan can send mail through {route.Smtp.Host}:{route.Smtp.Port}.\n"
            + $"Bu deneme e-postası, Kazan'ın {route.Smtp.Host}:{route.Smtp.Port} üzerinden e-posta gönderebildiğini gösterir.\n");
        message.Body = text;
        try
        {
            await SmtpTransport.SendAsync(route.Smtp, message, ct);
            return to.Trim();
        }
        catch (Exception e) when (SmtpTransport.IsMailTrouble(e) || e is System.Security.Cryptography.CryptographicException)
        {
            var server = $"{route.Smtp.Host}:{route.Smtp.Port}";
            return Outcome.Broken(new DomainRuleException($"The mail server {server} answered: {e.Message}", "mail.test-failed", server, e.Message));
        }
    }

    /// <summary>Sets the organization's own wording of a mail in one language.</summary>
    public static Task<Outcome<MailTemplate>> SaveTemplateAsync(
        KazanDbContext db, CurrentUser me, string kind, string language, string? subject, string? body, CancellationToken ct) =>
        UseCase.RunAsync<MailTemplate>(db, async () =>
        {
            if (!MailTemplates.IsKind(kind) || !MailTemplates.Languages.Contains(language))
            {
                return Outcome.NotFound("Mail template");
            }

            var template = await db.Set<MailTemplate>().FirstOrDefaultAsync(t => t.Kind == kind && t.Language == language, ct);
            if (template is null)
            {
                template = new MailTemplate(me.RequiredOrganizationId, kind, language);
                db.Add(template);
            }

            template.Change(subject ?? "", body ?? "");
            await db.SaveChangesAsync(ct);
            return template;
        });

    /// <summary>Goes back to the built-in wording.</summary>
    public static Task<Outcome<MailTemplate>> ResetTemplateAsync(KazanDbContext db, string kind, string language, CancellationToken ct) =>
        UseCase.RunAsync<MailTemplate>(db, async () =>
        {
            var template = await db.Set<MailTemplate>().FirstOrDefaultAsync(t => t.Kind == kind && t.Language == language, ct);
            if (template is null)
            {
                return Outcome.NotFound("Mail template");
            }

            db.Remove(template);
            await db.SaveChangesAsync(ct);
            return template;
        });

    /// <summary>An admin's retry of a failed mail (no version asked: the mail's own state decides).</summary>
    public static Task<Outcome<OutboxMail>> RetryAsync(KazanDbContext db, Guid id, DateTimeOffset now, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => db.Set<OutboxMail>().FirstOrDefaultAsync(m => m.Id == id, ct), "Mail", null, mail =>
        {
            mail.Retry(now);
            return Task.FromResult<Failure?>(null);
        }, ct);
}
