using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Infrastructure.Data;

/// <summary>
/// The one keyset condition every list uses: the rows after (<c>value</c>, <c>id</c>) in the order of a sort key with the
/// row's <c>Id</c> as tie-breaker, both ascending or both descending.
/// <para>
/// PostgreSQL cannot seek an index on (…, key, Id) with <c>key &gt; v OR (key = v AND Id &gt; id)</c>: it reads the index
/// from its start and filters (page 10 000 of 1M deals: 2.7 s on a loaded machine, 200 000 rows removed by the filter).
/// It gets a row-value comparison <c>(key, Id) &gt; (v, id)</c> instead, which is one index condition (1.2 ms).
/// SQLite keeps that OR form: its planner seeks it already (<c>SEARCH … (key&gt;?)</c>), while the form
/// <c>key &gt;= v AND (key &gt; v OR Id &gt; id)</c> made it start at the list's own filter on the same column
/// (<c>closeFrom</c>) and step through every earlier page (307 ms against 0.14 ms at 1M deals). See docs/performance.md,
/// "Keyset pages (issue 13)".
/// </para>
/// A nullable key is compared as SQL compares it: rows whose key is null are never "after" a value, so a list that shows
/// them must read them apart (as the activity list reads its undated tail).
/// </summary>
public static class Keyset
{
    private static readonly MethodInfo StringCompareTo = typeof(string).GetMethod(nameof(string.CompareTo), [typeof(string)])!;
    private static readonly MethodInfo GuidCompareTo = typeof(Guid).GetMethod(nameof(Guid.CompareTo), [typeof(Guid)])!;

    private static readonly MethodInfo RowGreaterThan = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.GreaterThan), [typeof(DbFunctions), typeof(ITuple), typeof(ITuple)])!;

    private static readonly MethodInfo RowLessThan = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
        nameof(NpgsqlDbFunctionsExtensions.LessThan), [typeof(DbFunctions), typeof(ITuple), typeof(ITuple)])!;

    /// <summary>
    /// The rows of <paramref name="query"/> that come after (<paramref name="value"/>, <paramref name="id"/>) when sorted by
    /// <paramref name="key"/> then <c>Id</c>, ascending, or descending when <paramref name="descending"/> (then "after" means
    /// smaller). The caller orders the rows the same way. <typeparamref name="T"/> must have a <c>Guid Id</c>.
    /// </summary>
    public static IQueryable<T> After<T, TKey>(
        this IQueryable<T> query, KazanDbContext db, Expression<Func<T, TKey>> key, TKey value, Guid id, bool descending = false) =>
        query.Where(Condition(key, value, id, descending, db.Database.IsNpgsql()));

    /// <summary>The condition <see cref="After"/> adds; <paramref name="rowValues"/> picks the PostgreSQL row-value form.</summary>
    public static Expression<Func<T, bool>> Condition<T, TKey>(Expression<Func<T, TKey>> key, TKey value, Guid id, bool descending, bool rowValues)
    {
        var row = key.Parameters[0];
        var rowKey = key.Body;
        var rowId = Expression.Property(row, typeof(T).GetProperty("Id", typeof(Guid))
            ?? throw new ArgumentException($"{typeof(T).Name} has no Guid Id to break ties with.", nameof(key)));

        // Read through closures, so EF Core sends them as parameters (one cached plan for every page).
        Expression<Func<TKey>> valueRef = () => value;
        Expression<Func<Guid>> idRef = () => id;
        var (v, last) = (valueRef.Body, idRef.Body);

        Expression body;
        if (rowValues)
        {
            var tuple = typeof(ValueTuple<TKey, Guid>).GetConstructor([typeof(TKey), typeof(Guid)])!;
            body = Expression.Call(
                descending ? RowLessThan : RowGreaterThan,
                Expression.Property(null, typeof(EF), nameof(EF.Functions)),
                Expression.Convert(Expression.New(tuple, rowKey, rowId), typeof(ITuple)),
                Expression.Convert(Expression.New(tuple, v, last), typeof(ITuple)));
        }
        else
        {
            // key > v OR (key = v AND Id > id); descending: key < v OR (key = v AND Id < id).
            var after = descending ? ExpressionType.LessThan : ExpressionType.GreaterThan;
            body = Expression.OrElse(
                Compare(rowKey, v, after),
                Expression.AndAlso(Compare(rowKey, v, ExpressionType.Equal), Compare(rowId, last, after)));
        }

        return Expression.Lambda<Func<T, bool>>(body, row);
    }

    /// <summary>
    /// <c>left op right</c>; strings and GUIDs ordered (no comparison operators in C#) as <c>left.CompareTo(right) op 0</c>,
    /// which EF Core translates to the plain SQL comparison.
    /// </summary>
    private static BinaryExpression Compare(Expression left, Expression right, ExpressionType op)
    {
        if (op != ExpressionType.Equal && (left.Type == typeof(string) || left.Type == typeof(Guid)))
        {
            var compareTo = left.Type == typeof(string) ? StringCompareTo : GuidCompareTo;
            return Expression.MakeBinary(op, Expression.Call(left, compareTo, right), Expression.Constant(0));
        }

        return Expression.MakeBinary(op, left, right);
    }
}
