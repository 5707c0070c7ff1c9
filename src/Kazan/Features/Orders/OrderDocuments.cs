using Kazan.Infrastructure.Data;

namespace Kazan.Features.Orders;

/// <summary>Order confirmation and delivery note PDFs (being built: see issue 5).</summary>
public static class OrderDocuments
{
    public static Task<byte[]> OrderConfirmationAsync(KazanDbContext db, Order order, CancellationToken ct) =>
        throw new NotSupportedException("Order PDFs are not built yet.");

    public static Task<byte[]> DeliveryNoteAsync(KazanDbContext db, Order order, Delivery delivery, CancellationToken ct) =>
        throw new NotSupportedException("Delivery note PDFs are not built yet.");

    public static string DeliveryFileName(Order order, Delivery delivery) => $"{order.Number}-{delivery.Date:yyyyMMdd}.pdf";
}
