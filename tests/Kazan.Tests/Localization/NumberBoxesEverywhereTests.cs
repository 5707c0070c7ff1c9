using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Kazan.Tests.Infrastructure;
using Kazan.Tests.Orders;
using Microsoft.EntityFrameworkCore;
using static Kazan.Tests.Orders.OrderTestData;

namespace Kazan.Tests.Localization;

/// <summary>
/// No box for a typed number or date is left to the browser's locale: the source has no number or date input (but the
/// hidden calendar of DateInput and the time boxes), and the main forms render only Kazan's boxes, each with a name
/// for screen readers.
/// </summary>
public sealed partial class NumberBoxesEverywhereTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static DirectoryInfo Source()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(dir.FullName, "Kazan.slnx")))
        {
            dir = dir.Parent!;
        }

        return new DirectoryInfo(Path.Combine(dir.FullName, "src", "Kazan"));
    }

    [Fact]
    public void No_page_or_component_uses_a_browser_number_or_date_box()
    {
        var offenders = Source().EnumerateFiles("*.*", SearchOption.AllDirectories)
            .Where(f => f.Extension is ".razor" or ".cs" && !f.FullName.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f.FullName).Select((line, i) => (File: f.Name, Line: i + 1, Text: line)))
            .Where(l => BrowserBox().IsMatch(l.Text)
                && !(l.File == "DateInput.razor" && l.Text.Contains("class=\"date-picker\"", StringComparison.Ordinal)) // the hidden calendar
                && !l.Text.Contains("InputDateType.Time", StringComparison.Ordinal)) // a time of day stays a time box
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();

        Assert.Empty(offenders);
    }

    [Fact]
    public async Task The_main_forms_render_only_Kazans_boxes_each_with_an_accessible_name()
    {
        var org = await factory.CreateOrganizationAsync("Kutular A.Ş.");
        var client = org.Admin.Client;
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        var order = await DirectOrderAsync(client, account, null, Line("Vana", 2, 100m));
        await DeliverAsync(client, order.Id, (order.Lines[0].Id, 1m)).OkAsync<DeliveryResultDto>();
        var quote = await QuoteAsync(client, account, opportunity, Line("Vana", 2, 100m));
        var accepted = await AcceptedQuoteAsync(client, account, opportunity, Line("Vana", 2, 100m));
        var contact = await client.PostAsJsonAsync("/api/v1/contacts", new { accountId = account, firstName = "Ayşe", lastName = "Yılmaz" }, Ct)
            .OkAsync<IdDto>();
        Guid pipeline;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            pipeline = (await db.Pipelines.AsNoTracking().SingleAsync(p => p.IsDefault, Ct)).Id;
        }

        string[] pages =
        [
            "/products/new", $"/opportunities/new?accountId={account}", $"/opportunities/{opportunity}", $"/opportunities/{opportunity}/edit",
            "/opportunities", "/orders", $"/orders/{order.Id}", $"/orders/new?accountId={account}", $"/orders/new?quoteId={accepted.Id}",
            $"/quotes/new?accountId={account}", $"/quotes/{quote.Id}", $"/settings/pipelines/{pipeline}", "/settings/organization",
            $"/contacts/{contact.Id}", "/my-day", $"/accounts/{account}/activities",
        ];
        var boxes = 0;
        foreach (var url in pages)
        {
            var response = await client.GetAsync(url, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {response.StatusCode}");
            var html = await response.Content.ReadAsStringAsync(Ct);
            Assert.DoesNotMatch("type=\"number\"", html);
            foreach (Match date in DateBox().Matches(html))
            {
                Assert.True(date.Value.Contains("class=\"date-picker\"", StringComparison.Ordinal) && !date.Value.Contains(" name=", StringComparison.Ordinal), $"{url}: {date.Value}");
            }

            foreach (Match box in KazanBox().Matches(html))
            {
                boxes++;
                Assert.Matches("aria-label=\"[^\"]+\"", box.Value);
                Assert.Contains("type=\"text\"", box.Value, StringComparison.Ordinal);
            }
        }

        Assert.True(boxes >= 40, $"only {boxes} number and date boxes seen");
    }

    private sealed record IdDto(Guid Id);

    [GeneratedRegex("type=\"?(number|date)\\b|<InputNumber|<InputDate", RegexOptions.IgnoreCase)]
    private static partial Regex BrowserBox();

    [GeneratedRegex("<input [^>]*type=\"date\"[^>]*>")]
    private static partial Regex DateBox();

    [GeneratedRegex("<input [^>]*data-(number|date)=[^>]*>")]
    private static partial Regex KazanBox();
}
