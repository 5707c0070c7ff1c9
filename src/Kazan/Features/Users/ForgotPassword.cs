using System.Threading.Channels;
using System.Threading.RateLimiting;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Users;

public enum ForgotPasswordOutcome
{
    /// <summary>The one answer, whether or not the address has an account: "if it exists, a link was sent".</summary>
    Accepted,

    /// <summary>Too many requests for this address or from this client: nothing was done.</summary>
    Limited,
}

/// <summary>
/// "Forgot password": the request only checks the limits and queues the address, so the answer and its timing are the
/// same whether an account exists or not. A background worker looks the address up and, for an active user, supersedes
/// their open links and mails a new one (1 hour) in the user's language. Without SMTP nothing is mailed: an admin makes
/// the link on the users page. Each request is logged (the address masked).
/// </summary>
public sealed class ForgotPassword(
    ForgotPasswordLimiter limiter, Channel<ForgotPassword.Request> queue, ILogger<ForgotPassword> log)
{
    public sealed record Request(string Email, string LinkBase);

    public ForgotPasswordOutcome Submit(string email, string? clientAddress, string linkBase)
    {
        email = email.Trim();
        if (!limiter.TryAcquire(email, clientAddress))
        {
            log.LogWarning("Password reset for {Email} from {Client} refused: too many requests", SmtpMailSender.Mask(email), clientAddress ?? "?");
            return ForgotPasswordOutcome.Limited;
        }

        log.LogInformation("Password reset requested for {Email} from {Client}", SmtpMailSender.Mask(email), clientAddress ?? "?");
        return queue.Writer.TryWrite(new Request(email, linkBase)) ? ForgotPasswordOutcome.Accepted : ForgotPasswordOutcome.Limited;
    }

    public static IServiceCollection AddForgotPassword(IServiceCollection services)
    {
        // Bounded: a flood past the limits cannot grow memory; a full queue answers like the limit does.
        services.AddSingleton(Channel.CreateBounded<Request>(new BoundedChannelOptions(1000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true }));
        services.AddSingleton<ForgotPasswordLimiter>();
        services.AddSingleton<ForgotPassword>();
        services.AddHostedService<ForgotPasswordWorker>();
        return services;
    }
}

/// <summary>
/// Per address and per client, fixed windows of an hour: <c>Kazan:PasswordReset:PerEmailPerHour</c> (default 5) and
/// <c>:PerClientPerHour</c> (default 30). Counted per instance: several instances allow that many each.
/// </summary>
public sealed class ForgotPasswordLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<(string Email, string Client)> _limiter;

    public ForgotPasswordLimiter(IConfiguration configuration)
    {
        var perEmail = configuration.GetValue("Kazan:PasswordReset:PerEmailPerHour", 5);
        var perClient = configuration.GetValue("Kazan:PasswordReset:PerClientPerHour", 30);
        _limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<(string Email, string Client), string>(k =>
                RateLimitPartition.GetFixedWindowLimiter("e:" + k.Email, _ => Window(perEmail))),
            PartitionedRateLimiter.Create<(string Email, string Client), string>(k =>
                RateLimitPartition.GetFixedWindowLimiter("c:" + k.Client, _ => Window(perClient))));
    }

    public bool TryAcquire(string email, string? client)
    {
        using var lease = _limiter.AttemptAcquire((email.ToUpperInvariant(), client ?? "unknown"));
        return lease.IsAcquired;
    }

    private static FixedWindowRateLimiterOptions Window(int permits) =>
        new() { PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromHours(1), QueueLimit = 0, AutoReplenishment = true };

    public void Dispose() => _limiter.Dispose();
}

/// <summary>Works through queued "forgot password" requests one at a time, each in its own scope.</summary>
public sealed class ForgotPasswordWorker(
    Channel<ForgotPassword.Request> queue, IServiceScopeFactory scopes, ILogger<ForgotPasswordWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var request in queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await MailLinkAsync(scope.ServiceProvider, request, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad request must not stop the worker for everyone after it.
                log.LogError(e, "Password reset request for {Email} failed", SmtpMailSender.Mask(request.Email));
            }
        }
    }

    private async Task MailLinkAsync(IServiceProvider services, ForgotPassword.Request request, CancellationToken ct)
    {
        var users = services.GetRequiredService<UserManager<User>>();
        var user = await users.FindByEmailAsync(request.Email);
        if (user is not { IsActive: true })
        {
            log.LogInformation("No active account for {Email}: no reset link made", SmtpMailSender.Mask(request.Email));
            return;
        }

        var mailer = services.GetRequiredService<IMailSender>();
        if (!mailer.IsConfigured)
        {
            log.LogWarning("Password reset for user {UserId} asked, but no SMTP server is configured (Kazan:Smtp:Host): an admin must make a reset link", user.Id);
            return;
        }

        var db = services.GetRequiredService<KazanDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var (reset, token) = await PasswordCommands.IssueAsync(db, user, createdBy: null, clock.GetUtcNow(), ct);
        var mail = UserMails.PasswordReset(services.GetRequiredService<IStringLocalizer<SharedResource>>(), user, request.LinkBase + UserMails.ResetPath(token), reset.ExpiresAt - reset.CreatedAt);
        await mailer.TrySendAsync(mail, ct);
    }
}
