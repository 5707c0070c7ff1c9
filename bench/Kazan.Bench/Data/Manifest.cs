using System.Text.Json;

namespace Kazan.Bench.Data;

/// <summary>What the generator made and the scenarios need: organizations, callers' tokens, ids of the records measured.</summary>
public sealed class Manifest
{
    public string Tier { get; set; } = "";
    public int Seed { get; set; }
    public DateTimeOffset Anchor { get; set; }
    public string Provider { get; set; } = "";
    public string ConnectionString { get; set; } = "";
    public long Rows { get; set; }
    public double LoadSeconds { get; set; }
    public double IndexSeconds { get; set; }
    public Dictionary<string, long> TableRows { get; set; } = [];
    public List<OrganizationInfo> Organizations { get; set; } = [];

    public OrganizationInfo Main => Organizations[0];

    /// <summary>The organization with the fewest deals: the "small" side of the SQL-commands-per-request comparison.</summary>
    public OrganizationInfo Small => Organizations.MinBy(o => o.Opportunities)!;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Save(string path) => File.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static Manifest? Load(string path) => File.Exists(path) ? JsonSerializer.Deserialize<Manifest>(File.ReadAllText(path)) : null;
}

public sealed class OrganizationInfo
{
    public int Index { get; set; }
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public Guid AdminId { get; set; }

    /// <summary>The admin's API token (the generated database is a benchmark fixture; the secret is not one).</summary>
    public string Token { get; set; } = "";

    public int Users { get; set; }
    public int Accounts { get; set; }
    public int Contacts { get; set; }
    public int Opportunities { get; set; }
    public int Orders { get; set; }
    public Guid DefaultPipelineId { get; set; }
    public int DefaultPipelineStages { get; set; }
    public OpportunityInfo? Probe { get; set; }
    public Guid? Quote50Id { get; set; }
    public Guid? Quote500Id { get; set; }
}
