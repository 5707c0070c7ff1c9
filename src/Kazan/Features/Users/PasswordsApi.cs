using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Users;

public sealed record ChangePasswordRequest(
    [Required, StringLength(200, MinimumLength = 1)] string CurrentPassword,
    [Required, StringLength(200, MinimumLength = 1)] string NewPassword);

public sealed record ForgotPasswordRequest([Required, EmailAddress, StringLength(254)] string Email);

public sealed record ForgotPasswordResponse(string Message);

public sealed record ResetPasswordRequest(
    [Required, StringLength(200)] string Token,
    [Required, StringLength(200, MinimumLength = 1)] string NewPassword);

/// <summary>The link is shown once, in this response: only its hash is stored.</summary>
public sealed record PasswordResetLinkResponse(Guid UserId, string Link, DateTimeOffset ExpiresAt, bool Mailed);

public static class PasswordsApi
{
    public static IEndpointRouteBuilder MapPasswords(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/me/password", Change).WithTags("Passwords").RequireAuthorization(Policies.Member)
            .WithSummary("Change the caller's password (current password required). Ends the user's other sessions; API tokens keep working.");
        app.MapPost("/api/v1/users/{id:guid}/password-reset", CreateLink).WithTags("Passwords").RequireAuthorization(Policies.Admin)
            .WithSummary("Make a one-time password reset link for a user (admin; valid 24 hours), mailed when SMTP is configured.");

        var open = app.MapGroup("/api/v1/password-resets").WithTags("Passwords").AllowAnonymous();
        open.MapPost("/", Forgot)
            .WithSummary("Forgot password: always 202 with the same answer; an active account gets a link by mail (1 hour).");
        open.MapPost("/complete", Complete)
            .WithSummary("Set a new password with a reset link's token. Ends every session of the user.");
        return app;
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Change(
        ChangePasswordRequest request, KazanDbContext db, UserManager<User> users, CurrentUser me, TimeProvider clock, CancellationToken ct) =>
        ApiOutcomes.NoContent(await PasswordCommands.ChangeAsync(db, users, clock, me.RequiredUserId, request.CurrentPassword, request.NewPassword, null, ct));

    private static Results<Accepted<ForgotPasswordResponse>, ProblemHttpResult> Forgot(
        ForgotPasswordRequest request, ForgotPassword forgot, HttpContext http, IStringLocalizer<SharedResource> l)
    {
        var outcome = forgot.Submit(request.Email, http.Connection.RemoteIpAddress?.ToString(), PublicLinks.Base(http));
        if (outcome == ForgotPasswordOutcome.Limited)
        {
            http.Response.Headers.RetryAfter = "3600";
            return TypedResults.Problem(new ProblemDetails
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests.",
                Detail = l["Password.TooMany"],
            });
        }

        return TypedResults.Accepted((string?)null, new ForgotPasswordResponse(l["Password.ForgotSent"]));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Complete(
        ResetPasswordRequest request, KazanDbContext db, UserManager<User> users, TimeProvider clock, CancellationToken ct) =>
        ApiOutcomes.NoContent(await PasswordCommands.ResetAsync(db, users, clock, request.Token, request.NewPassword, null, ct));

    private static async Task<Results<Created<PasswordResetLinkResponse>, ProblemHttpResult>> CreateLink(
        Guid id, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, IMailSender mailer, IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var outcome = await PasswordCommands.CreateLinkAsync(db, me, clock, id, ct);
        if (outcome.Value is not { } made)
        {
            return ApiOutcomes.Problem(outcome);
        }

        var (reset, token, user) = made;
        var link = PublicLinks.Base(http) + UserMails.ResetPath(token);
        var mailed = mailer.IsConfigured && await mailer.TrySendAsync(UserMails.PasswordReset(l, user, link, reset.ExpiresAt - reset.CreatedAt), ct);
        return TypedResults.Created($"/api/v1/users/{id}", new PasswordResetLinkResponse(id, link, reset.ExpiresAt, mailed));
    }
}
