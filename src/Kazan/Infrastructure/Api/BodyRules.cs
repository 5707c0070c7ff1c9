using System.Collections;
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Kazan.Infrastructure.Api;

/// <summary>
/// Rules every JSON request body meets, checked in one place for every endpoint as each object is read, so a handler
/// never sees what it has no meaning for; a breach is a 400 naming the field (<c>$.lines[0]</c>, <c>$.name</c>):
/// <list type="bullet">
/// <item>A list of objects has no <c>null</c> element (<c>"lines": [null]</c>). Lists of strings keep their nulls (an
/// import mapping's skipped column is one).</item>
/// <item>No text holds the NUL character (<c>\u0000</c>): PostgreSQL cannot store it, and no name or note needs it.</item>
/// </list>
/// </summary>
public static class BodyRules
{
    private static readonly ConcurrentDictionary<Type, Shape> Shapes = new();

    private enum Shape
    {
        Other,
        Text,
        TextList,
        ObjectList,
    }

    /// <summary>A contract modifier: adds the checks to the object contracts that have text or lists.</summary>
    public static void Apply(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object)
        {
            return;
        }

        var checkedProperties = info.Properties.Where(p => p.Get is not null).Select(p => (Property: p, Shape: ShapeOf(p.PropertyType)))
            .Where(p => p.Shape != Shape.Other).ToArray();
        if (checkedProperties.Length == 0)
        {
            return;
        }

        var previous = info.OnDeserialized;
        info.OnDeserialized = value =>
        {
            foreach (var (property, shape) in checkedProperties)
            {
                Check(property.Name, shape, property.Get!(value));
            }

            previous?.Invoke(value);
        };
    }

    private static void Check(string name, Shape shape, object? value)
    {
        if (value is string text)
        {
            RefuseNul(text, $"$.{name}");
            return;
        }

        if (value is not IEnumerable items)
        {
            return;
        }

        var index = 0;
        foreach (var item in items)
        {
            if (item is null && shape == Shape.ObjectList)
            {
                throw new BodyRuleException($"$.{name}[{index}]", "The element is null; send an object or leave the element out.");
            }

            if (item is string element)
            {
                RefuseNul(element, $"$.{name}[{index}]");
            }

            index++;
        }
    }

    private static void RefuseNul(string text, string field)
    {
        if (text.Contains('\0', StringComparison.Ordinal))
        {
            throw new BodyRuleException(field, "The text holds a NUL character (\\u0000), which cannot be stored.");
        }
    }

    private static Shape ShapeOf(Type type) => Shapes.GetOrAdd(type, static t =>
    {
        if (t == typeof(string))
        {
            return Shape.Text;
        }

        if (!typeof(IEnumerable).IsAssignableFrom(t))
        {
            return Shape.Other;
        }

        var element = t.IsArray ? t.GetElementType()
            : t.GetInterfaces().Append(t).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
        return element == typeof(string) ? Shape.TextList
            : element is { IsValueType: false } && element != typeof(object) ? Shape.ObjectList
            : Shape.Other;
    });
}

/// <summary>A breach of a <see cref="BodyRules"/> rule; <see cref="Field"/> names the value (the reader's path is where it stopped).</summary>
public sealed class BodyRuleException(string field, string message) : JsonException(message)
{
    public string Field { get; } = field;
}
