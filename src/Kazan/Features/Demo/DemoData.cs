using System.Security.Cryptography;
using Kazan.Features.Accounts;
using Kazan.Features.Activities;
using Kazan.Features.Contacts;
using Kazan.Features.Notifications;
using Kazan.Features.Opportunities;
using Kazan.Features.Orders;
using Kazan.Features.Organizations;
using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Kazan.Features.Products;
using Kazan.Features.Quotes;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Demo;

/// <summary>
/// <c>dotnet run --project src/Kazan -- --demo</c>: on an empty database, creates "Anadolu Endüstri A.Ş." — users and
/// teams, two pipelines, products, Turkish accounts with valid VKNs, contacts, opportunities in every stage (and some won and
/// lost), activities, quotes (drafts, sent, accepted) and orders with partial deliveries (some late) — so a newcomer sees a living CRM. Passwords are generated and printed once; none is built in.
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

    /// <summary>Creates the demo organization on an empty database (0) or does nothing (1); <paramref name="signedUp"/> receives the sign-in.</summary>
    public static async Task<int> RunAsync(IServiceProvider services, Action<DemoSignIn>? signedUp = null)
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
        var today = OrganizationTime.DayIn(OrganizationTime.DefaultZone, now);
        var random = new Random(20261127);

        var password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(9)).Replace('+', 'x').Replace('/', 'y') + "7a";
        var admin = (await OrganizationCommands.OnboardAsync(db, users, clock,
            new OnboardingRequest("Anadolu Endüstri A.Ş.", "TRY", "tr-TR", "Deniz Aksoy", "admin@anadolu.example", password))).Value;
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
        var revised = new List<Opportunity>();
        for (var i = 0; i < 90; i++)
        {
            var (account, contacts) = accounts[(int)Math.Min(accounts.Count - 1, Math.Floor(Math.Pow(random.NextDouble(), 1.6) * accounts.Count))];
            var which = i % 5 == 4 ? 1 : 0;
            var stages = stageLists[which];
            var stage = stages[dealsPerPipeline[which]++ % stages.Count];

            // Believable flags: most deals entered their stage recently or were worked on lately; about one in eight sits
            // idle past its stage's rotting days and about one in ten is past its expected close date.
            var stale = i % 8 == 5;
            var rotting = stage.RottingDays ?? 14;
            var entered = stale
                ? now.AddDays(-(rotting + random.Next(3, 25))).AddHours(-random.Next(0, 8))
                : now.AddDays(-random.Next(0, Math.Max(1, rotting - 3))).AddHours(-random.Next(1, 8));
            var created = entered.AddDays(-((stage.Position * random.Next(4, 12)) + random.Next(0, 6)));
            var closeDate = i % 10 == 3 ? today.AddDays(-random.Next(2, 15)) : today.AddDays(random.Next(7, 120));
            if (i % 3 == 1)
            {
                // One deal in three has been in the pipeline for months, so the quarter's movement starts with a pipeline;
                // some of those are expected to close at the end of this quarter (this week's news below moves them).
                created = created.AddDays(-100);
                closeDate = i % 6 == 1 && QuarterEnd(today) > today ? QuarterEnd(today) : closeDate;
            }

            var amount = (decimal)(random.Next(15, 900) * 1000);
            var (currency, rate) = i % 7 == 0 ? ("EUR", 37.4521m) : i % 11 == 0 ? ("USD", 34.1780m) : ("TRY", 1m);
            var opportunity = new Opportunity(org.Id, account.OwnerId, account.Id, stages[0], $"{account.Name.Split(' ')[0]} {Deals[random.Next(Deals.Length)]}",
                currency == "TRY" ? amount : Pricing.Pricing.Round2(amount / 30m), currency, rate, closeDate, account.OwnerId, created)
            {
                Source = Sources[random.Next(Sources.Length)],
                NextStep = i % 3 == 0 ? "Teknik sunum ayarla" : null,
            };
            // Each step saved on its own, so that every history event carries the state the deal had right after it
            // and the reports rebuild the past of the demo as they would a real company's.
            db.Opportunities.Add(opportunity);
            await db.SaveChangesAsync();
            for (var s = 1; s <= stage.Position; s++)
            {
                // Moves spread between creation and the day it entered its current stage.
                opportunity.MoveTo(stages[s], account.OwnerId, created + ((entered - created) * s / stage.Position));
                await db.SaveChangesAsync();
            }

            if (i % 9 == 0)
            {
                var closed = Earlier(entered.AddDays(random.Next(1, 6)), now);
                opportunity.MarkWon(account.OwnerId, closed, OrganizationTime.DayIn(OrganizationTime.DefaultZone, closed));
            }
            else if (i % 13 == 0)
            {
                var closed = Earlier(entered.AddDays(random.Next(1, 6)), now);
                opportunity.MarkLost(lostReasons[random.Next(lostReasons.Count)], "Demo", account.OwnerId, closed, OrganizationTime.DayIn(OrganizationTime.DefaultZone, closed));
            }
            else if (which == 0 && i % 6 == 1)
            {
                revised.Add(opportunity);
            }

            db.OpportunityContacts.Add(new OpportunityContact(org.Id, opportunity.Id, contacts[0].Id, "Karar verici"));
            if (!stale && i % 3 != 2)
            {
                // A call already made since the deal reached its stage: the timeline has history and the deal is not idle.
                var doneAt = Earlier(entered.AddDays(random.Next(0, 3)).AddHours(random.Next(1, 6)), now.AddHours(-1));
                var call = new Activity(org.Id, account.OwnerId, ActivityKind.Call, $"{contacts[0].FullName} ile durum görüşmesi",
                    account.Id, opportunity.Id, doneAt, doneAt);
                call.SetContacts([contacts[0].Id]);
                call.MarkDone(doneAt);
                db.Activities.Add(call);
                opportunity.TouchActivity(doneAt);
            }

            if (i % 2 == 0)
            {
                // What is planned next: mostly in the coming days, a few left overdue.
                var due = i % 16 == 0 ? now.AddDays(-random.Next(1, 4)).AddHours(-random.Next(1, 5)) : now.AddDays(random.Next(0, 10)).AddHours(random.Next(1, 8));
                var activity = new Activity(org.Id, account.OwnerId, (ActivityKind)(i % 3), i % 3 == 1 ? $"{contacts[0].FullName} ile görüşme" : "Teklif hazırlığı",
                    account.Id, opportunity.Id, due, Earlier(entered, now));
                activity.SetContacts([contacts[0].Id]);
                db.Activities.Add(activity);
            }
        }

        await db.SaveChangesAsync();

        // This week's news, as the movement report shows it: one deal in three of those picked grew, one shrank and one
        // slipped to a later close date (recorded now, like any edit).
        foreach (var (deal, n) in revised.Select((d, n) => (d, n)))
        {
            switch (n % 3)
            {
                case 0:
                    deal.SetAmount(Pricing.Pricing.Round2(deal.ExpectedAmount * 1.25m), deal.Currency.Code, deal.Currency.Rate);
                    break;
                case 1:
                    deal.SetAmount(Pricing.Pricing.Round2(deal.ExpectedAmount * 0.8m), deal.Currency.Code, deal.Currency.Rate);
                    break;
                default:
                    deal.SetExpectedCloseDate(deal.ExpectedCloseDate.AddMonths(3));
                    break;
            }

            await db.SaveChangesAsync();
        }

        await AddQuotesAndOrdersAsync(db, sp.GetRequiredService<CurrentUser>(), clock, random);
        log.LogInformation("Demo organization created.");
        signedUp?.Invoke(new DemoSignIn("admin@anadolu.example", people.Skip(1).Select(u => u.Email!).ToList(), password));
        return 0;
    }

    /// <summary>
    /// Quotes for deals in the later stages of the project pipeline (some sent, some accepted), orders for most accepted
    /// ones and one direct order, then partial deliveries; two requested dates lie in the past, so the dashboard shows
    /// late orders. Written through the same commands the API uses.
    /// </summary>
    private static async Task AddQuotesAndOrdersAsync(KazanDbContext db, CurrentUser me, TimeProvider clock, Random random)
    {
        var time = new OrganizationTime(clock, me);
        var today = time.Today;
        var products = await db.Products.Where(p => p.Currency == "TRY").OrderBy(p => p.Code).ToListAsync();
        var pipeline = await db.Pipelines.SingleAsync(p => p.IsDefault);
        var lateStages = pipeline.Stages.Where(s => s.Position >= 3).Select(s => s.Id).ToList();
        var deals = await db.Opportunities
            .Where(o => o.Status == OpportunityStatus.Open && o.Currency.Code == "TRY" && lateStages.Contains(o.StageId))
            .OrderBy(o => o.CreatedAt).Take(10).ToListAsync();
        var orderNumber = 0;
        foreach (var (deal, i) in deals.Select((d, i) => (d, i)))
        {
            var lines = Enumerable.Range(0, 2 + (i % 2)).Select(n => products[(i + (n * 3)) % products.Count])
                .Select((p, n) => new QuoteLineDraft(null, QuoteLineKind.Item, p.Id, null, 1 + random.Next(1, 6), null, null, n == 0 ? 5m : 0m, null))
                .ToList();
            var header = new QuoteHeader("TRY", null, "tr", today.AddDays(30), 0m, "Siparişte %30 peşin, kalan teslimde.", null);
            var quote = Done(await QuoteCommands.CreateAsync(db, me, time, deal.AccountId, deal.Id, null, header, lines, default)).Quote;
            if (i % 5 == 4)
            {
                continue; // stays a draft
            }

            Done(await QuoteCommands.SendAsync(db, quote.Id, quote.Version, null, time, default));
            if (i % 5 == 3)
            {
                continue; // sent, waiting for the customer
            }

            Done(await QuoteCommands.AcceptAsync(db, quote.Id, quote.Version, time, default));
            var requested = today.AddDays(orderNumber % 3 == 0 ? -6 : 14);
            var created = Done(await OrderCommands.CreateFromQuoteAsync(db, me, time, quote.Id, null,
                new OrderDetails(today.AddDays(-10), $"PO-{2600 + i}", requested, null, null), default));
            orderNumber++;
            if (i % 2 == 0)
            {
                var first = created.Order.Lines[0];
                var half = Math.Max(1, Math.Floor(first.Quantity / 2));
                Done(await OrderCommands.RecordDeliveryAsync(db, me, time, created.Order.Id, null, DeliveryKind.Delivery,
                    new Dictionary<Guid, decimal> { [first.Id] = half }, today.AddDays(-3), $"IRS-{4100 + i}", null, default));
            }
        }

        await AddNotificationsAsync(db, clock);

        var account = await db.Accounts.OrderBy(a => a.Name).FirstAsync();
        Done(await OrderCommands.CreateDirectAsync(db, me, time, account.Id, null, "Yedek parça siparişi", new OrderMoney("TRY", null, 0m),
            [new LineDraft(products[0].Id, null, 12, null, null, 0m, null)],
            new OrderDetails(today.AddDays(-20), "PO-2599", today.AddDays(-2), null, null), default));
    }

    /// <summary>
    /// The bell shows something: the customer opened the quote still waiting for an answer (two hours ago, unread) and
    /// accepted two others (yesterday, unread; three days ago, read). Written as the online quote will write them.
    /// </summary>
    private static async Task AddNotificationsAsync(KazanDbContext db, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var quotes = await db.Quotes.Where(q => q.Status == QuoteStatus.Sent || q.Status == QuoteStatus.Accepted)
            .Join(db.Accounts, q => q.AccountId, a => a.Id, (q, a) => new { Quote = q, Account = a.Name })
            .OrderBy(q => q.Quote.Number).ToListAsync();
        if (quotes.FirstOrDefault(q => q.Quote.Status == QuoteStatus.Sent) is { } waiting)
        {
            QuoteNotifications.NotifyOwner(db, waiting.Quote, waiting.Account, NotificationKind.QuoteViewed, now.AddHours(-2));
        }

        foreach (var (accepted, i) in quotes.Where(q => q.Quote.Status == QuoteStatus.Accepted).Take(2).Select((q, i) => (q, i)))
        {
            var at = now.AddDays(i == 0 ? -1 : -3);
            var notification = QuoteNotifications.NotifyOwner(db, accepted.Quote, accepted.Account, NotificationKind.QuoteAccepted, at);
            if (i == 1)
            {
                notification.MarkRead(at.AddHours(1));
            }
        }

        await db.SaveChangesAsync();
    }

    /// <summary>The demo's own use cases must succeed; anything else is a bug in the demo data.</summary>
    private static T Done<T>(Outcome<T> outcome) =>
        outcome.IsOk ? outcome.Value! : throw new InvalidOperationException($"Demo data: {outcome.Status} {outcome.Rule?.Message}");

    private static DateOnly QuarterEnd(DateOnly day) => new DateOnly(day.Year, ((day.Month - 1) / 3 * 3) + 1, 1).AddMonths(3).AddDays(-1);

    private static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

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
