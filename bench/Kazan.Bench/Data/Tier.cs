namespace Kazan.Bench.Data;

/// <summary>Data sizes. M is the size the performance goals are stated for; L is PostgreSQL only and run on demand.</summary>
public sealed record Tier(
    string Name, int Organizations, int Users, int Accounts, int Contacts, int Opportunities, double QuotedShare, int Products)
{
    public static readonly Tier S = new("S", 3, 30, 1_000, 3_000, 10_000, 0.4, 60);
    public static readonly Tier M = new("M", 5, 200, 100_000, 300_000, 1_000_000, 0.4, 400);
    public static readonly Tier L = new("L", 8, 600, 1_000_000, 3_000_000, 10_000_000, 0.4, 1_000);

    /// <summary>The share of every table that belongs to the first organization (a holding with most of the rows).</summary>
    public const double MainShare = 0.85;

    public static Tier Parse(string name) => name.ToUpperInvariant() switch
    {
        "S" => S,
        "M" => M,
        "L" => L,
        _ => throw new ArgumentException($"Unknown tier '{name}' (S, M or L).", nameof(name)),
    };

    /// <summary>How many of <paramref name="total"/> rows organization <paramref name="index"/> gets.</summary>
    public int ShareOf(int total, int index)
    {
        var main = (int)(total * MainShare);
        if (index == 0)
        {
            return main;
        }

        var rest = total - main;
        var each = rest / (Organizations - 1);
        return index == Organizations - 1 ? rest - (each * (Organizations - 2)) : each;
    }
}
