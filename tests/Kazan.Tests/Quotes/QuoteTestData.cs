using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Commands;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Quotes;

/// <summary>Accounts and opportunities for quote tests, written through the domain.</summary>
public static class QuoteTestData
{
    /// <summary>The value of a use case the test expects to succeed (its failure fails the test with the reason).</summary>
    public static T Done<T>(this Outcome<T> outcome) =>
        outcome.IsOk ? outcome.Value! : throw new Xunit.Sdk.XunitException($"Expected success, got {outcome.Status}: {outcome.Rule?.Message} {string.Join("; ", outcome.Errors?.SelectMany(e => e.Value) ?? [])}");

    public static async Task<Guid> AccountAsync(KazanFactory factory, TestOrganization org, string name = "Müşteri Çelik A.Ş.", Guid? ownerId = null)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var account = new Account(org.Id, ownerId ?? org.Admin.Id, AccountKind.Company, name, DateTimeOffset.UtcNow) { City = "İstanbul" };
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        }
    }

    public static async Task<Guid> OpportunityAsync(KazanFactory factory, TestOrganization org, Guid accountId, string currency = "TRY", decimal rate = 1m)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var pipeline = await db.Pipelines.SingleAsync(p => p.IsDefault);
            var opportunity = new Opportunity(org.Id, org.Admin.Id, accountId, pipeline.Stages[0], "Kompresör yenileme", 100_000m, currency, rate,
                DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30), org.Admin.Id, DateTimeOffset.UtcNow);
            db.Opportunities.Add(opportunity);
            await db.SaveChangesAsync();
            return opportunity.Id;
        }
    }
}
