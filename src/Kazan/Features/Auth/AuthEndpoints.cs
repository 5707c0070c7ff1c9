using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Auth;

/// <summary>Form posts of the UI shell (sign-out, language). Antiforgery is validated for form-bound endpoints.</summary>
public static class AuthEndpoints
{
    public static IEndpointRouteBuilder MapAuthForms(this IEndpointRouteBuilder app)
    {
        app.MapPost("/signout", SignOut).RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        app.MapPost("/culture", SetCulture).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Ends every session of the user, not only this browser's cookie: a new security stamp makes every cookie issued
    /// before (a copied one included) fail the per-request check on any instance, and open interactive pages end
    /// within 30 seconds (decision 0016).
    /// </summary>
    private static async Task<IResult> SignOut(SignInManager<User> signIn, UserManager<User> users, HttpContext http)
    {
        if (await users.GetUserAsync(http.User) is { } user)
        {
            await users.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return Results.LocalRedirect("/signin");
    }

    /// <summary>Remembers the language: on the user (so it follows them) and in a cookie (for the sign-in page).</summary>
    private static async Task<IResult> SetCulture(
        [FromForm] string culture, [FromForm] string? returnUrl, HttpContext http, KazanDbContext db, CurrentUser me,
        UserManager<User> users, SignInManager<User> signIn)
    {
        if (!LocalizationSetup.Cultures.Contains(culture))
        {
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsupported culture.");
        }

        http.Response.Cookies.Append(Microsoft.AspNetCore.Localization.CookieRequestCultureProvider.DefaultCookieName,
            LocalizationSetup.CookieValue(culture),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), HttpOnly = true, Secure = http.Request.IsHttps, SameSite = SameSiteMode.Lax, IsEssential = true });

        if (me.IsAuthenticated)
        {
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == me.UserId);
            if (user is not null)
            {
                user.Culture = culture;
                await users.UpdateAsync(user);
                await signIn.RefreshSignInAsync(user);
            }
        }

        return Results.LocalRedirect(Auth.SignIn.LocalUrl(returnUrl));
    }
}
