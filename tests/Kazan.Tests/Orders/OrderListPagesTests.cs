using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kazan.Features.Users;
using Kazan.Infrastructure.Localization;
using Kazan.Tests.Infrastructure;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Orders;

/// <summary>
/// The order list, the delivery backlog, and late orders on the dashboard and the account page, read as HTML the
/// server renders (each test its own organization, so their orders never mix).
/// </summary>
public sealed partial class OrderListPagesTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DateOnly Today => OrgToday;

    private static string Lira(decimal amount) => Formats.Money(amount, "TRY", Formats.Culture("tr-TR"));

    /// <summary>A quantity as the page writes it in Turkish (PostgreSQL hands decimals back with their stored scale, 8.0000).</summary>
    private static string Quantity(decimal quantity) => quantity.ToString("#,##0.####", Formats.Culture("tr-TR"));

    /// <summary>A direct order (a won opportunity is created for it), dated and with a requested delivery date.</summary>
    private static Task<OrderDto> OrderAsync(
        HttpClient client, Guid accountId, DateOnly? requested, int daysAgo = 0, string currency = "TRY", decimal? rate = null, params object[] lines) =>
        client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId,
            currency,
            exchangeRate = rate,
            orderDate = Today.AddDays(-daysAgo),
            requestedDeliveryDate = requested,
            customerReference = "PO-" + Guid.NewGuid().ToString("N")[..6],
            lines = lines.Length > 0 ? lines : [Line("Vana", 2, 100m)],
        }, Ct).OkAsync<OrderDto>();

    private static Task<OrderDto> CancelAsync(HttpClient client, Guid orderId) =>
        client.PostWithEtagAsync($"/api/v1/orders/{orderId}", "cancel", new { reason = "Müşteri vazgeçti" }).OkAsync<OrderDto>();

    /// <summary>The table row (data-testid) that holds the text, or null.</summary>
    private static string? Row(string html, string testId, string containing) =>
        TableRow().Matches(html).Select(m => m.Value)
            .FirstOrDefault(r => r.Contains($"data-testid=\"{testId}\"", StringComparison.Ordinal) && r.Contains(containing, StringComparison.Ordinal));

    private static bool Lists(string html, OrderDto order) => html.Contains($">{order.Number}<", StringComparison.Ordinal);

    [Fact]
    public async Task The_orders_page_filters_by_status_customer_owner_and_requested_delivery_date()
    {
        var org = await factory.CreateOrganizationAsync("Sipariş Listesi A.Ş.");
        var client = org.Admin.Client;
        var rep = await org.AddUserAsync(UserRole.Rep, "Deniz Satış");
        var ozturk = await factory.AccountAsync(org, "Öztürk Gıda Sanayi A.Ş.");
        var ege = await factory.AccountAsync(org, "Ege Makine Ltd. Şti.", rep.Id);
        var soon = await OrderAsync(client, ozturk, Today.AddDays(5));
        var later = await OrderAsync(client, ege, Today.AddDays(20));
        var done = await OrderAsync(client, ozturk, Today.AddDays(10));
        await (await DeliverAsync(client, done.Id, (done.Lines[0].Id, 2m))).EnsureSuccessAsync();

        var all = await client.GetStringAsync("/orders", Ct);
        var delivered = await client.GetStringAsync("/orders?status=Delivered", Ct);
        var byName = await client.GetStringAsync("/orders?customer=OZTURK", Ct);
        var byAccount = await client.GetStringAsync($"/orders?accountId={ege}", Ct);
        var byOwner = await client.GetStringAsync($"/orders?ownerId={rep.Id}", Ct);
        var fromDate = await client.GetStringAsync($"/orders?from={Today.AddDays(15):yyyy-MM-dd}", Ct);
        var untilDate = await client.GetStringAsync($"/orders?from={Today.AddDays(6):yyyy-MM-dd}&to={Today.AddDays(12):yyyy-MM-dd}", Ct);
        var api = await client.GetStringAsync($"/api/v1/orders?customer={Uri.EscapeDataString("öztürk gıda")}", Ct);

        Assert.Contains("data-testid=\"nav-orders\"", all, StringComparison.Ordinal);
        Assert.Contains("href=\"/orders/backlog\"", all, StringComparison.Ordinal);
        Assert.True(Lists(all, soon) && Lists(all, later) && Lists(all, done));
        Assert.Contains($"href=\"/orders/{soon.Id}\"", all, StringComparison.Ordinal);
        Assert.Contains("Öztürk Gıda Sanayi A.Ş.", all, StringComparison.Ordinal);
        Assert.Contains("Deniz Satış", Row(all, "order-row", later.Number)!, StringComparison.Ordinal);
        Assert.Contains("Teslim edildi", Row(all, "order-row", done.Number)!, StringComparison.Ordinal);
        Assert.Contains(Lira(200m), Row(all, "order-row", soon.Number)!, StringComparison.Ordinal);
        Assert.Equal((false, false, true), (Lists(delivered, soon), Lists(delivered, later), Lists(delivered, done)));
        Assert.Equal((true, false, true), (Lists(byName, soon), Lists(byName, later), Lists(byName, done)));
        Assert.Equal((false, true, false), (Lists(byAccount, soon), Lists(byAccount, later), Lists(byAccount, done)));
        Assert.Contains("data-testid=\"filter-account-clear\"", byAccount, StringComparison.Ordinal);
        Assert.Equal((false, true, false), (Lists(byOwner, soon), Lists(byOwner, later), Lists(byOwner, done)));
        Assert.Equal((false, true, false), (Lists(fromDate, soon), Lists(fromDate, later), Lists(fromDate, done)));
        Assert.Equal((false, false, true), (Lists(untilDate, soon), Lists(untilDate, later), Lists(untilDate, done)));
        Assert.Equal((true, false, true), (api.Contains(soon.Number, StringComparison.Ordinal), api.Contains(later.Number, StringComparison.Ordinal),
            api.Contains(done.Number, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_overdue_filter_shows_only_undelivered_orders_past_their_requested_date_and_marks_them_late()
    {
        var org = await factory.CreateOrganizationAsync("Gecikme A.Ş.");
        var client = org.Admin.Client;
        var account = await factory.AccountAsync(org, "Karadeniz Fındık A.Ş.");
        var late = await OrderAsync(client, account, Today.AddDays(-3), daysAgo: 30);
        var partlyLate = await OrderAsync(client, account, Today.AddDays(-1), daysAgo: 30);
        await (await DeliverAsync(client, partlyLate.Id, (partlyLate.Lines[0].Id, 1m))).EnsureSuccessAsync();
        var onTime = await OrderAsync(client, account, Today.AddDays(3), daysAgo: 30);
        var deliveredLate = await OrderAsync(client, account, Today.AddDays(-10), daysAgo: 30);
        await (await DeliverAsync(client, deliveredLate.Id, (deliveredLate.Lines[0].Id, 2m))).EnsureSuccessAsync();
        var cancelled = await OrderAsync(client, account, Today.AddDays(-5), daysAgo: 30);
        await CancelAsync(client, cancelled.Id);
        var undated = await OrderAsync(client, account, null, daysAgo: 30);

        var overdue = await client.GetStringAsync("/orders?overdue=true", Ct);
        var all = await client.GetStringAsync("/orders", Ct);

        Assert.True(Lists(overdue, late) && Lists(overdue, partlyLate));
        Assert.False(Lists(overdue, onTime) || Lists(overdue, deliveredLate) || Lists(overdue, cancelled) || Lists(overdue, undated));
        Assert.Contains("checked", Regex.Match(overdue, "<input[^>]*data-testid=\"filter-overdue\"[^>]*>").Value, StringComparison.Ordinal);
        foreach (var (order, isLate) in new[] { (late, true), (partlyLate, true), (onTime, false), (deliveredLate, false), (cancelled, false), (undated, false) })
        {
            var row = Row(all, "order-row", order.Number)!;
            Assert.Equal(isLate, row.Contains("data-late=\"true\"", StringComparison.Ordinal) && row.Contains("class=\"late\"", StringComparison.Ordinal)
                && row.Contains("data-testid=\"late-mark\"", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_backlog_shows_per_customer_and_per_product_the_sums_of_the_undelivered_lines_in_lira()
    {
        var org = await factory.CreateOrganizationAsync("Bakiye A.Ş.");
        var client = org.Admin.Client;
        var pump = await client.PostAsJsonAsync("/api/v1/products", new { code = "P-001", name = "Santrifüj pompa", unit = "adet", listPrice = 100m, currency = "TRY", vatRate = 20m }, Ct)
            .OkAsync<IdDto>();
        var seal = await client.PostAsJsonAsync("/api/v1/products", new { code = "C-042", name = "Conta", unit = "kutu", listPrice = 40m, currency = "TRY", vatRate = 20m }, Ct)
            .OkAsync<IdDto>();
        var izmir = await factory.AccountAsync(org, "İzmir Ambalaj A.Ş.");
        var bursa = await factory.AccountAsync(org, "Bursa Tekstil A.Ş.");

        // İzmir: 10 pumps (4 delivered) and 5 boxes of seals at 10 % off; and 2 pumps in euros at 35,50 TL.
        var first = await OrderAsync(client, izmir, Today.AddDays(9), 0, "TRY", null,
            new { productId = pump.Id, quantity = 10m, unitPrice = 100m }, new { productId = seal.Id, quantity = 5m, unitPrice = 40m, discountPercent = 10m });
        await (await DeliverAsync(client, first.Id, (first.Lines[0].Id, 4m))).EnsureSuccessAsync();
        var euro = await OrderAsync(client, izmir, Today.AddDays(4), 0, "EUR", 35.5m, new { productId = pump.Id, quantity = 2m, unitPrice = 10m });

        // Bursa: 3 hours of assembly typed freely; a delivered order and a cancelled one count for nothing.
        var assembly = await OrderAsync(client, bursa, Today.AddDays(-2), 10, "TRY", null, Line("Montaj", 3, 250m, unit: "saat"));
        var delivered = await OrderAsync(client, bursa, Today.AddDays(1), 0, "TRY", null, new { productId = pump.Id, quantity = 1m, unitPrice = 100m });
        await (await DeliverAsync(client, delivered.Id, (delivered.Lines[0].Id, 1m))).EnsureSuccessAsync();
        await CancelAsync(client, (await OrderAsync(client, bursa, null, 0, "TRY", null, Line("Montaj", 9, 250m, unit: "saat"))).Id);

        // What the lines say (each line's undelivered net at its order's rate, rounded per line as the orders store it).
        var open = new[] { await GetOrderAsync(client, first.Id), await GetOrderAsync(client, euro.Id), await GetOrderAsync(client, assembly.Id) };
        decimal RemainingBase(OrderDto o, OrderLineDto l) => decimal.Round((l.NetAmount - l.DeliveredNet) * o.ExchangeRate, 2, MidpointRounding.AwayFromZero);
        var izmirRemaining = open.Where(o => o.AccountId == izmir).Sum(o => o.Lines.Sum(l => RemainingBase(o, l)));
        var bursaRemaining = open.Where(o => o.AccountId == bursa).Sum(o => o.Lines.Sum(l => RemainingBase(o, l)));
        var pumpLines = open.SelectMany(o => o.Lines.Where(l => l.Description == "Santrifüj pompa").Select(l => (o, l))).ToList();
        var sealLines = open.SelectMany(o => o.Lines.Where(l => l.Description == "Conta").Select(l => (o, l))).ToList();
        Assert.Equal((1_490m, 750m), (izmirRemaining, bursaRemaining)); // 600 + 180 + 2 × 10 € × 35,50
        Assert.Equal((8m, 1_310m), (pumpLines.Sum(x => x.l.Remaining), pumpLines.Sum(x => RemainingBase(x.o, x.l))));

        var html = await client.GetStringAsync("/orders/backlog", Ct);

        var izmirRow = Row(html, "backlog-customer-row", "İzmir Ambalaj A.Ş.")!;
        var bursaRow = Row(html, "backlog-customer-row", "Bursa Tekstil A.Ş.")!;
        Assert.Matches($"backlog-customer-orders\"[^>]*>2<", izmirRow);
        Assert.Contains(Lira(izmirRemaining), izmirRow, StringComparison.Ordinal);
        Assert.Contains(Today.AddDays(4).ToString("d", Formats.Culture("tr-TR")), izmirRow, StringComparison.Ordinal);
        Assert.DoesNotContain("Gecikmiş", izmirRow, StringComparison.Ordinal);
        Assert.Matches($"backlog-customer-orders\"[^>]*>1<", bursaRow);
        Assert.Contains(Lira(bursaRemaining), bursaRow, StringComparison.Ordinal);
        Assert.Contains("Gecikmiş", bursaRow, StringComparison.Ordinal); // its earliest requested date has passed
        Assert.True(html.IndexOf(izmirRow, StringComparison.Ordinal) < html.IndexOf(bursaRow, StringComparison.Ordinal), "largest first");

        var pumpRow = Row(html, "backlog-product-row", "P-001 · Santrifüj pompa")!;
        var sealRow = Row(html, "backlog-product-row", "C-042 · Conta")!;
        var freeRow = Row(html, "backlog-product-row", "Ürünsüz satırlar")!;
        Assert.Contains($"{Quantity(pumpLines.Sum(x => x.l.Remaining))} adet", pumpRow, StringComparison.Ordinal);
        Assert.Contains(Lira(pumpLines.Sum(x => RemainingBase(x.o, x.l))), pumpRow, StringComparison.Ordinal);
        Assert.Contains($"{Quantity(sealLines.Sum(x => x.l.Remaining))} kutu", sealRow, StringComparison.Ordinal);
        Assert.Contains(Lira(180m), sealRow, StringComparison.Ordinal);
        Assert.Contains("3 saat", freeRow, StringComparison.Ordinal);
        Assert.Contains(Lira(750m), freeRow, StringComparison.Ordinal);
        Assert.Equal(3, TableRow().Matches(html).Count(m => m.Value.Contains("backlog-product-row", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_dashboard_and_the_account_page_show_late_orders_highlighted_and_not_the_ones_on_time()
    {
        var org = await factory.CreateOrganizationAsync("Pano Gecikme A.Ş.");
        var client = org.Admin.Client;
        var account = await factory.AccountAsync(org, "Trakya Un A.Ş.");
        var late = await OrderAsync(client, account, Today.AddDays(-4), daysAgo: 20);
        var onTime = await OrderAsync(client, account, Today.AddDays(6), daysAgo: 20);
        var done = await OrderAsync(client, account, Today.AddDays(-8), daysAgo: 20);
        await (await DeliverAsync(client, done.Id, (done.Lines[0].Id, 2m))).EnsureSuccessAsync();

        var home = await client.GetStringAsync("/", Ct);
        var accountPage = await client.GetStringAsync($"/accounts/{account}", Ct);

        var card = Regex.Match(home, "<section[^>]*data-testid=\"late-orders\".*?</section>", RegexOptions.Singleline).Value;
        Assert.True(Lists(card, late));
        Assert.False(Lists(card, onTime) || Lists(card, done));
        Assert.Contains("Trakya Un A.Ş.", card, StringComparison.Ordinal);
        Assert.Contains("4 gün gecikti", card, StringComparison.Ordinal);
        Assert.Contains("class=\"late\"", Row(card, "late-order-row", late.Number)!, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"late-orders-count\"[^>]*>1<", card);

        var panel = Regex.Match(accountPage, "<section[^>]*data-testid=\"account-orders\".*?</section>", RegexOptions.Singleline).Value;
        Assert.True(Lists(panel, late) && Lists(panel, onTime) && Lists(panel, done));
        Assert.Contains("data-late=\"true\"", Row(panel, "account-order-row", late.Number)!, StringComparison.Ordinal);
        Assert.Contains("data-late=\"false\"", Row(panel, "account-order-row", onTime.Number)!, StringComparison.Ordinal);
        Assert.Contains("data-late=\"false\"", Row(panel, "account-order-row", done.Number)!, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"account-late-count\"[^>]*>1 gecikmiş<", panel);
        Assert.Contains($"href=\"/orders?accountId={account}\"", panel, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_late_orders_the_dashboard_says_so_and_the_account_page_has_no_late_count()
    {
        var org = await factory.CreateOrganizationAsync("Zamanında A.Ş.");
        var account = await factory.AccountAsync(org);
        await OrderAsync(org.Admin.Client, account, Today.AddDays(2));

        var home = await org.Admin.Client.GetStringAsync("/", Ct);
        var accountPage = await org.Admin.Client.GetStringAsync($"/accounts/{account}", Ct);

        Assert.Contains("data-testid=\"late-orders-none\"", home, StringComparison.Ordinal);
        Assert.DoesNotContain("late-order-row", home, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"account-order-row\"", accountPage, StringComparison.Ordinal);
        Assert.DoesNotContain("account-late-count", accountPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rep_sees_only_their_own_orders_on_the_list_the_backlog_the_dashboard_and_the_account_page()
    {
        var org = await factory.CreateOrganizationAsync("Temsilci Sipariş A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep, "Ayşe Temsilci");
        var theirs = await factory.AccountAsync(org, "Temsilcinin Müşterisi A.Ş.", rep.Id);
        var others = await factory.AccountAsync(org, "Başkasının Müşterisi A.Ş.");
        var own = await OrderAsync(org.Admin.Client, theirs, Today.AddDays(-2), daysAgo: 10);
        var foreign = await OrderAsync(org.Admin.Client, others, Today.AddDays(-2), daysAgo: 10);

        var list = await rep.Client.GetStringAsync("/orders", Ct);
        var backlog = await rep.Client.GetStringAsync("/orders/backlog", Ct);
        var home = await rep.Client.GetStringAsync("/", Ct);
        var adminList = await org.Admin.Client.GetStringAsync("/orders", Ct);

        Assert.True(Lists(list, own));
        Assert.False(Lists(list, foreign));
        Assert.Contains("Temsilcinin Müşterisi A.Ş.", backlog, StringComparison.Ordinal);
        Assert.DoesNotContain("Başkasının Müşterisi A.Ş.", backlog, StringComparison.Ordinal);
        Assert.True(Lists(home, own));
        Assert.False(Lists(home, foreign));
        Assert.True(Lists(adminList, own) && Lists(adminList, foreign));
        Assert.Equal(HttpStatusCode.NotFound, (await rep.Client.GetAsync($"/api/v1/orders/{foreign.Id}/pdf", Ct)).StatusCode);
    }

    [Fact]
    public async Task The_orders_page_pages_with_a_next_link_that_keeps_the_filters()
    {
        var org = await factory.CreateOrganizationAsync("Sayfa Sipariş A.Ş.");
        var account = await factory.AccountAsync(org);
        var orders = new List<OrderDto>();
        for (var i = 0; i < 51; i++)
        {
            orders.Add(await OrderAsync(org.Admin.Client, account, Today.AddDays(30)));
        }

        var first = await org.Admin.Client.GetStringAsync("/orders?status=Open", Ct);
        var next = WebUtility.HtmlDecode(NextLink().Match(first).Groups[1].Value);
        var second = await org.Admin.Client.GetStringAsync(next, Ct);

        Assert.Equal(50, OrderRow().Count(first));
        Assert.Contains("status=Open", next, StringComparison.Ordinal);
        Assert.Equal(1, OrderRow().Count(second));
        Assert.True(Lists(second, orders[0])); // the oldest comes last
        Assert.False(Lists(first, orders[0]));
    }

    public sealed record IdDto(Guid Id);

    [GeneratedRegex("<tr\\b[^>]*>.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex TableRow();

    [GeneratedRegex("data-testid=\"order-row\"")]
    private static partial Regex OrderRow();

    [GeneratedRegex("href=\"([^\"]+)\" data-testid=\"next-page\"")]
    private static partial Regex NextLink();
}
