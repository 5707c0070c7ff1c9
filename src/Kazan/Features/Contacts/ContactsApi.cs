using System.ComponentModel.DataAnnotations;
using Kazan.Features.Accounts;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Contacts;

/// <summary>A person at an account the caller can see. A first or last name is required. <paramref name="OwnerId"/> defaults to the account's owner.</summary>
public sealed record CreateContactRequest(
    Guid AccountId,
    [StringLength(100)] string? FirstName,
    [StringLength(100)] string? LastName,
    [StringLength(100)] string? Title,
    [EmailAddress, StringLength(254)] string? Email,
    [StringLength(50)] string? Phone,
    [StringLength(50)] string? Mobile,
    Guid? OwnerId = null) : IContactFields;

/// <summary>Updates a contact (If-Match). The account is fixed: someone who moves to another company leaves (mark left) and is added there anew.</summary>
public sealed record UpdateContactRequest(
    [StringLength(100)] string? FirstName,
    [StringLength(100)] string? LastName,
    [StringLength(100)] string? Title,
    [EmailAddress, StringLength(254)] string? Email,
    [StringLength(50)] string? Phone,
    [StringLength(50)] string? Mobile) : IContactFields;

/// <summary>The day the person left the company (default: today).</summary>
public sealed record MarkLeftRequest(DateOnly? On = null);

public sealed record TransferContactRequest(Guid NewOwnerId);

public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("Contacts by last name (keyset paged); filter by account, owner, archived, left.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).WithSummary("Add a contact to an account you can see.");
        group.MapPut("/{id:guid}", Update).WithSummary("Update a contact (If-Match).");
        group.MapPost("/{id:guid}/left", MarkLeft).WithSummary("The person left the company; their history stays (If-Match).");
        group.MapPost("/{id:guid}/back", MarkBack).WithSummary("The person is back at the company (If-Match).");
        group.MapPost("/{id:guid}/archive", Archive).WithSummary("Archive a contact (If-Match).");
        group.MapPost("/{id:guid}/restore", Restore).WithSummary("Bring an archived contact back (If-Match).");
        group.MapPost("/{id:guid}/transfer", Transfer).WithSummary("Give the contact to another user (If-Match; audited).");
        return app;
    }

    private static async Task<Results<Ok<Page<ContactListItem>>, ValidationProblem>> List(
        KazanDbContext db, Guid? accountId, Guid? ownerId, bool? archived, bool? left, string? q, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (Kazan.Features.Search.SearchQueries.ListSearchError(q) is { } searchError)
        {
            return Problems.Validation("q", searchError);
        }

        var filter = new ContactFilter(accountId, ownerId, archived ?? false, left, q);
        return TypedResults.Ok(await ContactQueries.ListAsync(db, filter, limit ?? Paging.DefaultLimit, cursor, ct));
    }

    private static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var contact = await ContactQueries.GetAsync(db, id, ct);
        if (contact is null)
        {
            return Problems.NotFound("Contact");
        }

        ETags.Set(http, contact.Version);
        return TypedResults.Ok(contact);
    }

    private static async Task<Results<Created<ContactResponse>, ValidationProblem>> Create(
        CreateContactRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        if (!ContactFields.HasName(request))
        {
            return Problems.Validation("lastName", "A contact needs a first or last name.");
        }

        if (request.OwnerId is { } ownerId && !await AccountQueries.IsActiveUserAsync(db, ownerId, ct))
        {
            return Problems.Validation("ownerId", "The owner must be an active user of the organization.");
        }

        var contact = await ContactChanges.AddAsync(db, me, clock.GetUtcNow(), request.AccountId, request, request.OwnerId, ct);
        if (contact is null)
        {
            return Problems.Validation("accountId", "No such account (or it is not one you can see).");
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http, contact.Version);
        return TypedResults.Created($"/api/v1/contacts/{contact.Id}", await ContactQueries.ToResponseAsync(db, contact, ct));
    }

    private static async Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateContactRequest request, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Problems.NotFound("Contact");
        }

        var (version, problem) = ETags.Check(http, contact.Version);
        if (problem is not null)
        {
            return problem;
        }

        if (!ContactFields.HasName(request))
        {
            return Problems.Validation("lastName", "A contact needs a first or last name.");
        }

        db.ExpectVersion(contact, version);
        request.ApplyTo(contact);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, contact.Version);
        return TypedResults.Ok(await ContactQueries.ToResponseAsync(db, contact, ct));
    }

    private static Task<Results<Ok<ContactResponse>, ProblemHttpResult>> MarkLeft(
        Guid id, MarkLeftRequest? request, KazanDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, c => c.MarkLeft(request?.On ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)), ct);

    private static Task<Results<Ok<ContactResponse>, ProblemHttpResult>> MarkBack(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, c => c.MarkBack(), ct);

    private static Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Archive(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, c => c.Archive(), ct);

    private static Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Restore(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, c => c.Restore(), ct);

    private static async Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Transfer(
        Guid id, TransferContactRequest request, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Problems.NotFound("Contact");
        }

        var (version, problem) = ETags.Check(http, contact.Version);
        if (problem is not null)
        {
            return problem;
        }

        if (!await AccountQueries.IsActiveUserAsync(db, request.NewOwnerId, ct))
        {
            return Problems.Validation("newOwnerId", "The new owner must be an active user of the organization.");
        }

        db.ExpectVersion(contact, version);
        await ContactChanges.TransferAsync(db, contact, request.NewOwnerId, ct);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, contact.Version);
        return TypedResults.Ok(await ContactQueries.ToResponseAsync(db, contact, ct));
    }

    /// <summary>Load (404 if not visible), check If-Match, apply, save.</summary>
    private static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> ChangeAsync(
        Guid id, KazanDbContext db, HttpContext http, Action<Contact> change, CancellationToken ct)
    {
        var contact = await db.Contacts.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (contact is null)
        {
            return Problems.NotFound("Contact");
        }

        var (version, problem) = ETags.Check(http, contact.Version);
        if (problem is not null)
        {
            return problem;
        }

        db.ExpectVersion(contact, version);
        change(contact);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, contact.Version);
        return TypedResults.Ok(await ContactQueries.ToResponseAsync(db, contact, ct));
    }
}
