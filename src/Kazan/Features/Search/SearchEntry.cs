using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Search;

/// <summary>
/// One folded word of a searchable record (see <see cref="Infrastructure.Text.TurkishText"/>). Searching is a prefix
/// range scan on (OrganizationId, Term): indexed on SQLite and PostgreSQL alike. Rows carry the record's owner so the
/// rep-visibility filter applies to search too. Maintained by the audit interceptor from <see cref="ISearchable"/>.
/// </summary>
public sealed class SearchEntry : IOwnedEntity
{
    private SearchEntry()
    {
        Term = "";
        EntityType = "";
    }

    public SearchEntry(Guid organizationId, Guid ownerId, string entityType, Guid entityId, string term)
    {
        OrganizationId = organizationId;
        OwnerId = ownerId;
        EntityType = entityType;
        EntityId = entityId;
        Term = term;
    }

    public Guid OrganizationId { get; private set; }
    public Guid OwnerId { get; private set; }
    public string EntityType { get; private set; }
    public Guid EntityId { get; private set; }
    public string Term { get; private set; }
}

/// <summary>A record found by the search box. <see cref="SearchProperties"/> name the mapped properties whose words are indexed.</summary>
public interface ISearchable : IOwnedEntity
{
    Guid Id { get; }

    static abstract string[] SearchProperties { get; }
}
