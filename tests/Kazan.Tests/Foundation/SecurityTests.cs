using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Foundation;

public sealed class SecurityTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_api_token_works_until_it_is_revoked_and_is_stored_only_as_a_hash()
    {
        var org = await factory.CreateOrganizationAsync("Token A.Ş.");
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/api-tokens", new { name = "ERP entegrasyonu" }, Ct);
        await created.EnsureSuccessAsync();
        var token = await created.Content.ReadFromJsonAsync<TokenDto>(Ct);
        Assert.StartsWith("kzn_", token!.Token, StringComparison.Ordinal);

        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        var me = await client.GetFromJsonAsync<MeDto>("/api/v1/me", Ct);
        Assert.Equal(org.Admin.Id, me!.Id);

        var list = await org.Admin.Client.GetStringAsync("/api/v1/api-tokens", Ct);
        Assert.Contains("ERP entegrasyonu", list, StringComparison.Ordinal);
        Assert.DoesNotContain(token.Token!, list, StringComparison.Ordinal);
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Assert.False(await db.ApiTokens.AnyAsync(t => t.TokenHash == token.Token, Ct));
        }

        await (await org.Admin.Client.DeleteAsync($"/api/v1/api-tokens/{token.Id}", Ct)).EnsureSuccessAsync();
        await (await client.GetAsync("/api/v1/me", Ct)).ProblemAsync(401);
    }

    [Fact]
    public async Task A_made_up_bearer_token_gets_401()
    {
        var client = factory.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "kzn_" + new string('A', 43));
        await (await client.GetAsync("/api/v1/me", Ct)).ProblemAsync(401);
    }

    [Fact]
    public async Task An_invitation_link_works_once_and_gives_the_invited_role()
    {
        var org = await factory.CreateOrganizationAsync("Davet A.Ş.");
        var invite = await org.Admin.Client.PostAsJsonAsync("/api/v1/invitations", new { email = "yeni@example.com", role = "Manager" }, Ct);
        var link = (await invite.Content.ReadFromJsonAsync<InvitationDto>(Ct))!.Link!;
        Assert.Contains("/invite/", link, StringComparison.Ordinal);
        var token = link[(link.LastIndexOf('/') + 1)..];

        var accept = await factory.Anonymous().PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "Şükrü Öztürk", password = TestOrganization.Password }, Ct);
        await accept.EnsureSuccessAsync();
        var again = await factory.Anonymous().PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "Başkası", password = TestOrganization.Password }, Ct);
        await again.ProblemAsync(404);

        var users = await org.Admin.Client.GetFromJsonAsync<UsersPage>("/api/v1/users", Ct);
        var joined = Assert.Single(users!.Items, u => u.Email == "yeni@example.com");
        Assert.Equal("Şükrü Öztürk", joined.DisplayName);
        Assert.Equal("Manager", joined.Role);
    }

    [Fact]
    public async Task A_revoked_invitation_cannot_be_accepted()
    {
        var org = await factory.CreateOrganizationAsync("İptal A.Ş.");
        var invite = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/invitations", new { email = "iptal@example.com", role = "Rep" }, Ct))
            .Content.ReadFromJsonAsync<InvitationDto>(Ct);
        await (await org.Admin.Client.DeleteAsync($"/api/v1/invitations/{invite!.Id}", Ct)).EnsureSuccessAsync();
        var token = invite.Link![(invite.Link!.LastIndexOf('/') + 1)..];

        var accept = await factory.Anonymous().PostAsJsonAsync("/api/v1/invitations/accept", new { token, displayName = "X", password = TestOrganization.Password }, Ct);

        await accept.ProblemAsync(404);
    }

    [Fact]
    public async Task Onboarding_refuses_a_weak_password_and_saves_nothing()
    {
        var response = await factory.Anonymous().PostAsJsonAsync("/api/v1/onboarding", new
        {
            organizationName = "Zayıf Şifre A.Ş.",
            baseCurrency = "TRY",
            culture = "tr-TR",
            adminName = "Zeynep",
            adminEmail = "zayif@example.com",
            adminPassword = "123",
        }, Ct);

        var problem = await response.ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("AdminPassword", out _));
        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Kazan.Infrastructure.Data.KazanDbContext>();
        Assert.False(await db.Organizations.IgnoreQueryFilters().AnyAsync(o => o.Name == "Zayıf Şifre A.Ş.", Ct));
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        var org = await factory.CreateOrganizationAsync("Kilit A.Ş.");
        using var scope = factory.Services.CreateScope();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<User>>();
        var user = (await scope.ServiceProvider.GetRequiredService<UserManager<User>>().FindByIdAsync(org.Admin.Id.ToString()))!;

        for (var i = 0; i < 5; i++)
        {
            Assert.False((await signIn.CheckPasswordSignInAsync(user, "yanlis-sifre-000", lockoutOnFailure: true)).Succeeded);
        }

        var withRightPassword = await signIn.CheckPasswordSignInAsync(user, TestOrganization.Password, lockoutOnFailure: true);
        Assert.True(withRightPassword.IsLockedOut);
    }

    [Fact]
    public void Passwords_are_hashed_with_more_iterations_than_the_framework_default()
    {
        // Tests lower the cost for speed; the shipped configuration must not.
        var settings = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "appsettings.json"))).RootElement;
        Assert.True(settings.GetProperty("Kazan").GetProperty("PasswordHashIterations").GetInt32() > new PasswordHasherOptions().IterationCount);
    }

    [Fact]
    public async Task A_deactivated_user_can_no_longer_use_the_api()
    {
        var org = await factory.CreateOrganizationAsync("Pasif A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var current = await org.Admin.Client.GetAsync($"/api/v1/users/{rep.Id}", Ct);
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/users/{rep.Id}")
        {
            Content = JsonContent.Create(new { displayName = "Eski Çalışan", role = "Rep", teamId = (Guid?)null, isActive = false }),
        };
        request.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.ToString());
        await (await org.Admin.Client.SendAsync(request, Ct)).EnsureSuccessAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, (await rep.Client.GetAsync("/api/v1/me", Ct)).StatusCode);
    }

    [Fact]
    public async Task Health_reports_the_database_reachable()
    {
        var response = await factory.Anonymous().GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(Ct));
    }

    private sealed record TokenDto(Guid Id, string? Token);

    private sealed record MeDto(Guid Id);

    private sealed record InvitationDto(Guid Id, string? Link);

    private sealed record UsersPage(List<UserDto> Items);

    private sealed record UserDto(string Email, string DisplayName, string Role);
}
