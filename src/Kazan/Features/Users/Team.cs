using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Users;

/// <summary>A group of users (e.g. "İstanbul bölgesi"); reports and the board filter by team.</summary>
public sealed class Team : ITenantEntity, IVersioned
{
    private Team()
    {
        Name = "";
    }

    public Team(Guid organizationId, string name) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        Rename(name);
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public string Name { get; private set; }
    public int Version { get; private set; }

    public void Rename(string name)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100)
        {
            throw new DomainRuleException("A team name must be 1 to 100 characters.", "team.name");
        }

        Name = name;
    }
}
