using System.ComponentModel.DataAnnotations;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Mail;
using Kazan.Infrastructure.Tenancy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Mail;

public sealed record MailServerRequest(
    [Required, StringLength(255)] string? Host,
    [Range(1, 65535)] int? Port,
    SmtpSecurity? Security,
    [StringLength(255)] string? UserName,
    [StringLength(500)] string? Password,
    [Required, StringLength(254)] string? FromAddress,
    [StringLength(200)] string? FromName);

public sealed record TestMailRequest([Required, StringLength(254)] string? To);

public sealed record TestMailResponse(string DeliveredTo);

public sealed record MailTemplateRequest([Required, StringLength(300)] string? Subject, [Required, StringLength(10_000)] string? Body);

public sealed record MailTemplateResponse(string Kind, string Language, string Subject, string Body, bool IsDefault, IReadOnlyList<string> Placeholders);

/// <summary>
/// Admins set how the organization's mail goes out (its own SMTP server, or the installation's), the wording of the
/// quote mail per language, and watch the outbox: what was sent, what failed with the server's answer, retry.
/// </summary>
public static class MailApi
{
    public static IEndpointRouteBuilder MapMail(this IEndpointRouteBuilder app)
    {
        var settings = app.MapGroup("/api/v1/settings/mail").WithTags("Mail").RequireAuthorization(Policies.Admin);
        settings.MapGet("/", Setup).WithSummary("How mail goes out: the organization's own SMTP server (never its password), or the installation's, or none.");
        settings.MapPut("/", SaveServer).WithSummary("Set the organization's own SMTP server; a null password keeps the stored one, an empty one removes it.");
        settings.MapDelete("/", RemoveServer).WithSummary("Forget the organization's own SMTP server.");
        settings.MapPost("/test", SendTest).WithSummary("Send a test mail now and answer with the mail server's words when it refuses (422 mail.test-failed).");
        settings.MapGet("/templates", Templates).WithSummary("The quote mail's subject and message per language, with the placeholders they may use.");
        settings.MapPut("/templates/{kind}/{language}", SaveTemplate).WithSummary("Set the organization's own wording (kind: quote; language: tr or en).");
        settings.MapDelete("/templates/{kind}/{language}", ResetTemplate).WithSummary("Go back to the built-in wording.");

        var outbox = app.MapGroup("/api/v1/mail/outbox").WithTags("Mail").RequireAuthorization(Policies.Admin);
        outbox.MapGet("/", Outbox).WithSummary("Mails, newest first (limit, default 50, at most 200): pending, sent or failed with the server's answer.");
        outbox.MapPost("/{id:guid}/retry", Retry).WithSummary("Try a failed mail again now, with a fresh round of attempts.");
        return app;
    }

    private static async Task<Ok<MailSetupResponse>> Setup(KazanDbContext db, MailRoutes routes, CancellationToken ct) =>
        TypedResults.Ok(await MailQueries.SetupAsync(db, routes, ct));

    private static async Task<Results<Ok<MailSetupResponse>, ValidationProblem, ProblemHttpResult>> SaveServer(
        MailServerRequest request, KazanDbContext db, CurrentUser me, MailRoutes routes, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await MailCommands.SaveServerAsync(db, me, routes,
            new MailServerInput(request.Host, request.Port, request.Security, request.UserName, request.Password, request.FromAddress, request.FromName), clock.GetUtcNow(), ct);
        if (!outcome.IsOk)
        {
            return outcome.Status == OutcomeStatus.Invalid ? ApiOutcomes.Invalid(outcome) : ApiOutcomes.Problem(outcome);
        }

        return TypedResults.Ok(await MailQueries.SetupAsync(db, routes, ct));
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> RemoveServer(KazanDbContext db, CancellationToken ct) =>
        ApiOutcomes.NoContent(await MailCommands.RemoveServerAsync(db, ct));

    private static async Task<Results<Ok<TestMailResponse>, ValidationProblem, ProblemHttpResult>> SendTest(
        TestMailRequest request, KazanDbContext db, CurrentUser me, MailRoutes routes, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await MailCommands.SendTestAsync(db, me, routes, request.To, ct), http, to => new TestMailResponse(to));

    private static async Task<Ok<List<MailTemplateResponse>>> Templates(KazanDbContext db, IStringLocalizer<SharedResource> l, CancellationToken ct) =>
        TypedResults.Ok((await MailTemplates.AllAsync(db, l, ct)).Select(ToResponse).ToList());

    private static async Task<Results<Ok<MailTemplateResponse>, ValidationProblem, ProblemHttpResult>> SaveTemplate(
        string kind, string language, MailTemplateRequest request, KazanDbContext db, CurrentUser me, HttpContext http, CancellationToken ct) =>
        ApiOutcomes.Ok(await MailCommands.SaveTemplateAsync(db, me, kind, language, request.Subject, request.Body, ct), http,
            t => ToResponse(new MailWording(t.Kind, t.Language, t.Subject, t.Body, false, t.Version)));

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> ResetTemplate(string kind, string language, KazanDbContext db, CancellationToken ct) =>
        ApiOutcomes.NoContent(await MailCommands.ResetTemplateAsync(db, kind, language, ct));

    private static async Task<Results<Ok<List<OutboxMailResponse>>, ValidationProblem>> Outbox(KazanDbContext db, OutboxStatus? status, int? limit, CancellationToken ct)
    {
        if (limit is < 1 or > Paging.MaxLimit)
        {
            return Problems.Validation("limit", $"limit must be between 1 and {Paging.MaxLimit}.");
        }

        return TypedResults.Ok(await MailQueries.OutboxAsync(db, status, null, limit ?? Paging.DefaultLimit, ct));
    }

    private static async Task<Results<Ok<OutboxMailResponse>, ValidationProblem, ProblemHttpResult>> Retry(
        Guid id, KazanDbContext db, TimeProvider clock, OutboxSignal signal, HttpContext http, CancellationToken ct)
    {
        var outcome = await MailCommands.RetryAsync(db, id, clock.GetUtcNow(), ct);
        if (outcome.IsOk)
        {
            signal.Pulse();
        }

        return ApiOutcomes.Ok(outcome, http, m => MailQueries.ToResponse(m, []));
    }

    private static MailTemplateResponse ToResponse(MailWording w) => new(w.Kind, w.Language, w.Subject, w.Body, w.IsDefault, MailTemplates.QuotePlaceholders);
}
