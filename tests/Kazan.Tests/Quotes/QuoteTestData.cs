using Kazan.Infrastructure.Commands;

namespace Kazan.Tests.Quotes;

/// <summary>Reading the outcome of a quote use case in tests.</summary>
public static class QuoteTestData
{
    /// <summary>The value of a use case the test expects to succeed (its failure fails the test with the reason).</summary>
    public static T Done<T>(this Outcome<T> outcome) =>
        outcome.IsOk ? outcome.Value! : throw new Xunit.Sdk.XunitException($"Expected success, got {outcome.Status}: {outcome.Rule?.Message} {string.Join("; ", outcome.Errors?.SelectMany(e => e.Value) ?? [])}");
}
