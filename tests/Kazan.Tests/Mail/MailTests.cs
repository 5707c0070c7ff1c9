using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Kazan.Features.Mail;
using Kazan.Features.Users;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Kazan.Tests.Mail;

/// <summary>
/// An organization's own mail server, the quote mail through the outbox (to a real SMTP server in the test process),
/// delivery with retries across an outage, the admin's outbox and the quote mail's wording.
/// </summary>
public sealed class MailTests(MailFactory factory) : IClassFixture<MailFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Customer = "sule.caglar@musteri.example";

    private sealed record QuoteDto(Guid Id, string DisplayNumber, string Status, decimal GrandTotal, int Version);

    private sealed record MailDto(Guid Id, string Purpose, Guid? QuoteId, List<string> To, List<string> Cc, string Subject, string Status, int Attempts,
        DateTimeOffset? NextAttemptAt, DateTimeOffset? SentAt, string? LastError, List<string> Attachments);

    private sealed record SetupDto(bool Configured, bool InstallationServer, ServerDto? OwnServer);

    private sealed record ServerDto(string Host, int Port, string Security, string? UserName, bool HasPassword, string FromAddress, string? FromName);

    private sealed record DraftDto(bool MailConfigured, string Language, List<RecipientDto> Contacts, string Subject, string Message);

    private sealed record RecipientDto(string Name, string Email);

    /// <summary>An organization with a deal, its contact (with an e-mail) on the deal, and a draft quote in Turkish.</summary>
    private async Task<(TestOrganization Org, QuoteDto Quote)> DraftQuoteAsync(string orgName)
    {
        var (org, account, opportunity) = await factory.OrganizationWithDealAsync(orgName, "Öztürk Makine San. A.Ş.");
        var contact = await org.Admin.Client.CreateContactAsync(account, "Şule", "Çağlar", Customer);
        await (await org.Admin.Client.PostAsJsonAsync($"/api/v1/opportunities/{opportunity}/contacts", new { contactId = contact.Id }, Ct)).EnsureSuccessAsync();
        var created = await org.Admin.Client.PostAsJsonAsync("/api/v1/quotes", new
        {
            accountId = account,
            opportunityId = opportunity,
            currency = "TRY",
            language = "tr",
            documentDiscountPercent = 0m,
            lines = new[] { new { kind = "Item", description = "Soğutma ünitesi", quantity = 2m, unit = "adet", unitPrice = 12_500m, discountPercent = 0m, vatRate = 20m } },
        }, Ct);
        await created.EnsureSuccessAsync();
        return (org, (await created.Content.ReadFromJsonAsync<QuoteDto>(Ct))!);
    }

    private async Task UseOwnServerAsync(TestOrganization org, int? port = null, string? password = null)
    {
        var response = await org.Admin.Client.PutAsJsonAsync("/api/v1/settings/mail", new
        {
            host = "127.0.0.1",
            port = port ?? factory.Mail.Port,
            security = "None",
            userName = (string?)null,
            password,
            fromAddress = "satis@ornek.example",
            fromName = "Örnek Satış",
        }, Ct);
        await response.EnsureSuccessAsync();
    }

    private static object Email(string subject = "Teklifimiz: ağır hizmet soğutma", string message = "Sayın Şule Hanım,\n\nTeklifimiz ekte.\n{link}\n\nSaygılarımızla") =>
        new { to = new[] { Customer }, cc = new[] { "mudur@ornek.example" }, subject, message };

    private static Task<HttpResponseMessage> SendAsync(TestOrganization org, QuoteDto quote, object? email) =>
        org.Admin.Client.SendAsync(HttpMethod.Post, $"/api/v1/quotes/{quote.Id}/send", new { exchangeRate = (decimal?)null, email }, $"\"{quote.Version}\"");

    private Task<int> DeliverAsync() => factory.Services.GetRequiredService<OutboxDelivery>().DeliverDueAsync(Ct);

    private static async Task<List<MailDto>> MailsAsync(TestOrganization org, Guid quoteId) =>
        (await org.Admin.Client.GetFromJsonAsync<List<MailDto>>($"/api/v1/quotes/{quoteId}/mails", Ct))!;

    [Fact]
    public async Task Sending_a_quote_by_mail_delivers_the_frozen_pdf_from_the_organizations_server_with_turkish_text_intact()
    {
        var (org, quote) = await DraftQuoteAsync("Ünlü Soğutma A.Ş.");
        await UseOwnServerAsync(org);

        var sent = await SendAsync(org, quote, Email());
        await sent.EnsureSuccessAsync();
        Assert.Equal("Sent", (await sent.Content.ReadFromJsonAsync<QuoteDto>(Ct))!.Status);

        // Written in the same transaction, waiting for the worker; nothing has reached the server yet.
        var waiting = Assert.Single(await MailsAsync(org, quote.Id));
        Assert.Equal(("Pending", 0), (waiting.Status, waiting.Attempts));
        Assert.DoesNotContain(factory.Mail.To(Customer), m => m.MessageId == waiting.Id.ToString("N") + "@kazan");

        Assert.True(await DeliverAsync() >= 1);
        var mail = await factory.Mail.WaitForAsync(Customer, factory.Mail.To(Customer).Count());
        var pdf = await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct);

        Assert.Equal("Teklifimiz: ağır hizmet soğutma", mail.Subject);
        Assert.Equal(("Örnek Satış", "satis@ornek.example"), (mail.From.Mailboxes.Single().Name, mail.From.Mailboxes.Single().Address));
        Assert.Equal(["mudur@ornek.example"], mail.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal([org.Admin.Email], mail.ReplyTo.Mailboxes.Select(m => m.Address));
        Assert.Equal(waiting.Id.ToString("N") + "@kazan", mail.MessageId);
        Assert.StartsWith("Sayın Şule Hanım,", mail.TextBody, StringComparison.Ordinal);

        // {link} became the online quote's address, which the customer opens without signing in.
        var link = SmtpCapture.LinkIn(mail);
        Assert.Contains("/q/qt_", link, StringComparison.Ordinal);
        Assert.DoesNotContain("{link}", mail.TextBody, StringComparison.Ordinal);
        var online = await factory.Anonymous().GetAsync("/api/v1/public/quotes/" + link[(link.LastIndexOf('/') + 1)..], Ct);
        await online.EnsureSuccessAsync();
        var attachment = Assert.Single(mail.Attachments.OfType<MimePart>());
        Assert.Equal(quote.DisplayNumber + ".pdf", attachment.FileName);
        using var bytes = new MemoryStream();
        await attachment.Content!.DecodeToAsync(bytes, Ct);
        Assert.Equal(pdf, bytes.ToArray());

        var delivered = Assert.Single(await MailsAsync(org, quote.Id));
        Assert.Equal(("Sent", 1, (string?)null), (delivered.Status, delivered.Attempts, delivered.LastError));
        Assert.Equal(factory.Clock.GetUtcNow(), delivered.SentAt);
        Assert.Equal([quote.DisplayNumber + ".pdf"], delivered.Attachments);
    }

    [Fact]
    public async Task A_mail_server_outage_loses_nothing_the_outbox_retries_with_backoff_and_delivers_once()
    {
        var (org, quote) = await DraftQuoteAsync("Kesinti Ltd.");
        await UseOwnServerAsync(org);
        await factory.StopMailAsync();
        try
        {
            await (await SendAsync(org, quote, Email(subject: "Kesintiye rağmen teklif"))).EnsureSuccessAsync();
            await DeliverAsync();
            var failed = Assert.Single(await MailsAsync(org, quote.Id));
            Assert.Equal(("Pending", 1), (failed.Status, failed.Attempts));
            Assert.False(string.IsNullOrWhiteSpace(failed.LastError));
            Assert.Equal(factory.Clock.GetUtcNow() + OutboxMail.Backoff(1), failed.NextAttemptAt);
        }
        finally
        {
            await factory.StartMailAsync();
        }

        // The server is back, but the next attempt is not due yet.
        await DeliverAsync();
        Assert.Empty(factory.Mail.Messages);

        factory.Clock.Advance(OutboxMail.Backoff(1));
        await DeliverAsync();
        await DeliverAsync();
        var mail = await factory.Mail.WaitForAsync(Customer);
        Assert.Equal("Kesintiye rağmen teklif", mail.Subject);
        Assert.Single(factory.Mail.Messages);
        var delivered = Assert.Single(await MailsAsync(org, quote.Id));
        Assert.Equal(("Sent", 2), (delivered.Status, delivered.Attempts));
    }

    [Fact]
    public async Task A_server_that_stops_in_the_middle_of_a_mail_gets_it_again_later_and_it_arrives_once()
    {
        var (org, quote) = await DraftQuoteAsync("Yarıda Kalan Ltd.");
        var port = Ports.Free();
        await UseOwnServerAsync(org, port);
        await (await SendAsync(org, quote, Email(subject: "Yarıda kesilen teklif"))).EnsureSuccessAsync();

        // The server takes the whole mail, then stops before saying it accepted it.
        var received = await StoppingServer.TakeOneMailAsync(port, DeliverAsync);
        Assert.Contains("Subject: =?utf-8?", received, StringComparison.OrdinalIgnoreCase);
        var interrupted = Assert.Single(await MailsAsync(org, quote.Id));
        Assert.Equal(("Pending", 1), (interrupted.Status, interrupted.Attempts));
        Assert.False(string.IsNullOrWhiteSpace(interrupted.LastError));

        // Back on the same port: the next attempt, when due, delivers it, and a further round sends nothing more.
        await using var back = new SmtpCapture(port);
        factory.Clock.Advance(OutboxMail.Backoff(1));
        await DeliverAsync();
        await DeliverAsync();
        var mail = await back.WaitForAsync(Customer);
        Assert.Equal("Yarıda kesilen teklif", mail.Subject);
        Assert.Equal(interrupted.Id.ToString("N") + "@kazan", mail.MessageId);
        Assert.Single(back.Messages);
        var delivered = Assert.Single(await MailsAsync(org, quote.Id));
        Assert.Equal(("Sent", 2, (string?)null), (delivered.Status, delivered.Attempts, delivered.LastError));
    }

    /// <summary>
    /// An SMTP server on a socket that answers a client up to the end of the mail's data and then stops (closes the
    /// connection and the port) without the final reply: a server going down in the middle of a send.
    /// </summary>
    private static class StoppingServer
    {
        public static async Task<string> TakeOneMailAsync(int port, Func<Task<int>> deliver)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            try
            {
                var attempt = deliver();
                using var client = await listener.AcceptTcpClientAsync(Ct);
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
                async Task Say(string line) => await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(line + "\r\n"), Ct);
                await Say("220 localhost ESMTP");
                var data = new System.Text.StringBuilder();
                while (await reader.ReadLineAsync(Ct) is { } line)
                {
                    var verb = line.Split(' ', 2)[0].ToUpperInvariant();
                    if (verb is "EHLO" or "HELO" or "MAIL" or "RCPT")
                    {
                        await Say("250 OK");
                    }
                    else if (verb == "DATA")
                    {
                        await Say("354 Go ahead");
                        while (await reader.ReadLineAsync(Ct) is { } body && body != ".")
                        {
                            data.AppendLine(body);
                        }

                        break; // the whole mail is here: stop without answering it
                    }
                    else
                    {
                        await Say("502 Not implemented");
                    }
                }

                client.Client.Close(0);
                listener.Stop();
                await attempt;
                return data.ToString();
            }
            finally
            {
                listener.Stop();
            }
        }
    }

    [Fact]
    public async Task After_every_attempt_failed_the_mail_waits_for_an_admin_who_retries_it_and_reps_cannot()
    {
        var (org, quote) = await DraftQuoteAsync("Israrcı Ticaret");
        var closed = Ports.Free();
        await UseOwnServerAsync(org, closed);
        await (await SendAsync(org, quote, Email(subject: "Sekiz deneme"))).EnsureSuccessAsync();
        for (var i = 1; i <= OutboxMail.MaxAttempts; i++)
        {
            await DeliverAsync();
            factory.Clock.Advance(OutboxMail.Backoff(i));
        }

        var failed = Assert.Single(await org.Admin.Client.GetFromJsonAsync<List<MailDto>>("/api/v1/mail/outbox?status=Failed", Ct) ?? []);
        Assert.Equal((quote.Id, OutboxMail.MaxAttempts, (DateTimeOffset?)null), (failed.QuoteId, failed.Attempts, failed.NextAttemptAt));
        await DeliverAsync();
        Assert.Equal(OutboxMail.MaxAttempts, Assert.Single(await MailsAsync(org, quote.Id)).Attempts); // failed mails are left alone

        var rep = await org.AddUserAsync(UserRole.Rep);
        await (await rep.Client.PostAsync($"/api/v1/mail/outbox/{failed.Id}/retry", null, Ct)).ProblemAsync(403);
        var other = await factory.CreateOrganizationAsync("Başka Şirket");
        await (await other.Admin.Client.PostAsync($"/api/v1/mail/outbox/{failed.Id}/retry", null, Ct)).ProblemAsync(404);
        Assert.Empty((await other.Admin.Client.GetFromJsonAsync<List<MailDto>>("/api/v1/mail/outbox", Ct))!);

        await UseOwnServerAsync(org); // the admin fixes the port
        var retried = await org.Admin.Client.PostAsync($"/api/v1/mail/outbox/{failed.Id}/retry", null, Ct);
        await retried.EnsureSuccessAsync();
        Assert.Equal(("Pending", 0), ((await retried.Content.ReadFromJsonAsync<MailDto>(Ct))!.Status, (await MailsAsync(org, quote.Id))[0].Attempts));
        await DeliverAsync();
        Assert.Equal("Sekiz deneme", (await factory.Mail.WaitForAsync(Customer, factory.Mail.To(Customer).Count())).Subject);
        Assert.Equal("Sent", Assert.Single(await MailsAsync(org, quote.Id)).Status);

        var again = await (await org.Admin.Client.PostAsync($"/api/v1/mail/outbox/{failed.Id}/retry", null, Ct)).ProblemAsync(422);
        Assert.Equal("mail.not-failed", again.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Without_a_mail_server_sending_by_mail_is_refused_and_changes_nothing_while_marking_as_sent_works_as_before()
    {
        var (org, quote) = await DraftQuoteAsync("Postasız A.Ş.");
        var draft = (await org.Admin.Client.GetFromJsonAsync<DraftDto>($"/api/v1/quotes/{quote.Id}/mail-draft", Ct))!;
        Assert.False(draft.MailConfigured);

        var refused = await (await SendAsync(org, quote, Email())).ProblemAsync(422);
        Assert.Equal("mail.not-configured", refused.GetProperty("code").GetString());
        var unchanged = (await org.Admin.Client.GetFromJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}", Ct))!;
        Assert.Equal(("Draft", quote.Version), (unchanged.Status, unchanged.Version));
        Assert.Empty(await MailsAsync(org, quote.Id));

        await (await SendAsync(org, quote, null)).EnsureSuccessAsync();
        Assert.Equal("Sent", (await org.Admin.Client.GetFromJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}", Ct))!.Status);
        Assert.Empty(await MailsAsync(org, quote.Id));
    }

    [Fact]
    public async Task Mailing_again_sends_the_same_frozen_pdf_and_a_draft_cannot_be_mailed()
    {
        var (org, quote) = await DraftQuoteAsync("Tekrar Gönderen A.Ş.");
        await UseOwnServerAsync(org);
        var early = await (await org.Admin.Client.PostAsJsonAsync($"/api/v1/quotes/{quote.Id}/mail", Email(), Ct)).ProblemAsync(422);
        Assert.Equal("quote.not-mailable", early.GetProperty("code").GetString());

        await (await SendAsync(org, quote, null)).EnsureSuccessAsync();
        var pdf = await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct);
        factory.Clock.Advance(TimeSpan.FromDays(2));
        var mailed = await org.Admin.Client.PostAsJsonAsync($"/api/v1/quotes/{quote.Id}/mail", Email(subject: "Hatırlatma: teklifimiz"), Ct);
        Assert.Equal(HttpStatusCode.Accepted, mailed.StatusCode);
        await DeliverAsync();

        var mail = await factory.Mail.WaitForAsync(Customer, factory.Mail.To(Customer).Count());
        Assert.Equal("Hatırlatma: teklifimiz", mail.Subject);
        using var bytes = new MemoryStream();
        await Assert.Single(mail.Attachments.OfType<MimePart>()).Content!.DecodeToAsync(bytes, Ct);
        Assert.Equal(pdf, bytes.ToArray());
        Assert.Equal(pdf, await org.Admin.Client.GetByteArrayAsync($"/api/v1/quotes/{quote.Id}/pdf", Ct));
    }

    [Theory]
    [InlineData("to", "not-an-address")]
    [InlineData("to", "a@b.example, c@d.example")]
    [InlineData("to", "Şule <sule@musteri.example>")]
    [InlineData("cc", "x@y.example\r\nBcc: everyone@example.com")]
    [InlineData("subject", "Teklif\r\nBcc: everyone@example.com")]
    [InlineData("subject", "")]
    [InlineData("message", " ")]
    [InlineData("to", "")]
    public async Task A_malformed_mail_is_a_400_at_its_field_and_the_quote_stays_a_draft(string field, string value)
    {
        var (org, quote) = await DraftQuoteAsync("Hatalı Posta " + Guid.NewGuid().ToString("N")[..6]);
        await UseOwnServerAsync(org);
        var email = new Dictionary<string, object?>
        {
            ["to"] = field == "to" ? (value.Length == 0 ? Array.Empty<string>() : [value]) : new[] { Customer },
            ["cc"] = field == "cc" ? new[] { value } : Array.Empty<string>(),
            ["subject"] = field == "subject" ? value : "Teklif",
            ["message"] = field == "message" ? value : "Ekte.",
        };

        var problem = await (await SendAsync(org, quote, email)).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("email." + field, out _), problem.ToString());
        Assert.Equal("Draft", (await org.Admin.Client.GetFromJsonAsync<QuoteDto>($"/api/v1/quotes/{quote.Id}", Ct))!.Status);
        Assert.Empty(await MailsAsync(org, quote.Id));
    }

    [Fact]
    public async Task Twenty_one_recipients_are_too_many()
    {
        var (org, quote) = await DraftQuoteAsync("Kalabalık A.Ş.");
        await UseOwnServerAsync(org);
        var email = new { to = Enumerable.Range(0, 11).Select(i => $"a{i}@x.example"), cc = Enumerable.Range(0, 10).Select(i => $"c{i}@x.example"), subject = "Teklif", message = "Ekte." };
        var problem = await (await SendAsync(org, quote, email)).ProblemAsync(400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("email.to", out _), problem.ToString());
    }

    [Fact]
    public async Task A_user_who_asked_for_copies_gets_each_notification_by_mail_in_their_language_once_and_others_get_none()
    {
        var org = await factory.CreateOrganizationAsync("Kopya Bildirim A.Ş.");
        await UseOwnServerAsync(org);
        var rep = await org.AddUserAsync(UserRole.Rep);
        await (await rep.Client.PutAsJsonAsync("/api/v1/me/preferences", new { emailNotificationCopies = true }, Ct)).EnsureSuccessAsync();
        var quoteId = Guid.CreateVersion7();
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            Kazan.Features.Notifications.NotificationCommands.Notify(db, org.Id, rep.Id, Kazan.Features.Notifications.NotificationKind.QuoteAccepted,
                "Quote", quoteId, "TKL-2026-00007 · Çınar Gıda", $"/quotes/{quoteId}", factory.Clock.GetUtcNow());
            Kazan.Features.Notifications.NotificationCommands.Notify(db, org.Id, org.Admin.Id, Kazan.Features.Notifications.NotificationKind.QuoteAccepted,
                "Quote", quoteId, "TKL-2026-00007 · Çınar Gıda", $"/quotes/{quoteId}", factory.Clock.GetUtcNow());
            await db.SaveChangesAsync(Ct);
        }

        await DeliverAsync();
        await DeliverAsync();
        var copy = await factory.Mail.WaitForAsync(rep.Email);
        Assert.Contains("TKL-2026-00007 · Çınar Gıda", copy.Subject, StringComparison.Ordinal);
        Assert.Contains($"/quotes/{quoteId}", copy.TextBody, StringComparison.Ordinal);
        Assert.Contains("Profil", copy.TextBody, StringComparison.Ordinal); // the rep's language is the organization's: Turkish
        Assert.Single(factory.Mail.To(rep.Email));
        Assert.Empty(factory.Mail.To(org.Admin.Email));
    }

    [Fact]
    public async Task The_server_password_is_kept_encrypted_and_never_shown_and_a_null_password_keeps_it()
    {
        var org = await factory.CreateOrganizationAsync("Gizli Parola A.Ş.");
        await UseOwnServerAsync(org, password: "çok-gizli-Parola-1");
        var setup = (await org.Admin.Client.GetFromJsonAsync<SetupDto>("/api/v1/settings/mail", Ct))!;
        Assert.True(setup.Configured);
        Assert.False(setup.InstallationServer);
        Assert.Equal(("127.0.0.1", "None", true, "satis@ornek.example", "Örnek Satış"),
            (setup.OwnServer!.Host, setup.OwnServer.Security, setup.OwnServer.HasPassword, setup.OwnServer.FromAddress, setup.OwnServer.FromName));
        var raw = await org.Admin.Client.GetStringAsync("/api/v1/settings/mail", Ct);
        Assert.DoesNotContain("çok-gizli", raw, StringComparison.Ordinal);

        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            var stored = await db.Set<MailSettings>().SingleAsync(Ct);
            Assert.NotNull(stored.ProtectedPassword);
            Assert.DoesNotContain("gizli", stored.ProtectedPassword, StringComparison.Ordinal);
            var trail = await db.AuditEntries.Where(a => a.EntityType == nameof(MailSettings)).Select(a => a.Changes).ToListAsync(Ct);
            Assert.NotEmpty(trail);
            Assert.All(trail, changes => Assert.DoesNotContain("Password", changes, StringComparison.Ordinal));
        }

        await UseOwnServerAsync(org, password: null);
        Assert.True((await org.Admin.Client.GetFromJsonAsync<SetupDto>("/api/v1/settings/mail", Ct))!.OwnServer!.HasPassword);
        await UseOwnServerAsync(org, password: "");
        Assert.False((await org.Admin.Client.GetFromJsonAsync<SetupDto>("/api/v1/settings/mail", Ct))!.OwnServer!.HasPassword);

        var rep = await org.AddUserAsync(UserRole.Rep);
        await (await rep.Client.GetAsync("/api/v1/settings/mail", Ct)).ProblemAsync(403);

        await (await org.Admin.Client.DeleteAsync("/api/v1/settings/mail", Ct)).EnsureSuccessAsync();
        Assert.False((await org.Admin.Client.GetFromJsonAsync<SetupDto>("/api/v1/settings/mail", Ct))!.Configured);
    }

    [Theory]
    [InlineData("", 587, "satis@ornek.example", "host")]
    [InlineData("smtp example.com", 587, "satis@ornek.example", "mail.host")]
    [InlineData("smtp.example.com", 70000, "satis@ornek.example", "port")]
    [InlineData("smtp.example.com", 587, "Satış <satis@ornek.example>", "mail.from")]
    [InlineData("smtp.example.com", 587, "", "fromAddress")]
    public async Task Bad_server_settings_are_refused_with_a_clear_problem(string host, int port, string from, string expected)
    {
        var org = await factory.CreateOrganizationAsync("Ayar Hatası " + Guid.NewGuid().ToString("N")[..6]);
        var response = await org.Admin.Client.PutAsJsonAsync("/api/v1/settings/mail", new { host, port, security = "StartTls", fromAddress = from }, Ct);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity, $"{(int)response.StatusCode}");
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(expected, body, StringComparison.OrdinalIgnoreCase);
        Assert.False((await org.Admin.Client.GetFromJsonAsync<SetupDto>("/api/v1/settings/mail", Ct))!.Configured);
    }

    [Fact]
    public async Task The_test_mail_arrives_or_comes_back_with_the_servers_answer()
    {
        var org = await factory.CreateOrganizationAsync("Deneme Postası A.Ş.");
        var none = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/settings/mail/test", new { to = "admin@ornek.example" }, Ct)).ProblemAsync(422);
        Assert.Equal("mail.not-configured", none.GetProperty("code").GetString());

        await UseOwnServerAsync(org);
        await (await org.Admin.Client.PostAsJsonAsync("/api/v1/settings/mail/test", new { to = "admin@ornek.example" }, Ct)).EnsureSuccessAsync();
        var mail = await factory.Mail.WaitForAsync("admin@ornek.example", factory.Mail.To("admin@ornek.example").Count());
        Assert.Contains("deneme e-postası", mail.Subject, StringComparison.Ordinal);

        await UseOwnServerAsync(org, Ports.Free());
        var refused = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/settings/mail/test", new { to = "admin@ornek.example" }, Ct)).ProblemAsync(422);
        Assert.Equal("mail.test-failed", refused.GetProperty("code").GetString());
        Assert.Contains("127.0.0.1", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var bad = await (await org.Admin.Client.PostAsJsonAsync("/api/v1/settings/mail/test", new { to = "admin@ornek.example\r\nBcc: x@y.z" }, Ct)).ProblemAsync(400);
        Assert.True(bad.GetProperty("errors").TryGetProperty("to", out _));
    }

    [Fact]
    public async Task The_quote_mail_starts_from_the_organizations_wording_in_the_quotes_language_with_placeholders_filled()
    {
        var (org, quote) = await DraftQuoteAsync("Şablon Sanayi A.Ş.");
        var builtIn = (await org.Admin.Client.GetFromJsonAsync<DraftDto>($"/api/v1/quotes/{quote.Id}/mail-draft", Ct))!;
        Assert.Equal(("tr", $"Şablon Sanayi A.Ş. teklifi: {quote.DisplayNumber}"), (builtIn.Language, builtIn.Subject));
        Assert.StartsWith("Sayın Şule Çağlar,", builtIn.Message, StringComparison.Ordinal);
        Assert.Contains("{link}", builtIn.Message, StringComparison.Ordinal);
        Assert.Contains("30.000,00", builtIn.Message, StringComparison.Ordinal); // 2 × 12 500 + 20% KDV, written the Turkish way
        Assert.Equal([new RecipientDto("Şule Çağlar", Customer)], builtIn.Contacts);

        var saved = await org.Admin.Client.PutAsJsonAsync("/api/v1/settings/mail/templates/quote/tr",
            new { subject = "{number} — {customer} için teklif", body = "Merhaba {contact},\n{total} tutarlı teklifimiz: {link}\n{unknown} kalır.\n{sender}" }, Ct);
        await saved.EnsureSuccessAsync();
        var own = (await org.Admin.Client.GetFromJsonAsync<DraftDto>($"/api/v1/quotes/{quote.Id}/mail-draft", Ct))!;
        string sender;
        var (scope, db) = factory.DbAs(org.Id, org.Admin.Id);
        using (scope)
        {
            sender = await db.Users.Where(u => u.Id == org.Admin.Id).Select(u => u.DisplayName).SingleAsync(Ct);
        }

        Assert.Equal($"{quote.DisplayNumber} — Öztürk Makine San. A.Ş. için teklif", own.Subject);
        Assert.Equal($"Merhaba Şule Çağlar,\n30.000,00 ₺ tutarlı teklifimiz: {{link}}\n{{unknown}} kalır.\n{sender}", own.Message);

        await (await org.Admin.Client.PutAsJsonAsync("/api/v1/settings/mail/templates/order/tr", new { subject = "x", body = "y" }, Ct)).ProblemAsync(404);
        await (await org.Admin.Client.PutAsJsonAsync("/api/v1/settings/mail/templates/quote/de", new { subject = "x", body = "y" }, Ct)).ProblemAsync(404);
        await (await org.Admin.Client.PutAsJsonAsync("/api/v1/settings/mail/templates/quote/tr", new { subject = "a\nb", body = "y" }, Ct)).ProblemAsync(422);

        await (await org.Admin.Client.DeleteAsync("/api/v1/settings/mail/templates/quote/tr", Ct)).EnsureSuccessAsync();
        Assert.Equal(builtIn.Subject, (await org.Admin.Client.GetFromJsonAsync<DraftDto>($"/api/v1/quotes/{quote.Id}/mail-draft", Ct))!.Subject);
        var templates = await org.Admin.Client.GetFromJsonAsync<JsonElement>("/api/v1/settings/mail/templates", Ct);
        Assert.Equal(2, templates.GetArrayLength());
    }
}

/// <summary>The mail settings page, server-rendered, as an admin sees it.</summary>
public sealed class MailPageTests(KazanFactory factory)
{
    [Fact]
    public async Task The_settings_page_shows_the_state_and_the_builtin_wording_in_turkish()
    {
        var org = await factory.CreateOrganizationAsync("Sayfa Postası A.Ş.");
        var session = await CookieSession.SignInAsync(factory, org.Admin.Email, TestOrganization.Password, "tr-TR");
        var response = await session.GetAsync("/settings/mail");
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, html);
        Assert.Contains("E-posta sunucusu tanımlı değil", html, StringComparison.Ordinal);
        Assert.Contains("{number} numaralı teklifimizi", html, StringComparison.Ordinal);
    }
}
