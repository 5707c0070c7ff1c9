using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>The API's validation messages (DataAnnotations, problem details field errors) speak the language the client asks for.</summary>
public sealed class ApiLanguageTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> ErrorsAsync(HttpClient client, string url, object body, string? language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) };
        if (language is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", language);
        }

        var response = await client.SendAsync(request, Ct);
        return (await response.ProblemAsync(400)).GetProperty("errors");
    }

    [Theory]
    [InlineData("tr-TR,tr;q=0.9,en;q=0.5", "Name alanı zorunludur.")]
    [InlineData("tr", "Name alanı zorunludur.")]
    [InlineData("en-US", "The Name field is required.")]
    [InlineData("en-GB,en;q=0.8", "The Name field is required.")]
    public async Task A_missing_field_is_named_in_the_language_of_Accept_Language(string language, string expected)
    {
        var org = await factory.CreateOrganizationAsync("Dil Başlığı A.Ş.", "en-US");

        var errors = await ErrorsAsync(org.Admin.Client, "/api/v1/accounts", new { kind = "Company" }, language);

        Assert.Equal(expected, errors.GetProperty("Name")[0].GetString());
    }

    [Fact]
    public async Task Turkish_messages_keep_the_limits_they_carry()
    {
        var org = await factory.CreateOrganizationAsync("Sınırlı Mesaj A.Ş.", "en-US");

        var tooLong = await ErrorsAsync(org.Admin.Client, "/api/v1/accounts", new { kind = "Company", name = new string('a', 201), taxOffice = new string('b', 101) }, "tr-TR");
        var badMail = await ErrorsAsync(org.Admin.Client, "/api/v1/accounts", new { kind = "Company", name = "Posta", email = "posta-degil" }, "tr-TR");

        Assert.Equal("Name 1 ile 200 karakter arasında olmalıdır.", tooLong.GetProperty("Name")[0].GetString());
        Assert.Equal("TaxOffice en çok 100 karakter olabilir.", tooLong.GetProperty("TaxOffice")[0].GetString());
        Assert.Equal("Email geçerli bir e-posta adresi değil.", badMail.GetProperty("Email")[0].GetString());
    }

    [Fact]
    public async Task Without_Accept_Language_the_user_s_own_language_is_used_and_the_header_wins_over_it()
    {
        var org = await factory.CreateOrganizationAsync("Kendi Dili A.Ş.", "tr-TR");
        var account = (await org.Admin.Client.CreateAccountAsync("Dil Müşterisi")).Id;
        var activity = await org.Admin.Client.PostAsJsonAsync("/api/v1/activities", new { kind = "Task", subject = "Ertele", accountId = account, dueAt = DateTimeOffset.UtcNow }, Ct);
        await activity.EnsureSuccessAsync();
        var id = (await activity.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var url = $"/api/v1/activities/{id}/snooze";

        var own = await ErrorsAsync(org.Admin.Client, url, new { days = 0 }, null);
        var asked = await ErrorsAsync(org.Admin.Client, url, new { days = 0 }, "en-US");

        Assert.Equal("Days 1 ile 365 arasında olmalıdır.", own.GetProperty("Days")[0].GetString());
        Assert.Equal("The field Days must be between 1 and 365.", asked.GetProperty("Days")[0].GetString());
    }
}
