using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

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
    bool RejectDuplicates = false) : IAccountFields;

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
    bool RejectDuplicates = false) : IAccountFields;

/// <summary>Gives the account to another user; with <paramref name="IncludeContacts"/>, the contacts the previous owner owned move too.</summary>
public sealed record TransferAccountRequest(Guid NewOwnerId, bool IncludeContacts = false);

public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/accounts").WithTags("Accounts").RequireAuthorization(Policies.Member);
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
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (city?.Length > 100)
        {
            return Problems.Validation("city", "city is at most 100 characters.");
        }

        if (Kazan.Features.Search.SearchQueries.ListSearchError(q) is { } searchError)
        {
            return Problems.Validation("q", searchError);
        }

        var page = await AccountQueries.ListAsync(db, new AccountFilter(ownerId, teamId, archived ?? false, city, q), limit ?? Paging.DefaultLimit, cursor, ct);
        return TypedResults.Ok(page);
    }

    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var account = await AccountQueries.GetAsync(db, id, ct);
        if (account is null)
        {
            return Problems.NotFound("Account");
        }

        ETags.Set(http, account.Version);
        return TypedResults.Ok(account);
    }

    private static async Task<Results<Created<AccountResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateAccountRequest request, KazanDbContext db, CurrentUser me, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var created = await AccountCommands.CreateAsync(db, me, clock, request, request.OwnerId, request.RejectDuplicates, ct);
        if (created.InvalidFields.Count > 0)
        {
            return Problems.Validation(Explain(created.InvalidFields, request));
        }

        if (created.OwnerUnknown)
        {
            return Problems.Validation("ownerId", "The owner must be an active user of the organization.");
        }

        if (created.Account is not { } account)
        {
            return DuplicatesConflict(created.Duplicates!);
        }

        ETags.Set(http, account.Version);
        return TypedResults.Created($"/api/v1/accounts/{account.Id}", await AccountQueries.ToResponseAsync(db, account, created.Duplicates, ct));
    }

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateAccountRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return Problems.NotFound("Account");
        }

        var (version, problem) = ETags.Check(http, account.Version);
        if (problem is not null)
        {
            return problem;
        }

        if (FieldErrors(request) is { } errors)
        {
            return Problems.Validation(errors);
        }

        var identityChanged = Account.KeyOf(request.Name) != account.NameKey || TaxNumber.Normalize(request.TaxNumber) != account.TaxNumber;
        var duplicates = identityChanged
            ? await AccountQueries.FindDuplicatesAsync(db, me, request.Name, request.TaxNumber, account.Id, ct)
            : new DuplicateWarning([], 0, []);
        if (request.RejectDuplicates && duplicates.Found)
        {
            return DuplicatesConflict(duplicates);
        }

        db.ExpectVersion(account, version);
        request.ApplyTo(account);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, account.Version);
        return TypedResults.Ok(await AccountQueries.ToResponseAsync(db, account, duplicates, ct));
    }

    private static Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Archive(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, account => AccountChanges.ArchiveAsync(db, account, ct), ct);

    private static Task<Results<Ok<AccountResponse>, ProblemHttpResult>> Restore(Guid id, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ChangeAsync(id, db, http, account =>
        {
            account.Restore();
            return Task.CompletedTask;
        }, ct);

    private static async Task<Results<Ok<AccountResponse>, ValidationProblem, ProblemHttpResult>> Transfer(
        Guid id, TransferAccountRequest request, KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return Problems.NotFound("Account");
        }

        var (version, problem) = ETags.Check(http, account.Version);
        if (problem is not null)
        {
            return problem;
        }

        if (!await AccountQueries.IsActiveUserAsync(db, request.NewOwnerId, ct))
        {
            return Problems.Validation("newOwnerId", "The new owner must be an active user of the organization.");
        }

        db.ExpectVersion(account, version);
        await AccountChanges.TransferAsync(db, account, request.NewOwnerId, request.IncludeContacts, ct);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, account.Version);
        return TypedResults.Ok(await AccountQueries.ToResponseAsync(db, account, null, ct));
    }

    /// <summary>Load (404 if not visible), check If-Match, apply, save; the shape every account action shares.</summary>
    private static async Task<Results<Ok<AccountResponse>, ProblemHttpResult>> ChangeAsync(
        Guid id, KazanDbContext db, HttpContext http, Func<Account, Task> change, CancellationToken ct)
    {
        var account = await db.Accounts.FirstOrDefaultAsync(a => a.Id == id, ct);
        if (account is null)
        {
            return Problems.NotFound("Account");
        }

        var (version, problem) = ETags.Check(http, account.Version);
        if (problem is not null)
        {
            return problem;
        }

        db.ExpectVersion(account, version);
        await change(account);
        await db.SaveChangesAsync(ct);
        ETags.Set(http, account.Version);
        return TypedResults.Ok(await AccountQueries.ToResponseAsync(db, account, null, ct));
    }

    private static Dictionary<string, string[]>? FieldErrors(IAccountFields fields)
    {
        var errors = AccountCommands.Check(fields);
        return errors.Count == 0 ? null : Explain(errors, fields);
    }

    private static Dictionary<string, string[]> Explain(IReadOnlyDictionary<string, AccountFieldError> errors, IAccountFields fields) =>
        errors.ToDictionary(e => e.Key, e => new[]
        {
            e.Value.Code == "tax-number" ? TaxNumber.Explain(e.Value.TaxNumber, TaxNumber.Normalize(fields.TaxNumber)!) : "An account needs a name.",
        });

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
