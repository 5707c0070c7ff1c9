using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kazan.Features.Mail;

/// <summary>Which SMTP server and sender one organization's mail goes through.</summary>
public sealed record MailRoute(SmtpOptions Smtp, MailboxAddress From, bool OrganizationsOwn);

/// <summary>
/// Resolves an organization's mail route (its own settings, else the installation's <c>Kazan:Smtp</c>, else none) and
/// keeps SMTP passwords encrypted with Data Protection.
/// </summary>
public sealed class MailRoutes(IDataProtectionProvider protection, IOptionsMonitor<SmtpOptions> installation)
{
    private IDataProtector Protector => protection.CreateProtector("Kazan.Mail.SmtpPassword");

    public string Protect(string password) => Protector.Protect(password);

    /// <summary>True when the installation has an SMTP server every organization without its own may use.</summary>
    public bool InstallationHasServer => !string.IsNullOrWhiteSpace(installation.CurrentValue.Host);

    /// <summary>Whether mail can go out for <paramref name="organizationId"/> (its own server or the installation's), without building the route.</summary>
    public async Task<bool> IsConfiguredAsync(KazanDbContext db, Guid organizationId, CancellationToken ct) =>
        InstallationHasServer || await db.Set<MailSettings>().IgnoreQueryFilters().AnyAsync(s => s.OrganizationId == organizationId, ct);

    /// <summary>The route for <paramref name="organizationId"/>, or null when no server is set up for it.</summary>
    public async Task<MailRoute?> ForAsync(KazanDbContext db, Guid organizationId, CancellationToken ct)
    {
        var own = await db.Set<MailSettings>().IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);
        if (own is not null)
        {
            return Route(own);
        }

        var smtp = installation.CurrentValue;
        if (string.IsNullOrWhiteSpace(smtp.Host))
        {
            return null;
        }

        var orgName = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == organizationId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        var from = MailboxAddress.Parse(string.IsNullOrWhiteSpace(smtp.From) ? "kazan@localhost" : smtp.From);
        return new MailRoute(smtp, new MailboxAddress(string.IsNullOrEmpty(from.Name) ? orgName ?? "" : from.Name, from.Address), false);
    }

    /// <summary>The route settings describe, with the password decrypted for this one use.</summary>
    public MailRoute Route(MailSettings own)
    {
        var smtp = new SmtpOptions
        {
            Host = own.Host,
            Port = own.Port,
            Security = own.Security,
            User = own.UserName,
            Password = own.ProtectedPassword is null ? null : Protector.Unprotect(own.ProtectedPassword),
            TimeoutSeconds = installation.CurrentValue.TimeoutSeconds,
        };
        return new MailRoute(smtp, new MailboxAddress(own.FromName ?? "", own.FromAddress), true);
    }

    /// <summary>The message as it goes on the wire: UTF-8 text, attachments byte for byte, the outbox's Message-ID.</summary>
    public static MimeMessage Compose(MailRoute route, OutboxMail mail)
    {
        var message = new MimeMessage { Subject = mail.Subject, MessageId = mail.MessageId };
        message.From.Add(route.From);
        message.To.AddRange(mail.ToList.Select(a => MailboxAddress.Parse(a)));
        message.Cc.AddRange(mail.CcList.Select(a => MailboxAddress.Parse(a)));
        if (mail.ReplyTo is { } replyTo)
        {
            message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        }
        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText("utf-8", mail.Body);
        if (mail.Attachments.Count == 0)
        {
            message.Body = text;
            return message;
        }

        var body = new Multipart("mixed") { text };
        foreach (var file in mail.Attachments.OrderBy(a => a.Position))
        {
            body.Add(new MimePart(ContentType.Parse(file.ContentType))
            {
                Content = new MimeContent(new MemoryStream(file.Content)),
                ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = file.FileName,
            });
        }

        message.Body = body;
        return message;
    }
}

/// <summary>Wakes the outbox worker when a mail was just written, so it goes out at once instead of at the next poll.</summary>
public sealed class OutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _pulse = new(0, 1);

    public void Pulse()
    {
        try
        {
            _pulse.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: one wake-up covers every mail written before the worker looks.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _pulse.WaitAsync(timeout, ct);

    public void Dispose() => _pulse.Dispose();
}

/// <summary>
/// Delivers due outbox mails, across organizations, one attempt each: claim (the version token lets one worker win),
/// send through the organization's route, record the outcome. A failure keeps the server's answer and schedules the
/// next attempt with backoff; after <see cref="OutboxMail.MaxAttempts"/> the mail is failed and waits for an admin.
/// </summary>
public sealed class OutboxDelivery(IServiceScopeFactory scopes, MailRoutes routes, TimeProvider clock, ILogger<OutboxDelivery> log)
{
    /// <summary>Mails taken per round; the worker comes back at once while a round was full.</summary>
    public const int Batch = 20;

    /// <summary>Attempts every mail due now; returns how many were attempted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct)
    {
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<KazanDbContext>();
            var now = clock.GetUtcNow();

            // Notifications whose recipients asked for e-mail copies become mail first, and go out in this round.
            await Notifications.NotificationCopies.EnqueueAsync(db, services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>(),
                services.GetRequiredService<IConfiguration>(), now, ct);
            due = await db.Set<OutboxMail>().IgnoreQueryFilters()
                .Where(m => m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Id).Select(m => m.Id).Take(Batch).ToListAsync(ct);
        }

        foreach (var id in due)
        {
            await AttemptAsync(id, ct);
        }

        return due.Count;
    }

    private async Task AttemptAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        var now = clock.GetUtcNow();
        var mail = await db.Set<OutboxMail>().IgnoreQueryFilters().Include(m => m.Attachments)
            .FirstOrDefaultAsync(m => m.Id == id && m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now, ct);
        if (mail is null)
        {
            return; // taken or sent meanwhile
        }

        mail.Claim(now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return; // another worker claimed it first
        }

        var route = await routes.ForAsync(db, mail.OrganizationId, ct);
        if (route is null)
        {
            mail.AttemptFailed("No mail server is set up (Settings → Mail).", clock.GetUtcNow());
        }
        else
        {
            try
            {
                await SmtpTransport.SendAsync(route.Smtp, MailRoutes.Compose(route, mail), ct);
                mail.Delivered(clock.GetUtcNow());
                log.LogInformation("Outbox mail {Id} ({Purpose}) sent through {Host}", mail.Id, mail.Purpose, route.Smtp.Host);
            }
            catch (Exception e) when (SmtpTransport.IsMailTrouble(e) || e is ParseException or System.Security.Cryptography.CryptographicException)
            {
                mail.AttemptFailed(e.Message, clock.GetUtcNow());
                log.LogWarning("Outbox mail {Id} attempt {Attempt} through {Host} failed: {Error}", mail.Id, mail.Attempts, route.Smtp.Host, e.Message);
            }
        }

        // Nobody else changes a claimed mail (an admin retries only failed ones), so this save holds; not cancelled,
        // because a mail the server accepted must be recorded as sent.
        await db.SaveChangesAsync(CancellationToken.None);
    }
}

/// <summary>Runs <see cref="OutboxDelivery"/>: on a pulse, or every <c>Kazan:Outbox:PollSeconds</c> (default 10).</summary>
public sealed class OutboxWorker(OutboxDelivery delivery, OutboxSignal signal, IConfiguration config, ILogger<OutboxWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromSeconds(Math.Max(1, config.GetValue("Kazan:Outbox:PollSeconds", 10)));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await delivery.DeliverDueAsync(stoppingToken) == OutboxDelivery.Batch)
                {
                    continue;
                }

                await signal.WaitAsync(poll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be away for a moment; the worker must outlive it.
                log.LogError(e, "Outbox round failed");
                await Task.Delay(poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}

public static class OutboxSetup
{
    public static IServiceCollection AddKazanOutbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<MailRoutes>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDelivery>();
        if (configuration.GetValue("Kazan:Outbox:Enabled", true))
        {
            services.AddHostedService<OutboxWorker>();
        }

        return services;
    }
}
