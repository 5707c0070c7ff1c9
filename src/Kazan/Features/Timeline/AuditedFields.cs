using System.Collections.Concurrent;
using System.Reflection;

namespace Kazan.Features.Timeline;

/// <summary>What kind of value an audited field holds, so the timeline writes it as people read it.</summary>
public enum AuditedFieldKind
{
    Text,
    Number,
    Money,
    Rate,
    Percent,
    Enum,
    Instant,
}

/// <summary>
/// The kind of an audited field, read once from the entity's property (audit rows name the entity type and the
/// property): enums are translated, amounts (<c>…Amount</c>, <c>…Total</c>, <c>…Net</c>, <c>…Price</c>) are money in
/// the record's currency, <c>ExchangeRate</c> a rate, probabilities, discounts and VAT rates percentages, and
/// <see cref="DateTimeOffset"/> instants are shown in the user's day.
/// </summary>
public static class AuditedFields
{
    private static readonly ConcurrentDictionary<(string Type, string Field), (AuditedFieldKind Kind, Type? Enum)> Cache = new();

    private static readonly Dictionary<string, Type> Entities = typeof(AuditedFields).Assembly.GetTypes()
        .Where(t => t.IsClass && !t.IsAbstract && t.Namespace?.StartsWith("Kazan.Features", StringComparison.Ordinal) == true
            && typeof(Infrastructure.Tenancy.ITenantEntity).IsAssignableFrom(t))
        .GroupBy(t => t.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    public static AuditedFieldKind KindOf(string entityType, string field) => Lookup(entityType, field).Kind;

    public static Type? EnumOf(string entityType, string field) => Lookup(entityType, field).Enum;

    private static (AuditedFieldKind Kind, Type? Enum) Lookup(string entityType, string field) => Cache.GetOrAdd((entityType, field), key =>
    {
        var property = Entities.TryGetValue(key.Type, out var type) ? type.GetProperty(key.Field, BindingFlags.Public | BindingFlags.Instance) : null;
        if (property is null)
        {
            return (AuditedFieldKind.Text, null);
        }

        var clr = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (clr.IsEnum)
        {
            return (AuditedFieldKind.Enum, clr);
        }

        if (clr == typeof(DateTimeOffset))
        {
            return (AuditedFieldKind.Instant, null);
        }

        if (clr == typeof(decimal) || clr == typeof(int))
        {
            var name = key.Field;
            return (name switch
            {
                "ExchangeRate" => AuditedFieldKind.Rate,
                _ when name.Contains("Probability", StringComparison.Ordinal) || name.Contains("Percent", StringComparison.Ordinal)
                    || name == "VatRate" => AuditedFieldKind.Percent,
                _ when clr == typeof(decimal) && (name.EndsWith("Amount", StringComparison.Ordinal) || name.EndsWith("Total", StringComparison.Ordinal)
                    || name.EndsWith("Net", StringComparison.Ordinal) || name.EndsWith("Price", StringComparison.Ordinal)) => AuditedFieldKind.Money,
                _ => AuditedFieldKind.Number,
            }, null);
        }

        return (AuditedFieldKind.Text, null);
    });
}
