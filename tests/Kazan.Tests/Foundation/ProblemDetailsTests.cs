using System.Net;
using System.Net.Http.Json;
using System.Text;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>Bad input of every kind gets a 4xx RFC 9457 problem, never a 5xx or an empty body.</summary>
public sealed class ProblemDetailsTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string raw) => new(raw, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Malformed_json_gets_400_naming_the_problem()
    {
        var org = await factory.CreateOrganizationAsync("Bozuk JSON A.Ş.");
        var problem = await (await org.Admin.Client.PostAsync("/api/v1/teams", Json("{\"name\": \"Ankara\""), Ct)).ProblemAsync(400);
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task A_value_of_the_wrong_type_gets_400_with_the_field_named()
    {
        var org = await factory.CreateOrganizationAsync("Tip Hatası A.Ş.");
        var problem = await (await org.Admin.Client.PostAsync("/api/v1/teams", Json("{\"name\": 42}"), Ct)).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.name", out _), problem.ToString());

        var role = await (await org.Admin.Client.PostAsync("/api/v1/invitations", Json("{\"email\": \"a@b.co\", \"role\": \"Emperor\"}"), Ct)).ProblemAsync(400);
        Assert.True(role.GetProperty("errors").TryGetProperty("$.role", out _), role.ToString());
    }

    [Fact]
    public async Task Missing_and_oversized_fields_get_400_with_field_errors()
    {
        var org = await factory.CreateOrganizationAsync("Uzun Metin A.Ş.");

        var empty = await (await org.Admin.Client.PostAsync("/api/v1/teams", Json("{}"), Ct)).ProblemAsync(400);
        Assert.True(empty.GetProperty("errors").TryGetProperty("Name", out _), empty.ToString());

        var huge = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = new string('ş', 100_000) }, Ct)).ProblemAsync(400);
        Assert.True(huge.GetProperty("errors").TryGetProperty("Name", out _), huge.ToString());

        var teams = await org.Admin.Client.GetFromJsonAsync<List<object>>("/api/v1/teams", Ct);
        Assert.Empty(teams!);
    }

    [Theory]
    [InlineData("limit=-1")]
    [InlineData("limit=0")]
    [InlineData("limit=1000000")]
    [InlineData("limit=99999999999999999999")]
    [InlineData("limit=abc")]
    [InlineData("cursor=not-a-cursor!!")]
    public async Task Bad_paging_parameters_get_400(string query)
    {
        var org = await factory.CreateOrganizationAsync("Sayfa A.Ş.");
        var response = await org.Admin.Client.GetAsync($"/api/v1/users?{query}", Ct);
        await response.ProblemAsync(400);
    }

    [Fact]
    public async Task Keyset_paging_walks_every_row_once()
    {
        var org = await factory.CreateOrganizationAsync("Sayfalama A.Ş.");
        for (var i = 0; i < 4; i++)
        {
            await org.AddUserAsync(Kazan.Features.Users.UserRole.Rep, $"Kullanıcı {i}");
        }

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await org.Admin.Client.GetFromJsonAsync<PageDto>($"/api/v1/users?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            Assert.True(page!.Items.Count <= 2);
            seen.AddRange(page.Items.Select(u => u.Id));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(5, seen.Count);
        Assert.Equal(5, seen.Distinct().Count());
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_get_problem_details()
    {
        var org = await factory.CreateOrganizationAsync("Rota A.Ş.");
        await (await org.Admin.Client.GetAsync("/api/v1/no-such-thing", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.GetAsync($"/api/v1/teams/{Guid.NewGuid()}", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.GetAsync("/api/v1/teams/not-a-guid", Ct)).ProblemAsync(404);
        await (await org.Admin.Client.PatchAsync("/api/v1/teams", Json("{}"), Ct)).ProblemAsync(405);
    }

    [Fact]
    public async Task A_rule_violation_gets_422_with_a_readable_message()
    {
        var org = await factory.CreateOrganizationAsync("Kural A.Ş.");
        var response = await org.Admin.Client.GetAsync("/api/v1/organization", Ct);
        var etag = response.Headers.ETag!.ToString();
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/organization")
        {
            Content = JsonContent.Create(new { name = "Kural A.Ş.", baseCurrency = "XYZ", defaultCulture = "tr-TR", repsSeeAll = false }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", etag);

        var problem = await (await org.Admin.Client.SendAsync(request, Ct)).ProblemAsync(400);
        Assert.Contains("XYZ", problem.GetProperty("errors").GetProperty("BaseCurrency")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_never_carry_stack_traces()
    {
        var org = await factory.CreateOrganizationAsync("Güvenli A.Ş.");
        var response = await org.Admin.Client.PostAsync("/api/v1/teams", Json("[[[["), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_null_element_in_a_list_of_objects_gets_400_naming_the_element_and_saves_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Boş Satır A.Ş.");
        var name = "Boş " + Guid.NewGuid().ToString("N")[..6];
        var body = $"{{\"name\":\"{name}\",\"stages\":[{{\"name\":\"İlk\",\"probability\":10}},null]}}";
        var problem = await (await org.Admin.Client.PostAsync("/api/v1/pipelines", Json(body), Ct)).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.stages[1]", out var message), problem.ToString());
        Assert.Contains("null", message[0].GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(name, await org.Admin.Client.GetStringAsync("/api/v1/pipelines", Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_holding_a_nul_character_gets_400_naming_the_field_on_both_databases()
    {
        var org = await factory.CreateOrganizationAsync("NUL A.Ş.");
        var problem = await (await org.Admin.Client.PostAsync("/api/v1/teams", Json("{\"name\":\"Ankara\\u0000Ekibi\"}"), Ct)).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.name", out _), problem.ToString());
        Assert.Equal("[]", await org.Admin.Client.GetStringAsync("/api/v1/teams", Ct));
    }

    [Theory]
    [InlineData("/\u0001x", "/")]
    [InlineData("/\r\nSet-Cookie: a=b", "/")]
    [InlineData("/hesaplar?ara=çelik", "/hesaplar?ara=%C3%A7elik")]
    [InlineData("//evil.example", "/")]
    public async Task A_language_change_goes_back_only_to_a_local_address_a_header_can_carry(string returnUrl, string expected)
    {
        await factory.CreateOrganizationAsync("Dil A.Ş."); // with no organization yet, the sign-in page sends to onboarding
        var browser = factory.NewClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        var token = await AntiforgeryTokenAsync(browser, "/signin");
        var response = await browser.PostAsync("/culture", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["culture"] = "en-US",
            ["returnUrl"] = System.Text.RegularExpressions.Regex.Unescape(returnUrl),
            ["__RequestVerificationToken"] = token,
        }), Ct);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Signing_in_with_a_return_address_no_header_can_carry_goes_home()
    {
        var org = await factory.CreateOrganizationAsync("Dönüş A.Ş.");
        var browser = factory.NewClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        var url = "/signin?ReturnUrl=" + Uri.EscapeDataString("/\u0001ğ");
        var response = await browser.PostFormAsync(url, "signin", new Dictionary<string, string> { ["Input.Email"] = org.Admin.Email, ["Input.Password"] = TestOrganization.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("https://localhost/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_form_post_without_its_antiforgery_token_gets_400_problem()
    {
        var org = await factory.CreateOrganizationAsync("Logo A.Ş.");
        var browser = factory.NewClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });
        var signIn = await browser.PostFormAsync("/signin", "signin", new Dictionary<string, string> { ["Input.Email"] = org.Admin.Email, ["Input.Password"] = TestOrganization.Password });
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);

        using var form = new MultipartFormDataContent { { new ByteArrayContent([0x89, 0x50, 0x4E, 0x47]), "logo", "logo.png" } };
        var problem = await (await browser.PostAsync("/settings/organization/logo", form, Ct)).ProblemAsync(400);
        Assert.Equal("antiforgery", problem.GetProperty("code").GetString());
    }

    private static async Task<string> AntiforgeryTokenAsync(HttpClient browser, string page)
    {
        var html = await browser.GetStringAsync(page, Ct);
        return WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
    }

    private sealed record PageDto(List<UserDto> Items, string? Next);

    private sealed record UserDto(Guid Id);
}
