using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Kazan.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Kazan.Bench.Data;

/// <summary>
/// Writes generated rows through the fast path of each database: prepared, batched INSERTs in one transaction on SQLite,
/// binary COPY on PostgreSQL. Tables and columns come from the application's own EF model, and every value goes
/// through the model's value converter, so the storage conventions are exactly the app's (SQLite: decimals as integers
/// scaled by 10 000, DateTimeOffset as UTC ticks, GUIDs as upper-case text; enums as their names). Secondary indexes
/// are dropped before the load and rebuilt after it (a sort per index instead of a random insert per row).
/// </summary>
public abstract class BulkWriter : IAsyncDisposable
{
    private const int FlushRows = 20_000;

    private readonly List<Table> _tables = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastProgress;

    protected BulkWriter(IModel model) => Model = model;

    /// <summary>
    /// Writing into a database the app has open (a baseline measured beside it), not loading a fresh one: the
    /// connection keeps the app's settings (journal, foreign keys, triggers) and <see cref="FlushAndUndoAsync"/> undoes the rows.
    /// </summary>
    protected bool Live { get; private set; }

    protected IModel Model { get; }

    protected abstract DatabaseProvider Provider { get; }

    public long TotalRows => _tables.Sum(t => t.Written + t.Buffer.Count);

    public static async Task<BulkWriter> OpenAsync(DatabaseProvider provider, string connectionString, CancellationToken ct, bool live = false)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            var options = new DbContextOptionsBuilder<PostgresKazanDbContext>().UseNpgsql(connectionString).Options;
            await using var db = new PostgresKazanDbContext(options, new Kazan.Infrastructure.Tenancy.CurrentUser());
            var writer = new PostgresWriter(db.GetService<IDesignTimeModel>().Model, connectionString) { Live = live };
            await writer.StartAsync(ct);
            return writer;
        }
        else
        {
            var options = new DbContextOptionsBuilder<SqliteKazanDbContext>().UseSqlite(connectionString).Options;
            await using var db = new SqliteKazanDbContext(options, new Kazan.Infrastructure.Tenancy.CurrentUser());
            var writer = new SqliteWriter(db.GetService<IDesignTimeModel>().Model, connectionString) { Live = live };
            await writer.StartAsync(ct);
            return writer;
        }
    }

    /// <summary>A table of entity <typeparamref name="T"/> with the given properties, in the order rows will give them.</summary>
    public Table For<T>(params string[] properties)
    {
        var entity = Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var tableName = entity.GetTableName()!;
        var store = StoreObjectIdentifier.Table(tableName, entity.GetSchema());
        var columns = new List<StoreColumn>();
        foreach (var name in properties)
        {
            // Complex types are found by their own property names (a line's terms) or by their column's (a document's currency and rate).
            var property = entity.GetFlattenedProperties().FirstOrDefault(p => p.Name == name)
                ?? entity.GetFlattenedProperties().FirstOrDefault(p => p.GetColumnName(store) == name)
                ?? throw new InvalidOperationException($"{typeof(T).Name}.{name} is not mapped.");
            columns.Add(StoreColumn.Of(property, store, Provider));
        }

        // Every other column must be nullable or a number whose natural default is 0 (flags are given explicitly: some default to true).
        var defaults = new List<(StoreColumn Column, object? Value)>();
        foreach (var property in entity.GetFlattenedProperties().Where(p => !properties.Contains(p.Name) && !properties.Contains(p.GetColumnName(store))))
        {
            var underlying = Nullable.GetUnderlyingType(property.ClrType);
            if (property.IsNullable)
            {
                defaults.Add((StoreColumn.Of(property, store, Provider), null));
            }
            else if (property.ClrType.IsValueType && underlying is null && property.ClrType != typeof(Guid) && !property.ClrType.IsEnum && property.ClrType != typeof(bool))
            {
                defaults.Add((StoreColumn.Of(property, store, Provider), Activator.CreateInstance(property.ClrType)));
            }
            else
            {
                throw new InvalidOperationException($"{typeof(T).Name}.{property.Name} is required and not generated.");
            }
        }

        var table = new Table(this, tableName, [.. columns, .. defaults.Select(d => d.Column)], defaults.Select(d => d.Value).ToArray());
        _tables.Add(table);
        return table;
    }

    /// <summary>Flushes every table and commits.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        foreach (var table in _tables)
        {
            await FlushAsync(table, ct);
        }

        await CommitAsync(ct);
        Progress(force: true);
    }

    /// <summary>Writes what is buffered, then rolls the transaction back: the database is as it was.</summary>
    public async Task FlushAndUndoAsync(CancellationToken ct)
    {
        foreach (var table in _tables)
        {
            await FlushAsync(table, ct);
        }

        await RollbackAsync(ct);
    }

    protected abstract Task RollbackAsync(CancellationToken ct);

    public abstract Task DropSecondaryIndexesAsync(IEnumerable<string> tables, CancellationToken ct);

    public abstract Task RebuildIndexesAsync(CancellationToken ct);

    /// <summary>One statement on the writer's connection (in its transaction while loading, on its own after).</summary>
    public abstract Task ExecAsync(string sql, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    protected abstract Task StartAsync(CancellationToken ct);

    protected abstract Task WriteAsync(Table table, List<object?[]> rows, CancellationToken ct);

    protected abstract Task CommitAsync(CancellationToken ct);

    private async Task FlushAsync(Table table, CancellationToken ct)
    {
        if (table.Buffer.Count == 0)
        {
            return;
        }

        await WriteAsync(table, table.Buffer, ct);
        table.Written += table.Buffer.Count;
        table.Buffer.Clear();
        Progress(force: false);
    }

    private void Progress(bool force)
    {
        if (!force && _clock.Elapsed - _lastProgress < TimeSpan.FromSeconds(3))
        {
            return;
        }

        _lastProgress = _clock.Elapsed;
        var total = TotalRows;
        var parts = string.Join(", ", _tables.Where(t => t.Written > 0).Select(t => $"{t.Name} {t.Written:N0}"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  [{_clock.Elapsed:mm\\:ss}] {total:N0} rows ({total / Math.Max(1, _clock.Elapsed.TotalSeconds):N0}/s): {parts}"));
    }

    /// <summary>Rows of one table, buffered and written in batches.</summary>
    public sealed class Table
    {
        private readonly BulkWriter _writer;
        private readonly object?[] _defaults;
        private readonly int _given;

        internal Table(BulkWriter writer, string name, StoreColumn[] columns, object?[] defaults)
        {
            _writer = writer;
            Name = name;
            Columns = columns;
            _defaults = defaults;
            _given = columns.Length - defaults.Length;
        }

        public string Name { get; }
        public StoreColumn[] Columns { get; }
        public long Written { get; internal set; }
        internal List<object?[]> Buffer { get; } = [];

        /// <summary>Adds a row: model (CLR) values in the order of the properties given to <see cref="For{T}"/>.</summary>
        public async ValueTask AddAsync(CancellationToken ct, params object?[] values)
        {
            if (values.Length != _given)
            {
                throw new ArgumentException($"{Name}: {values.Length} values for {_given} columns.", nameof(values));
            }

            var row = new object?[Columns.Length];
            for (var i = 0; i < _given; i++)
            {
                row[i] = Columns[i].ToProvider(values[i]);
            }

            for (var i = 0; i < _defaults.Length; i++)
            {
                row[_given + i] = Columns[_given + i].ToProvider(_defaults[i]);
            }

            Buffer.Add(row);
            if (Buffer.Count >= FlushRows)
            {
                await _writer.FlushAsync(this, ct);
            }
        }
    }

    private sealed class SqliteWriter(IModel model, string connectionString) : BulkWriter(model)
    {
        private readonly SqliteConnection _connection = new(connectionString);
        private readonly Dictionary<string, SqliteCommand> _inserts = new(StringComparer.Ordinal);
        private readonly List<string> _dropped = [];
        private SqliteTransaction? _transaction;

        protected override async Task StartAsync(CancellationToken ct)
        {
            await _connection.OpenAsync(ct);

            // The load is one writer on a fresh file: no journal, no fsync, a big page cache. WAL (the app's mode) is set back after.
            await ExecAsync(Live
                ? $"PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000; PRAGMA synchronous=FULL; PRAGMA cache_size=-{Kazan.Features.Import.ImportRunner.SqliteCacheMiB * 1024};"
                : "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA cache_size=-1000000; PRAGMA temp_store=MEMORY; PRAGMA foreign_keys=OFF;", ct);
            _transaction = _connection.BeginTransaction();
        }

        protected override DatabaseProvider Provider => DatabaseProvider.Sqlite;

        protected override Task WriteAsync(Table table, List<object?[]> rows, CancellationToken ct)
        {
            if (!_inserts.TryGetValue(table.Name, out var insert))
            {
                insert = _connection.CreateCommand();
                insert.Transaction = _transaction;
                insert.CommandText = $"INSERT INTO \"{table.Name}\" ({string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""))}) " +
                    $"VALUES ({string.Join(", ", table.Columns.Select((_, i) => $"@p{i}"))})";
                for (var i = 0; i < table.Columns.Length; i++)
                {
                    insert.Parameters.Add(new SqliteParameter($"@p{i}", null));
                }

                insert.Prepare();
                _inserts[table.Name] = insert;
            }

            foreach (var row in rows)
            {
                for (var i = 0; i < row.Length; i++)
                {
                    insert.Parameters[i].Value = row[i] ?? DBNull.Value;
                }

                insert.ExecuteNonQuery();
            }

            return Task.CompletedTask;
        }

        protected override async Task CommitAsync(CancellationToken ct)
        {
            await _transaction!.CommitAsync(ct);
            _transaction = _connection.BeginTransaction();
            foreach (var insert in _inserts.Values)
            {
                insert.Transaction = _transaction;
            }
        }

        protected override async Task RollbackAsync(CancellationToken ct)
        {
            await _transaction!.RollbackAsync(ct);
            _transaction = null;
        }

        public override async Task DropSecondaryIndexesAsync(IEnumerable<string> tables, CancellationToken ct)
        {
            var names = tables.ToHashSet(StringComparer.Ordinal);
            var indexes = new List<(string Name, string Sql)>();
            await using (var cmd = _connection.CreateCommand())
            {
                cmd.Transaction = _transaction;
                // The triggers too (the events' spans): the generator writes what they would, and they would probe dropped indexes per row.
                cmd.CommandText = "SELECT name, tbl_name, sql, type FROM sqlite_master WHERE type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type";
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    if (names.Contains(reader.GetString(1)))
                    {
                        indexes.Add((reader.GetString(0), reader.GetString(2)));
                    }
                }
            }

            foreach (var (name, sql) in indexes)
            {
                await ExecAsync(sql.StartsWith("CREATE TRIGGER", StringComparison.OrdinalIgnoreCase) ? $"DROP TRIGGER \"{name}\"" : $"DROP INDEX \"{name}\"", ct);
                _dropped.Add(sql);
            }
        }

        public override async Task RebuildIndexesAsync(CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            foreach (var sql in _dropped)
            {
                await ExecAsync(sql, ct);
            }

            await _transaction!.CommitAsync(ct);
            _transaction = null;
            await ExecAsync("PRAGMA journal_mode=WAL;", ct);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  rebuilt {_dropped.Count} indexes in {watch.Elapsed.TotalSeconds:N1} s"));
        }

        public override async ValueTask DisposeAsync()
        {
            foreach (var insert in _inserts.Values)
            {
                await insert.DisposeAsync();
            }

            if (_transaction is not null)
            {
                await _transaction.DisposeAsync();
            }

            await _connection.DisposeAsync();
        }

        public override async Task ExecAsync(string sql, CancellationToken ct)
        {
            await using var cmd = _connection.CreateCommand();
            cmd.Transaction = _transaction;
            cmd.CommandText = sql;
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private sealed class PostgresWriter(IModel model, string connectionString) : BulkWriter(model)
    {
        private readonly NpgsqlConnection _connection = new(connectionString);
        private readonly List<string> _enable = [];
        private readonly List<string> _dropped = [];
        private NpgsqlTransaction? _transaction;

        protected override async Task StartAsync(CancellationToken ct)
        {
            await _connection.OpenAsync(ct);
            _transaction = await _connection.BeginTransactionAsync(ct);

            // Rows are consistent by construction; skipping the per-row foreign key triggers is what pg_restore does too.
            if (!Live)
            {
                await ExecAsync("SET session_replication_role = replica", ct);
            }
        }

        protected override DatabaseProvider Provider => DatabaseProvider.Postgres;

        protected override async Task WriteAsync(Table table, List<object?[]> rows, CancellationToken ct)
        {
            var columns = string.Join(", ", table.Columns.Select(c => $"\"{c.Name}\""));
            await using var import = await _connection.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                await import.StartRowAsync(ct);
                for (var i = 0; i < row.Length; i++)
                {
                    if (row[i] is null)
                    {
                        await import.WriteNullAsync(ct);
                    }
                    else
                    {
                        await import.WriteAsync(row[i], table.Columns[i].StoreType, ct);
                    }
                }
            }

            await import.CompleteAsync(ct);
        }

        protected override async Task CommitAsync(CancellationToken ct)
        {
            await _transaction!.CommitAsync(ct);
            _transaction = await _connection.BeginTransactionAsync(ct);
        }

        protected override async Task RollbackAsync(CancellationToken ct)
        {
            await _transaction!.RollbackAsync(ct);
            _transaction = null;
        }

        public override async Task DropSecondaryIndexesAsync(IEnumerable<string> tables, CancellationToken ct)
        {
            var indexes = new List<(string Name, string Sql)>();
            await using (var cmd = new NpgsqlCommand(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(@t) AND indexname NOT LIKE 'PK\\_%'",
                _connection, _transaction))
            {
                cmd.Parameters.AddWithValue("t", tables.ToArray());
                await using var reader = await cmd.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    indexes.Add((reader.GetString(0), reader.GetString(1)));
                }
            }

            foreach (var (name, sql) in indexes)
            {
                await ExecAsync($"DROP INDEX \"{name}\"", ct);
                _dropped.Add(sql);
            }

            // The triggers (the events' spans) are off for the load: the generator writes what they would.
            foreach (var table in tables)
            {
                await ExecAsync($"ALTER TABLE \"{table}\" DISABLE TRIGGER USER", ct);
                _enable.Add($"ALTER TABLE \"{table}\" ENABLE TRIGGER USER");
            }
        }

        public override async Task RebuildIndexesAsync(CancellationToken ct)
        {
            var watch = Stopwatch.StartNew();
            await ExecAsync("SET maintenance_work_mem = '512MB'", ct);
            foreach (var sql in _dropped.Concat(_enable))
            {
                await ExecAsync(sql, ct);
            }

            await _transaction!.CommitAsync(ct);
            _transaction = null;

            // What autovacuum would do shortly after a bulk load: visibility map and planner statistics.
            await ExecAsync("VACUUM ANALYZE", ct);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  rebuilt {_dropped.Count} indexes and analyzed in {watch.Elapsed.TotalSeconds:N1} s"));
        }

        public override async ValueTask DisposeAsync()
        {
            if (_transaction is not null)
            {
                await _transaction.DisposeAsync();
            }

            await _connection.DisposeAsync();
        }

        public override async Task ExecAsync(string sql, CancellationToken ct)
        {
            await using var cmd = new NpgsqlCommand(sql, _connection, _transaction) { CommandTimeout = 0 };
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}

internal static class DbExtensions
{
    public static async Task<long> CountAsync(this DbConnection connection, string table, CancellationToken ct)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
