using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Users;

public sealed record InviteRequest(
    [Required, EmailAddress, StringLength(254)] string Email,
    UserRole Role,
    Guid? TeamId);

/// <summary>Link is present only in the response to the create call: the secret is never stored.</summary>
public sealed record InvitationResponse(Guid Id, string Email, UserRole Role, Guid? TeamId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? AcceptedAt, DateTimeOffset? RevokedAt, string? Link, bool Mailed);

public sealed record AcceptInvitationRequest(
    [Required, StringLength(200)] string Token,
    [Required, StringLength(100, MinimumLength = 1)] string DisplayName,
    [Required, StringLength(200, MinimumLength = 1)] string Password);

public sealed record AcceptInvitationResponse(Guid UserId, string Email);

public static class InvitationsApi
{
    public static IEndpointRouteBuilder MapInvitations(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/invitations").WithTags("Invitations").RequireAuthorization(Policies.Admin);
        group.MapGet("/", List).WithSummary("Invitations of the organization, newest first (admin).");
        group.MapPost("/", Create).WithSummary("Invite a user: returns a one-time link to hand over (and mails it when SMTP is configured).");
        group.MapDelete("/{id:guid}", Revoke);

        app.MapPost("/api/v1/invitations/accept", Accept).WithTags("Invitations").AllowAnonymous()
            .WithSummary("The invitee sets a name and password with the link's token.");
        return app;
    }

    private static async Task<Ok<List<InvitationResponse>>> List(KazanDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Invitations.AsNoTracking().OrderByDescending(i => i.CreatedAt).Take(Paging.MaxLimit)
            .Select(i => new InvitationResponse(i.Id, i.Email, i.Role, i.TeamId, i.CreatedAt, i.ExpiresAt, i.AcceptedAt, i.RevokedAt, null, false))
            .ToListAsync(ct));

    private static async Task<Results<Created<InvitationResponse>, ValidationProblem>> Create(
        InviteRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, IMailSender mailer,
        IStringLocalizer<SharedResource> l, CancellationToken ct)
    {
        var outcome = await InvitationCommands.CreateAsync(db, me, clock, request.Email, request.Role, request.TeamId, ct);
        if (outcome.Value is not { } created)
        {
            return ApiOutcomes.Invalid(outcome);
        }

        var (invitation, token) = created;

        var link = PublicLinks.Base(http) + UserMails.InvitePath(token);
        var mailed = await InvitationCommands.MailAsync(db, mailer, l, invitation, link, ct);
        return TypedResults.Created($"/api/v1/invitations/{invitation.Id}", new InvitationResponse(invitation.Id, invitation.Email, invitation.Role,
            invitation.TeamId, invitation.CreatedAt, invitation.ExpiresAt, null, null, link, mailed));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, KazanDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await InvitationCommands.RevokeAsync(db, id, clock, ct);
        return outcome.IsOk ? TypedResults.NoContent() : ApiOutcomes.Problem(outcome);
    }

    private static async Task<Results<Created<AcceptInvitationResponse>, ValidationProblem, ProblemHttpResult>> Accept(
        AcceptInvitationRequest request, KazanDbContext db, UserManager<User> users, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var outcome = await InvitationCommands.AcceptAsync(db, users, clock, request.Token, request.DisplayName, request.Password, ct);
        return await ApiOutcomes.CreatedAsync(outcome, http, user => $"/api/v1/users/{user.Id}",
            user => Task.FromResult(new AcceptInvitationResponse(user.Id, user.Email!)));
    }
}
