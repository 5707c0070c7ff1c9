using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Quotes;

/// <summary>The organization settings quotes depend on: number prefix and digits, validity, and the letterhead logo.</summary>
public sealed class QuoteSettingsTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A 1×1 PNG.</summary>
    private static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static async Task<HttpResponseMessage> UpdateOrganizationAsync(HttpClient client, object body)
    {
        var current = await client.GetAsync("/api/v1/organization", Ct);
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/organization") { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        return await client.SendAsync(request, Ct);
    }

    [Fact]
    public async Task The_quote_number_prefix_digits_and_validity_are_organization_settings()
    {
        var org = await factory.CreateOrganizationAsync("Önek A.Ş.");
        await (await UpdateOrganizationAsync(org.Admin.Client, new
        {
            name = "Önek A.Ş.",
            baseCurrency = "TRY",
            defaultCulture = "tr-TR",
            repsSeeAll = false,
            quotePrefix = "tek",
            orderPrefix = "SPR",
            documentNumberDigits = 4,
            quoteValidityDays = 10,
        })).EnsureSuccessAsync();
        var account = await factory.AccountAsync(org);

        var quote = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new { accountId = account, currency = "TRY" }, Ct))
            .Content.ReadFromJsonAsync<QuoteDto>(Ct);

        Assert.Equal($"TEK-{DateTime.UtcNow.Year}-0001", quote!.Number);
        Assert.Equal(quote.IssueDate.AddDays(10), quote.ValidUntil);
    }

    [Theory]
    [InlineData("TK-L", 5)]
    [InlineData("TKL", 2)]
    public async Task A_bad_prefix_or_digit_count_is_refused_and_nothing_changes(string prefix, int digits)
    {
        var org = await factory.CreateOrganizationAsync("Kötü Önek A.Ş.");
        var response = await UpdateOrganizationAsync(org.Admin.Client, new
        {
            name = "Kötü Önek A.Ş.",
            baseCurrency = "TRY",
            defaultCulture = "tr-TR",
            repsSeeAll = false,
            quotePrefix = prefix,
            documentNumberDigits = digits,
        });

        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, response.StatusCode.ToString());
        var settings = await org.Admin.Client.GetFromJsonAsync<SettingsDto>("/api/v1/organization", Ct);
        Assert.Equal(("TKL", 5), (settings!.QuotePrefix, settings.DocumentNumberDigits));
    }

    [Fact]
    public async Task An_uploaded_logo_is_drawn_on_the_quote_and_a_non_image_is_refused()
    {
        var org = await factory.CreateOrganizationAsync("Logo A.Ş.");
        var account = await factory.AccountAsync(org);
        var quote = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            currency = "TRY",
            lines = new[] { new { kind = "Item", description = "Pompa", quantity = 1m, unit = "adet", unitPrice = 100m, discountPercent = 0m, vatRate = 20m } },
        }, Ct)).Content.ReadFromJsonAsync<QuoteDto>(Ct);
        var without = await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quote!.Id}/pdf", Ct);

        var text = new ByteArrayContent(Encoding.UTF8.GetBytes("not an image"));
        text.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        await (await org.Admin.Client.PutAsync("/api/v1/organization/logo", text, Ct)).ProblemAsync(422);
        var png = new ByteArrayContent(Png);
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.NoContent, (await org.Admin.Client.PutAsync("/api/v1/organization/logo", png, Ct)).StatusCode);

        var with = await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct);
        Assert.True((await org.Admin.Client.GetFromJsonAsync<SettingsDto>("/api/v1/organization", Ct))!.HasLogo);
        Assert.Equal(0, ImageCount(without));
        Assert.True(ImageCount(with) >= 1, "the logo (an image, with its alpha mask) is in the PDF");
    }

    /// <summary>Images in a PDF, counted by poppler's pdfimages.</summary>
    private static int ImageCount(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kazan-{Guid.NewGuid():N}.pdf");
        File.WriteAllBytes(path, pdf);
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("pdfimages", ["-list", path]) { RedirectStandardOutput = true })!;
            var lines = process.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            process.WaitForExit();
            return lines.Length - 2; // two header lines
        }
        finally
        {
            File.Delete(path);
        }
    }

    private sealed record QuoteDto(Guid Id, string Number, DateOnly IssueDate, DateOnly ValidUntil);

    private sealed record SettingsDto(string QuotePrefix, int DocumentNumberDigits, bool HasLogo);
}
