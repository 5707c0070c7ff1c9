using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Quotes;

/// <summary>
/// A link to the online quote (<c>/q/{token}</c>) that a customer opens without signing in. Only the SHA-256 of the
/// random token is stored, so the database cannot hand a link out again. A quote may have several links (one per
/// sending); each works for viewing until <see cref="ExpiresAt"/> (the quote's validity + 30 days) unless revoked.
/// Accepting follows the quote's own validity, not the link's.
/// </summary>
public sealed class QuoteLink : ITenantEntity
{
    /// <summary>How long after the quote's validity the customer may still open it (to see what was offered or decided).</summary>
    public const int ViewingGraceDays = 30;

    private QuoteLink()
    {
        TokenHash = "";
    }

    public QuoteLink(Guid organizationId, Guid quoteId, string tokenHash, DateTimeOffset now, DateTimeOffset expiresAt) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        QuoteId = quoteId;
        TokenHash = tokenHash;
        CreatedAt = now;
        ExpiresAt = expiresAt;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid QuoteId { get; private set; }
    public string TokenHash { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }

    public bool IsLive(DateTimeOffset now) => RevokedAt is null && now <= ExpiresAt;

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}
