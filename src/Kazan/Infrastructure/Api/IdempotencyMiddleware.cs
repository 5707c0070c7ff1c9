using System.Security.Cryptography;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Api;

/// <summary>
/// Honours <c>Idempotency-Key</c> on API POSTs. The claim of the key, the request's own writes and the response kept
/// for replay commit in one transaction on the request's DbContext (decision 0006): a retry finds either the stored
/// response of a write that committed, or nothing — a crash, a 5xx or an abandoned request leaves no claim behind,
/// so the retry runs afresh at once. A retry that arrives while the first still runs waits on the database (the
/// unique index on PostgreSQL, the write lock on SQLite) and then replays. The same key with another request is 422.
/// Keys are per user and kept 24 hours.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, TimeProvider clock, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    public async Task InvokeAsync(HttpContext http, CurrentUser user)
    {
        var key = http.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(http.Request.Method) || string.IsNullOrEmpty(key) || !user.IsAuthenticated
            || !http.Request.Path.StartsWithSegments("/api"))
        {
            await next(http);
            return;
        }

        if (key.Length > 200)
        {
            await WriteProblem(http, StatusCodes.Status400BadRequest, "Idempotency-Key must be at most 200 characters.");
            return;
        }

        http.Request.EnableBuffering();
        var requestHash = await HashRequest(http);
        var db = http.RequestServices.GetRequiredService<KazanDbContext>();

        await using var transaction = await db.Database.BeginTransactionAsync(http.RequestAborted);
        if (!await TryClaim(db, user, key, requestHash, http.RequestAborted))
        {
            await transaction.RollbackAsync(CancellationToken.None);
            await Replay(http, db, user, key, requestHash);
            return;
        }

        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        // A 5xx, or an exception above, rolls everything back with the claim: the retry the key exists for runs afresh.
        if (http.Response.StatusCode < 500 && !await TryStoreAndCommit(db, transaction, user, key, http, buffer.ToArray()))
        {
            await transaction.RollbackAsync(CancellationToken.None);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, http.RequestAborted);
    }

    private static async Task<string> HashRequest(HttpContext http)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}{http.Request.QueryString}\n"));
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(chunk, http.RequestAborted)) > 0)
        {
            sha.AppendData(chunk, 0, read);
        }

        http.Request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>
    /// Inserts the claim inside the request's transaction. Expired keys, and claims without a response (left by a
    /// version that committed claims on their own), are cleared first. False when the key is taken.
    /// </summary>
    private async Task<bool> TryClaim(KazanDbContext db, CurrentUser user, string key, string requestHash, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await db.IdempotencyRecords.Where(r => r.UserId == user.UserId && r.Key == key && (r.CreatedAt < now - Retention || r.StatusCode == null))
            .ExecuteDeleteAsync(ct);

        var claim = new IdempotencyRecord
        {
            OrganizationId = user.RequiredOrganizationId,
            UserId = user.RequiredUserId,
            Key = key,
            RequestHash = requestHash,
            CreatedAt = now,
        };
        db.IdempotencyRecords.Add(claim);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            db.Entry(claim).State = EntityState.Detached;
        }
    }

    /// <summary>The committed response of the first request with this key (it committed before the claim was refused).</summary>
    private static async Task Replay(HttpContext http, KazanDbContext db, CurrentUser user, string key, string requestHash)
    {
        var record = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == user.UserId && r.Key == key, http.RequestAborted);
        if (record?.StatusCode is not { } status)
        {
            // The first request ended without a result between the refused claim and this read: the client retries.
            await WriteProblem(http, StatusCodes.Status409Conflict, "The first request with this Idempotency-Key did not finish; retry it.");
            return;
        }

        if (record.RequestHash != requestHash)
        {
            await WriteProblem(http, StatusCodes.Status422UnprocessableEntity, "This Idempotency-Key was already used with a different request.");
            return;
        }

        http.Response.StatusCode = status;
        if (record.ContentType is not null)
        {
            http.Response.ContentType = record.ContentType;
        }

        if (record.Location is not null)
        {
            http.Response.Headers.Location = record.Location;
        }

        if (record.ETag is not null)
        {
            http.Response.Headers.ETag = record.ETag;
        }

        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Body is { Length: > 0 } body)
        {
            await http.Response.Body.WriteAsync(body, http.RequestAborted);
        }
    }

    /// <summary>
    /// Stores the response on the claim and commits it with the request's writes. False when the transaction cannot
    /// commit (a statement of the request failed and left it unusable); the caller rolls back.
    /// </summary>
    private async Task<bool> TryStoreAndCommit(KazanDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction, CurrentUser user, string key, HttpContext http, byte[] body)
    {
        var headers = http.Response.Headers;
        var status = http.Response.StatusCode;
        var contentType = http.Response.ContentType;
        var location = headers.Location.ToString();
        var etag = headers.ETag.ToString();
        try
        {
            await db.IdempotencyRecords.Where(r => r.UserId == user.UserId && r.Key == key).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusCode, status)
                .SetProperty(r => r.ContentType, contentType)
                .SetProperty(r => r.Location, location.Length == 0 ? null : location)
                .SetProperty(r => r.ETag, etag.Length == 0 ? null : etag)
                .SetProperty(r => r.Body, body), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return true;
        }
        catch (System.Data.Common.DbException e)
        {
            log.LogWarning(e, "Could not keep the response of an idempotent request; its writes are rolled back");
            return false;
        }
    }

    private static Task WriteProblem(HttpContext http, int status, string title)
    {
        http.Response.StatusCode = status;
        return http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails { Status = status, Title = title },
        }).AsTask();
    }
}
