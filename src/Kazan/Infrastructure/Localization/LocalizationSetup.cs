using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Localization;

namespace Kazan.Infrastructure.Localization;

public static class LocalizationSetup
{
    public static readonly string[] Cultures = ["tr-TR", "en-US"];
    public const string DefaultCulture = "tr-TR";

    public static IServiceCollection AddKazanLocalization(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(o =>
        {
            var cultures = Cultures.Select(Formats.Culture).ToList();
            o.DefaultRequestCulture = new RequestCulture(DefaultCulture);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.FallBackToParentCultures = true;
            o.FallBackToParentUICultures = true;

            // The signed-in user's choice wins, then the language cookie (sign-in page), then the browser.
            o.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(ctx =>
                {
                    var culture = ctx.User.FindFirst(KazanClaims.Culture)?.Value;
                    return Task.FromResult(culture is null ? null : new ProviderCultureResult(culture));
                }),
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    public static string CookieValue(string culture) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));
}
