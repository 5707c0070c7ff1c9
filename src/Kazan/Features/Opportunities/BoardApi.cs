using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Opportunities;

/// <summary>The pipeline board: per stage count, total, weighted total and the first cards; then more cards per column.</summary>
public static class BoardApi
{
    public static IEndpointRouteBuilder MapBoard(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/board").WithTags("Board").RequireAuthorization(Policies.Member);
        group.MapGet("/", GetBoard).WithSummary("Open deals of a pipeline (default when omitted) per stage, filtered by owner, team or mine; amounts in the base currency.");
        group.MapGet("/column", GetColumn).WithSummary("The next page of one stage's cards (cursor from the board or the previous page).");
        return app;
    }

    private static async Task<Results<Ok<BoardResponse>, ProblemHttpResult>> GetBoard(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid? pipelineId, Guid? ownerId, Guid? teamId, bool? mine, CancellationToken ct)
    {
        var board = await BoardQueries.BoardAsync(db, pipelineId, Filter(me, ownerId, teamId, mine), time, ct);
        return board is null ? Problems.NotFound("Pipeline") : TypedResults.Ok(board);
    }

    private static async Task<Results<Ok<Page<BoardCard>>, ValidationProblem, ProblemHttpResult>> GetColumn(
        KazanDbContext db, CurrentUser me, OrganizationTime time, Guid stageId, string? cursor, int? limit, Guid? ownerId, Guid? teamId, bool? mine, CancellationToken ct)
    {
        var errors = Paging.Validate(limit, null) ?? [];
        if (!BoardQueries.IsValidCursor(cursor))
        {
            errors["cursor"] = ["cursor is not a cursor this board returned."];
        }

        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }

        if (!await db.Stages.AnyAsync(s => s.Id == stageId, ct))
        {
            return Problems.NotFound("Stage");
        }

        return TypedResults.Ok(await BoardQueries.ColumnAsync(db, stageId, Filter(me, ownerId, teamId, mine), cursor, limit ?? BoardQueries.PageSize, time, ct));
    }

    private static BoardFilter Filter(CurrentUser me, Guid? ownerId, Guid? teamId, bool? mine) =>
        new(mine == true ? me.RequiredUserId : ownerId, teamId);
}
