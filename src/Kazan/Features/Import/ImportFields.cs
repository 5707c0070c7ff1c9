using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Text;

namespace Kazan.Features.Import;

/// <summary>
/// A field a column can be mapped to: its key (as in the API), whether a new record needs it, whether it is the key
/// rows are matched on, and the headers it is suggested for (Turkish and English, compared folded).
/// </summary>
public sealed record ImportField(string Key, bool Required, bool IsKey, params string[] Headers);

/// <summary>The fields of each target, and the column → field suggestion for a file's header.</summary>
public static class ImportFields
{
    /// <summary>
    /// The external id's headers: the record's id in the company's old system. Mapped, it becomes the key rows are
    /// matched on (see <see cref="ImportContext.ByExternalId"/>).
    /// </summary>
    private static readonly string[] ExternalIdHeaders =
        ["external id", "external key", "external reference", "legacy id", "old id", "harici kimlik", "harici id", "harici kod", "dis kimlik", "dis id", "dis kod", "eski kod", "eski sistem kodu"];

    public static readonly IReadOnlyList<ImportField> Accounts =
    [
        new("name", true, false, "name", "account", "account name", "unvan / ad", "company", "company name", "customer", "ad", "adi", "unvan", "firma", "firma adi", "musteri", "musteri adi", "sirket", "sirket adi", "cari", "cari adi"),
        new("kind", false, false, "kind", "type", "tur", "tip", "musteri turu"),
        new("taxNumber", false, true, "tax number", "tax id", "tax number (vkn / tckn)", "vergi no (vkn / tckn)", "vkn", "tckn", "vkn/tckn", "vergi no", "vergi numarasi", "vergi kimlik no", "tc kimlik no", "vergi kimlik numarasi"),
        new("taxOffice", false, false, "tax office", "vergi dairesi", "vd"),
        new("address", false, false, "address", "adres"),
        new("city", false, false, "city", "il", "sehir"),
        new("country", false, false, "country", "ulke"),
        new("phone", false, false, "phone", "telephone", "tel", "telefon"),
        new("email", false, false, "email", "e-mail", "mail", "e-posta", "eposta"),
        new("website", false, false, "website", "web", "web sitesi", "url"),
        new("notes", false, false, "notes", "note", "not", "notlar", "aciklama"),
        new("owner", false, false, "owner email", "owner e-mail", "sahibi (e-posta)", "sorumlu e-posta", "temsilci e-posta"),
        new(ExternalIds.Field, false, false, ExternalIdHeaders),
    ];

    public static readonly IReadOnlyList<ImportField> Contacts =
    [
        new("firstName", false, false, "first name", "firstname", "given name", "ad", "adi", "isim"),
        new("lastName", false, false, "last name", "lastname", "surname", "family name", "soyad", "soyadi"),
        new("fullName", false, false, "name", "full name", "contact", "contact name", "ad soyad", "adi soyadi", "isim soyisim", "kisi", "yetkili"),
        new("title", false, false, "title", "job title", "position", "unvan", "gorev", "gorevi", "pozisyon"),
        new("email", false, true, "email", "e-mail", "mail", "e-posta", "eposta"),
        new("phone", false, false, "phone", "telephone", "tel", "telefon", "is telefonu"),
        new("mobile", false, false, "mobile", "cell", "gsm", "cep", "cep telefonu", "mobil"),
        new("account", true, false, "account", "company", "customer", "account tax number", "account name", "company name", "firma", "sirket", "musteri", "cari", "vkn", "vergi no", "firma vkn", "firma vergi no", "musteri vkn", "cari vkn", "firma adi", "musteri adi", "sirket adi", "cari adi"),
        new("owner", false, false, "owner email", "owner e-mail", "sahibi (e-posta)", "sorumlu e-posta", "temsilci e-posta"),
        new(ExternalIds.Field, false, false, ExternalIdHeaders),
    ];

    public static readonly IReadOnlyList<ImportField> Products =
    [
        new("code", true, true, "code", "product code", "sku", "kod", "urun kodu", "stok kodu"),
        new("name", true, false, "name", "product", "product name", "ad", "adi", "urun", "urun adi", "stok adi"),
        new("description", false, false, "description", "aciklama"),
        new("unit", false, false, "unit", "birim"),
        new("listPrice", true, false, "price", "list price", "unit price", "fiyat", "liste fiyati", "birim fiyat", "satis fiyati"),
        new("currency", false, false, "currency", "para birimi", "doviz", "pb"),
        new("vatRate", false, false, "vat", "vat rate", "tax rate", "kdv", "kdv orani", "kdv %"),
        new(ExternalIds.Field, false, false, ExternalIdHeaders),
    ];

    /// <summary>
    /// Deals. The key is the title with the account, as written (without an external id column a deal is never matched
    /// to an existing one: the key only refuses the same deal twice; with one, it finds the deal a new external id goes to). No bare "owner" header: the list's export writes the owner's name there. The
    /// export's own headers, in both languages, are among each field's (the deals list exported is a file to import).
    /// </summary>
    public static readonly IReadOnlyList<ImportField> Opportunities =
    [
        new("title", true, true, "title", "name", "opportunity", "opportunity name", "deal", "deal name", "subject", "baslik", "firsat", "firsat adi", "ad", "adi", "konu"),
        new("account", true, false, "account", "company", "customer", "account tax number", "firma", "sirket", "musteri", "musteri adi", "hesap", "cari", "vkn", "vergi no"),
        new("pipeline", false, false, "pipeline", "sales process", "satis sureci", "surec"),
        new("stage", false, false, "stage", "deal stage", "asama", "satis asamasi"),
        new("owner", false, false, "owner email", "owner e-mail", "sahibi (e-posta)", "sorumlu e-posta", "temsilci e-posta"),
        new("amount", true, false, "amount", "expected amount", "value", "deal value", "tutar", "beklenen tutar", "firsat tutari", "deger"),
        new("currency", false, false, "currency", "para birimi", "doviz", "pb"),
        new("exchangeRate", false, false, "exchange rate", "rate", "kur", "doviz kuru"),
        new("closeDate", true, false, "expected close date", "expected close", "close date", "closing date", "beklenen kapanis", "beklenen kapanis tarihi", "tahmini kapanis", "tahmini kapanis tarihi", "kapanis tarihi"),
        new("probability", false, false, "probability", "probability %", "olasilik", "kazanma olasiligi", "ihtimal"),
        new("status", false, false, "status", "durum", "sonuc"),
        new("lostReason", false, false, "lost reason", "kaybetme nedeni", "kayip nedeni", "kaybedilme nedeni"),
        new("lostNote", false, false, "lost note", "kaybetme notu", "kayip notu"),
        new("closedOn", false, false, "won/lost date", "closed on", "won date", "lost date", "kazanma/kaybetme tarihi", "sonuc tarihi", "kapandigi tarih"),
        new("source", false, false, "source", "lead source", "kaynak", "firsat kaynagi"),
        new(ExternalIds.Field, false, false, ExternalIdHeaders),
    ];

    /// <summary>
    /// Activities. The key is the subject with the account and the moment (see <see cref="ActivityRules"/>): it only
    /// refuses the same activity twice, as the deals' does. The account is required (an activity is always on an
    /// account); the contact and the deal must be of that account.
    /// </summary>
    public static readonly IReadOnlyList<ImportField> Activities =
    [
        new("subject", true, true, "subject", "activity", "title", "konu", "baslik", "aktivite", "etkinlik", "faaliyet"),
        new("kind", false, false, "kind", "type", "activity type", "tur", "tip", "aktivite turu", "etkinlik turu", "faaliyet turu"),
        new("account", true, false, "account", "company", "customer", "account tax number", "firma", "sirket", "musteri", "musteri adi", "hesap", "cari", "vkn", "vergi no"),
        new("contact", false, false, "contact", "contact email", "contact e-mail", "person", "kisi", "ilgili kisi", "kisi e-posta", "ilgili kisi e-posta", "yetkili", "yetkili e-posta"),
        new("opportunity", false, false, "opportunity", "deal", "opportunity title", "deal name", "firsat", "firsat adi", "firsat basligi"),
        new("dueDate", false, false, "due date", "due", "date", "due at", "tarih", "son tarih", "planlanan tarih", "bitis tarihi"),
        new("dueTime", false, false, "time", "due time", "saat", "planlanan saat"),
        new("done", false, false, "done", "completed", "done?", "yapildi", "yapildi mi", "tamamlandi", "tamamlandi mi"),
        new("doneDate", false, false, "done date", "done on", "done at", "completed on", "completion date", "yapilma tarihi", "tamamlanma", "tamamlanma tarihi", "yapildigi tarih"),
        new("notes", false, false, "notes", "note", "description", "not", "notlar", "aciklama"),
        new("owner", false, false, "owner email", "owner e-mail", "sahibi (e-posta)", "sorumlu e-posta", "temsilci e-posta"),
    ];

    public static IReadOnlyList<ImportField> Of(ImportTarget target) => target switch
    {
        ImportTarget.Accounts => Accounts,
        ImportTarget.Contacts => Contacts,
        ImportTarget.Opportunities => Opportunities,
        ImportTarget.Activities => Activities,
        _ => Products,
    };

    /// <summary>
    /// How the target's rows may meet existing records under <paramref name="mapping"/> (one field or null per column):
    /// activities are only created (see <see cref="Activities"/>); deals too, unless a column goes to the external id
    /// (their own key, the title, only refuses a deal twice).
    /// </summary>
    public static IReadOnlyList<ImportMode> ModesOf(ImportTarget target, IEnumerable<string?> mapping) =>
        target is ImportTarget.Activities || (target is ImportTarget.Opportunities && !ImportContext.MatchesOnExternalId(mapping))
            ? [ImportMode.Create]
            : Enum.GetValues<ImportMode>();

    /// <summary>Whether the target's records have an external id (accounts, contacts, products and deals).</summary>
    public static bool HasExternalId(ImportTarget target) => target is not ImportTarget.Activities;

    /// <summary>Whether a field holds a number (read in the file's number format).</summary>
    public static bool IsNumber(string field) => field is "listPrice" or "vatRate" or "amount" or "exchangeRate" or "probability";

    /// <summary>Whether a field holds a date (ISO, or the way the file's language writes dates).</summary>
    public static bool IsDate(string field) => field is "closeDate" or "closedOn" or "dueDate" or "doneDate";

    public static ImportField? Find(ImportTarget target, string key) => Of(target).FirstOrDefault(f => f.Key == key);

    /// <summary>The key a header is remembered and matched by: folded, letters and digits only ("E-Posta:" → "eposta").</summary>
    public static string HeaderKey(string header)
    {
        var key = string.Concat(TurkishText.Fold(header).Where(char.IsLetterOrDigit));
        return key.Length > 200 ? key[..200] : key;
    }

    /// <summary>
    /// The field suggested for each column: what the organization mapped this header to before, else the field whose
    /// Turkish or English headers it matches; each field goes to one column at most (the first that asks for it). A
    /// header that is only the field's key ("owner") gets it last, when no column asked for it by name: the deals
    /// export's "Owner" (a name) must not take the owner from its "Owner e-mail".
    /// </summary>
    public static List<string?> Suggest(ImportTarget target, IReadOnlyList<string> header, IReadOnlyDictionary<string, string> remembered)
    {
        var fields = Of(target);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var keys = header.Select(HeaderKey).ToList();
        var result = keys.Select(key =>
        {
            var field = remembered.GetValueOrDefault(key) is { } known && fields.Any(f => f.Key == known)
                ? known
                : fields.FirstOrDefault(f => f.Headers.Any(h => HeaderKey(h) == key))?.Key;
            return field is not null && taken.Add(field) ? field : null;
        }).ToList();
        for (var i = 0; i < result.Count; i++)
        {
            if (result[i] is null && fields.FirstOrDefault(f => string.Equals(f.Key, keys[i], StringComparison.OrdinalIgnoreCase)) is { } named && taken.Add(named.Key))
            {
                result[i] = named.Key;
            }
        }

        return result;
    }
}
