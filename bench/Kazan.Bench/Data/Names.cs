namespace Kazan.Bench.Data;

/// <summary>Word lists for realistic Turkish names: people, companies, cities, products and deals.</summary>
public static class Names
{
    public static readonly string[] MaleFirst =
    [
        "Ahmet", "Mehmet", "Mustafa", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf", "Murat", "Ömer", "Ramazan",
        "Halil", "Süleyman", "Abdullah", "Emre", "Burak", "Serkan", "Oğuz", "Çağrı", "Uğur", "Gökhan", "Erkan", "Volkan", "Kerem",
        "Barış", "Tolga", "Onur", "Cem", "Deniz", "Emir", "Eren", "Furkan", "Kaan", "Selim", "Sinan", "Tarık", "Umut", "Yiğit",
    ];

    public static readonly string[] FemaleFirst =
    [
        "Fatma", "Ayşe", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra", "Sultan", "Hanife", "Merve", "Özlem",
        "Büşra", "Esra", "Gül", "Gülşen", "İpek", "Derya", "Ebru", "Şule", "Çiğdem", "Nur", "Selin", "Ceren", "Damla", "Dilek",
        "Tuğba", "Yasemin", "Aslı", "Burcu", "Cansu", "Ece", "Gizem", "Irmak", "Pınar", "Sevgi", "Tülin", "Ümran", "Nilüfer",
    ];

    public static readonly string[] Surnames =
    [
        "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir", "Arslan", "Doğan", "Kılıç",
        "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek", "Polat", "Özcan", "Korkmaz", "Çakır", "Erdoğan", "Yavuz", "Can",
        "Acar", "Şen", "Aktaş", "Güler", "Yalçın", "Güneş", "Bozkurt", "Bulut", "Keskin", "Ünal", "Turan", "Gül", "Özer", "Işık",
        "Kaplan", "Avcı", "Sarı", "Tekin", "Taş", "Köse", "Yüksel", "Ateş", "Aksoy", "Uçar", "Ekinci", "Tuncer", "Erdem", "Sönmez",
        "Başaran", "Karaca", "Çiftçi", "Uysal", "Gündoğdu", "Ilgaz", "Altıntaş", "Bayram", "Dinç", "Ergin", "Gök", "İnce", "Oral",
    ];

    public static readonly string[] CompanyWords =
    [
        "Anadolu", "Ege", "Marmara", "Karadeniz", "Akdeniz", "Toros", "Boğaziçi", "Kuzey", "Güney", "Doğu", "Batı", "Yeni", "Öz",
        "Mavi", "Yeşil", "Altın", "Gümüş", "Demir", "Çelik", "Yıldız", "Güneş", "Ay", "Kartal", "Şahin", "Aslan", "Kaya", "Pınar",
        "Işık", "Umut", "Başak", "Çınar", "Meşe", "Defne", "Lale", "Sedef", "İnci", "Zirve", "Doruk", "Ufuk", "Vizyon", "Birlik",
        "Güven", "Özgür", "Ata", "Tuna", "Fırat", "Dicle", "Sakarya", "Kızılırmak", "Erciyes", "Uludağ", "Ağrı", "Nemrut",
    ];

    public static readonly string[] Sectors =
    [
        "Tekstil", "Gıda", "İnşaat", "Mobilya", "Otomotiv", "Lojistik", "Enerji", "Makine", "Kimya", "Plastik", "Ambalaj", "Elektrik",
        "Elektronik", "Yazılım", "Bilişim", "Tarım", "Turizm", "Sağlık", "Medikal", "İlaç", "Kozmetik", "Matbaa", "Metal", "Döküm",
        "Cam", "Seramik", "Mermer", "Beton", "Yapı", "Hırdavat", "Boya", "Kağıt", "Deri", "Ayakkabı", "Hazır Giyim", "Çelik Yapı",
    ];

    public static readonly string[] LegalForms =
    [
        "A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş.", "San. ve Tic. Ltd. Şti.", "Tic. Ltd. Şti.", "Dış Tic. A.Ş.", "Holding A.Ş.",
    ];

    public static readonly string[] Cities =
    [
        "İstanbul", "İstanbul", "İstanbul", "İstanbul", "Ankara", "Ankara", "İzmir", "İzmir", "Bursa", "Bursa", "Kocaeli", "Antalya",
        "Konya", "Kayseri", "Gaziantep", "Adana", "Mersin", "Eskişehir", "Denizli", "Manisa", "Sakarya", "Tekirdağ", "Samsun",
        "Trabzon", "Diyarbakır", "Şanlıurfa", "Malatya", "Çorum", "Uşak", "Afyonkarahisar", "Isparta", "Muğla", "Aydın", "Balıkesir",
        "Çanakkale", "Edirne", "Kırklareli", "Düzce", "Bolu", "Zonguldak", "Karabük", "Sivas", "Erzurum", "Van", "Elazığ", "Iğdır",
    ];

    public static readonly string[] Titles =
    [
        "Genel Müdür", "Satın Alma Müdürü", "Satın Alma Uzmanı", "Finans Müdürü", "Muhasebe Şefi", "Üretim Müdürü", "Bilgi İşlem Müdürü",
        "Proje Yöneticisi", "Teknik Müdür", "İşletme Müdürü", "Yönetim Kurulu Üyesi", "Satış Müdürü", "Lojistik Sorumlusu", "Kalite Müdürü",
    ];

    public static readonly string[] ProductFamilies =
    [
        "Endüstriyel Pompa", "Kompresör", "Frekans İnverteri", "Servo Motor", "PLC Modülü", "Operatör Paneli", "Konveyör Bandı",
        "Rulman Seti", "Hidrolik Silindir", "Pnömatik Valf", "Sensör", "Enerji Analizörü", "Trafo", "Kablo Kanalı", "Aydınlatma Armatürü",
        "Jeneratör", "UPS", "Sunucu", "Ağ Anahtarı", "Güvenlik Duvarı", "Yazılım Lisansı", "Bakım Sözleşmesi", "Kurulum Hizmeti",
        "Eğitim Hizmeti", "Danışmanlık", "Yedek Parça Paketi", "Çelik Raf Sistemi", "Forklift", "İstif Makinesi", "Soğutma Ünitesi",
    ];

    public static readonly string[] ProductGrades = ["Standart", "Pro", "Plus", "Eko", "Max", "Mini", "Endüstriyel", "Kompakt"];

    public static readonly string[] Units = ["adet", "adet", "adet", "saat", "gün", "ay", "kg", "m", "paket", "takım", "hizmet"];

    public static readonly string[] DealWords =
    [
        "Yenileme", "Genişleme", "Yeni Hat", "Bakım Anlaşması", "Yıllık Alım", "Pilot Proje", "Fabrika Kurulumu", "Modernizasyon",
        "Depo Otomasyonu", "Enerji Verimliliği", "Lisans Yenileme", "Kapasite Artışı", "Şube Açılışı", "Çerçeve Anlaşma", "Ek Sipariş",
    ];

    public static readonly string[] Sources = ["Web sitesi", "Fuar", "Referans", "Soğuk arama", "Bayi", "Mevcut müşteri", "LinkedIn", "E-posta kampanyası"];

    public static readonly string[] PipelineNames = ["Proje satışı", "Bayi satışı", "Yenileme", "Kurumsal satış", "Hizmet satışı"];

    public static readonly string[] StageNames =
    [
        "Yeni", "İlk görüşme", "İhtiyaç analizi", "Demo", "Teklif", "Teknik onay", "Pazarlık", "Sözleşme",
    ];

    public static readonly string[] LostReasons = ["Fiyat", "Rakip tercih edildi", "Bütçe yok", "Zamanlama", "İhtiyaç ortadan kalktı", "Yanıt alınamadı", "Diğer"];

    public static readonly string[] TeamNames = ["İstanbul Avrupa", "İstanbul Anadolu", "Ankara", "İzmir", "Bursa", "Kurumsal", "Bayi Kanalı", "Güney"];

    public static readonly string[] OrganizationNames =
    [
        "Kazan Endüstri Holding A.Ş.", "Ilgaz Makine Ltd. Şti.", "Sedef Bilişim A.Ş.", "Toros Enerji A.Ş.", "Çınar Lojistik Ltd. Şti.",
        "Doruk Medikal A.Ş.", "Pınar Yapı Ltd. Şti.", "Ufuk Otomasyon A.Ş.",
    ];

    /// <summary>Lower-case ASCII for e-mail addresses (ğ → g, ı → i, …).</summary>
    public static string Ascii(string text) => Kazan.Infrastructure.Text.TurkishText.Fold(text).Replace(" ", "", StringComparison.Ordinal);
}
