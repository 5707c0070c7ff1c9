using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kazan.Tests.Infrastructure;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Orders;

/// <summary>The organization setting "win the opportunity on its first order": through the API and the settings page.</summary>
public sealed partial class WinOnFirstOrderSettingTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_the_setting_off_the_first_order_leaves_the_opportunity_open_with_its_ordered_amount()
    {
        var org = await factory.CreateOrganizationAsync("Açık Kalsın A.Ş.");
        var client = org.Admin.Client;
        var current = await client.GetAsync("/api/v1/organization", Ct);
        var put = new HttpRequestMessage(HttpMethod.Put, "/api/v1/organization")
        {
            Content = JsonContent.Create(new { name = "Açık Kalsın A.Ş.", baseCurrency = "TRY", defaultCulture = "tr-TR", repsSeeAll = false, winOnFirstOrder = false }),
        };
        put.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        await (await client.SendAsync(put, Ct)).EnsureSuccessAsync();
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        var quote = await AcceptedQuoteAsync(client, account, opportunity, Line("Pompa", 2, 1_000m));

        var order = await client.PostAsJsonAsync("/api/v1/orders", new { quoteId = quote.Id }, Ct).OkAsync<OrderDto>();

        Assert.False((await client.GetFromJsonAsync<SettingsDto>("/api/v1/organization", Ct))!.WinOnFirstOrder);
        Assert.False(order.OpportunityWon);
        Assert.Equal(("Open", 2_000m, "Ordered"), (order.Opportunity!.Status, order.Opportunity.OrderedAmount, order.Opportunity.ForecastSource));
        var stored = await client.GetFromJsonAsync<AmountsDto>($"/api/v1/opportunities/{opportunity}", Ct);
        Assert.Equal("Open", stored!.Status);
    }

    [Fact]
    public async Task The_settings_page_shows_the_setting_on_by_default_and_saves_it_off()
    {
        var org = await factory.CreateOrganizationAsync("Ayar Sayfası A.Ş.");
        var client = org.Admin.Client;

        var page = await client.GetStringAsync("/settings/organization", Ct);
        Assert.Contains("checked", Checkbox(page), StringComparison.Ordinal);

        var form = new Dictionary<string, string>
        {
            ["_handler"] = "organization",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(Field(page, "__RequestVerificationToken")),
            ["Input.Version"] = Field(page, "Input.Version"),
            ["Input.Name"] = "Ayar Sayfası A.Ş.",
            ["Input.BaseCurrency"] = "TRY",
            ["Input.DefaultCulture"] = "tr-TR",
            ["Input.QuotePrefix"] = "TKL",
            ["Input.OrderPrefix"] = "SIP",
            ["Input.DocumentNumberDigits"] = "5",
            ["Input.QuoteValidityDays"] = "30",
            ["Input.TimeZone"] = "Europe/Istanbul",

            // Empty boxes are posted empty, as a browser does; an unticked checkbox is not posted at all.
            ["Input.Address"] = "",
            ["Input.TaxOffice"] = "",
            ["Input.TaxNumber"] = "",
            ["Input.Phone"] = "",
            ["Input.Email"] = "",
        };
        var response = await client.PostAsync("/settings/organization", new FormUrlEncodedContent(form), Ct);
        await response.EnsureSuccessAsync();
        Assert.Contains("data-testid=\"saved\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        Assert.False((await client.GetFromJsonAsync<SettingsDto>("/api/v1/organization", Ct))!.WinOnFirstOrder);
        Assert.DoesNotContain("checked", Checkbox(await client.GetStringAsync("/settings/organization", Ct)), StringComparison.Ordinal);
    }

    private static string Checkbox(string html) => Regex.Match(html, "<input[^>]*data-testid=\"win-on-first-order\"[^>]*>").Value is { Length: > 0 } input
        ? input
        : throw new Xunit.Sdk.XunitException("The settings page has no win-on-first-order checkbox.");

    private static string Field(string html, string name) => Regex.Match(html, $"name=\"{Regex.Escape(name)}\" value=\"([^\"]*)\"").Groups[1].Value;

    private sealed record SettingsDto(bool WinOnFirstOrder);
}
