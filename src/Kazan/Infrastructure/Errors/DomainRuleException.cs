namespace Kazan.Infrastructure.Errors;

/// <summary>A business rule said no. The API answers 422 with this message; the UI shows it.</summary>
public sealed class DomainRuleException(string message, string? code = null) : Exception(message)
{
    /// <summary>A stable machine-readable code, e.g. "quote.not-draft".</summary>
    public string? Code { get; } = code;
}
