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
        var (invitation, token, error) = await CreateAsync(db, me, clock, request.Email, request.Role, request.TeamId, ct);
        if (invitation is null)
        {
            return error == nameof(request.TeamId)
                ? Problems.Validation(error, "No such team.")
                : Problems.Validation(nameof(request.Email), "A user with this e-mail already exists.");
        }

        var link = PublicLinks.Base(http) + UserMails.InvitePath(token!);
        var mailed = await MailAsync(db, mailer, l, invitation, link, ct);
        return TypedResults.Created($"/api/v1/invitations/{invitation.Id}", new InvitationResponse(invitation.Id, invitation.Email, invitation.Role,
            invitation.TeamId, invitation.CreatedAt, invitation.ExpiresAt, null, null, link, mailed));
    }

    /// <summary>
    /// Shared by the API and the users page: stores an invitation and returns its one-time token, or names the field
    /// at fault (an e-mail already in use anywhere in the installation, an unknown team) and stores nothing.
    /// </summary>
    public static async Task<(Invitation? Invitation, string? Token, string? ErrorField)> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, string email, UserRole role, Guid? teamId, CancellationToken ct)
    {
        email = email.Trim();
        var normalized = email.ToUpperInvariant();
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == normalized, ct))
        {
            return (null, null, "Email");
        }

        if (teamId is { } id && !await db.Teams.AnyAsync(t => t.Id == id, ct))
        {
            return (null, null, "TeamId");
        }

        var (invitation, token) = Invitation.Create(me.RequiredOrganizationId, email, role, teamId, me.RequiredUserId, clock.GetUtcNow());
        db.Invitations.Add(invitation);
        await db.SaveChangesAsync(ct);
        return (invitation, token, null);
    }

    /// <summary>Mails the link in the organization's language when SMTP is configured; the link is shown either way.</summary>
    public static async Task<bool> MailAsync(KazanDbContext db, IMailSender mailer, IStringLocalizer l, Invitation invitation, string link, CancellationToken ct)
    {
        if (!mailer.IsConfigured)
        {
            return false;
        }

        var organization = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == invitation.OrganizationId)
            .Select(o => new { o.Name, o.DefaultCulture }).FirstAsync(ct);
        return await mailer.TrySendAsync(UserMails.Invitation(l, invitation.Email, organization.DefaultCulture, organization.Name, link, Invitation.Lifetime), ct);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Revoke(Guid id, KazanDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == id, ct);
        if (invitation is null)
        {
            return Problems.NotFound("Invitation");
        }

        invitation.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<Created<AcceptInvitationResponse>, ValidationProblem, ProblemHttpResult>> Accept(
        AcceptInvitationRequest request, KazanDbContext db, UserManager<User> users, TimeProvider clock, CancellationToken ct)
    {
        var (user, errors) = await AcceptAsync(db, users, clock, request.Token, request.DisplayName, request.Password, ct);
        if (user is not null)
        {
            return TypedResults.Created($"/api/v1/users/{user.Id}", new AcceptInvitationResponse(user.Id, user.Email!));
        }

        return errors.TryGetValue("token", out var tokenErrors)
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Invitation not found or no longer valid.", detail: tokenErrors[0])
            : TypedResults.ValidationProblem(errors);
    }

    /// <summary>Shared by the API and the invitation page: creates the user and consumes the invitation in one transaction.</summary>
    public static async Task<(User? User, Dictionary<string, string[]> Errors)> AcceptAsync(
        KazanDbContext db, UserManager<User> users, TimeProvider clock, string token, string displayName, string password, CancellationToken ct)
    {
        var hash = SecretTokens.Hash(token);
        var now = clock.GetUtcNow();
        var invitation = await db.Invitations.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null || !invitation.IsUsable(now))
        {
            return (null, new() { ["token"] = ["This invitation link is invalid, expired, revoked or already used."] });
        }

        var culture = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == invitation.OrganizationId).Select(o => o.DefaultCulture).FirstAsync(ct);
        var user = new User(invitation.OrganizationId, invitation.Email, displayName, invitation.Role, culture) { TeamId = invitation.TeamId };

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        invitation.Accept(now);
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return (null, Organizations.Onboarding.IdentityErrors(result, "password", "email"));
        }

        await tx.CommitAsync(ct);
        return (user, []);
    }
}
