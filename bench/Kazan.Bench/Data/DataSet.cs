using System.Globalization;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Kazan.Bench.Data;

/// <summary>Creates an empty database, lets the application's own migrations make the schema, then loads the generated rows.</summary>
public static class DataSet
{
    public static async Task<bool> ExistsAsync(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            return File.Exists(new SqliteConnectionStringBuilder(connectionString).DataSource);
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database;
        builder.Database = "postgres";
        await using var c = new NpgsqlConnection(builder.ToString());
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @d", c);
        cmd.Parameters.AddWithValue("d", database!);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0;
    }

    public static async Task<Manifest> GenerateAsync(Options options, string connectionString)
    {
        await RecreateAsync(options.Db, connectionString);
        await MigrateAsync(options.Db, connectionString);

        Manifest manifest;
        await using (var writer = await BulkWriter.OpenAsync(options.Db, connectionString, CancellationToken.None))
        {
            manifest = await new Generator(options.Tier, options.Seed, writer).RunAsync();
        }

        manifest.Provider = options.Db.ToString();
        manifest.ConnectionString = connectionString;
        var sql = new Scenarios.HandSql(options.Db, connectionString);
        foreach (var table in new[] { "Organizations", "Users", "Accounts", "Contacts", "Opportunities", "OpportunityEvents", "Quotes", "QuoteLines", "SearchEntries", "Orders", "OrderLines", "Deliveries" })
        {
            manifest.TableRows[table] = await sql.ScalarAsync($"SELECT COUNT(*) FROM \"{table}\"", CancellationToken.None);
        }

        return manifest;
    }

    /// <summary>
    /// Brings the schema to the application's current migrations: an empty database gets every table, a reused data set
    /// gets what was added since it was generated (the migrations fill new tables from the rows already there).
    /// </summary>
    public static async Task MigrateAsync(DatabaseProvider db, string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = db.ToString(),
            ["ConnectionStrings:Kazan"] = connectionString,
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        services.AddScoped<CurrentUser>();
        services.AddKazanDatabase(configuration);
        await using var provider = services.BuildServiceProvider();
        await DatabaseSetup.MigrateAsync(provider);
    }

    private static async Task RecreateAsync(DatabaseProvider provider, string connectionString)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var path = new SqliteConnectionStringBuilder(connectionString).DataSource;
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }

            return;
        }

        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database!;
        builder.Database = "postgres";
        NpgsqlConnection.ClearAllPools();
        await using var c = new NpgsqlConnection(builder.ToString());
        await c.OpenAsync();
        await using (var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", c))
        {
            await drop.ExecuteNonQueryAsync();
        }

        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", c);
        await create.ExecuteNonQueryAsync();
    }
}
