using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Opportunities;

/// <summary>A contact involved in an opportunity (decision maker, buyer, …).</summary>
public sealed class OpportunityContact : ITenantEntity
{
    private OpportunityContact()
    {
    }

    public OpportunityContact(Guid organizationId, Guid opportunityId, Guid contactId, string? role = null)
    {
        OrganizationId = organizationId;
        OpportunityId = opportunityId;
        ContactId = contactId;
        Role = role;
    }

    public Guid OrganizationId { get; private set; }
    public Guid OpportunityId { get; private set; }
    public Guid ContactId { get; private set; }
    public string? Role { get; set; }
}
