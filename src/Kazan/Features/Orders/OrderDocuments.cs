using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Pdf;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Orders;

/// <summary>
/// Order confirmation and delivery note PDFs, rendered on request from the stored order (they are not frozen like a
/// sent quote: the order itself is the record). Written in the organization's default language.
/// </summary>
public static class OrderDocuments
{
    public static async Task<byte[]> OrderConfirmationAsync(KazanDbContext db, Order order, OrganizationTime time, CancellationToken ct)
    {
        var parties = await PartiesAsync(db, order, ct);
        var quote = order.QuoteId is { } quoteId
            ? await db.Quotes.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).AsNoTracking().Where(q => q.Id == quoteId)
                .Select(q => new { q.Number, q.Revision }).FirstOrDefaultAsync(ct)
            : null;
        var owner = await db.Users.AsNoTracking().Where(u => u.Id == order.OwnerId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var rows = order.Lines.Select((l, i) => new PricedRow(
            i + 1, l.Description, l.EffectiveQuantity, l.Unit, l.UnitPrice, l.DiscountPercent, l.VatRate, l.NetAmount, l.CancelledQuantity)).ToList();
        return OrderPdf.Confirmation(new OrderConfirmationModel
        {
            Parties = parties,
            Number = order.Number,
            OrderDate = order.OrderDate,
            CustomerReference = order.CustomerReference,
            RequestedDeliveryDate = order.RequestedDeliveryDate,
            DeliveryAddress = order.DeliveryAddress,
            QuoteNumber = quote is null ? null : quote.Revision == 0 ? quote.Number : $"{quote.Number} / R{quote.Revision}",
            Currency = order.Currency.Code,
            ExchangeRate = order.Currency.Rate,
            DocumentDiscountPercent = order.DocumentDiscountPercent,
            Lines = rows,
            Totals = order.Totals(),
            Notes = order.Notes,
            IsCancelled = order.Status == OrderStatus.Cancelled,
            CancelReason = order.CancelReason,
            CancelledOn = order.CancelledAt is { } at ? time.DayOf(at) : null,
            OwnerName = owner,
            Timestamp = order.CreatedAt,
        });
    }

    public static async Task<byte[]> DeliveryNoteAsync(KazanDbContext db, Order order, Delivery delivery, CancellationToken ct)
    {
        var parties = await PartiesAsync(db, order, ct);
        var issuedBy = await db.Users.AsNoTracking().Where(u => u.Id == delivery.CreatedById).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var orderLines = order.Lines.ToDictionary(l => l.Id);
        var lines = delivery.Lines
            .Select(d => (Line: orderLines[d.OrderLineId], d.Quantity))
            .OrderBy(x => x.Line.Position)
            .Select((x, i) => new DeliveryNoteLine(i + 1, x.Line.Description, x.Quantity, x.Line.Unit))
            .ToList();
        return OrderPdf.DeliveryNote(new DeliveryNoteModel
        {
            Parties = parties,
            Kind = delivery.Kind,
            DocumentNumber = delivery.NoteNumber ?? DocumentNumber(order, delivery),
            Date = delivery.Date,
            OrderNumber = order.Number,
            OrderDate = order.OrderDate,
            CustomerReference = order.CustomerReference,
            DeliveryAddress = order.DeliveryAddress,
            Lines = lines,
            Note = delivery.Note,
            IssuedBy = issuedBy,
            Timestamp = delivery.CreatedAt,
        });
    }

    public static string DeliveryFileName(Order order, Delivery delivery) => $"{DocumentNumber(order, delivery)}.pdf";

    /// <summary>A delivery without a typed note number is named after its order and date: SIP-2026-00012-20260310.</summary>
    private static string DocumentNumber(Order order, Delivery delivery) => $"{order.Number}-{delivery.Date:yyyyMMdd}";

    private static async Task<OrderDocumentParties> PartiesAsync(KazanDbContext db, Order order, CancellationToken ct)
    {
        var org = await db.Organizations.AsNoTracking().FirstAsync(ct);

        // The customer and its contact print even when the rep who owns the order does not own the account (as on quotes).
        var account = await db.Accounts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).AsNoTracking().FirstAsync(a => a.Id == order.AccountId, ct);
        var contact = await db.OpportunityContacts.AsNoTracking().Where(c => c.OpportunityId == order.OpportunityId)
            .Join(db.Contacts.IgnoreQueryFilters([KazanDbContext.OwnerFilter]), oc => oc.ContactId, c => c.Id, (oc, c) => c.FirstName + " " + c.LastName)
            .FirstOrDefaultAsync(ct);
        return new OrderDocumentParties(
            new Letterhead(org.Name, org.Address, org.TaxOffice, org.TaxNumber, org.Phone, org.Email, org.Logo),
            new CustomerBlock(account.Name, account.Address, account.City, account.TaxOffice, account.TaxNumber, contact),
            org.DefaultCulture.StartsWith("tr", StringComparison.Ordinal) ? "tr" : "en",
            org.BaseCurrency);
    }
}
