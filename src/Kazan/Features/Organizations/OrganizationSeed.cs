using Kazan.Features.Pipelines;
using Kazan.Infrastructure.Data;

namespace Kazan.Features.Organizations;

/// <summary>
/// What every new organization starts with: a default pipeline of five stages and a list of lost reasons, in the
/// organization's language. Admins change them at will.
/// </summary>
public static class OrganizationSeed
{
    public static async Task SeedAsync(KazanDbContext db, Organization organization)
    {
        var turkish = organization.DefaultCulture.StartsWith("tr", StringComparison.Ordinal);
        var pipeline = new Pipeline(organization.Id, turkish ? "Satış süreci" : "Sales pipeline", isDefault: true);
        var stages = turkish
            ? new[] { ("Yeni", 10, 14), ("Görüşme", 20, 14), ("İhtiyaç analizi", 40, 21), ("Teklif", 60, 14), ("Pazarlık", 80, 7) }
            : [("New", 10, 14), ("Contacted", 20, 14), ("Needs analysis", 40, 21), ("Proposal", 60, 14), ("Negotiation", 80, 7)];
        foreach (var (name, probability, rotting) in stages)
        {
            pipeline.AddStage(name, probability, rotting);
        }

        db.Pipelines.Add(pipeline);
        var reasons = turkish
            ? new[] { "Fiyat", "Rakip tercih edildi", "Bütçe yok", "Zamanlama", "İhtiyaç ortadan kalktı", "Yanıt alınamadı", "Diğer" }
            : ["Price", "Chose a competitor", "No budget", "Timing", "No longer needed", "No response", "Other"];
        db.LostReasons.AddRange(reasons.Select((r, i) => new LostReason(organization.Id, r, i)));
        await db.SaveChangesAsync();
    }
}
