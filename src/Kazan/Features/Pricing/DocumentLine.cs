using Kazan.Infrastructure.Errors;

namespace Kazan.Features.Pricing;

/// <summary>
/// The text checks every document line passes, on quotes and orders alike: a description and a unit of sensible
/// length (the figures are <see cref="LineTerms"/>). Messages name the line (1-based) so the editor can point at it.
/// </summary>
public static class DocumentLine
{
    public static string Description(int position, string text)
    {
        var description = text.Trim();
        return description.Length is > 0 and <= 2000 ? description
            : throw new DomainRuleException($"Line {position + 1}: a description of 1 to 2 000 characters is required.", "line.description") { Line = position + 1 };
    }

    public static string Unit(int position, string text)
    {
        var unit = text.Trim();
        return unit.Length is > 0 and <= 20 ? unit
            : throw new DomainRuleException($"Line {position + 1}: a unit of 1 to 20 characters is required.", "line.unit") { Line = position + 1 };
    }
}
