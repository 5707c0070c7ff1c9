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

            // On the API, the language the client asks for (Accept-Language) comes first: problem details, validation
            // messages and texts follow it. Elsewhere the signed-in user's choice wins, then the language cookie
            // (sign-in page), then the browser.
            // The online quote (/q/{token}) speaks the quote's language, whoever opens it.
            o.RequestCultureProviders =
            [
                new CustomRequestCultureProvider(OnlineQuoteCultureAsync),
                new CustomRequestCultureProvider(ctx => Task.FromResult(ctx.Request.Path.StartsWithSegments("/api") ? Asked(ctx) : null)),
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

    /// <summary>
    /// The first of Kazan's languages the Accept-Language header asks for, by quality: <c>tr</c>, <c>tr-TR</c> or
    /// <c>tr-CY</c> mean Turkish (tr-TR), any <c>en</c> English (en-US). Null without a header or a language Kazan speaks.
    /// </summary>
    public static ProviderCultureResult? Asked(HttpContext context)
    {
        var asked = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1)
            .Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant() switch { "tr" => "tr-TR", "en" => "en-US", _ => null })
            .FirstOrDefault(c => c is not null);
        return asked is null ? null : new ProviderCultureResult(asked);
    }

    private static async Task<ProviderCultureResult?> OnlineQuoteCultureAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/q", out var rest) || rest.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) is not [var token, ..])
        {
            return null;
        }

        var language = await Features.Quotes.QuoteLinkCommands.LanguageAsync(
            context.RequestServices.GetRequiredService<Data.KazanDbContext>(), token, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), context.RequestAborted);
        return language switch { "en" => new ProviderCultureResult("en-US"), "tr" => new ProviderCultureResult("tr-TR"), _ => null };
    }

    public static string CookieValue(string culture) => CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture));
}
