using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Users;

/// <summary>A stored invitation and its one-time token (the secret is never stored).</summary>
public sealed record InvitationCreated(Invitation Invitation, string Token);

/// <summary>The invitation use cases (admin invites and revokes, the invitee accepts), for the API and the pages.</summary>
public static class InvitationCommands
{
    /// <summary>
    /// Stores an invitation and returns its one-time token, or names the field at fault (an e-mail already in use
    /// anywhere in the installation, an unknown team) and stores nothing.
    /// </summary>
    public static Task<Outcome<InvitationCreated>> CreateAsync(
        KazanDbContext db, CurrentUser me, TimeProvider clock, string email, UserRole role, Guid? teamId, CancellationToken ct) =>
        UseCase.RunAsync<InvitationCreated>(db, async () =>
        {
            email = email.Trim();
            var normalized = email.ToUpperInvariant();
            if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.NormalizedEmail == normalized, ct))
            {
                return Outcome.Invalid("Email", "A user with this e-mail already exists.", "invitation.email-taken");
            }

            if (teamId is { } id && !await db.Teams.AnyAsync(t => t.Id == id, ct))
            {
                return Outcome.Invalid("TeamId", "No such team.", "user.team-not-found");
            }

            var (invitation, token) = Invitation.Create(me.RequiredOrganizationId, email, role, teamId, me.RequiredUserId, clock.GetUtcNow());
            db.Invitations.Add(invitation);
            await db.SaveChangesAsync(ct);
            return new InvitationCreated(invitation, token);
        });

    /// <summary>Revokes an invitation of the organization (the link stops working).</summary>
    public static Task<Outcome<Invitation>> RevokeAsync(KazanDbContext db, Guid id, TimeProvider clock, CancellationToken ct) =>
        UseCase.RunAsync<Invitation>(db, async () =>
        {
            var invitation = await db.Invitations.FirstOrDefaultAsync(i => i.Id == id, ct);
            if (invitation is null)
            {
                return Outcome.NotFound("Invitation");
            }

            invitation.Revoke(clock.GetUtcNow());
            await db.SaveChangesAsync(ct);
            return invitation;
        });

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

    /// <summary>
    /// The invitee accepts (API and invitation page): creates the user and consumes the invitation in one transaction.
    /// An unknown, expired, revoked or used link is not found; a refused password or name is a field error.
    /// </summary>
    public static async Task<Outcome<User>> AcceptAsync(
        KazanDbContext db, UserManager<User> users, TimeProvider clock, string token, string displayName, string password, CancellationToken ct)
    {
        var hash = SecretTokens.Hash(token);
        var now = clock.GetUtcNow();
        var invitation = await db.Invitations.IgnoreQueryFilters().FirstOrDefaultAsync(i => i.TokenHash == hash, ct);
        if (invitation is null || !invitation.IsUsable(now))
        {
            return Outcome.NotFound("Invitation");
        }

        var culture = await db.Organizations.IgnoreQueryFilters().Where(o => o.Id == invitation.OrganizationId).Select(o => o.DefaultCulture).FirstAsync(ct);
        var user = new User(invitation.OrganizationId, invitation.Email, displayName, invitation.Role, culture) { TeamId = invitation.TeamId };

        await using var tx = await db.Database.BeginOrJoinAsync(ct);
        invitation.Accept(now);
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            await tx.RollbackAsync(ct);
            db.ChangeTracker.Clear();
            return IdentityOutcomes.Invalid(result, "password", "email");
        }

        await tx.CommitAsync(ct);
        return user;
    }
}
