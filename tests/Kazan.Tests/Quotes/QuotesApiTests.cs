using System.Net.Http.Json;
using Kazan.Features.Opportunities;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Tests.Quotes;

public sealed class QuotesApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Line(string description, decimal qty, decimal price, decimal vat = 20m, decimal discount = 0m, Guid? productId = null) =>
        new { kind = "Item", productId, description, quantity = qty, unit = "adet", unitPrice = price, discountPercent = discount, vatRate = vat };

    private static object NewQuote(Guid accountId, Guid? opportunityId, params object[] lines) =>
        new { accountId, opportunityId, currency = "TRY", documentDiscountPercent = 0m, lines };

    [Fact]
    public async Task Fifty_concurrent_creates_get_fifty_consecutive_numbers_and_one_primary_quote()
    {
        var org = await factory.CreateOrganizationAsync("Numara A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);

        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", NewQuote(account, opportunity, Line($"Kalem {i}", 1, 10)), Ct)));

        foreach (var r in responses)
        {
            await r.EnsureSuccessAsync();
        }

        var quotes = await Task.WhenAll(responses.Select(r => r.Content.ReadFromJsonAsync<QuoteDto>(Ct)));
        var year = DateTime.UtcNow.Year;
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"TKL-{year}-{n:00000}"), quotes.Select(q => q!.Number).Order());

        // The deal's first quote, whichever won the race, is its one primary quote, and the deal shows its amount.
        Assert.Single(quotes, q => q!.IsPrimary);
        var deal = await org.Admin.Client.GetFromJsonAsync<Kazan.Tests.Orders.AmountsDto>($"/api/v1/opportunities/{opportunity}", Ct);
        Assert.Equal(10m, deal!.QuotedAmount);
    }

    [Fact]
    public async Task A_quote_without_an_opportunity_opens_one_in_the_default_pipeline_and_says_so()
    {
        var org = await factory.CreateOrganizationAsync("Fırsatsız A.Ş.");
        var account = await factory.AccountAsync(org, "Ilgaz Gıda Ltd.");

        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", NewQuote(account, null, Line("Soğuk oda", 2, 12_500m)), Ct);

        await response.EnsureSuccessAsync();
        var quote = await response.Content.ReadFromJsonAsync<QuoteDto>(Ct);
        Assert.True(quote!.OpportunityCreated);
        Assert.True(quote.IsPrimary);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var opportunity = await db.Opportunities.SingleAsync(o => o.Id == quote.OpportunityId, Ct);
            var pipeline = await db.Pipelines.SingleAsync(p => p.IsDefault, Ct);
            Assert.Equal(pipeline.Stages[0].Id, opportunity.StageId);
            Assert.Equal("Ilgaz Gıda Ltd.", opportunity.Title);
            Assert.Equal(25_000m, opportunity.QuotedAmount);
            Assert.Equal(ForecastSource.Quoted, opportunity.ForecastSource);
            Assert.Equal(25_000m, opportunity.ForecastAmount);
        }
    }

    [Fact]
    public async Task Totals_are_computed_on_the_server_by_the_money_rule()
    {
        var org = await factory.CreateOrganizationAsync("Toplam A.Ş.");
        var account = await factory.AccountAsync(org);
        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            currency = "TRY",
            documentDiscountPercent = 12.5m,
            lines = new object[]
            {
                new { kind = "Section", description = "Donanım" },
                Line("Vida", 3, 33.333m, 20),
                Line("Kitap", 7, 19.99m, 1, 12.5m),
                Line("Eğitim", 1, 99.95m, 10),
            },
        }, Ct);
        await response.EnsureSuccessAsync();
        var quote = await response.Content.ReadFromJsonAsync<QuoteDto>(Ct);

        // Vida: 99.999 × 0.875 = 87.499… → 87.50, VAT 17.50; Kitap: 139.93 × .875 × .875 = 107.13, VAT 1.07; Eğitim: 87.456… → 87.46, VAT 8.75
        Assert.Equal([0m, 87.50m, 107.13m, 87.46m], quote!.Lines.Select(l => l.NetAmount));
        Assert.Equal(282.09m, quote.NetTotal);
        Assert.Equal(27.32m, quote.VatTotal);
        Assert.Equal(309.41m, quote.GrandTotal);
        Assert.Equal([1m, 10m, 20m], quote.VatByRate.Select(v => v.Rate));
    }

    [Fact]
    public async Task Product_lines_take_name_unit_price_and_vat_from_the_catalogue()
    {
        var org = await factory.CreateOrganizationAsync("Katalog Teklif A.Ş.");
        var account = await factory.AccountAsync(org);
        var product = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/products",
            new { code = "EGT", name = "Operatör eğitimi", unit = "gün", listPrice = 9_500m, currency = "TRY", vatRate = 10m }, Ct)).Content.ReadFromJsonAsync<IdDto>(Ct);

        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes",
            new { accountId = account, currency = "TRY", lines = new[] { new { kind = "Item", productId = product!.Id, quantity = 2m, discountPercent = 0m } } }, Ct);

        await response.EnsureSuccessAsync();
        var line = Assert.Single((await response.Content.ReadFromJsonAsync<QuoteDto>(Ct))!.Lines);
        Assert.Equal("Operatör eğitimi", line.Description);
        Assert.Equal("gün", line.Unit);
        Assert.Equal(9_500m, line.UnitPrice);
        Assert.Equal(10m, line.VatRate);
        Assert.Equal(19_000m, line.NetAmount);
    }

    [Theory]
    [InlineData(-1, 10, 0, 20)]
    [InlineData(1, -10, 0, 20)]
    [InlineData(1, 10, 101, 20)]
    [InlineData(1, 10, 0, 120)]
    public async Task Negative_amounts_and_percentages_out_of_range_are_refused_and_nothing_is_created(decimal qty, decimal price, decimal discount, decimal vat)
    {
        var org = await factory.CreateOrganizationAsync("Kötü Satır A.Ş.");
        var account = await factory.AccountAsync(org);
        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", NewQuote(account, null, Line("X", qty, price, vat, discount)), Ct);
        await response.ProblemAsync(400);
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<PageDto>("/api/v1/quotes", Ct))!.Items);
    }

    [Fact]
    public async Task Zero_quantity_is_a_rule_violation_and_unknown_currency_a_field_error()
    {
        var org = await factory.CreateOrganizationAsync("Sıfır A.Ş.");
        var account = await factory.AccountAsync(org);
        var zero = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", NewQuote(account, null, Line("X", 0, 10)), Ct)).ProblemAsync(422);
        Assert.Contains("Line 1", zero.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Currency and rate are the caller's fields: 400 with the field's code (a missing rate was a 422 rule before issue 15).
        var unknown = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new { accountId = account, currency = "ABC", lines = Array.Empty<object>() }, Ct)).ProblemAsync(400);
        Assert.Equal("currency.unknown", unknown.GetProperty("codes").GetProperty("currency").GetString());
        var noRate = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new { accountId = account, currency = "EUR", lines = Array.Empty<object>() }, Ct)).ProblemAsync(400);
        Assert.Equal("quote.exchange-rate-required", noRate.GetProperty("codes").GetProperty("exchangeRate").GetString());
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<PageDto>("/api/v1/quotes", Ct))!.Items);
    }

    [Fact]
    public async Task Editing_a_draft_needs_its_etag_and_recomputes_the_quoted_amount()
    {
        var org = await factory.CreateOrganizationAsync("Düzenleme A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", NewQuote(account, opportunity, Line("Pompa", 1, 1_000m)), Ct);
        var quote = await created.Content.ReadFromJsonAsync<QuoteDto>(Ct);
        var update = new { currency = "TRY", documentDiscountPercent = 10m, lines = new[] { Line("Pompa", 3, 1_000m) } };

        await (await org.Admin.Client.PutAsJsonAsync($"/api/v1/quotes/{quote!.Id}", update, Ct)).ProblemAsync(428);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/quotes/{quote.Id}") { Content = JsonContent.Create(update) };
        request.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        var updated = await (await org.Admin.Client.SendAsync(request, Ct)).Content.ReadFromJsonAsync<QuoteDto>(Ct);

        Assert.Equal(2_700m, updated!.NetTotal);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(2_700m, (await db.Opportunities.SingleAsync(o => o.Id == opportunity, Ct)).QuotedAmount);
        }
    }

    [Fact]
    public async Task Only_one_quote_per_opportunity_is_primary_and_it_sets_the_quoted_amount()
    {
        var org = await factory.CreateOrganizationAsync("Birincil A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        var first = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", NewQuote(account, opportunity, Line("A", 1, 1_000m)), Ct)).Content.ReadFromJsonAsync<QuoteDto>(Ct);
        var secondResponse = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", NewQuote(account, opportunity, Line("B", 1, 4_000m)), Ct);
        var second = await secondResponse.Content.ReadFromJsonAsync<QuoteDto>(Ct);
        Assert.True(first!.IsPrimary);
        Assert.False(second!.IsPrimary);

        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/quotes/{second.Id}/primary");
        request.Headers.TryAddWithoutValidation("If-Match", secondResponse.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(request, Ct)).EnsureSuccessAsync();

        var quotes = await org.Admin.Client.GetFromJsonAsync<PageDto>($"/api/v1/quotes?opportunityId={opportunity}", Ct);
        Assert.Equal(second.Id, Assert.Single(quotes!.Items, q => q.IsPrimary).Id);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(4_000m, (await db.Opportunities.SingleAsync(o => o.Id == opportunity, Ct)).QuotedAmount);
        }
    }

    [Fact]
    public async Task A_quote_in_another_currency_converts_its_net_into_the_opportunity_currency()
    {
        var org = await factory.CreateOrganizationAsync("Döviz A.Ş.");
        var account = await factory.AccountAsync(org);
        var opportunity = await factory.OpportunityAsync(org, account);
        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes",
            new { accountId = account, opportunityId = opportunity, currency = "EUR", exchangeRate = 37.4521m, lines = new[] { Line("Pompa", 1, 2_450m) } }, Ct);
        await response.EnsureSuccessAsync();

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.Equal(91_757.65m, (await db.Opportunities.SingleAsync(o => o.Id == opportunity, Ct)).QuotedAmount); // 2 450 × 37.4521 = 91 757.645 → .65
        }
    }

    public sealed record QuoteDto(Guid Id, string Number, string DisplayNumber, string Status, Guid OpportunityId, bool IsPrimary, bool OpportunityCreated,
        decimal NetTotal, decimal VatTotal, decimal GrandTotal, List<VatDto> VatByRate, List<LineDto> Lines, int Version);

    public sealed record VatDto(decimal Rate, decimal Net, decimal Vat);

    public sealed record LineDto(Guid Key, string Description, string Unit, decimal UnitPrice, decimal VatRate, decimal NetAmount);

    private sealed record IdDto(Guid Id);

    private sealed record PageDto(List<SummaryDto> Items, string? Next);

    private sealed record SummaryDto(Guid Id, bool IsPrimary);
}
