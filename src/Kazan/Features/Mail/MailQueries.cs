using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Mail;

/// <summary>An organization's own SMTP server as the settings show it: never the password, only whether there is one.</summary>
public sealed record MailServerResponse(
    string Host, int Port, SmtpSecurity Security, string? UserName, bool HasPassword, string FromAddress, string? FromName, DateTimeOffset UpdatedAt, int Version);

/// <summary>How this organization's mail goes out: its own server, the installation's, or none (then quotes are only marked as sent).</summary>
public sealed record MailSetupResponse(bool Configured, bool InstallationServer, MailServerResponse? OwnServer);

public sealed record OutboxMailResponse(
    Guid Id, string Purpose, Guid? QuoteId, IReadOnlyList<string> To, IReadOnlyList<string> Cc, string Subject, OutboxStatus Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt, string? LastError, IReadOnlyList<string> Attachments);

public static class MailQueries
{
    public static async Task<MailSetupResponse> SetupAsync(KazanDbContext db, MailRoutes routes, CancellationToken ct)
    {
        var own = await db.Set<MailSettings>().AsNoTracking().FirstOrDefaultAsync(ct);
        return new MailSetupResponse(own is not null || routes.InstallationHasServer, routes.InstallationHasServer, own is null ? null : ToResponse(own));
    }

    public static MailServerResponse ToResponse(MailSettings s) =>
        new(s.Host, s.Port, s.Security, s.UserName, s.ProtectedPassword is not null, s.FromAddress, s.FromName, s.UpdatedAt, s.Version);

    /// <summary>The newest mails first, optionally of one status or one quote (at most <paramref name="limit"/>).</summary>
    public static async Task<List<OutboxMailResponse>> OutboxAsync(KazanDbContext db, OutboxStatus? status, Guid? quoteId, int limit, CancellationToken ct)
    {
        var query = db.Set<OutboxMail>().AsNoTracking();
        if (status is { } s)
        {
            query = query.Where(m => m.Status == s);
        }

        if (quoteId is { } q)
        {
            query = query.Where(m => m.QuoteId == q);
        }

        var rows = await query.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(limit)
            .Select(m => new { Mail = m, Files = m.Attachments.OrderBy(a => a.Position).Select(a => a.FileName).ToList() })
            .ToListAsync(ct);
        return [.. rows.Select(r => ToResponse(r.Mail, r.Files))];
    }

    public static OutboxMailResponse ToResponse(OutboxMail m, IReadOnlyList<string> files) =>
        new(m.Id, m.Purpose, m.QuoteId, m.ToList, m.CcList, m.Subject, m.Status, m.Attempts, m.CreatedAt,
            m.Status == OutboxStatus.Pending ? m.NextAttemptAt : null, m.SentAt, m.LastError, files);
}
