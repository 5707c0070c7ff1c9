namespace Kazan.Infrastructure.Errors;

/// <summary>A business rule said no. The API answers 422 with this message; the UI shows it.</summary>
public sealed class DomainRuleException(string message, string? code = null) : Exception(message)
{
    /// <summary>A stable machine-readable code, e.g. "quote.not-draft".</summary>
    public string? Code { get; } = code;
}

/// <summary>A record that does not exist or is not visible to the caller: the API answers 404 (never revealing which).</summary>
public sealed class NotFoundException(string what) : Exception($"{what} not found.")
{
    public string What { get; } = what;
}
