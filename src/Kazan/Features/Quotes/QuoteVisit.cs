using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;

namespace Kazan.Features.Quotes;

/// <summary>
/// One request through an online quote link: a service scope of its own that acts as a visitor of the link's
/// organization (whoever is or is not signed in on the request), the link and its quote. Null from
/// <see cref="OpenAsync"/> is the one neutral answer for every unusable token.
/// </summary>
public sealed class QuoteVisit : IAsyncDisposable
{
    private readonly AsyncServiceScope _scope;

    private QuoteVisit(AsyncServiceScope scope, QuoteLink link, Quote quote, bool ownOrganization)
    {
        _scope = scope;
        Link = link;
        Quote = quote;
        OwnOrganization = ownOrganization;
        Db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        Time = scope.ServiceProvider.GetRequiredService<OrganizationTime>();
    }

    public QuoteLink Link { get; }
    public Quote Quote { get; }
    public KazanDbContext Db { get; }
    public OrganizationTime Time { get; }

    /// <summary>The request comes from a signed-in user of the quote's own organization (a rep previewing the link): not a customer view.</summary>
    public bool OwnOrganization { get; }

    public static async Task<QuoteVisit?> OpenAsync(HttpContext http, string? token, CancellationToken ct)
    {
        var services = http.RequestServices;
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        var link = await QuoteLinkCommands.FindAsync(services.GetRequiredService<KazanDbContext>(), token, now, ct);
        if (link is null)
        {
            return null;
        }

        var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var settings = await OrganizationSettingsCache.GetAsync(scope.ServiceProvider, link.OrganizationId);
        scope.ServiceProvider.GetRequiredService<CurrentUser>().SetVisitor(link.OrganizationId, settings.TimeZone);
        var quote = await QuoteLinkCommands.QuoteAsync(scope.ServiceProvider.GetRequiredService<KazanDbContext>(), link, ct);
        if (quote is null)
        {
            await scope.DisposeAsync();
            return null;
        }

        var me = services.GetRequiredService<CurrentUser>();
        return new QuoteVisit(scope, link, quote, me.IsAuthenticated && me.OrganizationId == link.OrganizationId);
    }

    /// <summary>Counts this request as a customer's view unless it is the organization's own user.</summary>
    public Task CountViewAsync(CancellationToken ct) => OwnOrganization ? Task.CompletedTask : QuoteLinkCommands.CountViewAsync(Db, Quote, Time.Now, ct);

    public Task<PublicQuote> ViewAsync(CancellationToken ct) => QuoteLinkCommands.ViewAsync(Db, Quote, Time, ct);

    /// <summary>The PDF as sent (byte-identical), or null if none is stored.</summary>
    public async Task<byte[]?> SentPdfAsync(CancellationToken ct) =>
        await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(
            Db.QuoteDocuments.Where(d => d.QuoteId == Quote.Id).Select(d => d.Content), ct);

    public ValueTask DisposeAsync() => _scope.DisposeAsync();
}
