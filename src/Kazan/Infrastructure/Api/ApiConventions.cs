using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Api;

/// <summary>
/// A page of a list: items, the cursor for the next page (null at the end) and, on keyset lists that page both ways,
/// the cursor for the previous page (null on the first page). No total count: counting is unbounded work.
/// </summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? Next, string? Previous = null);

/// <summary>
/// How many rows match a list's filter, counted up to <see cref="Paging.CountCap"/>: <see cref="More"/> says there are
/// more than <see cref="Count"/> ("1000+"), so the count never costs more than reading that many index entries.
/// </summary>
public readonly record struct BoundedCount(int Count, bool More);

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

    /// <summary>Lists count their matches up to this many; beyond it they say "1000+".</summary>
    public const int CountCap = 1000;

    /// <summary>
    /// Counts the rows of <paramref name="query"/> up to <see cref="CountCap"/> (a bounded <c>COUNT</c> over at most
    /// cap + 1 rows, never the whole table). Pass the filtered query without cursor and order.
    /// </summary>
    public static async Task<BoundedCount> CountAsync<T>(IQueryable<T> query, CancellationToken ct)
    {
        var count = await query.Take(CountCap + 1).CountAsync(ct);
        return count > CountCap ? new BoundedCount(CountCap, true) : new BoundedCount(count, false);
    }

    /// <summary>
    /// A page of a two-way keyset list. <paramref name="rowsPlusOne"/> were read in the list's order from the cursor on
    /// (forward), or in the reverse order from it (backward: the rows before the cursor, nearest first), one more than
    /// the limit to know whether more follow. <paramref name="keyOf"/> gives the sort values and id of a row: the next
    /// cursor continues after the last row shown, the previous one goes back from the first.
    /// </summary>
    public static Page<T> ToPage<T>(List<T> rowsPlusOne, int limit, KeysetCursor? at, Func<T, object?[]> keyOf)
    {
        var more = rowsPlusOne.Count > limit;
        if (more)
        {
            rowsPlusOne.RemoveAt(limit);
        }

        if (at is { Backward: true } back)
        {
            rowsPlusOne.Reverse();

            // Going back never hits the end: the page the user came from follows (from the cursor itself when all
            // the rows in between were removed meanwhile).
            var next = rowsPlusOne.Count > 0 ? Cursor.Encode(keyOf(rowsPlusOne[^1])) : Cursor.Encode(back.Values);
            return new Page<T>(rowsPlusOne, next, more ? Cursor.Before(keyOf(rowsPlusOne[0])) : null);
        }

        // Forward from a cursor there is a page before; with no rows left (everything after it was removed or the
        // filter changed), "previous" goes back from the cursor itself.
        string? previous = at is { } from
            ? rowsPlusOne.Count > 0 ? Cursor.Before(keyOf(rowsPlusOne[0])) : Cursor.Before(from.Values)
            : null;
        return new Page<T>(rowsPlusOne, more ? Cursor.Encode(keyOf(rowsPlusOne[^1])) : null, previous);
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

/// <summary>A decoded keyset cursor: the sort values and id of a row, and whether the page is the one before it.</summary>
public sealed record KeysetCursor(string[] Values, bool Backward);

/// <summary>
/// An opaque keyset cursor: the sort value(s) and id of the last row seen, base64url-encoded. A cursor made by
/// <see cref="Before"/> asks for the page that ends just before the row (the "previous" link of a list).
/// </summary>
public static class Cursor
{
    /// <summary>Marks a backward cursor; no sort value starts a cursor with it (keys are folded text, numbers, dates, names).</summary>
    private const string BackwardMark = "<";

    public static string Before(params object?[] values) => Encode([BackwardMark, .. values]);

    /// <summary>The cursor's values and direction; null when it is missing or not a cursor Kazan made.</summary>
    public static KeysetCursor? Read(string? cursor) => Decode(cursor) switch
    {
        null => null,
        [BackwardMark, .. var values] => new KeysetCursor(values, true),
        var values => new KeysetCursor(values, false),
    };

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
