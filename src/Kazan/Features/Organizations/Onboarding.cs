using System.ComponentModel.DataAnnotations;
using Kazan.Features.Pipelines;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Organizations;

public sealed record OnboardingRequest(
    [Required, StringLength(200, MinimumLength = 1)] string OrganizationName,
    [Required, StringLength(3, MinimumLength = 3)] string BaseCurrency,
    [Required, StringLength(10)] string Culture,
    [Required, StringLength(100, MinimumLength = 1)] string AdminName,
    [Required, EmailAddress, StringLength(254)] string AdminEmail,
    [Required, StringLength(200, MinimumLength = 1)] string AdminPassword);

/// <summary>
/// Creates an organization with its first admin. Open on a fresh installation only, unless
/// <c>Kazan:AllowSignup</c> is true (a hosted installation where each company signs up itself).
/// There is never a default password: the admin chooses one here.
/// </summary>
public static class Onboarding
{
    public static async Task<bool> IsOpenAsync(KazanDbContext db, IConfiguration configuration, CancellationToken ct) =>
        configuration.GetValue("Kazan:AllowSignup", false) || !await db.Organizations.IgnoreQueryFilters().AnyAsync(ct);

    /// <summary>Returns the new admin, or field errors (nothing is saved then).</summary>
    public static async Task<(User? Admin, Dictionary<string, string[]> Errors)> CreateAsync(
        KazanDbContext db, UserManager<User> users, TimeProvider clock, OnboardingRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Currencies.IsKnown(request.BaseCurrency))
        {
            errors[nameof(request.BaseCurrency)] = [$"Unknown currency '{request.BaseCurrency}'."];
        }

        if (!Organization.SupportedCultures.Contains(request.Culture))
        {
            errors[nameof(request.Culture)] = [$"Culture must be one of {string.Join(", ", Organization.SupportedCultures)}."];
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var organization = new Organization(request.OrganizationName, request.BaseCurrency, request.Culture, clock.GetUtcNow());
        var admin = new User(organization.Id, request.AdminEmail, request.AdminName, UserRole.Admin, request.Culture);

        await using var tx = await db.Database.BeginTransactionAsync();
        db.Organizations.Add(organization);
        await db.SaveChangesAsync();
        var result = await users.CreateAsync(admin, request.AdminPassword);
        if (!result.Succeeded)
        {
            await tx.RollbackAsync();
            db.ChangeTracker.Clear();
            return (null, IdentityErrors(result, nameof(request.AdminPassword), nameof(request.AdminEmail)));
        }

        await OrganizationSeed.SeedAsync(db, organization);
        await tx.CommitAsync();
        return (admin, errors);
    }

    /// <summary>Maps Identity's errors onto request fields (password rules → password field, duplicate e-mail → e-mail field).</summary>
    public static Dictionary<string, string[]> IdentityErrors(IdentityResult result, string passwordField, string emailField) =>
        result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? passwordField
                : e.Code.Contains("Email", StringComparison.Ordinal) || e.Code.Contains("UserName", StringComparison.Ordinal) ? emailField : "$")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
}

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
