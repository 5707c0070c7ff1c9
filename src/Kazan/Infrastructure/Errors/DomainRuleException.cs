namespace Kazan.Infrastructure.Errors;

/// <summary>
/// A business rule said no. The API answers 422 with this message; the UI shows the localized text <c>Rule.{code}</c>,
/// into which <see cref="Arguments"/> are placed ({0}, {1}, …), so a translated message keeps the numbers and names the
/// English one carries.
/// </summary>
public sealed class DomainRuleException(string message, string? code = null, params object?[] arguments) : Exception(message)
{
    /// <summary>A stable machine-readable code, e.g. "quote.not-draft".</summary>
    public string? Code { get; } = code;

    /// <summary>The values the rule's message names (quantities, limits, names), in the order the localized text uses them.</summary>
    public IReadOnlyList<object?> Arguments { get; } = arguments;

    /// <summary>The 1-based document line the rule is about, when it is about one ("Line 3: …").</summary>
    public int? Line { get; init; }
}

/// <summary>A record that does not exist or is not visible to the caller: the API answers 404 (never revealing which).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} not found.")
{
    public string What { get; } = what;
}
