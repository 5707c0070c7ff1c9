using System.Text.RegularExpressions;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Kazan.Infrastructure.Commands;

/// <summary>
/// The one runner every command goes through. It turns what a user can cause — a broken rule thrown by an entity, a
/// concurrent change caught by the version token, a unique index that refuses a duplicate — into an
/// <see cref="Outcome{T}"/>, and leaves the DbContext clean after a failure so the page can render again from it.
/// Anything else is a bug and keeps propagating (500 on the API, logged).
/// </summary>
public static partial class UseCase
{
    /// <summary>
    /// The version of a caller that did not say which one it read (an API call without If-Match). The record is still
    /// looked up first, so a record the caller cannot see stays "not found"; then the outcome is VersionMissing.
    /// </summary>
    public const int VersionNotGiven = int.MinValue;

    /// <summary>The code of a value a unique index refused (a twin saved at the same moment, past the use case's own check).</summary>
    public const string ValueTakenCode = "value-taken";

    /// <summary>Runs a use case that loads, changes and saves on its own.</summary>
    public static async Task<Outcome<T>> RunAsync<T>(KazanDbContext db, Func<Task<Outcome<T>>> body)
    {
        try
        {
            return await body();
        }
        catch (DomainRuleException rule)
        {
            db.ChangeTracker.Clear();
            return Outcome.Broken(rule);
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return Outcome.Stale();
        }
        catch (DbUpdateException e) when (UniqueField(e) is { } field)
        {
            // A twin saved at the same moment: its check passed as ours did, and the unique index refused the second.
            db.ChangeTracker.Clear();
            return field == ExternalIds.Field
                ? Outcome.Invalid(field, "Another record of the organization already has this external id.", ExternalIds.TakenCode)
                : Outcome.Invalid(field, "A record with this value already exists.", ValueTakenCode);
        }
    }

    /// <summary>
    /// The change pipeline: load (not found → NotFound), compare the version the caller read (→ Stale), apply the
    /// entity's verb(s), save — all inside <see cref="RunAsync{T}"/>. <paramref name="change"/> may return a failure of
    /// its own (e.g. a field that names a record that does not exist); nothing is saved then. A null
    /// <paramref name="expectedVersion"/> is for the few use cases documented as safe without one (the entity re-checks
    /// its rules on the fresh row, e.g. a delivery); the API decides which may omit If-Match.
    /// </summary>
    public static Task<Outcome<TEntity>> ChangeAsync<TEntity>(
        KazanDbContext db, Func<Task<TEntity?>> load, string what, int? expectedVersion, Func<TEntity, Task<Failure?>> change, CancellationToken ct)
        where TEntity : class, IVersioned => RunAsync<TEntity>(db, async () =>
        {
            var entity = await load();
            if (entity is null)
            {
                return Outcome.NotFound(what);
            }

            if (expectedVersion == VersionNotGiven)
            {
                return Outcome.VersionMissing();
            }

            if (expectedVersion is { } expected)
            {
                if (entity.Version != expected)
                {
                    return Outcome.Stale();
                }

                // The stored version must still be the one read when the row is written (a change in between → Stale).
                db.ExpectVersion(entity, expected);
            }

            if (await change(entity) is { } failure)
            {
                db.ChangeTracker.Clear();
                return failure;
            }

            await db.SaveChangesAsync(ct);
            return entity;
        });

    /// <summary><see cref="ChangeAsync{TEntity}(KazanDbContext, Func{Task{TEntity}}, string, int?, Func{TEntity, Task{Failure?}}, CancellationToken)"/> for a plain entity verb.</summary>
    public static Task<Outcome<TEntity>> ChangeAsync<TEntity>(
        KazanDbContext db, Func<Task<TEntity?>> load, string what, int? expectedVersion, Action<TEntity> change, CancellationToken ct)
        where TEntity : class, IVersioned => ChangeAsync(db, load, what, expectedVersion, entity =>
        {
            change(entity);
            return Task.FromResult<Failure?>(null);
        }, ct);

    /// <summary>
    /// The field a unique index refused, from the provider's error (SQLite names the columns, PostgreSQL the index):
    /// the last column of the index, without the "Key" suffix of folded name keys, in camelCase ("NameKey" → "name").
    /// Null when the failure is not a unique violation.
    /// </summary>
    public static string? UniqueField(DbUpdateException e)
    {
        string? column = e.InnerException switch
        {
            SqliteException { SqliteErrorCode: 19, SqliteExtendedErrorCode: 2067 } s => SqliteColumns().Match(s.Message) is { Success: true } m ? m.Groups["column"].Value : "$",
            PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p => p.ConstraintName?.Split('_')[^1] ?? "$",
            _ => null,
        };
        if (column is null or "$")
        {
            return column;
        }

        if (column.Length > 3 && column.EndsWith("Key", StringComparison.Ordinal))
        {
            column = column[..^3];
        }

        return char.ToLowerInvariant(column[0]) + column[1..];
    }

    [GeneratedRegex(@"UNIQUE constraint failed: (?:[^,]+, )*\w+\.(?<column>\w+)'?\.?$")]
    private static partial Regex SqliteColumns();
}
