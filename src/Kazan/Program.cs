using System.Text.Encodings.Web;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.Unicode;
using Kazan.Components;
using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Features.ApiTokens;
using Kazan.Features.Audit;
using Kazan.Features.Auth;
using Kazan.Features.Contacts;
using Kazan.Features.Import;
using Kazan.Features.Mail;
using Kazan.Features.Notifications;
using Kazan.Features.Opportunities;
using Kazan.Features.Orders;
using Kazan.Features.Organizations;
using Kazan.Features.Pipelines;
using Kazan.Features.Products;
using Kazan.Features.Quotes;
using Kazan.Features.Reports;
using Kazan.Features.Search;
using Kazan.Features.Targets;
using Kazan.Features.Timeline;
using Kazan.Features.Users;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Hosting;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Observability;
using Scalar.AspNetCore;

// "--demo" is Kazan's own switch: taken out before the host reads the command line, so it may stand anywhere.
var (demo, hostArgs) = Kazan.Features.Demo.DemoSignIn.Split(args);

// "backup <file>": a consistent copy of the SQLite database, then exit (Infrastructure/Data/BackupCommandLine.cs).
if (await BackupCommandLine.TryRunAsync(args))
{
    return;
}

var builder = WebApplication.CreateBuilder(hostArgs);
var config = builder.Configuration;

builder.Services.AddKazanDatabase(config);
builder.Services.AddKazanAuth(config, builder.Environment);
builder.Services.AddKazanProblems();
builder.Services.AddKazanRateLimits(config);
builder.Services.AddKazanLocalization();
builder.Services.AddKazanTelemetry(config);
builder.Services.AddKazanHealth();
builder.Services.AddKazanValidation();
// The API contract: decimals as decimals, problem schemas, ETag / If-Match / Idempotency-Key (Infrastructure/Api/OpenApiContract.cs).
builder.Services.AddOpenApi(OpenApiContract.Configure);
// A lost connection shows within seconds, not after SignalR's default 30 (wwwroot/js/start.js sets the browser side):
// the server pings every 4 s and the browser gives up on a silent server after 12 s.
builder.Services.AddRazorComponents().AddInteractiveServerComponents()
    .AddHubOptions(hub => hub.KeepAliveInterval = TimeSpan.FromSeconds(4));
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookiePolicy.For(builder.Environment));
builder.Services.AddKazanMail(config);
builder.Services.AddKazanPublicUrl(config, builder.Environment, demo);
builder.Services.AddKazanProxy(config);
builder.Services.AddKazanOutbox(config);
builder.Services.AddKazanImports();
ForgotPassword.AddForgotPassword(builder.Services);
QuoteExpiryReminders.Add(builder.Services);

// Turkish text must reach the page as characters (ğ, ş, ı), not as HTML entities.
builder.Services.AddSingleton(HtmlEncoder.Create(UnicodeRanges.All));
builder.Services.ConfigureHttpJsonOptions(o =>
{
    o.SerializerOptions.Converters.Add(new JsonStringEnumConverter());
    o.SerializerOptions.TypeInfoResolver = (o.SerializerOptions.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(BodyRules.Apply);
});

// Malformed JSON throws, so the exception handler can answer with a field-level problem (not an empty 400).
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = config.GetValue("Kazan:MaxRequestBodyBytes", 1_048_576L));

var app = builder.Build();

if (config.GetValue("Database:MigrateOnStartup", true))
{
    await DatabaseSetup.MigrateAsync(app.Services);
}

if (await PasswordResetCommandLine.TryRunAsync(app.Services, args))
{
    return;
}

if (demo)
{
    await Kazan.Features.Demo.DemoData.RunAsync(app.Services, signIn => app.Lifetime.ApplicationStarted.Register(() =>
        Console.WriteLine(signIn.Banner(app.Urls.Count > 0 ? app.Urls : ["http://localhost:5000"]))));
}

// First: the client's address and scheme as the trusted proxy saw them (Infrastructure/Hosting/ProxySetup.cs).
app.UseForwardedHeaders();
app.UseKazanSecurityHeaders();
app.UseExceptionHandler();
app.UseWhen(ctx => ctx.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
app.UseWhen(ctx => !ctx.Request.Path.StartsWithSegments("/api"), ui => ui.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true));
if (!app.Environment.IsDevelopment())
{
    // Sent only over HTTPS (the middleware skips plain HTTP and localhost).
    app.UseHsts();
}

app.UseHttpsOnly(app.Environment, app.Configuration);

app.UseAuthentication();
app.UseCurrentUser();
app.UseRequestLocalization();
app.UseRateLimiter();
app.UseAuthorization();
app.UseAntiforgery();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapStaticAssets().AllowAnonymous();
app.MapHealthChecks("/health").AllowAnonymous();
app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
// System fonts rather than Scalar's font CDN: the Content-Security-Policy allows no other site (Hosting/SecurityHeaders.cs).
app.MapScalarApiReference("/docs/api", o => o.WithTitle("Kazan API").WithOpenApiRoutePattern("/openapi/{documentName}.json").DisableDefaultFonts()).AllowAnonymous();

app.MapOrganizations();
app.MapUsers();
app.MapInvitations();
app.MapPasswords();
app.MapApiTokens();
app.MapAudit();
app.MapProducts();
app.MapQuotes();
app.MapMail();
app.MapQuoteLinks();
app.MapOrders();
app.MapActivities();
app.MapTimeline();
app.MapAccounts();
app.MapContacts();
app.MapSearch();
app.MapPipelines();
app.MapOpportunities();
app.MapBoard();
app.MapReports();
app.MapTargets();
app.MapSavedFilters();
app.MapNotifications();
app.MapImports();
app.MapImportForms();
app.MapAuthForms();

app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

await app.RunAsync();

/// <summary>Entry point; public so tests can host the app with WebApplicationFactory.</summary>
public partial class Program;
