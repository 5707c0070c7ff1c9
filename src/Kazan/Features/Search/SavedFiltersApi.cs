using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kazan.Features.Search;

public sealed record SavedFilterResponse(Guid Id, string Area, string Name, string Query, int Version);

public sealed record CreateSavedFilterRequest(
    [Required, StringLength(20)] string Area,
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Required(AllowEmptyStrings = true), StringLength(2000)] string Query);

public sealed record UpdateSavedFilterRequest(
    [Required, StringLength(100, MinimumLength = 1)] string Name,
    [Required(AllowEmptyStrings = true), StringLength(2000)] string Query);

/// <summary>Each user's named filters per list. Nobody else sees or changes them, not even an admin.</summary>
public static class SavedFiltersApi
{
    public static IEndpointRouteBuilder MapSavedFilters(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/saved-filters").WithTags("Saved filters").RequireAuthorization(Policies.Member);
        group.MapGet("/", List).WithSummary("The caller's saved filters of one list (?area=opportunities), by name.");
        group.MapGet("/{id:guid}", Get);
        group.MapPost("/", Create);
        group.MapPut("/{id:guid}", Update).WithSummary("Rename or change the query (If-Match).");
        group.MapDelete("/{id:guid}", Delete);
        return app;
    }

    private static async Task<Results<Ok<List<SavedFilterResponse>>, ValidationProblem>> List(KazanDbContext db, CurrentUser me, string? area, CancellationToken ct)
    {
        if (area is null || !SavedFilter.Areas.Contains(area))
        {
            return Problems.Validation("area", $"area must be one of {string.Join(", ", SavedFilter.Areas)}.");
        }

        return TypedResults.Ok(await SavedFilterQueries.MineAsync(db, me.RequiredUserId, area, ct));
    }

    private static async Task<Results<Ok<SavedFilterResponse>, ProblemHttpResult>> Get(Guid id, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Found(await SavedFilterQueries.FindMineAsync(db, id, me.RequiredUserId, ct), "Saved filter", http, filter => filter.Version, filter => ToResponse(filter));

    private static async Task<Results<Created<SavedFilterResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateSavedFilterRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        await ApiOutcomes.CreatedAsync(await SavedFilterCommands.CreateAsync(db, me, request.Area, request.Name, request.Query, ct), http,
            f => $"/api/v1/saved-filters/{f.Id}", f => Task.FromResult(ToResponse(f)));

    private static async Task<Results<Ok<SavedFilterResponse>, ValidationProblem, ProblemHttpResult>> Update(
        Guid id, UpdateSavedFilterRequest request, IfMatch ifMatch, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await SavedFilterCommands.UpdateAsync(db, me, id, ifMatch.Version, request.Name, request.Query, ct), http, ToResponse);

    private static async Task<Results<NoContent, ProblemHttpResult>> Delete(Guid id, KazanDbContext db, CurrentUser me, CancellationToken ct)
    {
        var outcome = await SavedFilterCommands.DeleteAsync(db, me, id, ct);
        return outcome.IsOk ? TypedResults.NoContent() : ApiOutcomes.Problem(outcome);
    }

    private static SavedFilterResponse ToResponse(SavedFilter f) => new(f.Id, f.Area, f.Name, f.Query, f.Version);
}
