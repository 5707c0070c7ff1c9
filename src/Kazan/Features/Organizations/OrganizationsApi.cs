using System.ComponentModel.DataAnnotations;
using Kazan.Features.Users;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Organizations;

public sealed record OrganizationResponse(
    Guid Id, string Name, string BaseCurrency, string DefaultCulture, bool RepsSeeAll,
    string? Address, string? TaxOffice, string? TaxNumber, string? Phone, string? Email, int Version,
    string QuotePrefix, string OrderPrefix, int DocumentNumberDigits, int QuoteValidityDays, bool HasLogo, bool WinOnFirstOrder, string TimeZone);

public sealed record UpdateOrganizationRequest(
    [Required, StringLength(200, MinimumLength = 1)] string Name,
    [Required, StringLength(3, MinimumLength = 3)] string BaseCurrency,
    [Required, StringLength(10)] string DefaultCulture,
    bool RepsSeeAll,
    [StringLength(500)] string? Address,
    [StringLength(100)] string? TaxOffice,
    [StringLength(11)] string? TaxNumber,
    [StringLength(50)] string? Phone,
    [EmailAddress, StringLength(254)] string? Email,
    [StringLength(10)] string? QuotePrefix = null,
    [StringLength(10)] string? OrderPrefix = null,
    [Range(3, 10)] int? DocumentNumberDigits = null,
    [Range(1, 365)] int? QuoteValidityDays = null,
    bool? WinOnFirstOrder = null,
    [StringLength(64)] string? TimeZone = null);

public sealed record OnboardingResponse(Guid OrganizationId, Guid AdminId);

public sealed record MeResponse(Guid Id, string Email, string DisplayName, UserRole Role, Guid OrganizationId, string OrganizationName, string Culture, Guid? TeamId);

public static class OrganizationsApi
{
    public static IEndpointRouteBuilder MapOrganizations(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/onboarding", Onboard).WithTags("Onboarding").AllowAnonymous()
            .WithSummary("Create an organization and its first admin (fresh installation, or when sign-up is allowed).");

        // The settings page's upload form (antiforgery is validated for form-bound endpoints).
        app.MapPost("/settings/organization/logo", UploadLogoForm).RequireAuthorization(Policies.Admin).DisableAntiforgery().ExcludeFromDescription();

        var group = app.MapGroup("/api/v1").WithTags("Organization").RequireAuthorization(Policies.Member);
        group.MapGet("/me", GetMe).WithSummary("The signed-in user.");
        group.MapGet("/organization", GetOrganization).WithSummary("The caller's organization.");
        group.MapPut("/organization", UpdateOrganization).RequireAuthorization(Policies.Admin).WithSummary("Update the organization's settings (admin; If-Match required).");
        group.MapPut("/organization/logo", PutLogo).RequireAuthorization(Policies.Admin)
            .WithSummary("Upload the letterhead logo printed on quotes: the request body is the PNG or JPEG image (at most 512 KiB).");
        group.MapDelete("/organization/logo", DeleteLogo).RequireAuthorization(Policies.Admin).WithSummary("Remove the logo.");
        return app;
    }

    private static async Task<Results<Created<OnboardingResponse>, ValidationProblem, ProblemHttpResult>> Onboard(
        OnboardingRequest request, KazanDbContext db, UserManager<User> users, TimeProvider clock, IConfiguration configuration, CancellationToken ct)
    {
        if (!await OrganizationQueries.OnboardingIsOpenAsync(db, configuration, ct))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Onboarding is closed.",
                detail: "This installation already has an organization; ask its admin for an invitation.");
        }

        var outcome = await OrganizationCommands.OnboardAsync(db, users, clock, request);
        return outcome.Value is { } admin ? TypedResults.Created("/api/v1/organization", new OnboardingResponse(admin.OrganizationId, admin.Id))
            : outcome.Status == OutcomeStatus.Invalid ? ApiOutcomes.Invalid(outcome) : ApiOutcomes.Problem(outcome);
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMe(KazanDbContext db, CurrentUser me, CancellationToken ct)
    {
        var row = await db.Users.AsNoTracking().Where(u => u.Id == me.UserId)
            .Join(db.Organizations, u => u.OrganizationId, o => o.Id, (u, o) => new MeResponse(u.Id, u.Email!, u.DisplayName, u.Role, o.Id, o.Name, u.Culture, u.TeamId))
            .FirstOrDefaultAsync(ct);
        return row is null ? Problems.NotFound("User") : TypedResults.Ok(row);
    }

    private static async Task<Results<Ok<OrganizationResponse>, ProblemHttpResult>> GetOrganization(KazanDbContext db, HttpContext http, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstOrDefaultAsync(ct);
        if (org is null)
        {
            return Problems.NotFound("Organization");
        }

        ETags.Set(http, org.Version);
        return TypedResults.Ok(ToResponse(org));
    }

    private static async Task<Results<Ok<OrganizationResponse>, ValidationProblem, ProblemHttpResult>> UpdateOrganization(
        UpdateOrganizationRequest request, IfMatch ifMatch, KazanDbContext db, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await OrganizationCommands.UpdateSettingsAsync(db, http.RequestServices, ifMatch.Version, request, ct), http, ToResponse);

    private static OrganizationResponse ToResponse(Organization o) =>
        new(o.Id, o.Name, o.BaseCurrency, o.DefaultCulture, o.RepsSeeAll, o.Address, o.TaxOffice, o.TaxNumber, o.Phone, o.Email, o.Version,
            o.QuotePrefix, o.OrderPrefix, o.DocumentNumberDigits, o.QuoteValidityDays, o.Logo is not null, o.WinOnFirstOrder, o.TimeZone);

    private static async Task<Results<NoContent, ProblemHttpResult>> PutLogo(HttpContext http, KazanDbContext db, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, ct);
        return NoContent(await OrganizationCommands.SetLogoAsync(db, buffer.ToArray(), ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteLogo(KazanDbContext db, CancellationToken ct) =>
        NoContent(await OrganizationCommands.SetLogoAsync(db, null, ct));

    private static async Task<IResult> UploadLogoForm(IFormFile? logo, KazanDbContext db, HttpContext http, Microsoft.AspNetCore.Antiforgery.IAntiforgery antiforgery, CancellationToken ct)
    {
        await antiforgery.ValidateRequestAsync(http);
        if (logo is null || logo.Length == 0)
        {
            return Results.LocalRedirect("/settings/organization");
        }

        using var buffer = new MemoryStream();
        await logo.CopyToAsync(buffer, ct);
        var outcome = await OrganizationCommands.SetLogoAsync(db, buffer.ToArray(), ct);
        return Results.LocalRedirect(outcome.IsOk ? "/settings/organization" : "/settings/organization?logoError=1");
    }

    private static Results<NoContent, ProblemHttpResult> NoContent(Outcome<Organization> outcome) =>
        outcome.IsOk ? TypedResults.NoContent() : ApiOutcomes.Problem(outcome);
}
