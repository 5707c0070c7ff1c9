using System.Security.Cryptography;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Api;

/// <summary>
/// Honours <c>Idempotency-Key</c> on API POSTs. The first request claims the key (a unique index makes the claim
/// atomic, also under concurrency), runs, and stores its response; a retry with the same key and body replays that
/// response, a retry with another body gets 422, and a retry while the first still runs waits for it.
/// Keys are per user and kept 24 hours.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, TimeProvider clock, ILogger<IdempotencyMiddleware> log)
{
    public const string Header = "Idempotency-Key";
    private static readonly TimeSpan Retention = TimeSpan.FromHours(24);
    private static readonly TimeSpan WaitForFirst = TimeSpan.FromSeconds(30);

    public async Task InvokeAsync(HttpContext http, IServiceScopeFactory scopes, CurrentUser user)
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

        var claimed = await TryClaim(scopes, user, key, requestHash, http.RequestAborted);
        if (!claimed)
        {
            await Replay(http, scopes, user, key, requestHash);
            return;
        }

        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        var completed = false;
        try
        {
            await next(http);
            completed = http.Response.StatusCode < 500;
        }
        finally
        {
            http.Response.Body = original;
            if (completed)
            {
                await Store(scopes, user, key, http, buffer.ToArray());
            }
            else
            {
                // A failed first attempt must not block the retry that the key exists for.
                await Release(scopes, user, key);
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(original);
        }
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

    private async Task<bool> TryClaim(IServiceScopeFactory scopes, CurrentUser user, string key, string requestHash, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = ForUser(scope, user);
        var now = clock.GetUtcNow();

        // Expired keys are forgotten lazily, so no background job is needed.
        await db.IdempotencyRecords.Where(r => r.UserId == user.UserId && r.Key == key && r.CreatedAt < now - Retention).ExecuteDeleteAsync(ct);

        db.IdempotencyRecords.Add(new IdempotencyRecord
        {
            OrganizationId = user.RequiredOrganizationId,
            UserId = user.RequiredUserId,
            Key = key,
            RequestHash = requestHash,
            CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
    }

    private async Task Replay(HttpContext http, IServiceScopeFactory scopes, CurrentUser user, string key, string requestHash)
    {
        var deadline = clock.GetUtcNow() + WaitForFirst;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = ForUser(scope, user);
            var record = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.UserId == user.UserId && r.Key == key, http.RequestAborted);
            if (record is null)
            {
                // The first attempt failed and released the key: treat this as a fresh attempt's conflict, the client retries.
                await WriteProblem(http, StatusCodes.Status409Conflict, "The first request with this Idempotency-Key failed; retry it.");
                return;
            }

            if (record.RequestHash != requestHash)
            {
                await WriteProblem(http, StatusCodes.Status422UnprocessableEntity, "This Idempotency-Key was already used with a different request.");
                return;
            }

            if (record.StatusCode is { } status)
            {
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

                return;
            }

            if (clock.GetUtcNow() > deadline)
            {
                await WriteProblem(http, StatusCodes.Status409Conflict, "A request with this Idempotency-Key is still being processed.");
                return;
            }

            await Task.Delay(50, http.RequestAborted);
        }
    }

    private static async Task Store(IServiceScopeFactory scopes, CurrentUser user, string key, HttpContext http, byte[] body)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = ForUser(scope, user);
        var headers = http.Response.Headers;
        var status = http.Response.StatusCode;
        var contentType = http.Response.ContentType;
        var location = headers.Location.ToString();
        var etag = headers.ETag.ToString();
        await db.IdempotencyRecords.Where(r => r.UserId == user.UserId && r.Key == key).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.StatusCode, status)
            .SetProperty(r => r.ContentType, contentType)
            .SetProperty(r => r.Location, location.Length == 0 ? null : location)
            .SetProperty(r => r.ETag, etag.Length == 0 ? null : etag)
            .SetProperty(r => r.Body, body));
    }

    private async Task Release(IServiceScopeFactory scopes, CurrentUser user, string key)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = ForUser(scope, user);
            await db.IdempotencyRecords.Where(r => r.UserId == user.UserId && r.Key == key).ExecuteDeleteAsync();
        }
        catch (DbUpdateException e)
        {
            log.LogWarning(e, "Could not release idempotency key");
        }
    }

    private static KazanDbContext ForUser(AsyncServiceScope scope, CurrentUser user)
    {
        var scoped = scope.ServiceProvider.GetRequiredService<CurrentUser>();
        scoped.Set(user.RequiredOrganizationId, user.RequiredUserId, user.Role!.Value, !user.RestrictedToOwn);
        return scope.ServiceProvider.GetRequiredService<KazanDbContext>();
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
