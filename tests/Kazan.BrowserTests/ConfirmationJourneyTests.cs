using Kazan.Features.Quotes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Kazan.BrowserTests;

/// <summary>
/// Destructive and irreversible actions ask first (one data-confirm mechanism, a native dialog in the user's language):
/// cancelling does nothing, confirming does the action — on static forms, after enhanced navigation and in interactive
/// components. And the reconnect dialog of interactive pages speaks the user's language.
/// </summary>
public sealed class ConfirmationJourneyTests(BrowserFixture fixture) : BrowserTest, IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Deleting_a_team_asks_first_cancel_keeps_it_and_ok_deletes_it()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        await Journeys.SignUpAsync(page, "Onaylı Sil A.Ş.", "Nazlı Onay");

        // Reached by a menu link: enhanced navigation swaps the page without reloading scripts.
        await page.GetByRole(AriaRole.Link, new() { Name = "Ekipler" }).ClickAsync();
        await page.GetByTestId("team-name").FillAsync("Ege bölgesi");
        await page.GetByTestId("team-create").ClickAsync();
        var row = page.GetByTestId("teams").Locator("tr", new() { HasText = "Ege bölgesi" });
        await Assertions.Expect(row).ToHaveCountAsync(1);

        await row.GetByTestId("team-delete").ClickAsync();
        var dialog = page.GetByTestId("confirm-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await Assertions.Expect(dialog).ToContainTextAsync("\"Ege bölgesi\" ekibi silinsin mi?");
        await Assertions.Expect(page.GetByTestId("confirm-ok")).ToHaveTextAsync("Tamam");
        await BrowserFixture.ScreenshotAsync(page, "confirm-01-delete-team");
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Assertions.Expect(dialog).Not.ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);

        await row.GetByTestId("team-delete").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.ReloadAsync();
        await Assertions.Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_delete_clicked_while_the_page_is_still_loading_asks_first_too()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        await Journeys.SignUpAsync(page, "Aceleci Sil A.Ş.", "Hızlı Tıklayan");
        await page.GotoAsync("/settings/teams");
        await page.GetByTestId("team-name").FillAsync("Karadeniz");
        await page.GetByTestId("team-create").ClickAsync();
        var row = page.GetByTestId("teams").Locator("tr", new() { HasText = "Karadeniz" });
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // The page's last script is held back, so the page is shown but has not finished loading when the user clicks.
        var held = new TaskCompletionSource();
        await page.RouteAsync("**/js/notifications*.js", async route =>
        {
            await held.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync("/settings/teams", new() { WaitUntil = WaitUntilState.Commit });
        await row.GetByTestId("team-delete").ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToBeVisibleAsync();
        Assert.Equal("loading", await page.EvaluateAsync<string>("() => document.readyState"));
        await page.GetByTestId("confirm-cancel").ClickAsync();
        held.SetResult();
        await page.ReloadAsync();
        await Assertions.Expect(row).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Marking_a_quote_as_sent_without_mail_from_the_interactive_editor_asks_first_in_English_cancel_keeps_the_draft_and_ok_sends()
    {
        var page = await fixture.NewPageAsync("en-US");
        var email = await Journeys.SignUpAsync(page, "Confirm Sends Ltd.", "Sam Confirm", "en-US");
        var accountId = await Journeys.AccountAsync(fixture, email, "Northwind Traders");

        await page.GotoAsync($"/quotes/new?accountId={accountId}");
        await page.GetByTestId("quote-create").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-ready")).ToBeAttachedAsync();
        await page.GetByTestId("line-search").FillAsync("Consulting day");
        await page.GetByTestId("line-add-free").ClickAsync();
        await page.GetByTestId("line-price").Nth(0).FillAsync("100");
        await page.GetByTestId("line-price").Nth(0).PressAsync("Tab");
        await page.GetByTestId("editor-save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("editor-saved")).ToBeVisibleAsync();

        // No mail server here: the send dialog says so and offers "mark as sent", which asks first.
        await page.GetByTestId("quote-send").ClickAsync();
        await Assertions.Expect(page.GetByTestId("send-no-mail")).ToBeVisibleAsync();
        await page.GetByTestId("quote-mark-sent").ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("Mark this quote as sent without e-mail?");
        await Assertions.Expect(page.GetByTestId("confirm-cancel")).ToHaveTextAsync("Cancel");
        await page.GetByTestId("confirm-cancel").ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-dialog")).Not.ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("quote-mark-sent")).ToBeEnabledAsync();
        Assert.Equal(QuoteStatus.Draft, await StatusAsync(email));

        await page.GetByTestId("quote-mark-sent").ClickAsync();
        await page.GetByTestId("confirm-ok").ClickAsync();
        await Assertions.Expect(page.GetByTestId("quote-status")).ToHaveTextAsync("Sent");
        Assert.Equal(QuoteStatus.Sent, await StatusAsync(email));
    }

    [Fact]
    public async Task When_an_interactive_page_loses_its_connection_the_reconnect_dialog_speaks_Turkish_and_goes_away_when_it_is_back()
    {
        var page = await fixture.NewPageAsync("tr-TR");
        await Journeys.SignUpAsync(page, "Kopan Bağlantı A.Ş.", "Bora Bağlantı");
        await page.GotoAsync("/board");
        await page.GetByTestId("board-ready").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await page.Context.SetOfflineAsync(true);
        var modal = page.GetByTestId("reconnect-modal");
        await Assertions.Expect(modal).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Assertions.Expect(modal).ToContainTextAsync("bağlan");
        await Assertions.Expect(modal).Not.ToContainTextAsync("Rejoin");
        await BrowserFixture.ScreenshotAsync(page, "reconnect-01-tr");

        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(modal).Not.ToBeVisibleAsync(new() { Timeout = 30_000 });
    }

    private async Task<QuoteStatus> StatusAsync(string email)
    {
        var (scope, db, _) = await Journeys.ActAsAsync(fixture, email);
        await using (scope)
        {
            return await db.Quotes.Select(q => q.Status).SingleAsync();
        }
    }
}
