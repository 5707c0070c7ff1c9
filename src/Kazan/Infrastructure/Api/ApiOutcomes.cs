using System.Globalization;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kazan.Infrastructure.Api;

/// <summary>
/// The version the client read, from the If-Match header, bound as a handler parameter and handed to the command as
/// it is. Missing → <see cref="UseCase.VersionNotGiven"/> (the command answers 404 or 428); unreadable → a version that
/// never matches (412). <c>W/"3"</c> and <c>"3"</c> both read as 3.
/// </summary>
public readonly record struct IfMatch(bool Present, int Given)
{
    public static ValueTask<IfMatch> BindAsync(HttpContext http)
    {
        var header = http.Request.Headers.IfMatch.ToString().Trim();
        if (header.Length == 0)
        {
            return ValueTask.FromResult(new IfMatch(false, 0));
        }

        if (header.StartsWith("W/", StringComparison.Ordinal))
        {
            header = header[2..];
        }

        return ValueTask.FromResult(int.TryParse(header.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? new IfMatch(true, version)
            : new IfMatch(true, -1));
    }

    /// <summary>The version for a command that requires one.</summary>
    public int Version => Present ? Given : UseCase.VersionNotGiven;

    /// <summary>For the few use cases where If-Match is optional: the version when sent, else null (no check).</summary>
    public int? Optional => Present ? Given : null;
}

/// <summary>The one place an <see cref="Outcome{T}"/> becomes an HTTP answer (RFC 9457 problem details for every failure).</summary>
public static class ApiOutcomes
{
    /// <summary>200 with the mapped record and its ETag, or the failure's problem.</summary>
    public static Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult> Ok<T, TResponse>(Outcome<T> outcome, HttpContext http, Func<T, TResponse> map)
    {
        if (!outcome.IsOk)
        {
            return outcome.Status == OutcomeStatus.Invalid ? Invalid(outcome) : Problem(outcome);
        }

        SetETag(http, outcome.Value);
        return TypedResults.Ok(map(outcome.Value!));
    }

    /// <summary>200 with a record the caller reads again after the change (e.g. a projection with names of related records).</summary>
    public static async Task<Results<Ok<TResponse>, ValidationProblem, ProblemHttpResult>> OkAsync<T, TResponse>(
        Outcome<T> outcome, HttpContext http, Func<T, Task<TResponse>> map)
    {
        if (!outcome.IsOk)
        {
            return outcome.Status == OutcomeStatus.Invalid ? Invalid(outcome) : Problem(outcome);
        }

        SetETag(http, outcome.Value);
        return TypedResults.Ok(await map(outcome.Value!));
    }

    /// <summary>201 with the location of the new record, or the failure's problem.</summary>
    public static async Task<Results<Created<TResponse>, ValidationProblem, ProblemHttpResult>> CreatedAsync<T, TResponse>(
        Outcome<T> outcome, HttpContext http, Func<T, string> location, Func<T, Task<TResponse>> map)
    {
        if (!outcome.IsOk)
        {
            return outcome.Status == OutcomeStatus.Invalid ? Invalid(outcome) : Problem(outcome);
        }

        SetETag(http, outcome.Value);
        return TypedResults.Created(location(outcome.Value!), await map(outcome.Value!));
    }

    /// <summary>A read by id: 200 with the record and its ETag, or 404 naming what was not found (or may not be seen).</summary>
    public static Results<Ok<TResponse>, ProblemHttpResult> Found<T, TResponse>(T? record, string what, HttpContext http, Func<T, int> version, Func<T, TResponse> map)
        where T : class
    {
        if (record is null)
        {
            return Problems.NotFound(what);
        }

        ETags.Set(http, version(record));
        return TypedResults.Ok(map(record));
    }

    /// <summary><see cref="Found{T, TResponse}"/> for a response read after the record (related names, roll-ups).</summary>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> FoundAsync<T, TResponse>(
        T? record, string what, HttpContext http, Func<T, int> version, Func<T, Task<TResponse>> map)
        where T : class
    {
        if (record is null)
        {
            return Problems.NotFound(what);
        }

        ETags.Set(http, version(record));
        return TypedResults.Ok(await map(record));
    }

    /// <summary><see cref="Found{T, TResponse}"/> for a record that is its own response.</summary>
    public static Results<Ok<T>, ProblemHttpResult> Found<T>(T? record, string what, HttpContext http, Func<T, int> version)
        where T : class => Found(record, what, http, version, r => r);

    /// <summary>204 when done, or the failure's problem (400 with field errors, 404, 422, 412, 428).</summary>
    public static Results<NoContent, ValidationProblem, ProblemHttpResult> NoContent<T>(Outcome<T> outcome) =>
        outcome.IsOk ? TypedResults.NoContent() : outcome.Status == OutcomeStatus.Invalid ? Invalid(outcome) : Problem(outcome);

    /// <summary>Field errors as a 400 validation problem; stable codes of the fields, where known, under "codes".</summary>
    public static ValidationProblem Invalid<T>(Outcome<T> outcome) => TypedResults.ValidationProblem(
        new Dictionary<string, string[]>(outcome.Errors ?? new Dictionary<string, string[]>()),
        extensions: outcome.Codes is { Count: > 0 } codes ? new Dictionary<string, object?> { ["codes"] = codes } : null);

    /// <summary>Any other failure as problem details: 404, 422 with the rule's code, 412, 428.</summary>
    public static ProblemHttpResult Problem<T>(Outcome<T> outcome) => outcome.Status switch
    {
        OutcomeStatus.NotFound => Problems.NotFound(outcome.What ?? "Record"),
        OutcomeStatus.RuleBroken => RuleBroken(outcome.Rule!),
        OutcomeStatus.Stale => ETags.PreconditionFailed(),
        OutcomeStatus.VersionMissing => ETags.PreconditionRequired(),
        _ => throw new InvalidOperationException($"{outcome.Status} is not a problem of this kind."),
    };

    private static ProblemHttpResult RuleBroken(Errors.DomainRuleException rule)
    {
        var problem = new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "A business rule was violated.",
            Detail = rule.Message,
        };
        if (rule.Code is not null)
        {
            problem.Extensions["code"] = rule.Code;
        }

        return TypedResults.Problem(problem);
    }

    private static void SetETag<T>(HttpContext http, T? value)
    {
        if (value is IVersioned versioned)
        {
            ETags.Set(http, versioned.Version);
        }
    }
}
