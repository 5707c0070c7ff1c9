using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kazan.Features.Search;

public sealed record SearchResponse(IReadOnlyList<SearchResult> Results);

public static class SearchApi
{
    public static IEndpointRouteBuilder MapSearch(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/search").WithTags("Search").RequireAuthorization(Policies.Member)
            .MapGet("/", Search)
            .WithSummary("Accounts, contacts and opportunities whose words start with every word of q (Turkish-aware: istanbul = İstanbul = ISTANBUL).");
        return app;
    }

    private static async Task<Results<Ok<SearchResponse>, ValidationProblem>> Search(KazanDbContext db, string? q, int? limit, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(q) || q.Length > SearchQueries.MaxQueryLength)
        {
            errors["q"] = [$"q is required, at most {SearchQueries.MaxQueryLength} characters."];
        }
        else if (!SearchQueries.IsSearchable(SearchQueries.WordsOf(q)))
        {
            errors["q"] = [$"q needs a word of at least {SearchQueries.MinWordLength} letters or digits."];
        }

        if (limit is < 1 or > SearchQueries.MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {SearchQueries.MaxLimit}."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        var results = await SearchQueries.SearchAsync(db, q, limit ?? SearchQueries.DefaultLimit, ct);
        return TypedResults.Ok(new SearchResponse(results));
    }
}
