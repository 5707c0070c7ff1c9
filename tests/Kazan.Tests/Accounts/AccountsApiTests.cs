using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Accounts;

public sealed class AccountsApiTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static object Fields(string name, string? taxNumber = null, string? city = null, bool rejectDuplicates = false) =>
        new { kind = "Company", name, taxNumber, city, rejectDuplicates };

    [Fact]
    public async Task A_created_account_is_read_back_with_its_etag_and_owner()
    {
        var org = await factory.CreateOrganizationAsync("Okuma A.Ş.");

        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", new
        {
            kind = "Company",
            name = "  Anadolu Makina A.Ş. ",
            taxOffice = "Kadıköy",
            taxNumber = "123 456 78 90",
            city = "İstanbul",
            country = "tr",
            phone = "+90 216 555 00 00",
            email = "info@anadolu.com.tr",
            notes = "Eski müşteri",
        }, Ct);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var account = (await created.Content.ReadFromJsonAsync<AccountDto>(Ct))!;
        Assert.Equal($"/api/v1/accounts/{account.Id}", created.Headers.Location!.OriginalString);
        var read = await org.Admin.Client.GetAsync($"/api/v1/accounts/{account.Id}", Ct);
        await read.EnsureSuccessAsync();
        Assert.Equal("\"0\"", read.Headers.ETag!.ToString());
        var json = JsonDocument.Parse(await read.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("Anadolu Makina A.Ş.", json.GetProperty("name").GetString());
        Assert.Equal("1234567890", json.GetProperty("taxNumber").GetString());
        Assert.Equal("TR", json.GetProperty("country").GetString());
        Assert.Equal(org.Admin.Id, json.GetProperty("ownerId").GetGuid());
        Assert.Equal("Admin Okuma A.Ş.", json.GetProperty("ownerName").GetString());
        Assert.False(json.TryGetProperty("duplicates", out _), "a plain read carries no duplicate check");
    }

    [Fact]
    public async Task An_invalid_vkn_or_tckn_is_a_400_that_names_the_tax_number_field_and_saves_nothing()
    {
        var org = await factory.CreateOrganizationAsync("Vergi A.Ş.");

        var badVkn = await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", Fields("Yanlış VKN Ltd.", "1234567891"), Ct);
        var problem = await badVkn.ProblemAsync(400);
        var message = problem.GetProperty("errors").GetProperty("taxNumber")[0].GetString();
        Assert.Contains("VKN", message, StringComparison.Ordinal);
        Assert.Contains("check digit", message, StringComparison.Ordinal);

        var badTckn = await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", Fields("Yanlış TCKN", "10000000147"), Ct);
        Assert.Contains("TCKN", (await badTckn.ProblemAsync(400)).GetProperty("errors").GetProperty("taxNumber")[0].GetString(), StringComparison.Ordinal);

        var tooShort = await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", Fields("Kısa", "12345"), Ct);
        Assert.Contains("5 digits", (await tooShort.ProblemAsync(400)).GetProperty("errors").GetProperty("taxNumber")[0].GetString(), StringComparison.Ordinal);

        var list = await org.Admin.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.Empty(list!.Items);

        // Editing to an invalid number is refused the same way.
        var good = await org.Admin.Client.CreateAccountAsync("Doğru VKN Ltd.", "1234567890");
        var edit = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{good.Id}", Fields("Doğru VKN Ltd.", "1234567899"), "\"0\"");
        Assert.True((await edit.ProblemAsync(400)).GetProperty("errors").TryGetProperty("taxNumber", out _));
    }

    [Fact]
    public async Task The_same_tax_number_is_reported_as_a_possible_duplicate_but_the_account_is_still_created()
    {
        var org = await factory.CreateOrganizationAsync("Çift A.Ş.");
        var first = await org.Admin.Client.CreateAccountAsync("Ege Tekstil A.Ş.", "4710145325", "İzmir");

        var second = await org.Admin.Client.CreateAccountAsync("Ege Tekstil Manisa Şubesi", "4710 145 325", "Manisa");

        var duplicate = Assert.Single(second.Duplicates!.Accounts);
        Assert.Equal(first.Id, duplicate.Id);
        Assert.True(duplicate.SameTaxNumber);
        Assert.False(duplicate.SameName);
        Assert.Equal(0, second.Duplicates.NotVisible);
        var list = await org.Admin.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.Equal(2, list!.Items.Count);
    }

    [Fact]
    public async Task A_name_that_folds_to_the_same_key_is_a_possible_duplicate()
    {
        var org = await factory.CreateOrganizationAsync("Katlama A.Ş.");
        var first = await org.Admin.Client.CreateAccountAsync("İstanbul Çelik A.Ş.");
        await org.Admin.Client.CreateAccountAsync("İstanbul Çelikhane A.Ş.");

        var second = await org.Admin.Client.CreateAccountAsync("ISTANBUL CELIK SAN. VE TIC. LTD. ŞTİ.");

        var duplicate = Assert.Single(second.Duplicates!.Accounts);
        Assert.Equal(first.Id, duplicate.Id);
        Assert.True(duplicate.SameName);
    }

    [Fact]
    public async Task With_reject_duplicates_a_duplicate_gets_409_with_the_candidates_and_nothing_is_saved()
    {
        var org = await factory.CreateOrganizationAsync("Ret A.Ş.");
        var first = await org.Admin.Client.CreateAccountAsync("Karadeniz Fındık", "9876543217");

        var response = await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", Fields("KARADENİZ FINDIK A.Ş.", null, null, rejectDuplicates: true), Ct);

        var problem = await response.ProblemAsync(409);
        Assert.Equal("account.possible-duplicate", problem.GetProperty("code").GetString());
        Assert.Equal(first.Id, problem.GetProperty("duplicates")[0].GetProperty("id").GetGuid());
        var list = await org.Admin.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.Single(list!.Items);

        // Without a duplicate, rejectDuplicates changes nothing.
        var unique = await org.Admin.Client.PostAsJsonAsync("/api/v1/accounts", Fields("Akdeniz Narenciye", null, null, rejectDuplicates: true), Ct);
        Assert.Equal(HttpStatusCode.Created, unique.StatusCode);
    }

    [Fact]
    public async Task An_edit_warns_only_when_the_name_or_tax_number_changes_into_a_duplicate()
    {
        var org = await factory.CreateOrganizationAsync("Düzenle A.Ş.");
        var existing = await org.Admin.Client.CreateAccountAsync("Trakya Cam", "1111111114");
        var other = await org.Admin.Client.CreateAccountAsync("Marmara Cam", city: "Bursa");

        var cityOnly = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{other.Id}", Fields("Marmara Cam", null, "Kocaeli"), "\"0\"");
        var unchanged = (await cityOnly.Content.ReadFromJsonAsync<AccountDto>(Ct))!;
        Assert.Empty(unchanged.Duplicates!.Accounts);

        var rejected = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{other.Id}", Fields("Marmara Cam", "1111111114", "Kocaeli", rejectDuplicates: true), "\"1\"");
        await rejected.ProblemAsync(409);

        var renamed = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{other.Id}", Fields("Trakya Cam Ltd.", null, "Kocaeli"), "\"1\"");
        var warned = (await renamed.Content.ReadFromJsonAsync<AccountDto>(Ct))!;
        Assert.Equal(existing.Id, Assert.Single(warned.Duplicates!.Accounts).Id);
        Assert.Equal("Trakya Cam Ltd.", warned.Name);
    }

    [Fact]
    public async Task A_rep_learns_that_another_reps_account_is_a_duplicate_but_not_which_one()
    {
        var org = await factory.CreateOrganizationAsync("Gizli Çift A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep, "Ayşe Kaya");
        var mehmet = await org.AddUserAsync(UserRole.Rep, "Mehmet Demir");
        var hers = await ayse.Client.CreateAccountAsync("Boğaziçi Lojistik", "1234567890");

        var response = await mehmet.Client.PostAsJsonAsync("/api/v1/accounts", Fields("Bogazici Lojistik A.Ş."), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        var his = JsonSerializer.Deserialize<AccountDto>(body, JsonSerializerOptions.Web)!;
        Assert.Empty(his.Duplicates!.Accounts);
        Assert.Equal(1, his.Duplicates.NotVisible);
        Assert.Equal(["Ayşe Kaya"], his.Duplicates.NotVisibleOwners);
        Assert.DoesNotContain(hers.Id.ToString(), body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_rep_sees_and_changes_only_own_accounts_until_reps_may_see_all()
    {
        var org = await factory.CreateOrganizationAsync("Görünürlük A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep, "Ayşe");
        var mehmet = await org.AddUserAsync(UserRole.Rep, "Mehmet");
        var hers = await ayse.Client.CreateAccountAsync("Ayşe'nin Müşterisi");
        var his = await mehmet.Client.CreateAccountAsync("Mehmet'in Müşterisi");

        var mehmetSees = await mehmet.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.Equal([his.Id], mehmetSees!.Items.Select(a => a.Id));
        Assert.Equal(HttpStatusCode.NotFound, (await mehmet.Client.GetAsync($"/api/v1/accounts/{hers.Id}", Ct)).StatusCode);
        await (await mehmet.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{hers.Id}", Fields("Ele geçirildi"), "\"0\"")).ProblemAsync(404);
        await (await mehmet.Client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{hers.Id}/archive", null, "\"0\"")).ProblemAsync(404);
        await (await mehmet.Client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{hers.Id}/transfer", new { newOwnerId = mehmet.Id }, "\"0\"")).ProblemAsync(404);
        var adminSees = await org.Admin.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.Equal(2, adminSees!.Items.Count);

        await org.SetRepsSeeAllAsync(true);

        var nowSees = await mehmet.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.Equal(2, nowSees!.Items.Count);
        var edit = await mehmet.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{hers.Id}", Fields("Ayşe'nin Müşterisi A.Ş."), "\"0\"");
        await edit.EnsureSuccessAsync();

        await org.SetRepsSeeAllAsync(false);
        Assert.Equal(HttpStatusCode.NotFound, (await mehmet.Client.GetAsync($"/api/v1/accounts/{hers.Id}", Ct)).StatusCode);
    }

    [Fact]
    public async Task An_update_with_a_stale_etag_gets_412_and_one_without_if_match_gets_428()
    {
        var org = await factory.CreateOrganizationAsync("Eski Sürüm A.Ş.");
        var account = await org.Admin.Client.CreateAccountAsync("Kapadokya Turizm");

        var first = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{account.Id}", Fields("Kapadokya Turizm A.Ş."), "\"0\"");
        await first.EnsureSuccessAsync();
        Assert.Equal("\"1\"", first.Headers.ETag!.ToString());
        var stale = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{account.Id}", Fields("Kapadokya Balon"), "\"0\"");
        var missing = await org.Admin.Client.SendAsync(HttpMethod.Put, $"/api/v1/accounts/{account.Id}", Fields("Kapadokya Balon"), null);

        await stale.ProblemAsync(412);
        await missing.ProblemAsync(428);
        await (await org.Admin.Client.SendAsync(HttpMethod.Post, $"/api/v1/accounts/{account.Id}/archive", null, "\"0\"")).ProblemAsync(412);
        var stored = await org.Admin.Client.GetFromJsonAsync<AccountDto>($"/api/v1/accounts/{account.Id}", Ct);
        Assert.Equal("Kapadokya Turizm A.Ş.", stored!.Name);
        Assert.False(stored.IsArchived);
    }

    [Fact]
    public async Task The_list_sorts_by_folded_name_and_pages_by_cursor_without_gaps_or_repeats()
    {
        var org = await factory.CreateOrganizationAsync("Sayfa A.Ş.");
        string[] names = ["Zeytin Evi", "Çelik Yapı", "Ödemiş Süt", "Ankara Un", "Şirin Gıda", "Ilgaz Kereste", "İnci Akü", "Bursa Tekstil", "Cam Sanayi"];
        foreach (var name in names)
        {
            await org.Admin.Client.CreateAccountAsync(name);
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await org.Admin.Client.GetFromJsonAsync<PageDto<AccountDto>>($"/api/v1/accounts?limit=2{(cursor is null ? "" : "&cursor=" + cursor)}", Ct);
            Assert.True(page!.Items.Count <= 2);
            seen.AddRange(page.Items.Select(a => a.Name));
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 10);

        // Turkish letters sort beside their plain forms on every database (not after Z as in byte order).
        Assert.Equal(["Ankara Un", "Bursa Tekstil", "Cam Sanayi", "Çelik Yapı", "Ilgaz Kereste", "İnci Akü", "Ödemiş Süt", "Şirin Gıda", "Zeytin Evi"], seen);
        Assert.Equal(5, pages);
        await (await org.Admin.Client.GetAsync("/api/v1/accounts?cursor=not-a-cursor!", Ct)).ProblemAsync(400);
        await (await org.Admin.Client.GetAsync("/api/v1/accounts?limit=0", Ct)).ProblemAsync(400);
    }

    [Fact]
    public async Task The_list_filters_by_owner_team_city_and_archived()
    {
        var org = await factory.CreateOrganizationAsync("Filtre A.Ş.");
        var teamResponse = await org.Admin.Client.PostAsJsonAsync("/api/v1/teams", new { name = "Ege" }, Ct);
        var teamId = (await teamResponse.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
        var inTeam = await org.AddUserAsync(UserRole.Rep, "Ege Temsilcisi", teamId);
        var outside = await org.AddUserAsync(UserRole.Rep, "Diğer Temsilci");
        var izmir = await inTeam.Client.CreateAccountAsync("İzmir Liman", city: "İZMİR");
        var istanbul = await outside.Client.CreateAccountAsync("Boğaz Yat", city: "İstanbul");
        var old = await outside.Client.CreateAccountAsync("Eski Yat", city: "istanbul");
        await (await outside.Client.PostWithEtagAsync($"/api/v1/accounts/{old.Id}", "archive")).EnsureSuccessAsync();

        async Task<Guid[]> Ids(string query) =>
            (await org.Admin.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts" + query, Ct))!.Items.Select(a => a.Id).ToArray();

        Assert.Equal([izmir.Id], await Ids($"?ownerId={inTeam.Id}"));
        Assert.Equal([izmir.Id], await Ids($"?teamId={teamId}"));
        Assert.Equal([izmir.Id], await Ids("?city=izmir"));
        Assert.Equal([istanbul.Id], await Ids("?city=ISTANBUL"));
        Assert.Equal([old.Id], await Ids("?city=%C4%B0stanbul&archived=true"));
        Assert.Equal([old.Id], await Ids("?archived=true"));
        Assert.Equal(2, (await Ids("")).Length);
        Assert.Empty(await Ids($"?teamId={Guid.NewGuid()}"));
    }

    [Fact]
    public async Task An_account_is_archived_and_restored_but_not_while_it_has_open_opportunities()
    {
        var org = await factory.CreateOrganizationAsync("Arşiv A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var account = await rep.Client.CreateAccountAsync("Toros Gübre");
        var manager = await org.AddUserAsync(UserRole.Manager);

        // The open deal belongs to someone the rep cannot see; it still blocks the archive.
        await factory.OpportunityAsync(org, account.Id, "Gübre tesisi", 1000m, manager.Id);
        var refused = await rep.Client.PostWithEtagAsync($"/api/v1/accounts/{account.Id}", "archive");
        Assert.Equal("account.has-open-opportunities", (await refused.ProblemAsync(422)).GetProperty("code").GetString());

        var other = await rep.Client.CreateAccountAsync("Mersin Narenciye");
        var archived = await rep.Client.PostWithEtagAsync($"/api/v1/accounts/{other.Id}", "archive");
        await archived.EnsureSuccessAsync();
        Assert.True((await archived.Content.ReadFromJsonAsync<AccountDto>(Ct))!.IsArchived);
        var active = await rep.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.DoesNotContain(active!.Items, a => a.Id == other.Id);

        var restored = await rep.Client.PostWithEtagAsync($"/api/v1/accounts/{other.Id}", "restore");
        await restored.EnsureSuccessAsync();
        Assert.False((await restored.Content.ReadFromJsonAsync<AccountDto>(Ct))!.IsArchived);
        active = await rep.Client.GetFromJsonAsync<PageDto<AccountDto>>("/api/v1/accounts", Ct);
        Assert.Contains(active!.Items, a => a.Id == other.Id);
    }

    [Fact]
    public async Task A_transfer_moves_the_account_and_the_previous_owners_contacts_and_is_audited()
    {
        var org = await factory.CreateOrganizationAsync("Devir A.Ş.");
        var ayse = await org.AddUserAsync(UserRole.Rep, "Ayşe");
        var mehmet = await org.AddUserAsync(UserRole.Rep, "Mehmet");
        var account = await ayse.Client.CreateAccountAsync("Kapadokya Seramik");
        var buyer = await ayse.Client.CreateContactAsync(account.Id, "Elif", "Aksoy");
        var engineer = await org.Admin.Client.PostAsJsonAsync("/api/v1/contacts", new { accountId = account.Id, firstName = "Can", lastName = "Ural", ownerId = org.Admin.Id }, Ct);
        var engineerId = (await engineer.Content.ReadFromJsonAsync<ContactDto>(Ct))!.Id;

        var transfer = await ayse.Client.PostWithEtagAsync($"/api/v1/accounts/{account.Id}", "transfer", new { newOwnerId = mehmet.Id, includeContacts = true });

        await transfer.EnsureSuccessAsync();
        var moved = (await transfer.Content.ReadFromJsonAsync<AccountDto>(Ct))!;
        Assert.Equal(mehmet.Id, moved.OwnerId);
        Assert.Equal("Mehmet", moved.OwnerName);
        Assert.Equal(HttpStatusCode.NotFound, (await ayse.Client.GetAsync($"/api/v1/accounts/{account.Id}", Ct)).StatusCode);
        await (await mehmet.Client.GetAsync($"/api/v1/accounts/{account.Id}", Ct)).EnsureSuccessAsync();
        var contact = await mehmet.Client.GetFromJsonAsync<ContactDto>($"/api/v1/contacts/{buyer.Id}", Ct);
        Assert.Equal(mehmet.Id, contact!.OwnerId);
        var untouched = await org.Admin.Client.GetFromJsonAsync<ContactDto>($"/api/v1/contacts/{engineerId}", Ct);
        Assert.Equal(org.Admin.Id, untouched!.OwnerId);

        var audit = await org.Admin.Client.GetFromJsonAsync<JsonElement>($"/api/v1/audit?entityType=Account&entityId={account.Id}", Ct);
        var change = audit.GetProperty("items")[0];
        Assert.Equal("Update", change.GetProperty("action").GetString());
        Assert.Equal(ayse.Id, change.GetProperty("userId").GetGuid());
        var owner = JsonDocument.Parse(change.GetProperty("changes").GetString()!).RootElement.GetProperty("OwnerId");
        Assert.Equal(ayse.Id, owner[0].GetGuid());
        Assert.Equal(mehmet.Id, owner[1].GetGuid());
    }

    [Fact]
    public async Task A_transfer_without_contacts_leaves_them_and_an_unknown_new_owner_is_a_400()
    {
        var org = await factory.CreateOrganizationAsync("Kısmi Devir A.Ş.");
        var rep = await org.AddUserAsync(UserRole.Rep);
        var account = await org.Admin.Client.CreateAccountAsync("Van Gölü Balık");
        var contact = await org.Admin.Client.CreateContactAsync(account.Id, "Deniz", "Yıldız");

        var unknown = await org.Admin.Client.PostWithEtagAsync($"/api/v1/accounts/{account.Id}", "transfer", new { newOwnerId = Guid.NewGuid() });
        Assert.True((await unknown.ProblemAsync(400)).GetProperty("errors").TryGetProperty("newOwnerId", out _));

        var transfer = await org.Admin.Client.PostWithEtagAsync($"/api/v1/accounts/{account.Id}", "transfer", new { newOwnerId = rep.Id });
        await transfer.EnsureSuccessAsync();

        var stays = await org.Admin.Client.GetFromJsonAsync<ContactDto>($"/api/v1/contacts/{contact.Id}", Ct);
        Assert.Equal(org.Admin.Id, stays!.OwnerId);
    }
}
