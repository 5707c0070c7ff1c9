using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Contacts;

public sealed class ContactsApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_contact_added_to_an_account_belongs_to_the_accounts_owner_and_reads_back_with_the_account_name()
    {
        var org = await factory.CreateOrganizationAsync("Kişi A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var account = await rep.Client.CreateAccountAsync("Ankara Döküm");

        // A manager adds the buyer of the rep's customer: the person is the rep's too.
        var manager = await org.AddUserAsync(UserRole.Manager);
        var created = await manager.Client.PostAsJsonAsync("/api/v1/contacts", new
        {
            accountId = account.Id,
            firstName = " Zeynep ",
            lastName = "Çelik",
            title = "Satın alma müdürü",
            email = "zeynep@dokum.com.tr",
            mobile = "+90 532 000 00 00",
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var contact = (await created.Content.ReadFromJsonAsync<ContactDto>(Ct))!;
        Assert.Equal(rep.Id, contact.OwnerId);
        var read = await rep.Client.GetAsync($"/api/v1/contacts/{contact.Id}", Ct);
        await read.EnsureSuccessAsync();
        Assert.Equal("\"0\"", read.Headers.ETag!.ToString());
        var stored = (await read.Content.ReadFromJsonAsync<ContactDto>(Ct))!;
        Assert.Equal("Zeynep", stored.FirstName);
        Assert.Equal("Ankara Döküm", stored.AccountName);
    }

    [Fact]
    public async Task A_contact_needs_a_name_and_an_account_the_caller_can_see_that_is_not_archived()
    {
        var org = await factory.CreateOrganizationAsync("Kişi Kural A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep);
        var mehmet = await org.AddUserAsync(UserRole.Rep);
        var hers = await ayse.Client.CreateAccountAsync("Ayşe'nin Firması");

        var noName = await ayse.Client.PostAsJsonAsync("/api/v1/contacts", new { accountId = hers.Id, firstName = " ", lastName = "" }, Ct);
        Assert.True((await noName.ProblemAsync(400)).GetProperty("errors").TryGetProperty("lastName", out _));

        var notHis = await mehmet.Client.PostAsJsonAsync("/api/v1/contacts", new { accountId = hers.Id, firstName = "Gizli", lastName = "Kişi" }, Ct);
        Assert.True((await notHis.ProblemAsync(400)).GetProperty("errors").TryGetProperty("accountId", out _));

        await (await ayse.Client.PostWithEtagAsync($"/api/v1/accounts/{hers.Id}", "archive")).EnsureSuccessAsync();
        var archived = await ayse.Client.PostAsJsonAsync("/api/v1/contacts", new { accountId = hers.Id, firstName = "Geç", lastName = "Kalan" }, Ct);
        Assert.Equal("contact.account-archived", (await archived.ProblemAsync(422)).GetProperty("code").GetString());

        var contacts = await org.Admin.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts", Ct);
        Assert.Empty(contacts!.Items);
    }

    [Fact]
    public async Task A_contact_who_left_keeps_their_record_and_can_come_back()
    {
        var org = await factory.CreateOrganizationAsync("Ayrılan A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Bursa Otomotiv");
        var stays = await org.Admin.Client.CreateContactAsync(account.Id, "Ali", "Kalır");
        var leaves = await org.Admin.Client.CreateContactAsync(account.Id, "Veli", "Gider");

        var left = await org.Admin.Client.PostWithEtagAsync($"/api/v1/contacts/{leaves.Id}", "left", new { on = "2026-03-31" });

        await left.EnsureSuccessAsync();
        Assert.Equal(new DateOnly(2026, 3, 31), (await left.Content.ReadFromJsonAsync<ContactDto>(Ct))!.LeftOn);
        async Task<Guid[]> Ids(string query) =>
            (await org.Admin.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts" + query, Ct))!.Items.Select(c => c.Id).ToArray();
        Assert.Equal([leaves.Id, stays.Id], await Ids($"?accountId={account.Id}"));
        Assert.Equal([stays.Id], await Ids($"?accountId={account.Id}&left=false"));
        Assert.Equal([leaves.Id], await Ids("?left=true"));

        var back = await org.Admin.Client.PostWithEtagAsync($"/api/v1/contacts/{leaves.Id}", "back");
        await back.EnsureSuccessAsync();
        Assert.Null((await back.Content.ReadFromJsonAsync<ContactDto>(Ct))!.LeftOn);
        Assert.Empty(await Ids("?left=true"));

        // Without a date, the person left today — the organization's today (Turkey's by default), not the UTC day.
        var today = await org.Admin.Client.PostWithEtagAsync($"/api/v1/contacts/{stays.Id}", "left");
        var istanbulToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Kazan.Infrastructure.Time.OrganizationTime.DefaultZone).DateTime);
        Assert.Equal(istanbulToday, (await today.Content.ReadFromJsonAsync<ContactDto>(Ct))!.LeftOn);
    }

    [Fact]
    public async Task An_archived_contact_drops_out_of_the_list_until_restored()
    {
        var org = await factory.CreateOrganizationAsync("Arşiv Kişi A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Konya Şeker");
        var contact = await org.Admin.Client.CreateContactAsync(account.Id, "Hasan", "Tatlı");

        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/contacts/{contact.Id}", "archive")).EnsureSuccessAsync();

        Assert.Empty((await org.Admin.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts", Ct))!.Items);
        var archived = await org.Admin.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts?archived=true", Ct);
        Assert.True(Assert.Single(archived!.Items).IsArchived);

        await (await org.Admin.Client.PostWithEtagAsync($"/api/v1/contacts/{contact.Id}", "restore")).EnsureSuccessAsync();
        Assert.Single((await org.Admin.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts", Ct))!.Items);
    }

    [Fact]
    public async Task An_update_needs_the_current_etag()
    {
        var org = await factory.CreateOrganizationAsync("Kişi Sürüm A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Rize Çay");
        var contact = await org.Admin.Client.CreateContactAsync(account.Id, "Fatma", "Yeşil");
        var body = new { firstName = "Fatma", lastName = "Yeşilyurt", title = "Genel müdür", email = "fatma@rizecay.com.tr" };

        await (await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/contacts/{contact.Id}", body, null)).ProblemAsync(428);
        var updated = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/contacts/{contact.Id}", body, "\"0\"");
        await updated.EnsureSuccessAsync();
        var stale = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/contacts/{contact.Id}", new { firstName = "F.", lastName = "Y." }, "\"0\"");

        await stale.ProblemAsync(412);
        var stored = await org.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{contact.Id}", Ct);
        Assert.Equal("Yeşilyurt", stored.GetProperty("lastName").GetString());
        Assert.Equal("Genel müdür", stored.GetProperty("title").GetString());
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_rep_sees_own_contacts_only_and_a_transfer_hands_one_over()
    {
        var org = await factory.CreateOrganizationAsync("Kişi Görünürlük A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep);
        var mehmet = await org.AddUserAsync(UserRole.Rep);
        var account = await ayse.Client.CreateAccountAsync("Antalya Otelcilik");
        var contact = await ayse.Client.CreateContactAsync(account.Id, "Selin", "Deniz");

        Assert.Empty((await mehmet.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts", Ct))!.Items);
        await (await mehmet.Client.GetAsync($"/api/v1/contacts/{contact.Id}", Ct)).ProblemAsync(404);
        await (await mehmet.Client.SendAsync(HttpMethod.Post, $"/api/v1/contacts/{contact.Id}/left", null, "\"0\"")).ProblemAsync(404);

        var transfer = await ayse.Client.PostWithEtagAsync($"/api/v1/contacts/{contact.Id}", "transfer", new { newOwnerId = mehmet.Id });
        await transfer.EnsureSuccessAsync();

        var his = await mehmet.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts", Ct);
        var mine = Assert.Single(his!.Items);
        Assert.Equal(contact.Id, mine.Id);
        Assert.Null(mine.AccountName); // the account is still Ayşe's: Mehmet sees the person, not the customer record
        await (await ayse.Client.GetAsync($"/api/v1/contacts/{contact.Id}", Ct)).ProblemAsync(404);

        await org.SetRepsSeeAllAsync(true);
        Assert.Single((await ayse.Client.GetFromJsonAsync<PageDto<ContactDto>>("/api/v1/contacts", Ct))!.Items);
    }

    [Fact]
    public async Task The_list_sorts_by_folded_last_name_filters_by_owner_and_pages_by_cursor()
    {
        var org = await factory.CreateOrganizationAsync("Kişi Liste A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var account = await org.Admin.Client.CreateAccountAsync("Liste Ltd.");
        (string First, string Last)[] people = [("Ayşe", "Şahin"), ("Can", "Çakır"), ("Deniz", "Zorlu"), ("Ece", "Aydın"), ("Oya", "Öztürk"), ("Mert", "Cengiz")];
        foreach (var (first, last) in people)
        {
            await org.Admin.Client.CreateContactAsync(account.Id, first, last);
        }

        var repsContact = await org.Admin.Client.PostAsJsonAsync("/api/v1/contacts", new { accountId = account.Id, firstName = "Rep", lastName = "Kişisi", ownerId = rep.Id }, Ct);
        await repsContact.EnsureSuccessAsync();

        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await org.Admin.Client.GetFromJsonAsync<PageDto<ContactDto>>($"/api/v1/contacts?limit=3{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            names.AddRange(page!.Items.Select(c => c.LastName));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(["Aydın", "Çakır", "Cengiz", "Kişisi", "Öztürk", "Şahin", "Zorlu"], names);
        var repOnly = await org.Admin.Client.GetFromJsonAsync<PageDto<ContactDto>>($"/api/v1/contacts?ownerId={rep.Id}", Ct);
        Assert.Equal("Kişisi", Assert.Single(repOnly!.Items).LastName);
    }
}
