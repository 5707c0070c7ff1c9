using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Errors;

public static class ProblemSetup
{
    public static IServiceCollection AddKazanProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
        });
        services.AddExceptionHandler<KazanExceptionHandler>();
        return services;
    }
}

/// <summary>
/// Maps what escapes a handler to RFC 9457 problem details. Expected outcomes are returned by handlers;
/// this catches rule violations thrown from entities, races, malformed requests and real bugs (500, no details).
/// </summary>
public sealed class KazanExceptionHandler(IProblemDetailsService problems, ILogger<KazanExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (httpContext.RequestAborted.IsCancellationRequested && IsStopped(exception))
        {
            // The client gave up and its statement was stopped (StatementCancellation): nobody is there to answer.
            log.LogInformation("Request given up by the client on {Method} {Path}; its statement was stopped", httpContext.Request.Method, httpContext.Request.Path);
            httpContext.Response.StatusCode = StatusClientClosedRequest;
            return true;
        }

        var problem = exception switch
        {
            DomainRuleException rule => Problem(StatusCodes.Status422UnprocessableEntity, "A business rule was violated.", rule.Message, rule.Code),
            DbUpdateConcurrencyException => Problem(StatusCodes.Status412PreconditionFailed, "The record was changed by someone else.",
                "Reload it and apply your change again.", "version.conflict"),
            BadHttpRequestException bad => BadRequest(bad),
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => Problem(StatusCodes.Status400BadRequest, "The form could not be checked.",
                "It was not sent from a Kazan page, or the page is too old. Reload the page and send the form again.", "antiforgery"),
            NotFoundException missing => Problem(StatusCodes.Status404NotFound, missing.Message, "It does not exist or is not visible to you.", null),
            _ when IsUnstorableText(exception) => Problem(StatusCodes.Status400BadRequest, "The request holds text that cannot be stored.",
                "Text may not hold the NUL character (\\u0000); remove it and send again. Nothing was saved.", "text.nul"),
            _ when IsBusy(exception) => Problem(StatusCodes.Status503ServiceUnavailable, "The database is busy.",
                "Another long write (such as an import) holds the database; nothing was saved. Try again in a moment.", "database.busy"),
            _ => null,
        };

        if (problem?.Status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }

        if (problem is null)
        {
            log.LogError(exception, "Unhandled exception on {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
            problem = Problem(StatusCodes.Status500InternalServerError, "An unexpected error occurred.", "The error was logged; quote the trace id when reporting it.", null);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem, Exception = exception });
    }

    /// <summary>The status nginx logs for a request its client closed first (no answer reaches anyone).</summary>
    private const int StatusClientClosedRequest = 499;

    private static bool IsStopped(Exception exception) => exception is OperationCanceledException || Data.StoppedStatementDetector.IsStopped(exception);

    /// <summary>PostgreSQL refused text holding NUL (invalid byte sequence, 22021), possibly inside EF's exception.</summary>
    private static bool IsUnstorableText(Exception exception) =>
        (exception as Npgsql.PostgresException ?? exception.InnerException as Npgsql.PostgresException)?.SqlState == Npgsql.PostgresErrorCodes.CharacterNotInRepertoire;

    /// <summary>SQLite's write lock was not had within the busy timeout (another long write holds it).</summary>
    public static bool IsBusy(Exception exception) =>
        (exception as Microsoft.Data.Sqlite.SqliteException ?? exception.InnerException as Microsoft.Data.Sqlite.SqliteException)?.SqliteErrorCode is 5 or 6;

    private static ProblemDetails Problem(int status, string title, string detail, string? code)
    {
        var p = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (code is not null)
        {
            p.Extensions["code"] = code;
        }

        return p;
    }

    private static ProblemDetails BadRequest(BadHttpRequestException bad)
    {
        // Malformed JSON or a value of the wrong type: name the field (JSON path) so the client can fix it.
        var json = bad.InnerException as JsonException;
        if (json is not null)
        {
            var field = json is Api.BodyRuleException rule ? rule.Field : string.IsNullOrEmpty(json.Path) ? "$" : json.Path;
            var message = json is Api.BodyRuleException ? json.Message.Split(" Path:")[0]
                : json.Path is null ? "The request body is not valid JSON." : $"The value at '{field}' is not valid JSON of the expected type.";
            return new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [message] })
            {
                Status = StatusCodes.Status400BadRequest,
                Title = "The request body could not be read.",
            };
        }

        return new ProblemDetails
        {
            Status = bad.StatusCode,
            Title = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "The request body is too large." : "The request is malformed.",
            Detail = bad.Message,
        };
    }
}
