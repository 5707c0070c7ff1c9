using Kazan.Features.Contacts;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Import;

/// <summary>
/// The import matches each batch's e-mail addresses to the organization's contacts. With a million contacts that must
/// be an index lookup per address, not a pass over every contact per batch of a thousand rows.
/// </summary>
public sealed class ImportLookupPlanTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Contacts_are_matched_by_e_mail_through_the_organization_and_e_mail_index()
    {
        var org = await factory.CreateOrganizationAsync("E-posta Plan A.Ş.");
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var query = ContactQueries.WithEmails(db, ["ayse@ornek.com.tr", "mehmet@ornek.com.tr"]);
            var plan = await QueryPlans.ExplainAsync(db, query, Ct);
            var text = string.Join("\n", plan);
            Assert.Contains("IX_Contacts_OrganizationId_Email", text, StringComparison.Ordinal);
            if (KazanFactory.UsePostgres)
            {
                Assert.Contains("Index Cond", text, StringComparison.Ordinal);
                Assert.DoesNotContain("Seq Scan on \"Contacts\"", text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains(plan, line => line.Contains("SEARCH", StringComparison.Ordinal)
                    && line.Contains("IX_Contacts_OrganizationId_Email (OrganizationId=? AND Email=?)", StringComparison.Ordinal));
                Assert.DoesNotContain(plan, line => line.StartsWith("SCAN", StringComparison.Ordinal) && line.Contains("Contacts", StringComparison.Ordinal));
            }
        }
    }
}
