using Kazan.Features.Accounts;
using Kazan.Features.Opportunities;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

public sealed class BoardJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    private const string Password = "gizli-sifre-2026";

    /// <summary>Sets up a company through the onboarding page; the admin is signed in afterwards.</summary>
    private static async Task<(IPage Page, string Email)> OnboardAsync(BrowserFixture fixture, string company)
    {
        var page = await fixture.NewPageAsync("tr-TR");
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await page.GotoAsync("/onboarding");
        await page.GetByTestId("org-name").FillAsync(company);
        await page.GetByTestId("admin-name").FillAsync("Deniz Aksoy");
        await page.GetByTestId("admin-email").FillAsync(email);
        await page.GetByTestId("admin-password").FillAsync(Password);
        await page.GetByTestId("onboarding-submit").ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Deniz Aksoy");
        return (page, email);
    }

    /// <summary>Accounts have their own pages in another slice: arrange them through the domain.</summary>
    private async Task<(Guid OrganizationId, Guid UserId)> AccountAsync(string ownerEmail, string name)
    {
        using var scope = fixture.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        var user = await db.Users.IgnoreQueryFilters().SingleAsync(u => u.Email == ownerEmail, TestContext.Current.CancellationToken);
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(user.OrganizationId, user.Id, user.Role, repsSeeAll: false);
        db.Accounts.Add(new Account(user.OrganizationId, user.Id, AccountKind.Company, name, DateTimeOffset.UtcNow));
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (user.OrganizationId, user.Id);
    }

    private static async Task CreateOpportunityAsync(IPage page, string accountWord, string title, string amount)
    {
        await page.GotoAsync("/opportunities/new");
        await page.GetByTestId("account-search").FillAsync(accountWord);
        await page.GetByTestId("account-search-submit").ClickAsync();
        await page.GetByTestId("account-pick").First.ClickAsync();
        await page.GetByTestId("opportunity-title").FillAsync(title);
        await page.GetByTestId("opportunity-amount").FillAsync(amount);
        await page.GetByTestId("opportunity-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("opportunity-title")).ToHaveTextAsync(title);
    }

    private static ILocator Card(IPage page, string stage, string title) =>
        page.Locator($"[data-testid=column][data-stage='{stage}'] [data-testid=board-card][data-title='{title}']");

    /// <summary>Drags as a hand does: press on the card, move in steps, release over the target.</summary>
    private static async Task DragAsync(IPage page, ILocator source, ILocator target)
    {
        var from = (await source.BoundingBoxAsync())!;
        var to = (await target.BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(from.X + 12, from.Y + from.Height - 8);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(from.X + 30, from.Y + from.Height - 20, new() { Steps = 3 });
        await page.Mouse.MoveAsync(to.X + (to.Width / 2), to.Y + Math.Min(to.Height / 2, 60), new() { Steps = 10 });
        await page.Mouse.UpAsync();
    }

    private static async Task OpenBoardAsync(IPage page)
    {
        await page.GotoAsync("/board");
        await page.GetByTestId("board-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    [Fact]
    public async Task A_deal_created_in_the_ui_is_dragged_to_another_stage_and_another_is_lost_with_a_reason()
    {
        var (page, email) = await OnboardAsync(fixture, "Anadolu Vana Sanayi A.Ş.");
        await AccountAsync(email, "İstanbul Boru Ticaret");

        await CreateOpportunityAsync(page, "istanbul", "Vana hattı yenileme", "125000");
        await Assertions.Expect(page.GetByTestId("current-stage")).ToHaveTextAsync("Yeni");
        await Assertions.Expect(page.GetByTestId("forecast-why")).ToContainTextAsync("beklenen tutarı");
        await CreateOpportunityAsync(page, "boru", "Yedek parça anlaşması", "40000");

        // Drag the first deal from "Yeni" to "Teklif": it stays there after a reload.
        await OpenBoardAsync(page);
        await Assertions.Expect(Card(page, "Yeni", "Vana hattı yenileme")).ToBeVisibleAsync();
        await DragAsync(page, Card(page, "Yeni", "Vana hattı yenileme"), page.Locator("[data-testid=column][data-stage='Teklif']"));
        await Assertions.Expect(Card(page, "Teklif", "Vana hattı yenileme")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-testid=column][data-stage='Teklif'] [data-testid=column-count]")).ToHaveTextAsync("1");
        await page.ReloadAsync();
        await page.GetByTestId("board-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(Card(page, "Teklif", "Vana hattı yenileme")).ToBeVisibleAsync();
        await Assertions.Expect(Card(page, "Yeni", "Vana hattı yenileme")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "board-01-moved");

        // Lose the second one on the Lost drop zone: the reason is asked for, and required.
        await DragAsync(page, Card(page, "Yeni", "Yedek parça anlaşması"), page.Locator("[data-testid=column][data-stage='Görüşme']"));
        await Assertions.Expect(Card(page, "Görüşme", "Yedek parça anlaşması")).ToBeVisibleAsync();
        await DragAsync(page, Card(page, "Görüşme", "Yedek parça anlaşması"), page.GetByTestId("drop-lost"));
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "board-02-lost-dialog");
        await page.GetByTestId("lost-dialog-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToContainTextAsync("kaybetme nedeni seçin");
        await page.GetByTestId("lost-dialog-reason").SelectOptionAsync(new SelectOptionValue { Label = "Fiyat" });
        await page.GetByTestId("lost-dialog-note").FillAsync("Rakip %12 ucuz");
        await page.GetByTestId("lost-dialog-confirm").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=board-card][data-title='Yedek parça anlaşması']")).ToHaveCountAsync(0);

        // The opportunity page tells the story.
        await page.GotoAsync("/opportunities?status=Lost");
        await page.GetByRole(AriaRole.Link, new() { Name = "Yedek parça anlaşması" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("opportunity-status")).ToHaveTextAsync("Kaybedildi");
        await Assertions.Expect(page.GetByTestId("lost-reason-shown")).ToHaveTextAsync("Fiyat");
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("Kaybedildi olarak işaretlendi: Fiyat");

        await page.GotoAsync("/opportunities?status=Open");
        await page.GetByRole(AriaRole.Link, new() { Name = "Vana hattı yenileme" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("current-stage")).ToHaveTextAsync("Teklif");
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("Yeni aşamasından Teklif aşamasına taşındı");
        await BrowserFixture.ScreenshotAsync(page, "board-03-opportunity");

        // The stage path moves it too, with plain buttons.
        await page.GetByTestId("stage-step").Filter(new() { HasText = "Pazarlık" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("current-stage")).ToHaveTextAsync("Pazarlık");
    }

    [Fact]
    public async Task A_rep_sees_only_own_deals_on_the_interactive_board()
    {
        var (page, email) = await OnboardAsync(fixture, "Karadeniz Çay A.Ş.");
        var (orgId, adminId) = await AccountAsync(email, "Rize Çay Evi");
        var repEmail = $"rep-{Guid.NewGuid():N}@example.com";
        using (var scope = fixture.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
            var rep = new User(orgId, repEmail, "Selin Temsilci", UserRole.Rep, "tr-TR");
            Assert.True((await users.CreateAsync(rep, Password)).Succeeded);
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(orgId, adminId, UserRole.Admin, repsSeeAll: false);
            var stage = await db.Stages.OrderBy(s => s.Position).FirstAsync(TestContext.Current.CancellationToken);
            var account = await db.Accounts.FirstAsync(TestContext.Current.CancellationToken);
            db.Opportunities.Add(new Opportunity(orgId, adminId, account.Id, stage, "Yöneticinin fırsatı", 1000m, "TRY", 1m, new DateOnly(2026, 12, 1), adminId, DateTimeOffset.UtcNow));
            db.Opportunities.Add(new Opportunity(orgId, rep.Id, account.Id, stage, "Selin'in fırsatı", 2000m, "TRY", 1m, new DateOnly(2026, 12, 1), adminId, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await OpenBoardAsync(page);
        await Assertions.Expect(page.Locator("[data-testid=board-card]")).ToHaveCountAsync(2);

        var repPage = await fixture.NewPageAsync("tr-TR");
        await repPage.GotoAsync("/signin");
        await repPage.GetByTestId("email").FillAsync(repEmail);
        await repPage.GetByTestId("password").FillAsync(Password);
        await repPage.GetByTestId("signin-submit").ClickAsync();
        await Assertions.Expect(repPage.Locator("h1")).ToContainTextAsync("Selin");
        await OpenBoardAsync(repPage);
        await Assertions.Expect(repPage.Locator("[data-testid=board-card]")).ToHaveCountAsync(1);
        await Assertions.Expect(repPage.Locator("[data-testid=board-card]")).ToHaveAttributeAsync("data-title", "Selin'in fırsatı");
        await Assertions.Expect(repPage.GetByTestId("board-summary")).ToContainTextAsync("1 açık fırsat");

        // The admin narrows the board to the rep inside the circuit.
        await page.GetByTestId("board-owner").SelectOptionAsync(new SelectOptionValue { Label = "Selin Temsilci" });
        await Assertions.Expect(page.Locator("[data-testid=board-card]")).ToHaveCountAsync(1);
        await page.GetByTestId("board-mine").CheckAsync();
        await Assertions.Expect(page.Locator("[data-testid=board-card]")).ToHaveAttributeAsync("data-title", "Yöneticinin fırsatı");
    }

    [Fact]
    public async Task An_admin_reshapes_the_pipeline_in_settings_and_deals_follow_a_removed_stage()
    {
        var (page, email) = await OnboardAsync(fixture, "Trakya Tarım Makineleri A.Ş.");
        await AccountAsync(email, "Edirne Çiftçi Kooperatifi");
        await CreateOpportunityAsync(page, "edirne", "Traktör filosu", "900000");

        await page.GotoAsync("/settings/pipelines");
        await Assertions.Expect(page.GetByTestId("default-badge")).ToHaveCountAsync(1);
        await page.GetByTestId("pipeline-link").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("pipeline-title")).ToHaveTextAsync("Satış süreci");

        // Add a stage at the end, then move it one up with the arrow.
        await page.GetByTestId("stage-new-name").FillAsync("Sözleşme");
        await page.GetByTestId("stage-new-probability").FillAsync("90");
        await page.GetByTestId("stage-add").ClickAsync();
        ILocator Row(string name) => page.GetByTestId("stage-row").Filter(new() { Has = page.Locator($"input[name='Row.Name'][value='{name}']") });
        await Assertions.Expect(Row("Sözleşme")).ToHaveCountAsync(1);
        await Row("Sözleşme").GetByTestId("stage-up").ClickAsync();
        await Assertions.Expect(page.GetByTestId("stage-name").Nth(4)).ToHaveValueAsync("Sözleşme");
        await Assertions.Expect(page.GetByTestId("stage-name").Nth(5)).ToHaveValueAsync("Pazarlık");

        // "Won" is an outcome, not a stage.
        await page.GetByTestId("stage-new-name").FillAsync("Kazanıldı");
        await page.GetByTestId("stage-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync("sonucudur, aşama değildir");

        // "Yeni" holds the deal: removing it needs a target stage.
        await Assertions.Expect(Row("Yeni").GetByTestId("stage-count")).ToHaveTextAsync("1");
        await Row("Yeni").GetByTestId("stage-remove").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("form-errors")).ToContainTextAsync("taşınacakları aşamayı seçin");
        await Row("Yeni").Locator("select[name='Row.MoveTo']").SelectOptionAsync(new SelectOptionValue { Label = "Görüşme" });
        await Row("Yeni").GetByTestId("stage-remove").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(Row("Yeni")).ToHaveCountAsync(0);
        await Assertions.Expect(Row("Görüşme").GetByTestId("stage-count")).ToHaveTextAsync("1");
        await BrowserFixture.ScreenshotAsync(page, "pipelines-01-stages");

        // A new lost reason is offered from now on.
        await page.GotoAsync("/settings/pipelines");
        await page.GetByTestId("reason-name").FillAsync("Teslim süresi uzun");
        await page.GetByTestId("reason-add").ClickAsync();
        await Assertions.Expect(page.GetByTestId("lost-reasons").Locator("input[value='Teslim süresi uzun']")).ToHaveCountAsync(1);

        // The deal moved with its stage, and says so.
        await page.GotoAsync("/opportunities");
        await page.GetByRole(AriaRole.Link, new() { Name = "Traktör filosu" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("current-stage")).ToHaveTextAsync("Görüşme");
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("(aşama kaldırıldı)");
        await Assertions.Expect(page.GetByTestId("lost-reason").Locator("option", new() { HasText = "Teslim süresi uzun" })).ToHaveCountAsync(1);

        // The home page sums the default pipeline for the caller.
        await page.GotoAsync("/");
        await Assertions.Expect(page.GetByTestId("summary-count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.GetByTestId("summary-total")).ToHaveTextAsync("900.000,00 ₺");
        await Assertions.Expect(page.GetByTestId("summary-weighted")).ToHaveTextAsync("180.000,00 ₺");

        // A filter on the list is saved under a name and picked again.
        await page.GotoAsync("/opportunities");
        await page.GetByTestId("filter-status").SelectOptionAsync("Open");
        await page.GetByTestId("filter-amount-min").FillAsync("500.000"); // typed the Turkish way
        await page.GetByTestId("filter-apply").ClickAsync();
        await Assertions.Expect(page.GetByTestId("opportunity-row")).ToHaveCountAsync(1);
        await page.GetByTestId("saved-filter-name").FillAsync("Büyük açıklar");
        await page.GetByTestId("saved-filter-save").ClickAsync();
        await page.GotoAsync("/opportunities?status=Lost");
        await Assertions.Expect(page.GetByTestId("opportunity-row")).ToHaveCountAsync(0);
        await page.GetByTestId("saved-filter").Filter(new() { HasText = "Büyük açıklar" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("opportunity-row")).ToHaveCountAsync(1);
        await Assertions.Expect(page.GetByTestId("filter-amount-min")).ToHaveValueAsync("500.000,00");
        await BrowserFixture.ScreenshotAsync(page, "opportunities-01-list");
    }

    [Fact]
    public async Task A_deal_moves_to_a_stage_of_another_pipeline_from_its_page_and_its_history_says_so()
    {
        var (page, email) = await OnboardAsync(fixture, "Marmara Bayi Satış A.Ş.");
        var (organizationId, _) = await AccountAsync(email, "Bursa Tekstil Ltd.");
        using (var scope = fixture.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var dealers = new Kazan.Features.Pipelines.Pipeline(organizationId, "Bayi satışı", isDefault: false);
            dealers.AddStage("Bayi görüşmesi", 30, 14);
            dealers.AddStage("Bayi teklifi", 70, 14);
            db.Pipelines.Add(dealers);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await CreateOpportunityAsync(page, "bursa", "Dokuma tezgâhı", "250000");
        await Assertions.Expect(page.GetByTestId("current-stage")).ToHaveTextAsync("Yeni");
        await page.GetByTestId("move-pipeline-stage").SelectOptionAsync(new SelectOptionValue { Label = "Bayi satışı · Bayi teklifi" });
        await page.GetByTestId("move-pipeline-save").ClickAsync();

        await Assertions.Expect(page.GetByTestId("current-stage")).ToHaveTextAsync("Bayi teklifi");
        await Assertions.Expect(page.GetByTestId("history")).ToContainTextAsync("(başka satış sürecine taşındı)");
        // It now offers the way back to the default pipeline, not the one it is in.
        await Assertions.Expect(page.GetByTestId("move-pipeline-stage").Locator("option", new() { HasText = "Bayi satışı" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByTestId("move-pipeline-stage").Locator("option", new() { HasText = "Satış süreci · Yeni" })).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task A_card_changed_by_someone_else_is_not_overwritten_the_user_is_told_and_the_card_refreshes()
    {
        var (page, email) = await OnboardAsync(fixture, "Ege Zeytin A.Ş.");
        var (orgId, adminId) = await AccountAsync(email, "Ayvalık Zeytinyağı");
        await CreateOpportunityAsync(page, "ayvalik", "Dolum makinesi", "300000");
        await OpenBoardAsync(page);
        await Assertions.Expect(Card(page, "Yeni", "Dolum makinesi")).ToBeVisibleAsync();

        // Meanwhile a colleague moves the deal to "Görüşme" (through the same entity method).
        using (var scope = fixture.Services.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(orgId, adminId, UserRole.Admin, repsSeeAll: false);
            var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
            var deal = await db.Opportunities.SingleAsync(o => o.Title == "Dolum makinesi", TestContext.Current.CancellationToken);
            var stage = await db.Stages.SingleAsync(s => s.Name == "Görüşme" && s.PipelineId == deal.PipelineId, TestContext.Current.CancellationToken);
            deal.MoveTo(stage, adminId, DateTimeOffset.UtcNow);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        // The board still shows the old card; dropping it on "Teklif" must not overwrite the colleague's move.
        await DragAsync(page, Card(page, "Yeni", "Dolum makinesi"), page.Locator("[data-testid=column][data-stage='Teklif']"));
        await Assertions.Expect(page.GetByTestId("board-message")).ToContainTextAsync("başka biri tarafından değiştirildi");
        await Assertions.Expect(Card(page, "Görüşme", "Dolum makinesi")).ToBeVisibleAsync();
        await Assertions.Expect(Card(page, "Teklif", "Dolum makinesi")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "board-04-stale");

        // From the refreshed card the move goes through.
        await DragAsync(page, Card(page, "Görüşme", "Dolum makinesi"), page.Locator("[data-testid=column][data-stage='Teklif']"));
        await Assertions.Expect(Card(page, "Teklif", "Dolum makinesi")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("board-message")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Cards_move_with_the_keyboard_alone_won_and_lost_too_and_each_move_is_announced()
    {
        var (page, email) = await OnboardAsync(fixture, "Toros Kimya A.Ş.");
        await AccountAsync(email, "Mersin Liman İşletmesi");
        await CreateOpportunityAsync(page, "mersin", "Tank temizliği", "80000");
        await CreateOpportunityAsync(page, "liman", "Pompa yenileme", "45000");
        await CreateOpportunityAsync(page, "mersin", "Boru hattı bakımı", "30000");
        await OpenBoardAsync(page);
        var announce = page.GetByTestId("board-announce");
        await Assertions.Expect(announce).ToHaveAttributeAsync("role", "status");

        // Focus the card's "Move to…" (a disclosure), open it with Enter, Tab to "Teklif", press Enter.
        var move = Card(page, "Yeni", "Tank temizliği").GetByTestId("card-move");
        await move.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(move.GetByTestId("move-to").First).ToBeVisibleAsync();
        for (var i = 0; i < 3; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        await Assertions.Expect(move.Locator("[data-testid=move-to][data-stage='Teklif']")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(Card(page, "Teklif", "Tank temizliği")).ToBeVisibleAsync();
        await Assertions.Expect(announce).ToHaveTextAsync("\"Tank temizliği\" Teklif aşamasına taşındı.");
        await page.ReloadAsync();
        await page.GetByTestId("board-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(Card(page, "Teklif", "Tank temizliği")).ToBeVisibleAsync();

        // Won, from the same menu.
        var won = Card(page, "Yeni", "Pompa yenileme").GetByTestId("card-move");
        await won.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await won.GetByTestId("move-won").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(announce).ToHaveTextAsync("\"Pompa yenileme\" kazanıldı olarak işaretlendi.");
        await Assertions.Expect(page.Locator("[data-testid=board-card][data-title='Pompa yenileme']")).ToHaveCountAsync(0);

        // Lost still asks the reason: the dialog takes the focus, Escape backs out and nothing changes.
        var lost = Card(page, "Yeni", "Boru hattı bakımı").GetByTestId("card-move");
        await lost.Locator("summary").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await lost.GetByTestId("move-lost").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("lost-dialog-reason")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToHaveCountAsync(0);
        await Assertions.Expect(Card(page, "Yeni", "Boru hattı bakımı")).ToBeVisibleAsync();

        // The menu is still open where the user left it: choose "Lost…" again and give the reason.
        await Assertions.Expect(lost.GetByTestId("move-lost")).ToBeVisibleAsync();
        await lost.GetByTestId("move-lost").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        // The dialog opens with the focus on the reason (set after it renders); only then does the user move on to the button.
        await Assertions.Expect(page.GetByTestId("lost-dialog-reason")).ToBeFocusedAsync();
        await page.GetByTestId("lost-dialog-confirm").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByTestId("lost-dialog")).ToContainTextAsync("kaybetme nedeni seçin");
        await page.GetByTestId("lost-dialog-reason").SelectOptionAsync(new SelectOptionValue { Label = "Bütçe yok" });
        await page.GetByTestId("lost-dialog-confirm").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(announce).ToHaveTextAsync("\"Boru hattı bakımı\" kaybedildi olarak işaretlendi.");
        await Assertions.Expect(page.Locator("[data-testid=board-card][data-title='Boru hattı bakımı']")).ToHaveCountAsync(0);

        await page.GotoAsync("/opportunities?status=Lost");
        await page.GetByRole(AriaRole.Link, new() { Name = "Boru hattı bakımı" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("lost-reason-shown")).ToHaveTextAsync("Bütçe yok");
    }
}
