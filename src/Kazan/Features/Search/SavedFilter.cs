using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Search;

/// <summary>A user's named list filter ("Bu ay kapanacaklarım"): the list's query string, per area. Only its user sees it.</summary>
public sealed class SavedFilter : ITenantEntity, IVersioned
{
    /// <summary>The lists that can save filters.</summary>
    public static readonly IReadOnlySet<string> Areas = new HashSet<string>(StringComparer.Ordinal) { "accounts", "contacts", "opportunities" };

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
        Area = Areas.Contains(area) ? area : throw new DomainRuleException($"Filters can be saved for {string.Join(", ", Areas)}.", "filter.area");
        Update(name, query);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid UserId { get; private set; }

    /// <summary>accounts, contacts or opportunities.</summary>
    public string Area { get; private set; }

    public string Name { get; private set; }

    /// <summary>The list's query string without the leading '?', e.g. <c>status=Open&amp;overdue=true</c>.</summary>
    public string Query { get; private set; }

    public int Version { get; private set; }

    public void Update(string name, string query)
    {
        name = name.Trim();
        query = query.Trim().TrimStart('?');
        Name = name.Length is > 0 and <= 100 ? name : throw new DomainRuleException("A filter name must be 1 to 100 characters.", "filter.name");
        Query = query.Length <= 2000 ? query : throw new DomainRuleException("The filter is too long.", "filter.query");
    }
}
