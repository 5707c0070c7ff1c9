using Kazan.Infrastructure.Commands;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Quotes;

/// <summary>Reading the outcome of a quote use case in tests.</summary>
public static class QuoteTestData
{
    /// <summary>The value of a use case the test expects to succeed (its failure fails the test with the reason).</summary>
    public static T Done<T>(this Outcome<T> outcome) =>
        outcome.IsOk ? outcome.Value! : throw new Xunit.Sdk.XunitException($"Expected success, got {outcome.Status}: {outcome.Rule?.Message} {string.Join("; ", outcome.Errors?.SelectMany(e => e.Value) ?? [])}");

    // The arranging helpers live in SalesData now; these forward for test files written before the move.
    public static Task<Guid> AccountAsync(KazanFactory factory, TestOrganization org, string name = "Müşteri Çelik A.Ş.", Guid? ownerId = null) =>
        factory.AccountAsync(org, name, ownerId);

    public static Task<Guid> OpportunityAsync(KazanFactory factory, TestOrganization org, Guid accountId, string currency = "TRY", decimal rate = 1m) =>
        factory.OpportunityAsync(org, accountId, currency: currency, rate: rate);
}
