using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Search;

/// <summary>A user's named list filter ("Bu ay kapanacaklarım"): the list's query string, per area.</summary>
public sealed class SavedFilter : ITenantEntity
{
    private SavedFilter()
    {
        Area = "";
        Name = "";
        Query = "";
    }

    public SavedFilter(Guid organizationId, Guid userId, string area, string name, string query) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        UserId = userId;
        Area = area;
        Name = name.Trim().Length is > 0 and <= 100 ? name.Trim() : throw new DomainRuleException("A filter name must be 1 to 100 characters.", "filter.name");
        Query = query.Length <= 2000 ? query : throw new DomainRuleException("The filter is too long.", "filter.query");
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>accounts, contacts or opportunities.</summary>
    public string Area { get; private set; }

    public string Name { get; private set; }
    public string Query { get; private set; }
}
