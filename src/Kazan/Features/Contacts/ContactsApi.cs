using System.ComponentModel.DataAnnotations;
using Kazan.Features.Exports;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

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
    Guid? OwnerId = null,
    [StringLength(100)] string? ExternalId = null) : IContactFields, IExternalIdField;

/// <summary>Updates a contact (If-Match). The account is fixed: someone who moves to another company leaves (mark left) and is added there anew.</summary>
public sealed record UpdateContactRequest(
    [StringLength(100)] string? FirstName,
    [StringLength(100)] string? LastName,
    [StringLength(100)] string? Title,
    [EmailAddress, StringLength(254)] string? Email,
    [StringLength(50)] string? Phone,
    [StringLength(50)] string? Mobile,
    [StringLength(100)] string? ExternalId = null) : IContactFields, IExternalIdField;

/// <summary>The day the person left the company (default: today).</summary>
public sealed record MarkLeftRequest(DateOnly? On = null);

public sealed record TransferContactRequest(Guid NewOwnerId);

public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAuthorization(Policies.Member);
        group.MapGet("/export", Export).WithSummary("The list's rows for the same filters as a CSV or XLSX download (format=csv|xlsx), streamed.");
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

    /// <summary>The list's filters as a file: every matching contact the caller sees, by last name.</summary>
    private static Results<TableDownload, ValidationProblem> Export(
        KazanDbContext db, OrganizationTime time, IStringLocalizer<SharedResource> l, string? format,
        Guid? accountId, Guid? ownerId, bool? archived, bool? left, string? q)
    {
        var errors = ListExport.CheckFormat(format);
        if (Kazan.Features.Search.SearchQueries.ListSearchError(q) is { } searchError)
        {
            errors["q"] = [searchError];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var filter = new ContactFilter(accountId, ownerId, archived ?? false, left, q);
        var external = new Dictionary<Guid, string>();
        return ListExport.Download<ContactListItem>(format, "contacts", time, l,
            [
                new("Contact.FirstName", c => c.FirstName),
                new("Contact.LastName", c => c.LastName),
                new("Contact.Title", c => c.Title),
                new("Contact.Account", c => c.AccountName),
                new("Contact.Email", c => c.Email),
                new("Contact.Phone", c => c.Phone),
                new("Common.Owner", c => c.OwnerName),
                new("Contact.LeftOnColumn", c => c.LeftOn),
                new("Common.Archived", c => ListExport.YesNo(l, c.IsArchived)),
                new("Field.ExternalId", c => external.GetValueOrDefault(c.Id)),
            ],
            (cursor, limit, ct) => ContactQueries.ListAsync(db, filter, limit, cursor, ct),
            async (items, ct) => external = await ListExport.ExternalIdsAsync(db.Contacts, items.Select(c => c.Id), ct));
    }

    private static async Task<Results<Ok<ContactResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await ContactQueries.GetAsync(db, id, ct), "Contact", http, contact => contact.Version);

    private static async Task<Results<Created<ContactResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateContactRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(await ContactCommands.CreateAsync(db, me, clock, request.AccountId, request, request.OwnerId, ct), http,
            c => $"/api/v1/contacts/{c.Id}", c => ContactQueries.ToResponseAsync(db, c, ct));

    private static Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateContactRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, ContactCommands.UpdateAsync(db, id, ifMatch.Version, request, ct), ct);

    private static Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> MarkLeft(
        Guid id, MarkLeftRequest? request, IfMatch ifMatch, KazanDbContext db, OrganizationTime time, HttpContext http, CancellationToken ct) =>
        Respond(db, http, ContactCommands.MarkLeftAsync(db, id, ifMatch.Version, request?.On ?? time.Today, ct), ct);

    private static Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> MarkBack(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, ContactCommands.MarkBackAsync(db, id, ifMatch.Version, ct), ct);

    private static Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Archive(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, ContactCommands.ArchiveAsync(db, id, ifMatch.Version, ct), ct);

    private static Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Restore(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, ContactCommands.RestoreAsync(db, id, ifMatch.Version, ct), ct);

    private static Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Transfer(
        Guid id, TransferContactRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, ContactCommands.TransferAsync(db, id, ifMatch.Version, request.NewOwnerId, ct), ct);

    private static async Task<Results<Ok<ContactResponse>, ValidationProblem, ProblemHttpResult>> Respond(
        KazanDbContext db, HttpContext http, Task<Outcome<Contact>> outcome, CancellationToken ct) =>
        await ApiOutcomes.OkAsync(await outcome, http, c => ContactQueries.ToResponseAsync(db, c, ct));
}
