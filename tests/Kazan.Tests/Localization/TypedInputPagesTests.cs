using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kazan.Features.Products;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;
using Microsoft.EntityFrameworkCore;
using static Kazan.Tests.Infrastructure.FormPosts;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Localization;

/// <summary>
/// Numbers and dates typed into the server-rendered forms, posted as a browser without script posts them: read with
/// the user's language (never guessed), refused with a message at the box and nothing saved when they do not read,
/// and unusual values saved only once confirmed. The same on SQLite and PostgreSQL.
/// </summary>
public sealed partial class TypedInputPagesTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string TodayTr => Kazan.Tests.Orders.OrderTestData.OrgToday.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture);

    private static Dictionary<string, string> ProductForm(string code, string price, string vat = "20") => new()
    {
        ["Input.Code"] = code,
        ["Input.Name"] = "Vidalı kompresör " + code,
        ["Input.Unit"] = "adet",
        ["Input.ListPrice"] = price,
        ["Input.Currency"] = "TRY",
        ["Input.VatRate"] = vat,
    };

    private async Task<Product?> ProductAsync(TestOrganization org, string code)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            return await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Code == code, Ct);
        }
    }

    private async Task<int> OrderCountAsync(TestOrganization org)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            return await db.Orders.CountAsync(Ct);
        }
    }

    private async Task<Guid> DefaultStageAsync(TestOrganization org)
    {
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            return (await db.Pipelines.AsNoTracking().SingleAsync(p => p.IsDefault, Ct)).Stages[0].Id;
        }
    }

    [Fact]
    public async Task A_Turkish_user_types_148_500_as_a_list_price_and_Kazan_stores_148500_not_148_5()
    {
        var org = await factory.CreateOrganizationAsync("Binlik Nokta A.Ş.");

        var response = await org.Admin.Client.PostFormAsync("/products/new", "product", ProductForm("KMP-148", "148.500", vat: "7,5"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var product = await ProductAsync(org, "KMP-148");
        Assert.Equal((148_500m, 7.5m), (product!.ListPrice, product.VatRate));
        var page = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync($"/products/{product.Id}", Ct));
        Assert.Equal("148.500,00", Box(page, "Input.ListPrice").Value); // shown back grouped, the Turkish way
        Assert.Equal("7,5", Box(page, "Input.VatRate").Value);
    }

    [Theory]
    [InlineData("1.2.3", "Bu bir sayı değil. Şöyle yazın: 1.234,56")]
    [InlineData("abc", "Bu bir sayı değil. Şöyle yazın: 1.234,56")]
    [InlineData("12,345.6", "Ondalık için virgül, binlik için nokta kullanın: 12.345,6")]
    [InlineData("148.50", "Ondalık için virgül, binlik için nokta kullanın: 148,5")]
    [InlineData("1,23456", "Burada en fazla 4 ondalık basamak yazılabilir (binlikler 1.234 diye yazılır).")]
    [InlineData("-5", "0 ile 1.000.000.000 arasında olmalı.")]
    public async Task Text_that_does_not_read_comes_back_in_its_box_with_the_message_and_nothing_is_saved(string typed, string message)
    {
        var org = await factory.CreateOrganizationAsync("Hatalı Sayı A.Ş. " + Guid.NewGuid().ToString("N")[..6]);

        var response = await org.Admin.Client.PostFormAsync("/products/new", "product", ProductForm("KMP-BAD", typed));

        var html = await response.HtmlAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal((typed, true, message), Box(html, "Input.ListPrice"));
        Assert.Contains("Bazı kutuların düzeltilmesi gerekiyor (aşağıda işaretli); hiçbir şey kaydedilmedi.", html, StringComparison.Ordinal);
        Assert.Null(await ProductAsync(org, "KMP-BAD"));
    }

    [Fact]
    public async Task An_English_user_types_1_234_56_as_a_price_and_7_5_is_refused_with_the_English_way_of_writing_it()
    {
        var org = await factory.CreateOrganizationAsync("Decimal Point Ltd.", "en-US");
        var account = await factory.AccountAsync(org, "Harbour Foods");

        var saved = await org.Admin.Client.PostFormAsync("/products/new", "product", ProductForm("PMP-1", "1,234.56"));
        var refused = await org.Admin.Client.PostFormAsync($"/orders/new?accountId={account}", "order-direct", new Dictionary<string, string>
        {
            ["Direct.Do"] = "create",
            ["Direct.Currency"] = "TRY",
            ["Direct.Lines[0].Description"] = "Pump service",
            ["Direct.Lines[0].Quantity"] = "2",
            ["Direct.Lines[0].Unit"] = "hour",
            ["Direct.Lines[0].UnitPrice"] = "1,500",
            ["Direct.Lines[0].DiscountPercent"] = "7,5",
            ["Direct.Lines[0].VatRate"] = "20",
            ["Direct.Details.OrderDate"] = Kazan.Tests.Orders.OrderTestData.OrgToday.ToString("dd MMM yyyy", CultureInfo.GetCultureInfo("en-US")),
        });

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(1234.56m, (await ProductAsync(org, "PMP-1"))!.ListPrice);
        var html = await refused.HtmlAsync();
        Assert.Equal(("7,5", true, "Use a point for decimals and commas for thousands: 7.5"), Box(html, "Direct.Lines[0].DiscountPercent"));
        Assert.False(Box(html, "Direct.Lines[0].UnitPrice").Invalid); // 1,500 is one thousand five hundred in English
        Assert.Equal(0, await OrderCountAsync(org));
    }

    [Fact]
    public async Task A_Turkish_user_types_a_7_5_percent_line_discount_and_a_148_500_price_on_the_order_lines()
    {
        var org = await factory.CreateOrganizationAsync("Sipariş Satırı Sayı A.Ş.");
        var account = await factory.AccountAsync(org);
        var order = await DirectOrderAsync(org.Admin.Client, account, null, Line("Vana", 2, 100m));

        var response = await org.Admin.Client.PostFormAsync($"/orders/{order.Id}", "order-lines", new Dictionary<string, string>
        {
            ["LinesEdit.Version"] = order.Version.ToString(CultureInfo.InvariantCulture),
            ["LinesEdit.Lines[0].Id"] = order.Lines[0].Id.ToString(),
            ["LinesEdit.Lines[0].Description"] = "Vana",
            ["LinesEdit.Lines[0].Quantity"] = "2,5",
            ["LinesEdit.Lines[0].Unit"] = "adet",
            ["LinesEdit.Lines[0].UnitPrice"] = "148.500",
            ["LinesEdit.Lines[0].DiscountPercent"] = "7,5",
            ["LinesEdit.Lines[0].VatRate"] = "%20",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var stored = (await GetOrderAsync(org.Admin.Client, order.Id)).Lines.Single();
        Assert.Equal((2.5m, 148_500m), (stored.Ordered, stored.UnitPrice));
        Assert.Equal(Kazan.Features.Pricing.Pricing.Round2(2.5m * 148_500m * 0.925m), stored.NetAmount);
    }

    [Fact]
    public async Task A_delivery_of_1_5_and_a_date_typed_the_Turkish_way_are_recorded_and_a_wrong_date_records_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Teslimat Sayı A.Ş.");
        var account = await factory.AccountAsync(org);
        var order = await DirectOrderAsync(org.Admin.Client, account, null, Line("Kablo", 10, 5m, unit: "m"));
        Dictionary<string, string> Delivery(string quantity, string date) => new()
        {
            ["Deliver.Version"] = order.Version.ToString(CultureInfo.InvariantCulture),
            ["Deliver.Lines[0].Id"] = order.Lines[0].Id.ToString(),
            ["Deliver.Lines[0].Quantity"] = quantity,
            ["Deliver.Date"] = date,
        };

        var wrongDate = await org.Admin.Client.PostFormAsync($"/orders/{order.Id}", "order-deliver", Delivery("1,5", "31.02.2026"));
        var wrongQuantity = await org.Admin.Client.PostFormAsync($"/orders/{order.Id}", "order-deliver", Delivery("1.5", TodayTr));
        var afterRefusals = (await GetOrderAsync(org.Admin.Client, order.Id)).Lines.Single().Delivered;
        var recorded = await org.Admin.Client.PostFormAsync($"/orders/{order.Id}", "order-deliver", Delivery("1,5", TodayTr));

        var wrongDateHtml = await wrongDate.HtmlAsync();
        Assert.Equal(("31.02.2026", true, "Böyle bir tarih yok. Şöyle yazın: 05.12.2026"), Box(wrongDateHtml, "Deliver.Date"));
        Assert.Equal("1,5", Box(wrongDateHtml, "Deliver.Lines[0].Quantity").Value); // what was typed stays to correct
        Assert.Equal(("1.5", true, "Ondalık için virgül, binlik için nokta kullanın: 1,5"), Box(await wrongQuantity.HtmlAsync(), "Deliver.Lines[0].Quantity"));
        Assert.Equal(0m, afterRefusals);
        Assert.Equal(HttpStatusCode.Redirect, recorded.StatusCode);
        Assert.Equal(1.5m, (await GetOrderAsync(org.Admin.Client, order.Id)).Lines.Single().Delivered);
        var deliveries = await org.Admin.Client.GetFromJsonAsync<List<DeliveryDto>>($"/api/v1/orders/{order.Id}/deliveries", Ct);
        Assert.Equal(Kazan.Tests.Orders.OrderTestData.OrgToday, deliveries!.Single().Date);
    }

    [Fact]
    public async Task A_75_percent_discount_on_a_direct_order_asks_first_and_is_saved_only_when_confirmed()
    {
        var org = await factory.CreateOrganizationAsync("Olağan Dışı İskonto A.Ş.");
        var account = await factory.AccountAsync(org);
        var url = $"/orders/new?accountId={account}";
        Dictionary<string, string> Form(string doing, string discount) => new()
        {
            ["Direct.Do"] = doing,
            ["Direct.Currency"] = "TRY",
            ["Direct.Lines[0].Description"] = "Pano montajı",
            ["Direct.Lines[0].Quantity"] = "1",
            ["Direct.Lines[0].Unit"] = "adet",
            ["Direct.Lines[0].UnitPrice"] = "10.000",
            ["Direct.Lines[0].DiscountPercent"] = discount,
            ["Direct.Lines[0].VatRate"] = "20",
            ["Direct.Details.OrderDate"] = TodayTr,
        };

        var asked = await (await org.Admin.Client.PostFormAsync(url, "order-direct", Form("create", "75"))).HtmlAsync();
        var confirmValue = Regex.Match(asked, "name=\"Direct.Do\" value=\"(create:[^\"]+)\"[^>]*data-testid=\"unusual-confirm\"").Groups[1].Value;
        var staleConfirm = await org.Admin.Client.PostFormAsync(url, "order-direct", Form(confirmValue, "80")); // changed after confirming: asks again
        var countBefore = await OrderCountAsync(org);
        var confirmed = await org.Admin.Client.PostFormAsync(url, "order-direct", Form(confirmValue, "75"));

        Assert.Contains("Olağan dışı değerler: lütfen kontrol edin", asked, StringComparison.Ordinal);
        Assert.Contains("Satır 1 “Pano montajı”: %75 iskonto", asked, StringComparison.Ordinal);
        Assert.Contains("Satır 1 “Pano montajı”: %80 iskonto", await staleConfirm.HtmlAsync(), StringComparison.Ordinal);
        Assert.Equal(0, countBefore);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        var order = await GetOrderAsync(org.Admin.Client, Guid.Parse(confirmed.Headers.Location!.PathAndQuery[8..44]));
        Assert.Equal(2_500m, order.NetTotal);
    }

    [Fact]
    public async Task A_price_a_thousand_times_the_list_price_asks_first_on_the_order_lines()
    {
        var org = await factory.CreateOrganizationAsync("Liste Fiyatı Uzak A.Ş.");
        var account = await factory.AccountAsync(org);
        Guid productId;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var product = new Product(org.Id, "KMP-200", "Vidalı kompresör K200", "adet", 48_750m, "TRY", 20m);
            db.Products.Add(product);
            await db.SaveChangesAsync(Ct);
            productId = product.Id;
        }

        var order = await org.Admin.Client.PostAsJsonAsync("/api/v1/orders", new
        {
            accountId = account,
            currency = "TRY",
            lines = new[] { new { kind = "Item", productId, quantity = 1m, unitPrice = 48_750m, discountPercent = 0m, vatRate = 20m } },
        }, Ct).OkAsync<OrderDto>();
        Dictionary<string, string> Form(string price) => new()
        {
            ["LinesEdit.Version"] = order.Version.ToString(CultureInfo.InvariantCulture),
            ["LinesEdit.Lines[0].Id"] = order.Lines[0].Id.ToString(),
            ["LinesEdit.Lines[0].Description"] = "Vidalı kompresör K200",
            ["LinesEdit.Lines[0].Quantity"] = "1",
            ["LinesEdit.Lines[0].Unit"] = "adet",
            ["LinesEdit.Lines[0].UnitPrice"] = price,
            ["LinesEdit.Lines[0].VatRate"] = "20",
        };

        // 48.750.000 is what a slip of three zeros makes of 48.750.
        var asked = await (await org.Admin.Client.PostFormAsync($"/orders/{order.Id}", "order-lines", Form("48.750.000"))).HtmlAsync();
        var unchanged = (await GetOrderAsync(org.Admin.Client, order.Id)).Lines.Single().UnitPrice;
        var signature = Regex.Match(asked, "name=\"LinesEdit.Confirmed\" value=\"([^\"]+)\"").Groups[1].Value;
        var confirmed = await org.Admin.Client.PostFormAsync($"/orders/{order.Id}", "order-lines", new Dictionary<string, string>(Form("48.750.000"))
        {
            ["LinesEdit.Confirmed"] = signature,
        });

        Assert.Contains("Satır 1 “Vidalı kompresör K200”: birim fiyat 48.750.000,00 ₺, liste fiyatı 48.750,00 ₺", asked, StringComparison.Ordinal);
        Assert.Equal(48_750m, unchanged);
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(48_750_000m, (await GetOrderAsync(org.Admin.Client, order.Id)).Lines.Single().UnitPrice);
    }

    [Fact]
    public async Task A_new_opportunity_takes_its_amount_and_close_date_the_Turkish_way()
    {
        var org = await factory.CreateOrganizationAsync("Fırsat Sayı A.Ş.");
        var account = await factory.AccountAsync(org);

        var response = await org.Admin.Client.PostFormAsync($"/opportunities/new?accountId={account}", "new-opportunity", new Dictionary<string, string>
        {
            ["Input.AccountId"] = account.ToString(),
            ["Input.StageId"] = (await DefaultStageAsync(org)).ToString(),
            ["Input.Title"] = "Soğuk oda kurulumu",
            ["Input.ExpectedAmount"] = "1.250.000,50",
            ["Input.Currency"] = "TRY",
            ["Input.ExpectedCloseDate"] = "5.12.2027",
            ["Input.OwnerId"] = org.Admin.Id.ToString(),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var opportunity = await db.Opportunities.AsNoTracking().SingleAsync(o => o.Title == "Soğuk oda kurulumu", Ct);
            Assert.Equal((1_250_000.50m, new DateOnly(2027, 12, 5)), (opportunity.ExpectedAmount, opportunity.ExpectedCloseDate));
        }
    }

    [Fact]
    public async Task An_English_user_types_the_US_date_and_sees_it_with_the_month_by_name()
    {
        var org = await factory.CreateOrganizationAsync("Month Names Ltd.", "en-US");
        var account = await factory.AccountAsync(org, "Harbour Foods");

        var response = await org.Admin.Client.PostFormAsync($"/opportunities/new?accountId={account}", "new-opportunity", new Dictionary<string, string>
        {
            ["Input.AccountId"] = account.ToString(),
            ["Input.StageId"] = (await DefaultStageAsync(org)).ToString(),
            ["Input.Title"] = "Cold store",
            ["Input.ExpectedAmount"] = "1,250,000.50",
            ["Input.Currency"] = "TRY",
            ["Input.ExpectedCloseDate"] = "12/5/2027",
            ["Input.OwnerId"] = org.Admin.Id.ToString(),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync(response.Headers.Location!.PathAndQuery, Ct));
        Assert.Contains("<dd>05 Dec 2027</dd>", page, StringComparison.Ordinal);
        Assert.Contains("₺1,250,000.50", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probability_override_typed_as_percent_is_read_and_a_fraction_is_refused()
    {
        var org = await factory.CreateOrganizationAsync("Olasılık A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        async Task<HttpResponseMessage> PostAsync(string probability)
        {
            var current = await org.Admin.Client.GetAsync($"/api/v1/opportunities/{opportunity}", Ct);
            var version = (await current.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("version").GetInt32();
            return await org.Admin.Client.PostFormAsync($"/opportunities/{opportunity}", "probability", new Dictionary<string, string>
            {
                ["Act.Version"] = version.ToString(CultureInfo.InvariantCulture),
                ["Act.Kind"] = "probability",
                ["Act.Probability"] = probability,
            });
        }

        var refused = await (await PostAsync("40,5")).HtmlAsync();
        var saved = await PostAsync("%40");

        Assert.Equal(("40,5", true, "Burada tam sayı yazılmalı."), Box(refused, "Act.Probability"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = await org.Admin.Client.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/opportunities/{opportunity}", Ct);
        Assert.Equal(40, stored.GetProperty("probability").GetInt32());
    }

    [Fact]
    public async Task List_filters_typed_the_Turkish_way_turn_into_a_link_that_reads_the_same_in_any_language()
    {
        var org = await factory.CreateOrganizationAsync("Filtre Bağlantısı A.Ş.");
        var account = await factory.AccountAsync(org);
        await factory.OpportunityAsync(org, account); // 100 000 ₺

        var typed = await org.Admin.Client.GetAsync("/opportunities?amountMin=50.000,5&closeFrom=1.1.2020", Ct);
        var canonical = typed.Headers.Location?.PathAndQuery;
        var listed = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync(canonical, Ct));
        var wrong = WebUtility.HtmlDecode(await org.Admin.Client.GetStringAsync("/opportunities?amountMin=1.2.3", Ct));

        Assert.Equal(HttpStatusCode.Redirect, typed.StatusCode);
        Assert.Equal("/opportunities?closeFrom=2020-01-01&amountMin=50000.5", canonical);
        Assert.Single(Regex.Matches(listed, "data-testid=\"opportunity-row\""));
        Assert.Equal("50.000,50", Box(listed, "amountMin").Value);
        Assert.Equal("01.01.2020", Box(listed, "closeFrom").Value);
        Assert.Empty(Regex.Matches(await FollowAsync(org.Admin.Client, "/opportunities?amountMin=150.000"), "data-testid=\"opportunity-row\""));
        Assert.Equal(("1.2.3", true, "Bu bir sayı değil. Şöyle yazın: 1.234,56"), Box(wrong, "amountMin"));
        Assert.Empty(Regex.Matches(wrong, "data-testid=\"opportunity-row\""));
    }

    private static async Task<string> FollowAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url, Ct);
        return response.StatusCode == HttpStatusCode.Redirect
            ? WebUtility.HtmlDecode(await client.GetStringAsync(response.Headers.Location!.PathAndQuery, Ct))
            : await response.HtmlAsync();
    }

    [Fact]
    public async Task Dates_on_screen_are_dd_MM_yyyy_in_Turkish_and_dd_MMM_yyyy_in_English()
    {
        var tr = await factory.CreateOrganizationAsync("Tarih Biçimi A.Ş.");
        var en = await factory.CreateOrganizationAsync("Date Format Ltd.", "en-US");
        var close = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30);
        var trOpportunity = await factory.OpportunityAsync(tr, await factory.AccountAsync(tr));
        var enOpportunity = await factory.OpportunityAsync(en, await factory.AccountAsync(en));

        var trPage = WebUtility.HtmlDecode(await tr.Admin.Client.GetStringAsync($"/opportunities/{trOpportunity}", Ct));
        var enPage = WebUtility.HtmlDecode(await en.Admin.Client.GetStringAsync($"/opportunities/{enOpportunity}", Ct));

        Assert.Contains($"<dd>{close.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture)}</dd>", trPage, StringComparison.Ordinal);
        Assert.Contains($"<dd>{close.ToString("dd MMM yyyy", CultureInfo.GetCultureInfo("en-US"))}</dd>", enPage, StringComparison.Ordinal);
    }
}
