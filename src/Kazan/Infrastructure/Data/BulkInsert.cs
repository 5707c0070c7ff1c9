using System.Data.Common;
using System.Globalization;
using Kazan.Infrastructure.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// One stored column of an entity, with the way a model value becomes the value the database driver is given: the
/// model's value converter, then each provider's storage convention (SQLite: GUIDs as upper-case text, dates as ISO
/// text, flags as integers; PostgreSQL: timestamps in UTC). The import's bulk save and the benchmark's loader both
/// write through it, so their rows are stored exactly as EF Core stores them.
/// </summary>
public sealed record StoreColumn(string Name, string StoreType, IProperty Property, Func<object?, object?> ToProvider)
{
    public static StoreColumn Of(IProperty property, StoreObjectIdentifier table, DatabaseProvider provider)
    {
        var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
        var storeType = mapping.StoreType;
        var paren = storeType.IndexOf('(', StringComparison.Ordinal);
        var converter = mapping.Converter;
        Func<object, object> convention = provider == DatabaseProvider.Postgres
            ? v => v is DateTimeOffset d ? d.ToUniversalTime() : v
            : v => v switch
            {
                Guid g => g.ToString().ToUpperInvariant(), // EF Core stores GUIDs as upper-case TEXT on SQLite
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                bool b => b ? 1L : 0L,
                _ => v,
            };
        return new StoreColumn(
            property.GetColumnName(table)!,
            paren > 0 ? storeType[..paren].Trim() : storeType,
            property,
            value => value is null ? null : convention(converter is null ? value : converter.ConvertToProvider(value)!));
    }

    /// <summary>Every column of the entity's table, complex types' fields included.</summary>
    public static StoreColumn[] All(IEntityType entity, DatabaseProvider provider)
    {
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        return [.. entity.GetFlattenedProperties().Select(p => Of(p, table, provider))];
    }
}

/// <summary>
/// Saves what a context tracks the fast way: new records go to the database with one prepared INSERT per table on
/// SQLite and binary COPY on PostgreSQL, on the context's own connection and inside its open transaction; changed and
/// deleted records go through the ordinary SaveChanges first. The rows written are the ones SaveChanges would write —
/// the audit interceptor's <see cref="AuditInterceptor.Stamp"/> adds the audit entries, search words and history of
/// the new records, by the same code, and new open deals count into the board totals — and every value goes through
/// <see cref="StoreColumn"/>. Afterwards the context tracks nothing. Used by the import, where a batch is a thousand
/// new records.
/// </summary>
public sealed class BulkInsert(KazanDbContext db, AuditInterceptor audit)
{
    private readonly Dictionary<IEntityType, Table> _tables = [];

    public async Task SaveAsync(CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A bulk save runs inside the caller's transaction.");
        }

        // The changed and deleted records first, stamped as usual; the new ones wait outside the tracker meanwhile.
        db.ChangeTracker.DetectChanges();
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).Select(e => e.Entity).ToList();
        foreach (var entity in added)
        {
            db.Entry(entity).State = EntityState.Detached;
        }

        if (db.ChangeTracker.HasChanges())
        {
            await db.SaveChangesAsync(ct);
        }

        foreach (var entity in added)
        {
            var entry = db.Entry(entity);
            if (entry.State == EntityState.Detached)
            {
                entry.State = EntityState.Added; // (one reached from a changed record was saved with it)
            }
        }

        audit.Stamp(db);
        var totals = Features.Opportunities.BoardTotals.Pending(db); // the new open deals count on the board as a save's would
        var rows = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).GroupBy(e => e.Metadata).ToList();
        foreach (var group in rows.OrderBy(g => Depth(g.Key)))
        {
            var table = TableOf(group.Key);
            await table.WriteAsync(db, group.Select(table.Values).ToList(), ct);
        }

        await Features.Opportunities.BoardTotals.ApplyAsync(db, totals, ct);

        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// Holds the context's connection open for a long write and, on SQLite, lets that connection keep up to
    /// <paramref name="cacheMiB"/> of pages in memory (the default is 2 MiB: a write touching the indexes of a large table
    /// all over then reads and spills pages all the time). Disposing sets the default back before the connection goes
    /// back to the pool.
    /// </summary>
    public static async Task<IAsyncDisposable> OpenForLongWriteAsync(KazanDbContext db, int cacheMiB, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        if (db.Database.IsSqlite())
        {
            var pragma = string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size=-{cacheMiB * 1024}"); // a number: nothing to inject
            await db.Database.ExecuteSqlRawAsync(pragma, ct);
        }

        return new LongWrite(db);
    }

    private sealed class LongWrite(KazanDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (db.Database.IsSqlite())
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size=-2000");
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>How many tables stand above this one through foreign keys: parents are written before their children.</summary>
    private static int Depth(IEntityType entity, int guard = 0) =>
        guard > 20 ? guard : entity.GetForeignKeys()
            .Where(fk => fk.PrincipalEntityType != entity)
            .Select(fk => Depth(fk.PrincipalEntityType, guard + 1) + 1)
            .DefaultIfEmpty(0).Max();

    private Table TableOf(IEntityType entity)
    {
        if (!_tables.TryGetValue(entity, out var table))
        {
            var provider = db.Database.IsNpgsql() ? DatabaseProvider.Postgres : DatabaseProvider.Sqlite;
            table = provider == DatabaseProvider.Postgres ? new CopyTable(entity) : new InsertTable(entity);
            _tables[entity] = table;
        }

        return table;
    }

    private abstract class Table(IEntityType entity, DatabaseProvider provider)
    {
        protected string Name { get; } = entity.GetTableName()!;

        protected StoreColumn[] Columns { get; } = StoreColumn.All(entity, provider);

        protected string ColumnList => string.Join(", ", Columns.Select(c => $"\"{c.Name}\""));

        /// <summary>
        /// The properties that can hold a temporary value: those EF generates (a temporary value is a generator's) and the
        /// keys and foreign keys that take one over. Kazan never marks a value temporary by hand, so the others need no look.
        /// </summary>
        private IProperty[] MayBeTemporary { get; } = [.. entity.GetProperties().Where(p => p.ValueGenerated != ValueGenerated.Never || p.IsKey() || p.IsForeignKey())];

        /// <summary>
        /// How each column's value is read from a tracked record: a property of the entity's own class straight from the
        /// object with EF's compiled getter (what the entry's current value is for it, without an entry
        /// object per value: ~10 000 records a batch); a shadow property or a complex type's field through its entry.
        /// </summary>
        private Func<EntityEntry, object?>[] Readers => _readers ??= [.. Columns.Select(c => Reader(c.Property))];

        private Func<EntityEntry, object?>[]? _readers;

        private static Func<EntityEntry, object?> Reader(IProperty property)
        {
            if (property.IsShadowProperty() || property.DeclaringType is not IEntityType)
            {
                return e => e.Property(property).CurrentValue;
            }

            var getter = property.GetGetter();
            return e => getter.GetClrValueUsingContainingEntity(e.Entity);
        }

        public object?[] Values(EntityEntry entry)
        {
            if (entry.IsKeySet is false || MayBeTemporary.Any(p => entry.Property(p).IsTemporary))
            {
                throw new InvalidOperationException($"{Name}: a bulk save needs keys set by the application.");
            }

            var values = new object?[Columns.Length];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = Columns[i].ToProvider(Readers[i](entry));
            }

            return values;
        }

        public abstract Task WriteAsync(KazanDbContext db, List<object?[]> rows, CancellationToken ct);
    }

    /// <summary>SQLite: one prepared INSERT, run once per row, inside the context's transaction.</summary>
    private sealed class InsertTable(IEntityType entity) : Table(entity, DatabaseProvider.Sqlite)
    {
        public override Task WriteAsync(KazanDbContext db, List<object?[]> rows, CancellationToken ct)
        {
            var connection = db.Database.GetDbConnection();
            using var insert = connection.CreateCommand();
            insert.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            insert.CommandText = $"INSERT INTO \"{Name}\" ({ColumnList}) VALUES ({string.Join(", ", Columns.Select((_, i) => $"@p{i}"))})";
            var parameters = new DbParameter[Columns.Length];
            for (var i = 0; i < Columns.Length; i++)
            {
                parameters[i] = insert.CreateParameter();
                parameters[i].ParameterName = $"@p{i}";
                insert.Parameters.Add(parameters[i]);
            }

            insert.Prepare();
            foreach (var row in rows)
            {
                ct.ThrowIfCancellationRequested();
                for (var i = 0; i < row.Length; i++)
                {
                    parameters[i].Value = row[i] ?? DBNull.Value;
                }

                insert.ExecuteNonQuery(); // SQLite's driver is synchronous underneath; the async call only adds a task per row
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>PostgreSQL: binary COPY on the context's connection, which carries its transaction.</summary>
    private sealed class CopyTable(IEntityType entity) : Table(entity, DatabaseProvider.Postgres)
    {
        public override async Task WriteAsync(KazanDbContext db, List<object?[]> rows, CancellationToken ct)
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var copy = await connection.BeginBinaryImportAsync($"COPY \"{Name}\" ({ColumnList}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                await copy.StartRowAsync(ct);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await copy.WriteNullAsync(ct);
                    }
                    else
                    {
                        await copy.WriteAsync(row[i], Columns[i].StoreType, ct);
                    }
                }
            }

            await copy.CompleteAsync(ct);
        }
    }
}
