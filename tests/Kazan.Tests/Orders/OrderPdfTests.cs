using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Pdf;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Orders;

/// <summary>
/// The order confirmation and delivery note PDFs, fetched through the API and read back with pdftotext as the
/// customer's viewer would: Turkish letters, Turkish money, the API's own totals, and no prices on a delivery note.
/// </summary>
public sealed class OrderPdfTests(KazanFactory factory)
{
    private const string CustomerName = "Gözde Çiçek Işıl Dağ Ürün İĞÜŞÖÇ A.Ş.";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => OrgToday;

    private static string Tr(DateOnly date) => date.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    /// <summary>Net 1.234,56 @20 % + 100,00 @10 % + 1.000,00 @1 %: VAT 266,91, total 2.601,47 ₺ (as the quote PDF test).</summary>
    private static object[] MixedLines() =>
    [
        Line("Endüstriyel ısı eşanjörü, paslanmaz çelik", 10m, 123.456m, vat: 20m),
        Line("Conta seti – ağır hizmet", 3m, 33.3333m, vat: 10m, unit: "kg"),
        Line("Yerinde devreye alma ve eğitim", 1m, 1000m, vat: 1m, unit: "gün"),
    ];

    private async Task<(TestOrganization Org, QuoteDto Quote, OrderDto Order)> OrderAsync(string culture = "tr-TR")
    {
        var org = await factory.CreateOrganizationAsync("Anadolu Endüstriyel Çözümler A.Ş.", culture);
        var account = await factory.AccountAsync(org, CustomerName);
        var opportunity = await factory.OpportunityAsync(org, account);
        var quote = await AcceptedQuoteAsync(org.Admin.Client, account, opportunity, MixedLines());
        var order = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new
        {
            quoteId = quote.Id,
            customerReference = "PO-ÇĞ-4711",
            requestedDeliveryDate = Today.AddDays(14),
            deliveryAddress = "Organize Sanayi Bölgesi 3. Cadde No: 5, Gebze / Kocaeli",
        }, Ct).OkAsync<OrderDto>();
        return (org, quote, order);
    }

    private static async Task<byte[]> PdfAsync(HttpClient client, string url, string? expectedFileName = null)
    {
        var response = await client.GetAsync(url, Ct);
        await response.EnsureSuccessAsync();
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        if (expectedFileName is not null)
        {
            Assert.Equal(expectedFileName, response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);
        }

        return await response.Content.ReadAsByteArrayAsync(Ct);
    }

    private static async Task<DeliveryResultDto> RecordAsync(HttpClient client, Guid orderId, string kind, string? noteNumber, params (Guid Line, decimal Quantity)[] lines) =>
        await client.PostAsJsonAsync($"/api/v1/orders/{orderId}/{kind}", new
        {
            noteNumber,
            note = "Forklift ile indirilecek; rampa 2.",
            lines = lines.Select(l => new { orderLineId = l.Line, quantity = l.Quantity }),
        }, Ct).OkAsync<DeliveryResultDto>();

    [Fact]
    public async Task The_order_confirmation_reads_in_Turkish_with_the_customer_PO_dates_lines_VAT_per_rate_and_the_APIs_totals()
    {
        var (org, quote, order) = await OrderAsync();

        var pdf = await PdfAsync(org.Admin.Client, $"/api/v1/orders/{order.Id}/pdf", order.Number + ".pdf");
        PdfTools.FirstPagePng(pdf, "order-confirmation-tr");
        var text = PdfTools.Text(pdf);

        Assert.Equal((2_334.56m, 266.91m, 2_601.47m), (order.NetTotal, order.VatTotal, order.GrandTotal));
        Assert.Contains("SİPARİŞ ONAYI", text, StringComparison.Ordinal);
        Assert.Contains("Anadolu Endüstriyel Çözümler A.Ş.", text, StringComparison.Ordinal);
        Assert.Contains(CustomerName, text, StringComparison.Ordinal);
        Assert.Matches($@"Sipariş No\s+{order.Number}", text);
        Assert.Matches($@"Sipariş Tarihi\s+{Regex.Escape(Tr(Today))}", text);
        Assert.Matches(@"Müşteri Sipariş No\s+PO-ÇĞ-4711", text);
        Assert.Matches($@"İstenen Teslim\s+{Regex.Escape(Tr(Today.AddDays(14)))}", text);
        Assert.Contains(quote.DisplayNumber, text, StringComparison.Ordinal);
        Assert.Contains("TESLİMAT ADRESİ", text, StringComparison.Ordinal);
        Assert.Contains("Organize Sanayi Bölgesi 3. Cadde No: 5, Gebze / Kocaeli", text, StringComparison.Ordinal);
        Assert.Matches(@"1\s+Endüstriyel ısı eşanjörü, paslanmaz çelik\s+10 adet\s+123,456 ₺\s+%20\s+1.234,56 ₺", text);
        Assert.Matches(@"2\s+Conta seti – ağır hizmet\s+3 kg\s+33,3333 ₺\s+%10\s+100,00 ₺", text);
        Assert.Matches(@"Ara Toplam\s+2.334,56 ₺", text);
        Assert.Matches(@"KDV %20\s+246,91 ₺", text);
        Assert.Matches(@"KDV %10\s+10,00 ₺", text);
        Assert.Matches(@"KDV %1\s+10,00 ₺", text);
        Assert.Matches(@"Genel Toplam\s+2.601,47 ₺", text);
        Assert.Contains("Yalnız: iki bin altı yüz bir Türk Lirası kırk yedi Kuruş", text, StringComparison.Ordinal);
        Assert.Contains("Sayfa 1 / 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("İptal", text, StringComparison.Ordinal); // nothing cancelled, no cancelled column
    }

    [Fact]
    public async Task A_delivery_note_shows_what_went_out_with_quantities_and_units_but_no_prices_and_a_return_note_says_it_is_a_return()
    {
        var (org, _, order) = await OrderAsync();
        var client = org.Admin.Client;
        var exchanger = order.Lines[0].Id;
        var seals = order.Lines[1].Id;
        var delivery = await RecordAsync(client, order.Id, "deliveries", "İRS-2026-0042", (exchanger, 4m), (seals, 1.5m));

        var pdf = await PdfAsync(client, $"/api/v1/orders/{order.Id}/deliveries/{delivery.Delivery.Id}/pdf");
        PdfTools.FirstPagePng(pdf, "delivery-note-tr");
        var text = PdfTools.Text(pdf);

        Assert.Contains("İRSALİYE", text, StringComparison.Ordinal);
        Assert.DoesNotContain("İADE", text, StringComparison.Ordinal);
        Assert.Matches(@"İrsaliye No\s+İRS-2026-0042", text);
        Assert.Matches($@"Sevk Tarihi\s+{Regex.Escape(Tr(Today))}", text);
        Assert.Matches($@"Sipariş No\s+{order.Number}", text);
        Assert.Matches(@"Müşteri Sipariş No\s+PO-ÇĞ-4711", text);
        Assert.Contains(CustomerName, text, StringComparison.Ordinal);
        Assert.Contains("Gebze / Kocaeli", text, StringComparison.Ordinal);
        Assert.Matches(@"1\s+Endüstriyel ısı eşanjörü, paslanmaz çelik\s+4\s+adet", text);
        Assert.Matches(@"2\s+Conta seti – ağır hizmet\s+1,5\s+kg", text);
        Assert.DoesNotContain("Yerinde devreye alma", text, StringComparison.Ordinal); // not on this delivery
        Assert.Contains("Forklift ile indirilecek; rampa 2.", text, StringComparison.Ordinal);
        Assert.Contains("Teslim eden", text, StringComparison.Ordinal);
        Assert.Contains("Teslim alan", text, StringComparison.Ordinal);

        // No money at all: no currency sign, no price, VAT or total wording, not even the line amounts.
        Assert.DoesNotContain("₺", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Fiyat", text, StringComparison.Ordinal);
        Assert.DoesNotContain("KDV", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Toplam", text, StringComparison.Ordinal);
        Assert.DoesNotContain("123,456", text, StringComparison.Ordinal);

        // A return without a typed number is named after the order and the date.
        var back = await RecordAsync(client, order.Id, "returns", null, (exchanger, 1m));
        var fallback = $"{order.Number}-{Today:yyyyMMdd}";
        var returnPdf = await PdfAsync(client, $"/api/v1/orders/{order.Id}/deliveries/{back.Delivery.Id}/pdf", fallback + ".pdf");
        PdfTools.FirstPagePng(returnPdf, "return-note-tr");
        var returnText = PdfTools.Text(returnPdf);
        Assert.Contains("İADE İRSALİYESİ", returnText, StringComparison.Ordinal);
        Assert.Matches($@"İrsaliye No\s+{fallback}", returnText);
        Assert.Matches($@"İade Tarihi\s+{Regex.Escape(Tr(Today))}", returnText);
        Assert.Matches(@"1\s+Endüstriyel ısı eşanjörü, paslanmaz çelik\s+1\s+adet", returnText);
        Assert.DoesNotContain("Conta seti", returnText, StringComparison.Ordinal);
        Assert.DoesNotContain("₺", returnText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelled_quantities_show_beside_what_remains_ordered_and_the_totals_are_the_orders_after_the_cancellation()
    {
        var (org, _, order) = await OrderAsync();
        var client = org.Admin.Client;
        await RecordAsync(client, order.Id, "deliveries", null, (order.Lines[0].Id, 4m));
        var cancelled = await client.PostWithEtagAsync($"/api/v1/orders/{order.Id}", "cancel", new { reason = "Müşteri kalan eşanjörleri iptal etti" }).OkAsync<OrderDto>();

        var pdf = await PdfAsync(client, $"/api/v1/orders/{order.Id}/pdf");
        PdfTools.FirstPagePng(pdf, "order-confirmation-cancelled-tr");
        var text = PdfTools.Text(pdf);

        // 4 of 10 exchangers delivered, the rest and both other lines cancelled: net 493,82 @20 %, total 592,58.
        Assert.Equal((493.82m, 98.76m, 592.58m), (cancelled.NetTotal, cancelled.VatTotal, cancelled.GrandTotal));
        Assert.Matches(@"Endüstriyel ısı eşanjörü, paslanmaz(\s+çelik)?\s+4 adet\s+6 adet\s+123,456 ₺\s+%20\s+493,82 ₺", text);
        Assert.Matches(@"Conta seti – ağır hizmet\s+0 kg\s+3 kg", text);
        Assert.Contains("İptal edilen miktarlar tutarlara dahil değildir.", text, StringComparison.Ordinal);
        Assert.Contains("Kalan Miktarların İptali", text, StringComparison.Ordinal);
        Assert.Contains("Müşteri kalan eşanjörleri iptal etti", text, StringComparison.Ordinal);
        Assert.Matches(@"Ara Toplam\s+493,82 ₺", text);
        Assert.Matches(@"Genel Toplam\s+592,58 ₺", text);
        Assert.DoesNotContain("KDV %10", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_English_organization_gets_an_English_order_confirmation_and_delivery_note()
    {
        var (org, _, order) = await OrderAsync("en-US");
        var delivery = await RecordAsync(org.Admin.Client, order.Id, "deliveries", "DN-7", (order.Lines[2].Id, 1m));

        var confirmation = await PdfAsync(org.Admin.Client, $"/api/v1/orders/{order.Id}/pdf");
        PdfTools.FirstPagePng(confirmation, "order-confirmation-en");
        var text = PdfTools.Text(confirmation);
        var note = PdfTools.Text(await PdfAsync(org.Admin.Client, $"/api/v1/orders/{order.Id}/deliveries/{delivery.Delivery.Id}/pdf"));

        Assert.Contains("ORDER CONFIRMATION", text, StringComparison.Ordinal);
        Assert.Matches(@"Your PO no\.\s+PO-ÇĞ-4711", text);
        Assert.Matches(@"Grand total\s+₺2,601\.47", text);
        Assert.Contains("Say: two thousand six hundred one Turkish lira and forty-seven kuruş", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SİPARİŞ", text, StringComparison.Ordinal);
        Assert.Contains("DELIVERY NOTE", note, StringComparison.Ordinal);
        Assert.Matches(@"Yerinde devreye alma ve eğitim\s+1\s+gün", note);
        Assert.Contains("Delivered by", note, StringComparison.Ordinal);
        Assert.Contains("Received by", note, StringComparison.Ordinal);
        Assert.DoesNotContain("₺", note, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_delivery_of_another_order_is_not_found_under_this_one()
    {
        var (org, _, order) = await OrderAsync();
        var other = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = order.AccountId,
            currency = "TRY",
            lines = new[] { Line("Vana", 1, 100m) },
        }, Ct).OkAsync<OrderDto>();
        var delivery = await RecordAsync(org.Admin.Client, other.Id, "deliveries", null, (other.Lines[0].Id, 1m));

        var response = await org.Admin.Client.GetAsync($"/api/v1/orders/{order.Id}/deliveries/{delivery.Delivery.Id}/pdf", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
