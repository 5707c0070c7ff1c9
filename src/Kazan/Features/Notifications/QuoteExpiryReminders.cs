using Kazan.Features.Quotes;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Notifications;

/// <summary>How quote notifications name and link their quote, for every caller (the reminder, the online quote).</summary>
public static class QuoteNotifications
{
    public const string SubjectType = "Quote";

    /// <summary>"TKL-2026-00042 / R1 · Acme A.Ş.": the quote's display number and its account, as they are now.</summary>
    public static string Title(string displayNumber, string accountName) => $"{displayNumber} · {accountName}";

    public static string Link(Guid quoteId) => $"/quotes/{quoteId}";

    /// <summary>Notifies the quote's owner (<see cref="NotificationCommands.Notify"/>: added, not saved).</summary>
    public static Notification NotifyOwner(KazanDbContext db, Quote quote, string accountName, NotificationKind kind, DateTimeOffset now) =>
        NotificationCommands.Notify(db, quote.OrganizationId, quote.OwnerId, kind, SubjectType, quote.Id, Title(quote.DisplayNumber, accountName), Link(quote.Id), now);
}

/// <summary>
/// Reminds owners of sent quotes that are about to expire with no answer from the customer: one
/// <see cref="NotificationKind.QuoteExpiringSoon"/> per quote revision and owner, when the quote is valid until today
/// or one of the next <see cref="WindowDays"/> days on its organization's calendar. Runs at start and then every
/// <c>Kazan:Reminders:IntervalMinutes</c> (60; 0 turns it off). The work is <see cref="RunOnceAsync"/>, which tests
/// call with the instant they need.
/// </summary>
public sealed class QuoteExpiryReminders(IServiceScopeFactory scopes, TimeProvider clock, IConfiguration configuration, ILogger<QuoteExpiryReminders> log)
    : BackgroundService
{
    /// <summary>A quote valid until today + this many days (or earlier, but not yet expired) is reminded of.</summary>
    public const int WindowDays = 3;

    public static void Add(IServiceCollection services) => services.AddHostedService<QuoteExpiryReminders>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue("Kazan:Reminders:IntervalMinutes", 60);
        if (minutes <= 0)
        {
            log.LogInformation("Quote expiry reminders are off (Kazan:Reminders:IntervalMinutes is {Minutes}).", minutes);
            return;
        }

        // Let the host finish starting (the first run should not delay the application's start).
        await Task.Yield();
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        try
        {
            do
            {
                await RunLoggedAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task RunLoggedAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var created = await RunOnceAsync(scope.ServiceProvider.GetRequiredService<KazanDbContext>(), clock.GetUtcNow(), ct);
            if (created > 0)
            {
                log.LogInformation("Reminded owners of {Count} quote(s) about to expire.", created);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A failed run (the database briefly away) is tried again at the next tick; it must not stop the host.
            log.LogError(e, "Quote expiry reminders failed; they run again in the next interval.");
        }
    }

    /// <summary>
    /// One pass over every organization at <paramref name="now"/>; returns how many reminders it wrote. The context
    /// needs no caller: each query names its organization and ignores the caller filters. Safe to run twice or from
    /// two instances at once: the unique index <see cref="NotificationConfiguration.OnceIndex"/> refuses a second
    /// reminder for the same quote and owner, and that refusal is taken as "already reminded".
    /// </summary>
    public static async Task<int> RunOnceAsync(KazanDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var organizations = await db.Organizations.IgnoreQueryFilters().AsNoTracking()
            .OrderBy(o => o.Id).Select(o => new { o.Id, o.TimeZone }).ToListAsync(ct);
        var created = 0;
        foreach (var organization in organizations)
        {
            var zone = OrganizationTime.Find(organization.TimeZone) ?? OrganizationTime.DefaultZone;
            var today = OrganizationTime.DayIn(zone, now);
            var last = today.AddDays(WindowDays);
            var due = await db.Quotes.IgnoreQueryFilters().AsNoTracking()
                .Where(q => q.OrganizationId == organization.Id && q.Status == QuoteStatus.Sent && q.ValidUntil >= today && q.ValidUntil <= last)
                .Where(q => !db.Notifications.IgnoreQueryFilters().Any(n =>
                    n.OrganizationId == organization.Id && n.Kind == NotificationKind.QuoteExpiringSoon && n.SubjectId == q.Id && n.RecipientId == q.OwnerId))
                .Join(db.Accounts.IgnoreQueryFilters().Where(a => a.OrganizationId == organization.Id), q => q.AccountId, a => a.Id,
                    (q, a) => new { q.Id, q.OwnerId, q.Number, q.Revision, Account = a.Name })
                .OrderBy(q => q.Id)
                .ToListAsync(ct);

            foreach (var quote in due)
            {
                var displayNumber = quote.Revision == 0 ? quote.Number : $"{quote.Number} / R{quote.Revision}";
                var notification = NotificationCommands.Notify(db, organization.Id, quote.OwnerId, NotificationKind.QuoteExpiringSoon,
                    QuoteNotifications.SubjectType, quote.Id, QuoteNotifications.Title(displayNumber, quote.Account), QuoteNotifications.Link(quote.Id), now);
                try
                {
                    await db.SaveChangesAsync(ct);
                    created++;
                }
                catch (DbUpdateException e) when (UseCase.UniqueField(e) is not null)
                {
                    // Another run wrote this reminder between our check and our insert.
                    db.Entry(notification).State = EntityState.Detached;
                }
            }

            db.ChangeTracker.Clear();
        }

        return created;
    }
}
