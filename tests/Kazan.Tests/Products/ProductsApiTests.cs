using System.Net;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Products;

public sealed class ProductsApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Body(string code, string name, decimal price = 1250.50m, string currency = "TRY", decimal vat = 20m, string unit = "adet") =>
        new { code, name, description = (string?)null, unit, listPrice = price, currency, vatRate = vat };

    [Fact]
    public async Task A_manager_creates_edits_and_archives_a_product_that_everyone_can_find()
    {
        var org = await factory.CreateOrganizationAsync("Ürün A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/products", Body("KMP-01", "Kompresör bakımı", unit: "saat"), Ct);
        await created.EnsureSuccessAsync();
        var product = await created.Content.ReadFromJsonAsync<ProductDto>(Ct);

        var found = await rep.Client.GetFromJsonAsync<PageDto>("/api/v1/products?q=KOMPRESOR", Ct);
        Assert.Equal("Kompresör bakımı", Assert.Single(found!.Items).Name);

        var update = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/products/{product!.Id}") { Content = JsonContent.Create(Body("KMP-01", "Kompresör bakımı (yıllık)", 1400m, vat: 10m)) };
        update.Headers.TryAddWithoutValidation("If-Match", created.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(update, Ct)).EnsureSuccessAsync();
        var stored = await rep.Client.GetFromJsonAsync<ProductDto>($"/api/v1/products/{product.Id}", Ct);
        Assert.Equal(1400m, stored!.ListPrice);
        Assert.Equal(10m, stored.VatRate);

        await (await org.Admin.Client.PostAsync($"/api/v1/products/{product.Id}/archive", null, Ct)).EnsureSuccessAsync();
        Assert.Empty((await rep.Client.GetFromJsonAsync<PageDto>("/api/v1/products?q=kompresor", Ct))!.Items);
        Assert.Single((await rep.Client.GetFromJsonAsync<PageDto>("/api/v1/products?q=kompresor&active=false", Ct))!.Items);
    }

    [Fact]
    public async Task A_rep_cannot_change_the_catalogue()
    {
        var org = await factory.CreateOrganizationAsync("Katalog A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var response = await rep.Client.PostAsJsonAsync("/api/v1/products", Body("X-1", "Deneme"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData(-1, "TRY", 20, "ListPrice")]
    [InlineData(10, "XYZ", 20, "Currency")]
    [InlineData(10, "TRY", 120, "VatRate")]
    [InlineData(10, "TRY", -1, "VatRate")]
    public async Task Bad_prices_currencies_and_vat_rates_are_refused_with_the_field_named(decimal price, string currency, decimal vat, string field)
    {
        var org = await factory.CreateOrganizationAsync("Hatalı Ürün A.Ş.");
        var problem = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/products", Body("B-1", "Bozuk", price, currency, vat), Ct)).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<PageDto>("/api/v1/products", Ct))!.Items);
    }

    [Fact]
    public async Task A_product_code_is_unique_in_the_organization_but_not_across_organizations()
    {
        var org = await factory.CreateOrganizationAsync("Kod A.Ş.");
        var other = await factory.CreateOrganizationAsync("Kod Ltd.");
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/products", Body("P-100", "Pompa"), Ct)).EnsureSuccessAsync();

        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/products", Body("P-100", "Başka pompa"), Ct)).ProblemAsync(400);
        await (await other.Admin.Client.PostAsJsonAsync("/api/v1/products", Body("P-100", "Pompa"), Ct)).EnsureSuccessAsync();
    }

    [Fact]
    public async Task Any_vat_rate_between_0_and_100_is_accepted_besides_the_presets()
    {
        var org = await factory.CreateOrganizationAsync("Oran A.Ş.");
        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/products", Body("O-8", "Özel oranlı", 99.99m, vat: 8m), Ct);
        await response.EnsureSuccessAsync();
        Assert.Equal(8m, (await response.Content.ReadFromJsonAsync<ProductDto>(Ct))!.VatRate);
    }

    private sealed record ProductDto(Guid Id, string Name, decimal ListPrice, decimal VatRate);

    private sealed record PageDto(List<ProductDto> Items, string? Next);
}
