namespace Kazan.Infrastructure.Pdf;

/// <summary>
/// The fixed wording every priced Kazan document (quote, order confirmation, delivery note) shares, in the document's
/// language. Document template text, not UI strings: a document is written in its own language, whoever prints it.
/// </summary>
public sealed record DocumentWords(
    string Customer, string Date, string Currency, string ExchangeRate, string PreparedBy, string ColNo, string ColDescription,
    string ColQuantity, string ColUnit, string ColUnitPrice, string ColDiscount, string ColVat, string ColNet, string ColCancelled,
    string DocumentDiscountNote, string CancelledNote, string Gross, string Discount, string Net, string Vat, string GrandTotal, string InWords,
    string CustomerApproval, string StampAndSignature)
{
    public static readonly DocumentWords Tr = new(
        Customer: "MÜŞTERİ",
        Date: "Tarih",
        Currency: "Para Birimi",
        ExchangeRate: "Kur",
        PreparedBy: "Hazırlayan",
        ColNo: "No",
        ColDescription: "Açıklama",
        ColQuantity: "Miktar",
        ColUnit: "Birim",
        ColUnitPrice: "Birim Fiyat",
        ColDiscount: "İsk.",
        ColVat: "KDV",
        ColNet: "Tutar",
        ColCancelled: "İptal",
        DocumentDiscountNote: "Satır tutarlarına {0} genel iskonto uygulanmıştır.",
        CancelledNote: "İptal edilen miktarlar tutarlara dahil değildir.",
        Gross: "Brüt Toplam",
        Discount: "İskonto",
        Net: "Ara Toplam",
        Vat: "KDV",
        GrandTotal: "Genel Toplam",
        InWords: "Yalnız",
        CustomerApproval: "Müşteri Onayı",
        StampAndSignature: "Kaşe / İmza / Tarih");

    public static readonly DocumentWords En = new(
        Customer: "CUSTOMER",
        Date: "Date",
        Currency: "Currency",
        ExchangeRate: "Exchange rate",
        PreparedBy: "Prepared by",
        ColNo: "No.",
        ColDescription: "Description",
        ColQuantity: "Quantity",
        ColUnit: "Unit",
        ColUnitPrice: "Unit price",
        ColDiscount: "Disc.",
        ColVat: "VAT",
        ColNet: "Amount",
        ColCancelled: "Cancelled",
        DocumentDiscountNote: "Line amounts include a general discount of {0}.",
        CancelledNote: "Cancelled quantities are not included in the amounts.",
        Gross: "Gross total",
        Discount: "Discount",
        Net: "Subtotal",
        Vat: "VAT",
        GrandTotal: "Grand total",
        InWords: "Say",
        CustomerApproval: "Customer approval",
        StampAndSignature: "Stamp / Signature / Date");

    public static DocumentWords For(string language) => PdfText.IsTurkish(language) ? Tr : En;
}
