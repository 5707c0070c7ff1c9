using System.Text;
using Kazan.Features.Accounts;
using Kazan.Features.Organizations;
using Kazan.Features.Quotes;

namespace Kazan.Tests.Pdf;

public sealed class QuotePdfTests
{
    private const string CustomerName = "Gözde Çiçek Işıl Dağ Ürün İĞÜŞÖÇ A.Ş.";
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 30, 0, TimeSpan.FromHours(3));
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAADAAAAAYCAIAAAAzn+mLAAAAPElEQVR42mOQ96vEij5s0cCKaK2eYdRBow4addCIc9BAWYxL/aiDRh006qCR56DRknrUQaMOGnXQADsIAH8VENu0b4LFAAAAAElFTkSuQmCC");

    /// <summary>The watermark's grey, used nowhere else on the page.</summary>
    private static readonly (byte R, byte G, byte B) Watermark = (232, 232, 232);

    private static Organization Org() => new("Anadolu Endüstriyel Çözümler A.Ş.", "TRY", "tr-TR", Now)
    {
        Address = "Atatürk Bulvarı No: 12/3, Kavaklıdere, Çankaya / Ankara",
        TaxOffice = "Kavaklıdere",
        TaxNumber = "1234567890",
        Phone = "+90 312 555 12 34",
        Email = "satis@anadolu.example",
    };

    private static Account Customer(Organization org)
    {
        var account = new Account(org.Id, Guid.NewGuid(), AccountKind.Company, CustomerName, Now)
        {
            Address = "Gülbahar Mahallesi, Şişli Sokak No: 7",
            City = "İstanbul",
            TaxOffice = "Üsküdar",
        };
        account.SetTaxNumber("9876543217");
        return account;
    }

    private static QuoteLineInput Item(string description, decimal quantity, string unit, decimal price, decimal vat, decimal discount = 0) =>
        new(null, QuoteLineKind.Item, null, description, quantity, unit, price, discount, vat);

    private static QuoteLineInput Section(string heading) => new(null, QuoteLineKind.Section, null, heading, 0, "", 0, 0, 0);

    private static Quote NewQuote(Organization org, Account account, string language = "tr", string currency = "TRY", decimal rate = 1m,
        decimal documentDiscount = 0, params QuoteLineInput[] lines)
    {
        var quote = new Quote(org.Id, Guid.NewGuid(), account.Id, Guid.NewGuid(), "TKL-2026-00042", 2026, 42, currency, rate, language,
            Today, Today.AddDays(30), Now);
        quote.SetTerms(currency, rate, language, documentDiscount, Today.AddDays(30),
            "%50 sipariş ile peşin, kalan teslimde; vade 30 gün.", "Fiyatlara nakliye dahildir.\nTeslim süresi: siparişten sonra 3 hafta.");
        quote.SetLines(lines);
        return quote;
    }

    /// <summary>Net 1.234,56 @20 % (VAT 246,91) + net 100,00 @10 % + net 1.000,00 @1 %: total 2.601,47 ₺.</summary>
    private static QuoteLineInput[] MixedLines() =>
    [
        Section("Donanım"),
        Item("Endüstriyel ısı eşanjörü, paslanmaz çelik (İŞÇİLİK HARİÇ)", 10m, "Adet", 123.456m, 20),
        Item("Conta seti – ağır hizmet", 3m, "Kg", 33.3333m, 10),
        Section("Hizmet"),
        Item("Yerinde devreye alma ve eğitim", 1m, "Gün", 1000m, 1),
    ];

    private static string Render(Quote quote, Organization org, Account account, byte[]? logo = null) =>
        PdfTools.Text(QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", "Şule Öztürk", logo)));

    [Fact]
    public void The_customer_name_keeps_every_Turkish_letter_in_the_pdf_text()
    {
        var org = Org();
        var account = Customer(org);
        var quote = NewQuote(org, account, lines: MixedLines());
        var pdf = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", "Şule Öztürk", Png));

        Assert.True(File.Exists(PdfTools.FirstPagePng(pdf, "quote-tr-page1")));
        var text = PdfTools.Text(pdf);
        Assert.Contains(CustomerName, text, StringComparison.Ordinal);
        Assert.Contains("Anadolu Endüstriyel Çözümler A.Ş.", text, StringComparison.Ordinal);
        Assert.Contains("Vergi Dairesi: Üsküdar", text, StringComparison.Ordinal);
        Assert.Contains("VKN: 9876543217", text, StringComparison.Ordinal);
        Assert.Contains("İlgili: Şule Öztürk", text, StringComparison.Ordinal);
        Assert.Contains("TEKLİF", text, StringComparison.Ordinal);
        Assert.Contains("TKL-2026-00042", text, StringComparison.Ordinal);
        Assert.Contains("02.03.2026", text, StringComparison.Ordinal);
        Assert.Contains("01.04.2026", text, StringComparison.Ordinal);
        Assert.Contains("Gökçe Yıldırım", text, StringComparison.Ordinal);
        Assert.Contains("Sayfa 1 / 1", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Totals_are_formatted_in_Turkish_with_the_lira_sign_and_VAT_is_shown_per_rate()
    {
        var org = Org();
        var account = Customer(org);
        var text = Render(NewQuote(org, account, lines: MixedLines()), org, account);

        Assert.Contains("1.234,56 ₺", text, StringComparison.Ordinal); // line net and the first VAT base
        Assert.Contains("123,456 ₺", text, StringComparison.Ordinal); // unit prices keep their decimals
        Assert.Contains("33,3333 ₺", text, StringComparison.Ordinal);
        Assert.Contains("2.334,56 ₺", text, StringComparison.Ordinal); // net total
        Assert.Matches(@"KDV %20\s+246,91 ₺", text);
        Assert.Matches(@"KDV %10\s+10,00 ₺", text);
        Assert.Matches(@"KDV %1\s+10,00 ₺", text);
        Assert.Matches(@"Genel Toplam\s+2.601,47 ₺", text);
        Assert.Contains("Yalnız: iki bin altı yüz bir Türk Lirası kırk yedi Kuruş", text, StringComparison.Ordinal);
        Assert.DoesNotContain("İskonto", text, StringComparison.Ordinal); // no discount, no discount rows
    }

    [Fact]
    public void Sections_head_their_lines_and_only_items_are_numbered()
    {
        var org = Org();
        var account = Customer(org);
        var lines = Render(NewQuote(org, account, lines: MixedLines()), org, account).Split('\n');

        var hardware = Array.FindIndex(lines, l => l.Contains("Donanım", StringComparison.Ordinal));
        var service = Array.FindIndex(lines, l => l.Contains("Hizmet", StringComparison.Ordinal) && !l.Contains("ağır", StringComparison.Ordinal));
        var training = Array.FindIndex(lines, l => l.Contains("Yerinde devreye alma", StringComparison.Ordinal));
        Assert.True(hardware >= 0 && hardware < service && service < training);
        Assert.Matches(@"^\s*3\s+Yerinde devreye alma", lines[training]);
    }

    [Fact]
    public void Discounts_show_gross_discount_and_the_general_discount_note()
    {
        var org = Org();
        var account = Customer(org);
        // 7 × 19,99 = 139,93 gross; line 12,5 % and document 12,5 %: net 107,13, VAT 21,43, total 128,56.
        var text = Render(NewQuote(org, account, documentDiscount: 12.5m, lines: [Item("Filtre kartuşu", 7m, "Adet", 19.99m, 20, 12.5m)]), org, account);

        Assert.Matches(@"Brüt Toplam\s+139,93 ₺", text);
        Assert.Matches(@"İskonto\s+-32,80 ₺", text);
        Assert.Matches(@"Ara Toplam\s+107,13 ₺", text);
        Assert.Matches(@"Genel Toplam\s+128,56 ₺", text);
        Assert.Contains("%12,5 genel iskonto", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_draft_is_watermarked_TASLAK_and_a_sent_quote_is_not()
    {
        var org = Org();
        var account = Customer(org);
        var quote = NewQuote(org, account, lines: MixedLines());

        var draft = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", null));
        Assert.Contains("TASLAK", PdfTools.Text(draft), StringComparison.Ordinal);
        Assert.True(PdfTools.CountPixels(draft, Watermark) > 500, "the diagonal watermark is drawn");

        quote.Send(Now.AddHours(1), Today, 1m);
        var sent = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", null));
        Assert.DoesNotContain("TASLAK", PdfTools.Text(sent), StringComparison.Ordinal);
        Assert.Equal(0, PdfTools.CountPixels(sent, Watermark));
    }

    [Fact]
    public void An_English_quote_has_English_labels_and_English_money()
    {
        var org = Org();
        var account = Customer(org);
        var quote = NewQuote(org, account, language: "en", currency: "EUR", rate: 35.1234m, lines: MixedLines());
        var pdf = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", "Şule Öztürk"));
        PdfTools.FirstPagePng(pdf, "quote-en-page1");
        var text = PdfTools.Text(pdf);

        Assert.Contains("QUOTATION", text, StringComparison.Ordinal);
        Assert.Contains("Description", text, StringComparison.Ordinal);
        Assert.Contains("Unit price", text, StringComparison.Ordinal);
        Assert.Contains("Valid until", text, StringComparison.Ordinal);
        Assert.Contains("2 Mar 2026", text, StringComparison.Ordinal);
        Assert.Contains("Tax office: Üsküdar", text, StringComparison.Ordinal);
        Assert.Matches(@"VAT 20%\s+€246\.91", text);
        Assert.Matches(@"Grand total\s+€2,601\.47", text);
        Assert.Contains("1 EUR = 35.1234 TRY", text, StringComparison.Ordinal);
        Assert.Contains("Say: two thousand six hundred one euros and forty-seven cents", text, StringComparison.Ordinal);
        Assert.Contains("DRAFT", text, StringComparison.Ordinal);
        Assert.Contains("Page 1 of 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TEKLİF", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Açıklama", text, StringComparison.Ordinal);
        Assert.DoesNotContain("TASLAK", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_euro_quote_in_Turkish_puts_the_euro_sign_after_the_amount_and_shows_the_rate()
    {
        var org = Org();
        var account = Customer(org);
        var quote = NewQuote(org, account, currency: "EUR", rate: 35.1234m, lines: [Item("Pompa", 1m, "Adet", 10_288.06m, 20)]);
        var text = Render(quote, org, account);

        Assert.Matches(@"Genel Toplam\s+12.345,67 €", text);
        Assert.Contains("1 EUR = 35,1234 TRY", text, StringComparison.Ordinal);
        Assert.Contains("Yalnız: on iki bin üç yüz kırk beş Avro altmış yedi Sent", text, StringComparison.Ordinal);
        Assert.DoesNotContain("₺", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_500_line_quote_runs_over_several_pages_each_with_the_table_header_and_its_page_number()
    {
        var org = Org();
        var account = Customer(org);
        var lines = new List<QuoteLineInput>();
        for (var i = 1; i <= 500; i++)
        {
            if (i % 50 == 1)
            {
                lines.Add(Section($"Bölüm {(i / 50) + 1}"));
            }

            lines.Add(Item($"Satır {i}: çelik bağlantı elemanı, ölçü {i} mm", i, "Adet", 1.5m, i % 3 == 0 ? 10 : 20));
        }

        var quote = NewQuote(org, account, lines: [.. lines]);
        var pdf = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", null));
        PdfTools.FirstPagePng(pdf, "quote-500-lines");
        var pages = PdfTools.Pages(pdf);

        Assert.True(pages.Count >= 5, $"expected several pages, got {pages.Count}");
        for (var p = 0; p < pages.Count; p++)
        {
            Assert.Contains($"Sayfa {p + 1} / {pages.Count}", pages[p], StringComparison.Ordinal);
            Assert.Contains("TKL-2026-00042", pages[p], StringComparison.Ordinal);
            Assert.Contains("TASLAK", pages[p], StringComparison.Ordinal);
        }

        // Every page that carries lines starts them under the table header.
        var withLines = pages.Where(p => p.Contains("Satır ", StringComparison.Ordinal)).ToList();
        Assert.True(withLines.Count >= 5);
        Assert.All(withLines, p => Assert.Matches(@"No\s+Açıklama\s+Miktar\s+Birim Fiyat\s+KDV\s+Tutar", p));
        var all = string.Join('\n', pages);
        for (var i = 1; i <= 500; i++)
        {
            Assert.Contains($"Satır {i}: ", all, StringComparison.Ordinal);
        }

        Assert.Contains("Genel Toplam", pages[^1], StringComparison.Ordinal);
        Assert.Contains("Müşteri Onayı", pages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_the_same_quote_twice_gives_byte_identical_pdfs_dated_from_the_quote()
    {
        var org = Org();
        var account = Customer(org);
        var quote = NewQuote(org, account, lines: MixedLines());

        var first = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", "Şule Öztürk", Png));
        var second = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", "Şule Öztürk", Png));

        Assert.Equal(first, second);
        var raw = Encoding.Latin1.GetString(first);
        Assert.Contains("/CreationDate(D:20260302063000", raw, StringComparison.Ordinal); // 09:30 +03:00, written in UTC
        Assert.DoesNotContain("AAAAAA+", raw, StringComparison.Ordinal); // subset tags are filled in, not left blank

        // A different quote is a different document: its identifier differs too.
        quote.SetLines([.. MixedLines(), Item("Ek parça", 1m, "Adet", 5m, 20)]);
        var third = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", "Şule Öztürk", Png));
        Assert.NotEqual(TrailerId(first), TrailerId(third));
    }

    [Fact]
    public void Quotes_rendered_at_the_same_time_on_many_threads_come_out_identical()
    {
        var org = Org();
        var account = Customer(org);
        var model = QuotePdfModel.From(NewQuote(org, account, lines: MixedLines()), org, account, "Gökçe Yıldırım", "Şule Öztürk", Png);

        var renders = new byte[8][];
        Parallel.For(0, renders.Length, i => renders[i] = QuotePdf.Render(model));

        Assert.All(renders, r => Assert.Equal(renders[0], r));
    }

    [Fact]
    public void A_line_taller_than_a_page_continues_on_the_next_page_without_losing_text()
    {
        var org = Org();
        var account = Customer(org);
        var description = string.Join('\n', Enumerable.Range(1, 120).Select(i => $"Madde {i}. şart"));
        var longWord = new string('X', 150) + "SON";
        var quote = NewQuote(org, account, lines: [Item(description, 1m, "Set", 100m, 20), Item(longWord, 1m, "Adet", 1m, 20)]);

        var pdf = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", null));
        var pages = PdfTools.Pages(pdf);

        Assert.True(pages.Count >= 2);
        var all = string.Join('\n', pages);
        for (var i = 1; i <= 120; i++)
        {
            Assert.Contains($"Madde {i}. şart", all, StringComparison.Ordinal);
        }

        // An over-long word is cut where the column ends, never dropped.
        var pieces = all.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Where(w => w.All(c => c is 'X' or 'S' or 'O' or 'N'));
        Assert.Equal(longWord, string.Concat(pieces));
        Assert.All(pages.Where(p => p.Contains("Madde ", StringComparison.Ordinal)), p => Assert.Contains("Açıklama", p, StringComparison.Ordinal));
    }

    [Fact]
    public void A_logo_is_drawn_when_given_and_a_broken_one_is_left_out()
    {
        var org = Org();
        var account = Customer(org);
        var quote = NewQuote(org, account, lines: MixedLines());

        var withLogo = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", null, Png));
        var broken = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", null, [1, 2, 3, 4]));

        Assert.Contains("/Subtype/Image", Encoding.Latin1.GetString(withLogo), StringComparison.Ordinal);
        Assert.DoesNotContain("/Subtype/Image", Encoding.Latin1.GetString(broken), StringComparison.Ordinal);
        Assert.Contains(CustomerName, PdfTools.Text(broken), StringComparison.Ordinal);
        foreach (var bad in new[] { Png[..60], [0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 0x4A, 0x46, 0x49, 0x46, 0, 1, 9, 9, 9], [0x42, 0x4D, 1, 2, 3] })
        {
            var pdf = QuotePdf.Render(QuotePdfModel.From(quote, org, account, "Gökçe Yıldırım", null, bad));
            Assert.DoesNotContain("/Subtype/Image", Encoding.Latin1.GetString(pdf), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_revision_prints_its_revision_number()
    {
        var org = Org();
        var account = Customer(org);
        var original = NewQuote(org, account, lines: MixedLines());
        original.Send(Now, Today, 1m);
        var r1 = original.Revise(1, Guid.NewGuid(), Now, Today);
        r1.Send(Now, Today, 1m);
        var r2 = r1.Revise(2, Guid.NewGuid(), Now, Today);

        Assert.Contains("TKL-2026-00042 / R2", Render(r2, org, account), StringComparison.Ordinal);
    }

    private static string TrailerId(byte[] pdf)
    {
        var raw = Encoding.Latin1.GetString(pdf);
        var start = raw.LastIndexOf("/ID[", StringComparison.Ordinal);
        return raw.Substring(start, 40);
    }
}
