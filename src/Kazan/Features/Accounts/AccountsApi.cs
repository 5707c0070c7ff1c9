using System.ComponentModel.DataAnnotations;
using Kazan.Features.Exports;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Accounts;

/// <summary>
/// Creates an account. <paramref name="OwnerId"/> defaults to the caller. The duplicate check always runs: possible
/// duplicates come back in the response's <c>duplicates</c> and the account is created anyway, unless
/// <paramref name="RejectDuplicates"/> is true — then the answer is 409 with the duplicates and nothing is saved.
/// </summary>
public sealed record CreateAccountRequest(
    AccountKind Kind,
    [Required, StringLength(200, MinimumLength = 1)] string Name,
    [StringLength(100)] string? TaxOffice,
    [StringLength(20)] string? TaxNumber,
    [StringLength(500)] string? Address,
    [StringLength(100)] string? City,
    [StringLength(2, MinimumLength = 2)] string? Country,
    [StringLength(50)] string? Phone,
    [EmailAddress, StringLength(254)] string? Email,
    [StringLength(300)] string? Website,
    [StringLength(4000)] string? Notes,
    Guid? OwnerId = null,
    bool RejectDuplicates = false,
    [StringLength(100)] string? ExternalId = null) : IAccountFields, IExternalIdField;

/// <summary>Updates an account (If-Match required). The owner changes only through <c>/transfer</c>. Duplicates as on create,
/// checked only when the name or tax number changes.</summary>
public sealed record UpdateAccountRequest(
    AccountKind Kind,
    [Required, StringLength(200, MinimumLength = 1)] string Name,
    [StringLength(100)] string? TaxOffice,
    [StringLength(20)] string? TaxNumber,
    [StringLength(500)] string? Address,
    [StringLength(100)] string? City,
    [StringLength(2, MinimumLength = 2)] string? Country,
    [StringLength(50)] string? Phone,
    [EmailAddress, StringLength(254)] string? Email,
    [StringLength(300)] string? Website,
    [StringLength(4000)] string? Notes,
    bool RejectDuplicates = false,
    [StringLength(100)] string? ExternalId = null) : IAccountFields, IExternalIdField;

/// <summary>Gives the account to another user; with <paramref name="IncludeContacts"/>, the contacts the previous owner owned move too.</summary>
public sealed record TransferAccountRequest(Guid NewOwnerId, bool IncludeContacts = false);

public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Member);
        group.MapGet("/export", Export).WithSummary("The list's rows for the same filters as a CSV or XLSX download (format=csv|xlsx), streamed.");
        group.MapGet("/", List).WithSummary("Accounts by name (keyset paged); filter by owner, the owner's team, city, archived, and q (Turkish-aware word prefixes of name, city, tax number, e-mail, phone).");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create).WithSummary("Create an account; possible duplicates (same tax number or name) come back as a warning.");
        group.MapPut("/{id:guid}", Update).WithSummary("Update an account (If-Match).");
        group.MapPost("/{id:guid}/archive", Archive).WithSummary("Archive an account without open opportunities (If-Match).");
        group.MapPost("/{id:guid}/restore", Restore).WithSummary("Bring an archived account back (If-Match).");
        group.MapPost("/{id:guid}/transfer", Transfer).WithSummary("Give the account (and optionally its contacts) to another user (If-Match; audited).");
        return app;
    }

    private static async Task<Results<Ok<Page<AccountListItem>>, ValidationProblem>> List(
        KazanDbContext db, Guid? ownerId, Guid? teamId, bool? archived, string? city, string? q, int? limit, string? cursor, CancellationToken ct)
    {
        if (FilterErrors(Paging.Validate(limit, cursor) ?? [], city, q) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var page = await AccountQueries.ListAsync(db, new AccountFilter(ownerId, teamId, archived ?? false, city, q), limit ?? Paging.DefaultLimit, cursor, ct);
        return TypedResults.Ok(page);
    }

    private static Dictionary<string, string[]> FilterErrors(Dictionary<string, string[]> errors, string? city, string? q)
    {
        if (city?.Length > 100)
        {
            errors["city"] = ["city is at most 100 characters."];
        }

        if (Kazan.Features.Search.SearchQueries.ListSearchError(q) is { } searchError)
        {
            errors["q"] = [searchError];
        }

        return errors;
    }

    /// <summary>The list's filters as a file: every matching account the caller sees, by name.</summary>
    private static Results<TableDownload, ValidationProblem> Export(
        KazanDbContext db, OrganizationTime time, IStringLocalizer<SharedResource> l, string? format,
        Guid? ownerId, Guid? teamId, bool? archived, string? city, string? q)
    {
        if (FilterErrors(ListExport.CheckFormat(format), city, q) is { Count: > 0 } errors)
        {
            return Problems.Validation(errors);
        }

        var filter = new AccountFilter(ownerId, teamId, archived ?? false, city, q);
        var external = new Dictionary<Guid, string>();
        return ListExport.Download<AccountListItem>(format, "accounts", time, l,
            [
                new("Account.Name", a => a.Name),
                new("Account.Kind", a => l["Account.Kind." + a.Kind].Value),
                new("Account.City", a => a.City),
                new("Account.TaxNumber", a => a.TaxNumber),
                new("Account.Phone", a => a.Phone),
                new("Common.Owner", a => a.OwnerName),
                new("Common.Archived", a => ListExport.YesNo(l, a.IsArchived)),
                new("Field.ExternalId", a => external.GetValueOrDefault(a.Id)),
            ],
            (cursor, limit, ct) => AccountQueries.ListAsync(db, filter, limit, cursor, ct),
            async (items, ct) => external = await ListExport.ExternalIdsAsync(db.Accounts, items.Select(a => a.Id), ct));
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await AccountQueries.GetAsync(db, id, ct), "Account", http, account => account.Version);

    private static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAccountRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var outcome = await AccountCommands.CreateAsync(db, me, clock, request, request.OwnerId, request.RejectDuplicates, ct);
        return AccountCommands.RejectedDuplicates(outcome) is { } duplicates
            ? DuplicatesConflict(duplicates)
            : await ApiOutcomes.CreatedAsync(outcome, http, s => $"/api/v1/accounts/{s.Account.Id}", s => AccountQueries.ToResponseAsync(db, s.Account, s.Duplicates, ct));
    }

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateAccountRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        var outcome = await AccountCommands.UpdateAsync(db, me, id, ifMatch.Version, request, request.RejectDuplicates, ct);
        return AccountCommands.RejectedDuplicates(outcome) is { } duplicates
            ? DuplicatesConflict(duplicates)
            : await ApiOutcomes.OkAsync(outcome, http, s => AccountQueries.ToResponseAsync(db, s.Account, s.Duplicates, ct));
    }

    private static Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Archive(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, AccountCommands.ArchiveAsync(db, id, ifMatch.Version, ct), ct);

    private static Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Restore(
        Guid id, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, AccountCommands.RestoreAsync(db, id, ifMatch.Version, ct), ct);

    private static Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Transfer(
        Guid id, TransferAccountRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        Respond(db, http, AccountCommands.TransferAsync(db, id, ifMatch.Version, request.NewOwnerId, request.IncludeContacts, ct), ct);

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Respond(
        KazanDbContext db, HttpContext http, Task<Outcome<Account>> outcome, CancellationToken ct) =>
        await ApiOutcomes.OkAsync(await outcome, http, a => AccountQueries.ToResponseAsync(db, a, null, ct));

    private static ProblemHttpResult DuplicatesConflict(DuplicateWarning duplicates) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status409Conflict,
        Title = "Possible duplicate accounts.",
        Detail = "Another account has the same tax number or name. Nothing was saved; send the request without rejectDuplicates to save anyway.",
        Extensions =
        {
            ["code"] = "account.possible-duplicate",
            ["duplicates"] = duplicates.Accounts,
            ["notVisible"] = duplicates.NotVisible,
            ["notVisibleOwners"] = duplicates.NotVisibleOwners,
        },
    });
}
