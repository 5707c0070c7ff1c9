using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auditing;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Audit;

public sealed record AuditEntryResponse(Guid Id, DateTimeOffset At, Guid? UserId, string EntityType, string EntityId, AuditAction Action, string Changes);

/// <summary>Read-only: the audit trail has no create, update or delete endpoint.</summary>
public static class AuditApi
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/audit").WithTags("Audit").RequireAuthorization(Policies.Manager);
        group.MapGet("/", List).WithSummary("Audit entries of one record, newest first (managers and admins).");
        return app;
    }

    private static async Task<Results<Ok<Page<AuditEntryResponse>>, ValidationProblem>> List(
        KazanDbContext db, string? entityType, string? entityId, int? limit, string? cursor, CancellationToken ct)
    {
        if (Paging.Validate(limit, cursor) is { } errors)
        {
            return Problems.Validation(errors);
        }

        if (string.IsNullOrWhiteSpace(entityType) || string.IsNullOrWhiteSpace(entityId) || entityType.Length > 100 || entityId.Length > 100)
        {
            return Problems.Validation("entityType", "entityType and entityId are required (at most 100 characters each).");
        }

        var take = limit ?? Paging.DefaultLimit;
        var query = db.AuditEntries.AsNoTracking().Where(a => a.EntityType == entityType && a.EntityId == entityId);
        if (Cursor.Decode(cursor) is [var ticks, var idText] && long.TryParse(ticks, out var t) && Guid.TryParse(idText, out var lastId))
        {
            var before = new DateTimeOffset(t, TimeSpan.Zero);
            query = query.After(db, a => a.At, before, lastId, descending: true);
        }

        var rows = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Take(take + 1)
            .Select(a => new AuditEntryResponse(a.Id, a.At, a.UserId, a.EntityType, a.EntityId, a.Action, a.Changes))
            .ToListAsync(ct);
        return TypedResults.Ok(Paging.ToPage(rows, take, a => Cursor.Encode(a.At.UtcTicks, a.Id)));
    }
}
