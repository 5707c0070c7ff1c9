using Kazan.Infrastructure.Tenancy;

namespace Kazan.Features.Quotes;

/// <summary>
/// The exact PDF bytes of a sent quote. Written once when the quote is sent and never changed, so re-downloading it
/// returns the same document even after the letterhead, address or template change.
/// </summary>
public sealed class QuoteDocument : ITenantEntity
{
    private QuoteDocument()
    {
        Content = [];
        Sha256 = "";
    }

    public QuoteDocument(Guid organizationId, Guid quoteId, byte[] content, DateTimeOffset now) : this()
    {
        Id = Guid.CreateVersion7();
        OrganizationId = organizationId;
        QuoteId = quoteId;
        Content = content;
        Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid OrganizationId { get; private set; }
    public Guid QuoteId { get; private set; }
    public byte[] Content { get; private set; }
    public string Sha256 { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
}
