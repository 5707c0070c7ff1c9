using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Kazan.Infrastructure.Api;

/// <summary>A page of a list: items plus the cursor for the next page (null at the end). No total count: counting is unbounded work.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next);

/// <summary>Paging parameters every list endpoint shares: <c>?limit=50&amp;cursor=…</c>.</summary>
public static class Paging
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Validates limit; returns an error dictionary entry or null.</summary>
    public static Dictionary<string, string[]>? Validate(int? limit, string? cursor)
    {
        var errors = new Dictionary<string, string[]>();
        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = [$"limit must be between 1 and {MaxLimit}."];
        }

        if (cursor is not null && Cursor.Decode(cursor) is null)
        {
            errors["cursor"] = ["cursor is not a cursor this API returned."];
        }

        return errors.Count == 0 ? null : errors;
    }

    public static Page<T> ToPage<T>(List<T> rowsPlusOne, int limit, Func<T, string> cursorOf)
    {
        if (rowsPlusOne.Count <= limit)
        {
            return new Page<T>(rowsPlusOne, null);
        }

        rowsPlusOne.RemoveAt(limit);
        return new Page<T>(rowsPlusOne, cursorOf(rowsPlusOne[^1]));
    }
}

/// <summary>An opaque keyset cursor: the sort value(s) and id of the last row seen, base64url-encoded.</summary>
public static class Cursor
{
    public static string Encode(params object?[] values) =>
        Base64Url(Encoding.UTF8.GetBytes(string.Join('\u001f', values.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)))));

    public static string[]? Decode(string? cursor)
    {
        if (string.IsNullOrEmpty(cursor) || cursor.Length > 1000)
        {
            return null;
        }

        try
        {
            var s = cursor.Replace('-', '+').Replace('_', '/');
            s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
            return Encoding.UTF8.GetString(Convert.FromBase64String(s)).Split('\u001f');
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>ETag / If-Match handling for versioned resources.</summary>
public static class ETags
{
    public static string Of(int version) => $"\"{version}\"";

    /// <summary>
    /// Reads If-Match. Returns the expected version, or a problem result: 428 when missing, 412 when it does not match
    /// <paramref name="currentVersion"/> (the version just read).
    /// </summary>
    public static (int Version, ProblemHttpResult? Problem) Check(HttpContext http, int currentVersion)
    {
        var header = http.Request.Headers.IfMatch.ToString();
        if (string.IsNullOrWhiteSpace(header))
        {
            return (0, PreconditionRequired());
        }

        var raw = header.Trim();
        if (raw.StartsWith("W/", StringComparison.Ordinal))
        {
            raw = raw[2..];
        }

        if (!int.TryParse(raw.Trim('"'), NumberStyles.None, CultureInfo.InvariantCulture, out var expected) || expected != currentVersion)
        {
            return (0, PreconditionFailed());
        }

        return (expected, null);
    }

    public static ProblemHttpResult PreconditionRequired() => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status428PreconditionRequired,
        Title = "If-Match header required.",
        Detail = "Send the ETag you read with the record in an If-Match header, so a concurrent change is not overwritten.",
    });

    public static ProblemHttpResult PreconditionFailed() => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status412PreconditionFailed,
        Title = "The record was changed by someone else.",
        Detail = "Your If-Match does not match the current version. Reload it and apply your change again.",
        Extensions = { ["code"] = "version.conflict" },
    });

    public static void Set(HttpContext http, int version) => http.Response.Headers.ETag = Of(version);
}

public static class Problems
{
    public static ProblemHttpResult NotFound(string what) => TypedResults.Problem(new ProblemDetails
    {
        Status = StatusCodes.Status404NotFound,
        Title = $"{what} not found.",
    });

    public static ValidationProblem Validation(IDictionary<string, string[]> errors) => TypedResults.ValidationProblem(errors);

    public static ValidationProblem Validation(string field, string message) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
