namespace Kazan.Infrastructure.Localization;

/// <summary>
/// The number and date boxes of one interactive form that currently show an error (cascaded to them). The form saves
/// nothing while <see cref="Any"/> is true and lists <see cref="Messages"/> instead.
/// </summary>
public sealed class LiveInputs
{
    private readonly Dictionary<object, string> _problems = new(ReferenceEqualityComparer.Instance);

    public bool Any => _problems.Count > 0;

    public IReadOnlyCollection<string> Messages => _problems.Values;

    public void Set(object input, string message) => _problems[input] = message;

    public void Clear(object input) => _problems.Remove(input);
}
