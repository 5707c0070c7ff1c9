using System.Security.Cryptography;
using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Features.Contacts;
using Kazan.Features.Opportunities;
using Kazan.Features.Organizations;
using Kazan.Features.Pipelines;
using Kazan.Features.Products;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Demo;

/// <summary>
/// <c>dotnet run --project src/Kazan -- --demo</c>: on an empty database, creates "Anadolu Endüstri A.Ş." — users and
/// teams, two pipelines, products, Turkish accounts with valid VKNs, contacts, opportunities in every stage (and some won and
/// lost), and activities — so a newcomer sees a living CRM. Passwords are generated and printed once; none is built in.
/// Deterministic (fixed seed) apart from the passwords.
/// </summary>
public static class DemoData
{
    private static readonly string[] Companies =
    [
        "İstanbul Çelik", "Anadolu Makina", "Ege Tekstil", "Karadeniz Gıda", "Marmara Lojistik", "Boğaziçi Yazılım", "Kapadokya Turizm",
        "Trakya Tarım", "Çukurova Enerji", "Ankara Savunma", "İzmir Liman", "Bursa Otomotiv", "Konya Şeker", "Gaziantep Baharat",
        "Kayseri Mobilya", "Eskişehir Seramik", "Antalya Otelcilik", "Denizli Havlu", "Sakarya Kompozit", "Mersin Narenciye",
        "Trabzon Fındık", "Samsun Tütün", "Adana Pamuk", "Malatya Kayısı", "Isparta Gül", "Aydın İnci", "Manisa Elektronik",
        "Kocaeli Kimya", "Tekirdağ Süt", "Balıkesir Zeytin", "Çanakkale Seramik", "Hatay Sabun", "Van Kedisi Hediyelik",
        "Erzurum Yapı", "Sivas Demir Döküm", "Ordu Arıcılık", "Rize Çay", "Bolu Orman Ürünleri", "Düzce Ambalaj", "Afyon Mermer",
    ];

    private static readonly string[] Suffixes = ["A.Ş.", "Ltd. Şti.", "San. ve Tic. A.Ş."];

    private static readonly string[] FirstNames =
        ["Ayşe", "Mehmet", "Fatma", "Mustafa", "Zeynep", "Ahmet", "Elif", "Emre", "Şule", "Oğuz", "Gülşen", "İsmail", "Çağla", "Barış", "Öykü", "Ümit"];

    private static readonly string[] LastNames =
        ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özdemir"];

    private static readonly string[] Cities = ["İstanbul", "Ankara", "İzmir", "Bursa", "Antalya", "Konya", "Adana", "Kayseri", "Gaziantep", "Isparta"];

    private static readonly string[] Deals =
        ["yıllık bakım sözleşmesi", "yeni üretim hattı", "ERP entegrasyonu", "depo otomasyonu", "filo yenileme", "enerji verimliliği projesi",
         "yedek parça tedariki", "eğitim paketi", "bulut geçişi", "güvenlik kamerası altyapısı"];

    private static readonly string[] Sources = ["Web sitesi", "Fuar", "Referans", "Soğuk arama", "LinkedIn", "Bayi"];

    public static async Task<int> RunAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<KazanDbContext>();
        var log = sp.GetRequiredService<ILoggerFactory>().CreateLogger("Kazan.Demo");
        if (await db.Organizations.IgnoreQueryFilters().AnyAsync())
        {
            log.LogWarning("The database already has an organization; demo data is only added to an empty database.");
            return 1;
        }

        var clock = sp.GetRequiredService<TimeProvider>();
        var users = sp.GetRequiredService<UserManager<User>>();
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var random = new Random(20261127);

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)).Replace('+', 'x').Replace('/', 'y') + "7a";
        var (admin, _) = await Onboarding.CreateAsync(db, users, clock,
            new OnboardingRequest("Anadolu Endüstri A.Ş.", "TRY", "tr-TR", "Deniz Aksoy", "admin@anadolu.example", password));
        var org = await db.Organizations.IgnoreQueryFilters().SingleAsync();
        sp.GetRequiredService<CurrentUser>().Set(org.Id, admin!.Id, UserRole.Admin, repsSeeAll: true);
        org.Address = "Organize Sanayi Bölgesi 3. Cadde No: 12, 16140 Nilüfer / Bursa";
        org.TaxOffice = "Nilüfer";
        org.TaxNumber = ValidVkn(random);
        org.Phone = "+90 224 555 12 12";
        org.Email = "satis@anadolu.example";

        var istanbul = new Team(org.Id, "İstanbul bölgesi");
        var ankara = new Team(org.Id, "Ankara bölgesi");
        db.Teams.AddRange(istanbul, ankara);
        await db.SaveChangesAsync();

        var people = new List<User> { admin };
        foreach (var (name, email, role, team) in new[]
        {
            ("Selin Ergin", "selin@anadolu.example", UserRole.Manager, istanbul.Id),
            ("Burak Tunç", "burak@anadolu.example", UserRole.Rep, istanbul.Id),
            ("Elif Karaca", "elif@anadolu.example", UserRole.Rep, istanbul.Id),
            ("Kerem Acar", "kerem@anadolu.example", UserRole.Rep, ankara.Id),
        })
        {
            var user = new User(org.Id, email, name, role, "tr-TR") { TeamId = team };
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded)
            {
                throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            }

            people.Add(user);
        }

        var reps = people.Where(u => u.Role != UserRole.Admin).ToList();
        db.Products.AddRange(
            new Product(org.Id, "KMP-200", "Vidalı kompresör 200 L", "adet", 148_500m, "TRY", 20m),
            new Product(org.Id, "KMP-BKM", "Kompresör yıllık bakım", "hizmet", 18_750m, "TRY", 20m),
            new Product(org.Id, "PMP-50", "Santrifüj pompa 50 m³/h", "adet", 2_450m, "EUR", 20m),
            new Product(org.Id, "YDK-FLT", "Yedek filtre seti", "takım", 1_280m, "TRY", 20m),
            new Product(org.Id, "MNT-SA", "Montaj ve devreye alma", "saat", 1_150m, "TRY", 20m),
            new Product(org.Id, "EGT-01", "Operatör eğitimi", "gün", 9_500m, "TRY", 10m),
            new Product(org.Id, "SNS-TMP", "Sıcaklık sensörü", "adet", 42.5m, "USD", 20m),
            new Product(org.Id, "KTP-KLV", "Kullanım kılavuzu (basılı)", "adet", 350m, "TRY", 0m),
            new Product(org.Id, "YZL-ERP", "ERP entegrasyon lisansı", "ay", 6_400m, "TRY", 20m),
            new Product(org.Id, "GDA-TST", "Gıda uygunluk testi", "adet", 2_100m, "TRY", 1m));
        var projects = await db.Pipelines.SingleAsync();
        var dealers = new Pipeline(org.Id, "Bayi satışı", isDefault: false);
        dealers.AddStage("Başvuru", 10, 14);
        dealers.AddStage("Değerlendirme", 30, 21);
        dealers.AddStage("Sözleşme", 70, 14);
        db.Pipelines.Add(dealers);
        var lostReasons = await db.LostReasons.OrderBy(r => r.Position).ToListAsync();

        var accounts = new List<(Account Account, List<Contact> Contacts)>();
        for (var i = 0; i < Companies.Length; i++)
        {
            var owner = reps[random.Next(reps.Count)];
            var account = new Account(org.Id, owner.Id, AccountKind.Company, $"{Companies[i]} {Suffixes[random.Next(Suffixes.Length)]}", now.AddDays(-random.Next(30, 400)))
            {
                City = Cities[random.Next(Cities.Length)],
                TaxOffice = Cities[random.Next(Cities.Length)],
                Phone = $"+90 {random.Next(212, 499)} {random.Next(100, 999)} {random.Next(10, 99)} {random.Next(10, 99)}",
                Website = $"https://www.{Slug(Companies[i])}.com.tr",
            };
            account.SetTaxNumber(ValidVkn(random));
            account.Address = $"{account.City} Merkez";
            db.Accounts.Add(account);
            var contacts = new List<Contact>();
            for (var c = 0; c < 2; c++)
            {
                var first = FirstNames[random.Next(FirstNames.Length)];
                var last = LastNames[random.Next(LastNames.Length)];
                var contact = new Contact(org.Id, owner.Id, account.Id, first, last, now)
                {
                    Title = c == 0 ? "Satın Alma Müdürü" : "Genel Müdür",
                    Email = $"{Slug(first)}.{Slug(last)}@{Slug(Companies[i])}.com.tr",
                    Phone = $"+90 5{random.Next(30, 59)} {random.Next(100, 999)} {random.Next(10, 99)} {random.Next(10, 99)}",
                };
                db.Contacts.Add(contact);
                contacts.Add(contact);
            }

            accounts.Add((account, contacts));
        }

        await db.SaveChangesAsync();

        var stageLists = new[] { projects.Stages.ToList(), dealers.Stages.ToList() };
        var dealsPerPipeline = new int[2];
        for (var i = 0; i < 90; i++)
        {
            var (account, contacts) = accounts[(int)Math.Min(accounts.Count - 1, Math.Floor(Math.Pow(random.NextDouble(), 1.6) * accounts.Count))];
            var which = i % 5 == 4 ? 1 : 0;
            var stages = stageLists[which];
            var stage = stages[dealsPerPipeline[which]++ % stages.Count];
            var created = now.AddDays(-random.Next(5, 120));
            var amount = Math.Round((decimal)(random.Next(15, 900) * 1000), 2);
            var (currency, rate) = i % 7 == 0 ? ("EUR", 37.4521m) : i % 11 == 0 ? ("USD", 34.1780m) : ("TRY", 1m);
            var opportunity = new Opportunity(org.Id, account.OwnerId, account.Id, stages[0], $"{account.Name.Split(' ')[0]} {Deals[random.Next(Deals.Length)]}",
                currency == "TRY" ? amount : Math.Round(amount / 30m, 2), currency, rate, today.AddDays(random.Next(-20, 120)), account.OwnerId, created)
            {
                Source = Sources[random.Next(Sources.Length)],
                NextStep = i % 3 == 0 ? "Teknik sunum ayarla" : null,
            };
            for (var s = 1; s <= stage.Position; s++)
            {
                opportunity.MoveTo(stages[s], account.OwnerId, created.AddDays(s * 3));
            }

            if (i % 9 == 0)
            {
                opportunity.MarkWon(account.OwnerId, created.AddDays(30));
            }
            else if (i % 13 == 0)
            {
                opportunity.MarkLost(lostReasons[random.Next(lostReasons.Count)], "Demo", account.OwnerId, created.AddDays(25));
            }

            db.Opportunities.Add(opportunity);
            db.OpportunityContacts.Add(new OpportunityContact(org.Id, opportunity.Id, contacts[0].Id, "Karar verici"));
            if (i % 2 == 0)
            {
                var due = now.AddDays(random.Next(-5, 10)).AddHours(random.Next(-4, 4));
                var activity = new Activity(org.Id, account.OwnerId, (ActivityKind)(i % 3), i % 3 == 1 ? $"{contacts[0].FullName} ile görüşme" : "Teklif hazırlığı",
                    account.Id, opportunity.Id, due, created.AddDays(1));
                activity.SetContacts([contacts[0].Id]);
                db.Activities.Add(activity);
                opportunity.TouchActivity(created.AddDays(1));
            }
        }

        await db.SaveChangesAsync();
        log.LogWarning(
            "Demo organization created. Sign in as admin@anadolu.example (or selin@, burak@, elif@, kerem@anadolu.example) with the password: {Password}",
            password);
        return 0;
    }

    /// <summary>A random VKN whose check digit is right.</summary>
    private static string ValidVkn(Random random)
    {
        while (true)
        {
            var candidate = string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('0' + random.Next(10))));
            if (TaxNumber.IsValidVkn(candidate))
            {
                return candidate;
            }
        }
    }

    private static string Slug(string text) => Infrastructure.Text.TurkishText.Fold(text).Replace(" ", "", StringComparison.Ordinal);
}
