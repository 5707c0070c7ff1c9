using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// Records of one table among a list of ids (a batch of an export, a chunk of a report, the names for a page), each read
/// by its primary key. SQLite otherwise answers <c>Id IN (…)</c> beside the tenant filter's <c>OrganizationId = @org</c>
/// by walking an index led by the organization that also holds <c>Id</c> — every record of the organization, for each
/// batch (deals at 1M: 0.54 s for 1,000 ids against 0.04 s by key; accounts: 95 % of the order export's time); with
/// <c>PRAGMA optimize</c>'s rough statistics too, since they put a few hundred records in each organization. On SQLite
/// the read names the key's index (<c>INDEXED BY</c>); the query filters still apply on top. PostgreSQL picks the key by
/// itself.
/// </summary>
public static class ByKey
{
    /// <summary>The name SQLite gives the index of a table's TEXT primary key (an automatic index).</summary>
    public static string SqlitePrimaryKeyIndex(string table) => $"sqlite_autoindex_{table}_1";

    public static IQueryable<T> WithIds<T>(this DbSet<T> set, KazanDbContext db, IReadOnlyCollection<Guid> ids)
        where T : class
    {
        if (!db.Database.IsSqlite())
        {
            return set.Where(e => ids.Contains(EF.Property<Guid>(e, "Id")));
        }

        var entity = db.Model.FindEntityType(typeof(T))!;
        var table = entity.GetTableName()!;
        // EF Core reads a raw query's complex-property columns under their default names (Currency_Rate), not the mapped
        // ones (ExchangeRate): each is given both.
        var aliases = entity.GetComplexProperties().SelectMany(c => c.ComplexType.GetProperties()
            .Select(p => $", \"{p.GetColumnName()}\" AS \"{c.Name}_{p.Name}\""));
        var sql = $"SELECT *{string.Concat(aliases)} FROM \"{table}\" INDEXED BY \"{SqlitePrimaryKeyIndex(table)}\"";
        return set.FromSqlRaw(sql).Where(e => ids.Contains(EF.Property<Guid>(e, "Id")));
    }
}
