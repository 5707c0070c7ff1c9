using Kazan.Features.Pricing;
using Kazan.Infrastructure.Pdf;
using PdfSharp.Drawing;

namespace Kazan.Features.Orders;

/// <summary>Who issues an order document and to whom, in which language (tr or en).</summary>
public sealed record OrderDocumentParties(Letterhead Organization, CustomerBlock Customer, string Language, string BaseCurrency);

/// <summary>
/// Everything an order confirmation shows: <see cref="OrderPdf.Confirmation"/> reads only this, so the same model
/// always gives the same bytes. Line figures and totals are the order's own (<see cref="Order.Totals"/>, <see cref="OrderLine.NetAmount"/>).
/// </summary>
public sealed record OrderConfirmationModel
{
    public required OrderDocumentParties Parties { get; init; }
    public required string Number { get; init; }
    public required DateOnly OrderDate { get; init; }
    public string? CustomerReference { get; init; }
    public DateOnly? RequestedDeliveryDate { get; init; }
    public string? DeliveryAddress { get; init; }

    /// <summary>The accepted quote the order came from (TKL-2026-00042 / R1), if any.</summary>
    public string? QuoteNumber { get; init; }

    public required string Currency { get; init; }
    public required decimal ExchangeRate { get; init; }
    public decimal DocumentDiscountPercent { get; init; }

    /// <summary>Per line the quantity still ordered (not cancelled), what was cancelled, and the net of the former.</summary>
    public required IReadOnlyList<PricedRow> Lines { get; init; }

    public required DocumentTotals Totals { get; init; }
    public string? Notes { get; init; }
    public required bool IsCancelled { get; init; }
    public string? CancelReason { get; init; }
    public DateOnly? CancelledOn { get; init; }
    public required string OwnerName { get; init; }

    /// <summary>The PDF's creation date: when the order was written. Never the clock.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>One line of a delivery note: what went out (or came back), with no price.</summary>
public sealed record DeliveryNoteLine(int No, string Description, decimal Quantity, string Unit);

/// <summary>Everything a delivery (or return) note shows.</summary>
public sealed record DeliveryNoteModel
{
    public required OrderDocumentParties Parties { get; init; }
    public required DeliveryKind Kind { get; init; }

    /// <summary>The delivery-note number typed when recording it, else the order number and the date.</summary>
    public required string DocumentNumber { get; init; }

    public required DateOnly Date { get; init; }
    public required string OrderNumber { get; init; }
    public required DateOnly OrderDate { get; init; }
    public string? CustomerReference { get; init; }
    public string? DeliveryAddress { get; init; }
    public required IReadOnlyList<DeliveryNoteLine> Lines { get; init; }
    public string? Note { get; init; }

    /// <summary>Who recorded it in Kazan.</summary>
    public required string IssuedBy { get; init; }

    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>
/// Renders the order confirmation (SİPARİŞ ONAYI) and the delivery note (İRSALİYE, or İADE İRSALİYESİ for a return)
/// with the blocks quotes use: letterhead, customer and details, line table, totals in figures and words, signatures.
/// A delivery note carries quantities and units only: it travels with the goods, prices stay off it.
/// </summary>
public static class OrderPdf
{
    public static byte[] Confirmation(OrderConfirmationModel model)
    {
        var lang = model.Parties.Language;
        var t = Labels.For(lang);
        var w = DocumentWords.For(lang);
        using var page = new PdfComposer(lang, $"{t.ConfirmationTitle} {model.Number}", model.Parties.Organization.Name, model.IsCancelled ? t.CancelledMark : null);
        page.ContinuationHeader = p => p.DrawRunningHeader(model.Parties.Organization.Name, $"{t.ConfirmationTitle}  {model.Number}");

        page.DrawLetterhead(model.Parties.Organization);
        var details = new List<(string, string)> { (t.OrderNumber, model.Number), (t.OrderDate, PdfText.Date(model.OrderDate, lang)) };
        if (model.CustomerReference is { } reference)
        {
            details.Add((t.CustomerReference, reference));
        }

        if (model.RequestedDeliveryDate is { } requested)
        {
            details.Add((t.RequestedDelivery, PdfText.Date(requested, lang)));
        }

        if (model.QuoteNumber is { } quote)
        {
            details.Add((t.QuoteNumber, quote));
        }

        details.AddRange(DocumentBlocks.CurrencyDetails(model.Currency, model.Parties.BaseCurrency, model.ExchangeRate, w, lang));
        details.Add((w.PreparedBy, model.OwnerName));
        page.DrawTitleAndParties(t.ConfirmationTitle, w.Customer, model.Parties.Customer, details, 92, 0.5);
        if (model.DeliveryAddress is { } address)
        {
            page.DrawBox(t.DeliveryAddress, address);
        }

        page.Paragraph(t.ConfirmationIntro, PdfFonts.Regular(8.5));
        page.Y += 6;
        PricedLineTable.Draw(page, model.Lines, model.Currency, model.DocumentDiscountPercent, w);
        page.DrawAmounts(model.Totals, model.Currency, w);

        if (model.CancelReason is { } reason)
        {
            var when = model.CancelledOn is { } on ? PdfText.Date(on, lang) : "";
            page.DrawSection(model.IsCancelled ? t.Cancelled : t.RemainderCancelled, string.Format(t.Culture, t.CancelSentence, when, reason));
        }

        page.DrawSection(t.Notes, model.Notes);
        page.DrawSignatures(
            new DocumentBlocks.SignatureBox(w.PreparedBy, [model.OwnerName, model.Parties.Organization.Name], null),
            new DocumentBlocks.SignatureBox(w.CustomerApproval, [], w.StampAndSignature));

        var footer = $"{model.Parties.Organization.Name}  ·  {t.ConfirmationTitle} {model.Number}" + (model.IsCancelled ? $"  ·  {t.CancelledMark}" : "");
        return page.Finish(model.Timestamp, footer);
    }

    public static byte[] DeliveryNote(DeliveryNoteModel model)
    {
        var lang = model.Parties.Language;
        var t = Labels.For(lang);
        var w = DocumentWords.For(lang);
        var isReturn = model.Kind == DeliveryKind.Return;
        var title = isReturn ? t.ReturnTitle : t.DeliveryTitle;
        using var page = new PdfComposer(lang, $"{title} {model.DocumentNumber}", model.Parties.Organization.Name);
        page.ContinuationHeader = p => p.DrawRunningHeader(model.Parties.Organization.Name, $"{title}  {model.DocumentNumber}");

        page.DrawLetterhead(model.Parties.Organization);
        var details = new List<(string, string)>
        {
            (t.NoteNumber, model.DocumentNumber),
            (isReturn ? t.ReturnDate : t.DeliveryDate, PdfText.Date(model.Date, lang)),
            (t.OrderNumber, model.OrderNumber),
            (t.OrderDate, PdfText.Date(model.OrderDate, lang)),
        };
        if (model.CustomerReference is { } reference)
        {
            details.Add((t.CustomerReference, reference));
        }

        details.Add((t.IssuedBy, model.IssuedBy));
        page.DrawTitleAndParties(title, w.Customer, model.Parties.Customer, details, 92, 0.5);
        if (model.DeliveryAddress is { } address)
        {
            page.DrawBox(t.DeliveryAddress, address);
        }

        page.Paragraph(isReturn ? t.ReturnIntro : t.DeliveryIntro, PdfFonts.Regular(8.5));
        page.Y += 6;
        var table = new PdfTable(page,
            [new(w.ColNo, 24, XStringAlignment.Far), new(w.ColDescription, 0), new(w.ColQuantity, 80, XStringAlignment.Far), new(w.ColUnit, 70)],
            PdfFonts.Bold(8), PdfFonts.Regular(8.5));
        table.Begin();
        foreach (var line in model.Lines)
        {
            table.Row([line.No.ToString(t.Culture), line.Description, PdfText.Quantity(line.Quantity, lang), line.Unit]);
        }

        page.Y += 12;
        page.DrawSection(t.Note, model.Note);

        // Who hands the goods over signs left: the seller for a delivery, the customer for a return.
        var seller = new DocumentBlocks.SignatureBox(isReturn ? t.ReceivedBy : t.DeliveredBy, [model.Parties.Organization.Name], t.SignHere);
        var customer = new DocumentBlocks.SignatureBox(isReturn ? t.DeliveredBy : t.ReceivedBy, [model.Parties.Customer.Name], t.SignHere);
        page.DrawSignatures(isReturn ? customer : seller, isReturn ? seller : customer);

        return page.Finish(model.Timestamp, $"{model.Parties.Organization.Name}  ·  {title} {model.DocumentNumber}");
    }

    /// <summary>The order documents' own wording in their two languages (the shared words are in <see cref="DocumentWords"/>).</summary>
    private sealed record Labels(
        System.Globalization.CultureInfo Culture, string ConfirmationTitle, string CancelledMark, string OrderNumber, string OrderDate, string CustomerReference,
        string RequestedDelivery, string QuoteNumber, string DeliveryAddress, string ConfirmationIntro, string Cancelled, string RemainderCancelled,
        string CancelSentence, string Notes, string DeliveryTitle, string ReturnTitle, string NoteNumber, string DeliveryDate, string ReturnDate,
        string IssuedBy, string DeliveryIntro, string ReturnIntro, string Note, string DeliveredBy, string ReceivedBy, string SignHere)
    {
        private static readonly Labels Tr = new(
            Culture: PdfText.Culture("tr"),
            ConfirmationTitle: "SİPARİŞ ONAYI",
            CancelledMark: "İPTAL",
            OrderNumber: "Sipariş No",
            OrderDate: "Sipariş Tarihi",
            CustomerReference: "Müşteri Sipariş No",
            RequestedDelivery: "İstenen Teslim",
            QuoteNumber: "Teklif No",
            DeliveryAddress: "TESLİMAT ADRESİ",
            ConfirmationIntro: "Siparişiniz için teşekkür ederiz. Aşağıdaki siparişinizi onaylarız.",
            Cancelled: "Sipariş İptali",
            RemainderCancelled: "Kalan Miktarların İptali",
            CancelSentence: "{0} tarihinde teslim edilmemiş miktarlar iptal edilmiştir. Neden: {1}",
            Notes: "Notlar",
            DeliveryTitle: "İRSALİYE",
            ReturnTitle: "İADE İRSALİYESİ",
            NoteNumber: "İrsaliye No",
            DeliveryDate: "Sevk Tarihi",
            ReturnDate: "İade Tarihi",
            IssuedBy: "Düzenleyen",
            DeliveryIntro: "Aşağıdaki mallar sağlam ve eksiksiz olarak teslim edilmiştir.",
            ReturnIntro: "Aşağıdaki mallar iade olarak teslim alınmıştır.",
            Note: "Not",
            DeliveredBy: "Teslim eden",
            ReceivedBy: "Teslim alan",
            SignHere: "Ad Soyad / İmza / Tarih");

        private static readonly Labels En = new(
            Culture: PdfText.Culture("en"),
            ConfirmationTitle: "ORDER CONFIRMATION",
            CancelledMark: "CANCELLED",
            OrderNumber: "Order no.",
            OrderDate: "Order date",
            CustomerReference: "Your PO no.",
            RequestedDelivery: "Requested delivery",
            QuoteNumber: "Quote no.",
            DeliveryAddress: "DELIVERY ADDRESS",
            ConfirmationIntro: "Thank you for your order. We confirm it as follows.",
            Cancelled: "Order cancelled",
            RemainderCancelled: "Remaining quantities cancelled",
            CancelSentence: "The undelivered quantities were cancelled on {0}. Reason: {1}",
            Notes: "Notes",
            DeliveryTitle: "DELIVERY NOTE",
            ReturnTitle: "RETURN NOTE",
            NoteNumber: "Note no.",
            DeliveryDate: "Dispatch date",
            ReturnDate: "Return date",
            IssuedBy: "Issued by",
            DeliveryIntro: "The goods below were delivered in good condition and complete.",
            ReturnIntro: "The goods below were received back as a return.",
            Note: "Note",
            DeliveredBy: "Delivered by",
            ReceivedBy: "Received by",
            SignHere: "Name / Signature / Date");

        public static Labels For(string language) => PdfText.IsTurkish(language) ? Tr : En;
    }
}
