using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Opportunities;

/// <summary>
/// What a new opportunity needs; the API request, the "new opportunity" form, and quotes and orders that open a deal
/// all become one of these. <paramref name="OwnerFromAccount"/>: the deal belongs to the account's owner (a document
/// opens it on the customer's deal owner's behalf) instead of the caller or <paramref name="OwnerId"/>.
/// <paramref name="InLastStage"/>: without a stage, the pipeline's last stage instead of its first (a sale already made).
/// </summary>
public sealed record NewOpportunity(
    string Title, Guid AccountId, Guid? PipelineId, Guid? StageId, decimal ExpectedAmount, string? Currency, decimal? ExchangeRate,
    DateOnly ExpectedCloseDate, Guid? OwnerId, string? Source, string? NextStep, int? Probability, IReadOnlyList<Guid>? ContactIds,
    bool OwnerFromAccount = false, bool InLastStage = false, string? ExternalId = null);

/// <summary>The editable details of an opportunity (stage, status, owner and probability have their own verbs).</summary>
public sealed record OpportunityDetails(
    string Title, decimal ExpectedAmount, string? Currency, decimal? ExchangeRate, DateOnly ExpectedCloseDate, string? Source, string? NextStep)
{
    /// <summary>The external id the caller sets (the API); null keeps the deal's (the edit form does not carry it).</summary>
    public IExternalIdField? External { get; init; }
}

/// <summary>
/// The opportunity use cases, one function each, shared by the API, the pages and the board (and by quotes and orders,
/// which open a deal through <see cref="OpenAsync"/>). Each loads what it changes under the query filters, checks the
/// version the caller read, applies the entity's verbs and saves; it answers with an <see cref="Outcome{T}"/>. Input
/// that names nothing the caller can see is a field error (400); a rule of the deal's life is a broken rule (422).
/// </summary>
public static class OpportunityCommands
{
    private const string What = "Opportunity";

    /// <summary>The opportunity, tracked, if the caller may see it (for other features' commands that change it as a roll-up).</summary>
    public static Task<Opportunity?> LoadAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.Opportunities.FirstOrDefaultAsync(o => o.Id == id, ct);

    public static Task<Outcome<Opportunity>> CreateAsync(KazanDbContext db, CurrentUser me, OrganizationTime time, NewOpportunity input, CancellationToken ct) =>
        UseCase.RunAsync(db, async () =>
        {
            var opened = await OpenAsync(db, me, time.Now, input, ct);
            if (opened.IsOk)
            {
                await db.SaveChangesAsync(ct);
            }

            return opened;
        });

    /// <summary>
    /// Creation's checks and the new deal (with its contacts) added to the context, not saved: the one way a deal comes
    /// into being, for <see cref="CreateAsync"/> and for the quote and order commands that save it with their document.
    /// The pipeline is the one given, else the stage's, else the default one (<see cref="PipelineQueries.DefaultAsync"/>).
    /// </summary>
    public static async Task<Outcome<Opportunity>> OpenAsync(KazanDbContext db, CurrentUser me, DateTimeOffset now, NewOpportunity input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == input.AccountId).Select(a => new { a.OwnerId, a.IsArchived }).FirstOrDefaultAsync(ct);
        if (account is null)
        {
            errors.Add("accountId", "No such account (or it is not one you can see).", "opportunity.account-unknown");
        }

        Stage? stage = null;
        if (input.StageId is { } stageId)
        {
            stage = await db.Stages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId, ct);
            if (stage is null)
            {
                errors.Add("stageId", "No such stage.", "stage.unknown");
            }
            else if (input.PipelineId is { } p && stage.PipelineId != p)
            {
                errors.Add("stageId", "That stage belongs to another pipeline.", "opportunity.stage-of-other-pipeline");
            }
        }

        var pipelineId = input.PipelineId ?? stage?.PipelineId;
        var pipeline = pipelineId is { } pid ? await PipelineQueries.GetAsync(db, pid, ct) : await PipelineQueries.DefaultAsync(db, ct);
        if (pipeline is null && pipelineId is null)
        {
            return Outcome.Broken("The organization has no active pipeline: create one first.", "pipeline.no-default");
        }

        if (pipeline is null)
        {
            errors.Add("pipelineId", "No such pipeline.", "pipeline.unknown");
        }
        else if (pipeline.IsArchived)
        {
            errors.Add("pipelineId", "That pipeline is archived.", "opportunity.pipeline-archived");
        }
        else
        {
            stage ??= input.InLastStage ? pipeline.Stages[^1] : pipeline.Stages[0];
        }

        var ownerId = input.OwnerFromAccount && account is not null ? account.OwnerId : input.OwnerId ?? me.RequiredUserId;
        if (!input.OwnerFromAccount && ownerId != me.RequiredUserId)
        {
            if (me.Role == UserRole.Rep)
            {
                errors.Add("ownerId", "Reps create opportunities for themselves; a manager can transfer them.", "opportunity.owner-not-self");
            }
            else if (!await UserQueries.IsActiveAsync(db, ownerId, ct))
            {
                errors.Add("ownerId", "No such active user.", "opportunity.owner-unknown");
            }
        }

        var rate = ExchangeRate.Resolve(input.Currency, input.ExchangeRate, await OpportunityQueries.BaseCurrencyAsync(db, ct), "opportunity");
        errors.Add(rate);
        var contactIds = (input.ContactIds ?? []).Distinct().ToList();
        if (contactIds.Count > 0 && await db.Contacts.CountAsync(c => contactIds.Contains(c.Id), ct) != contactIds.Count)
        {
            errors.Add("contactIds", "No such contact.", "opportunity.contact-unknown");
        }

        if ((errors.Failure ?? await ExternalIdTakenAsync(db, input.ExternalId, null, ct)) is { } invalid)
        {
            return invalid;
        }

        if (account!.IsArchived)
        {
            return Outcome.Broken("The account is archived: restore it before adding opportunities.", "opportunity.account-archived");
        }

        var opportunity = new Opportunity(
            me.RequiredOrganizationId, ownerId, input.AccountId, stage!, input.Title, input.ExpectedAmount, rate.Value!.Code, rate.Value.Rate,
            input.ExpectedCloseDate, me.RequiredUserId, now)
        {
            Source = Clean(input.Source),
            NextStep = Clean(input.NextStep),
        };
        if (input.Probability is { } probability)
        {
            opportunity.SetProbability(probability);
        }

        opportunity.SetExternalId(input.ExternalId);

        db.Opportunities.Add(opportunity);
        db.OpportunityContacts.AddRange(contactIds.Select(c => new OpportunityContact(me.RequiredOrganizationId, opportunity.Id, c)));
        return opportunity;
    }

    /// <summary>
    /// For a caller that still reports failures by throwing (the quote and order creation of today): the opened deal, or
    /// why not as a broken rule. A caller that returns outcomes returns <c>opened.AsFailure()</c> instead.
    /// </summary>
    public static Opportunity Opened(Outcome<Opportunity> opened) => opened.IsOk
        ? opened.Value!
        : throw opened.Rule ?? new DomainRuleException(
            opened.Errors?.Values.FirstOrDefault()?.FirstOrDefault() ?? "The opportunity could not be opened.",
            opened.Codes?.Values.FirstOrDefault() ?? "opportunity.invalid");

    /// <summary>
    /// Holds one deal until the transaction ends, so that documents made on it at once (quotes, orders) queue here — only
    /// those on this deal — and what they read of it next (its primary quote, its orders) is still true when they save.
    /// A row lock on PostgreSQL; on SQLite the write transaction already holds the whole database.
    /// </summary>
    public static async Task HoldAsync(KazanDbContext db, Guid id, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""SELECT 1 FROM "Opportunities" WHERE "Id" = {id} FOR UPDATE""", ct);
        }
    }

    /// <summary>Changes the details. The same currency without a new rate keeps the rate it has.</summary>
    public static Task<Outcome<Opportunity>> UpdateAsync(KazanDbContext db, Guid id, int version, OpportunityDetails input, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, async o =>
        {
            var code = string.IsNullOrWhiteSpace(input.Currency) ? o.Currency.Code : input.Currency.Trim().ToUpperInvariant();
            var rate = ExchangeRate.Resolve(code, input.ExchangeRate ?? (code == o.Currency.Code ? o.Currency.Rate : null), await OpportunityQueries.BaseCurrencyAsync(db, ct), "opportunity");
            if (!rate.IsOk)
            {
                return rate.AsFailure();
            }

            if (input.External is { } external && await ExternalIdTakenAsync(db, external.ExternalId, o.Id, ct) is { } taken)
            {
                return taken;
            }

            o.Rename(input.Title);
            o.SetAmount(input.ExpectedAmount, rate.Value.Code, rate.Value.Rate);
            o.SetExpectedCloseDate(input.ExpectedCloseDate);
            o.Source = Clean(input.Source);
            o.NextStep = Clean(input.NextStep);
            if (input.External is { } given)
            {
                o.SetExternalId(given.ExternalId);
            }

            return null;
        }, ct);

    /// <summary>An external id another deal of the organization has (whoever owns it) is refused.</summary>
    public static Task<Failure?> ExternalIdTakenAsync(KazanDbContext db, string? externalId, Guid? self, CancellationToken ct) =>
        ExternalIds.CheckAsync(db.Opportunities.IgnoreQueryFilters([KazanDbContext.OwnerFilter]), externalId, self, ct);

    /// <summary>Moves to another stage of its pipeline: forward, backward or skipping, all recorded.</summary>
    public static Task<Outcome<Opportunity>> MoveAsync(KazanDbContext db, Guid id, int version, Guid stageId, Guid actorId, DateTimeOffset now, CancellationToken ct) =>
        MoveToStageAsync(db, id, version, stageId, actorId, now, anyPipeline: false, ct);

    /// <summary>Moves an open deal to a stage of another (active) pipeline: a deal re-classified; recorded like a stage change.</summary>
    public static Task<Outcome<Opportunity>> MoveToPipelineAsync(KazanDbContext db, Guid id, int version, Guid stageId, Guid actorId, DateTimeOffset now, CancellationToken ct) =>
        MoveToStageAsync(db, id, version, stageId, actorId, now, anyPipeline: true, ct);

    /// <summary>Marks the deal won on <paramref name="on"/> (default: the organization's today).</summary>
    public static Task<Outcome<Opportunity>> MarkWonAsync(KazanDbContext db, Guid id, int version, Guid actorId, OrganizationTime time, DateOnly? on, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, o => o.MarkWon(actorId, time.Now, on ?? time.Today), ct);

    /// <summary>Marks the deal lost with a reason from the organization's list, on <paramref name="on"/> (default: the organization's today).</summary>
    public static Task<Outcome<Opportunity>> MarkLostAsync(
        KazanDbContext db, Guid id, int version, Guid? lostReasonId, string? note, Guid actorId, OrganizationTime time, DateOnly? on, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, async o =>
        {
            var reason = lostReasonId is { } rid ? await db.LostReasons.AsNoTracking().FirstOrDefaultAsync(r => r.Id == rid, ct) : null;
            if (lostReasonId is not null && reason is null)
            {
                return Outcome.Invalid("lostReasonId", "No such lost reason: choose one from the organization's list.", "lost-reason.unknown");
            }

            o.MarkLost(reason, note, actorId, time.Now, on ?? time.Today);
            return null;
        }, ct);

    public static Task<Outcome<Opportunity>> ReopenAsync(KazanDbContext db, Guid id, int version, Guid actorId, DateTimeOffset now, string? reason, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, o => o.Reopen(actorId, now, Clean(reason)), ct);

    /// <summary>Overrides the stage's probability; null goes back to the stage default.</summary>
    public static Task<Outcome<Opportunity>> SetProbabilityAsync(KazanDbContext db, Guid id, int version, int? probability, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, o => o.SetProbability(probability), ct);

    public static Task<Outcome<Opportunity>> SetForecastCategoryAsync(KazanDbContext db, Guid id, int version, ForecastCategory? category, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, o => o.SetForecastCategory(category), ct);

    /// <summary>Gives the deal to another active user; its orders follow it (reps see what they own).</summary>
    public static Task<Outcome<Opportunity>> TransferAsync(
        KazanDbContext db, Guid id, int version, Guid newOwnerId, Guid actorId, DateTimeOffset now, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, async o =>
        {
            if (!await UserQueries.IsActiveAsync(db, newOwnerId, ct))
            {
                return Outcome.Broken("The new owner must be an active user of the organization.", "opportunity.owner");
            }

            o.TransferTo(newOwnerId, actorId, now);
            foreach (var order in await db.Orders.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).Where(x => x.OpportunityId == o.Id).ToListAsync(ct))
            {
                order.TransferTo(newOwnerId);
            }

            return null;
        }, ct);

    /// <summary>
    /// Links a contact the caller can see (with a role); linking one again changes its role. Links are not part of the
    /// deal's versioned row: no version to check.
    /// </summary>
    public static Task<Outcome<Opportunity>> AddContactAsync(KazanDbContext db, Guid id, Guid contactId, string? role, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, null, async o =>
        {
            if (!await db.Contacts.AnyAsync(c => c.Id == contactId, ct))
            {
                return Outcome.Invalid("contactId", "No such contact.", "opportunity.contact-unknown");
            }

            var existing = await db.OpportunityContacts.FirstOrDefaultAsync(c => c.OpportunityId == o.Id && c.ContactId == contactId, ct);
            if (existing is null)
            {
                db.OpportunityContacts.Add(new OpportunityContact(o.OrganizationId, o.Id, contactId, Clean(role)));
            }
            else
            {
                existing.Role = Clean(role);
            }

            return null;
        }, ct);

    /// <summary>Unlinks a contact; a link that does not exist is not found.</summary>
    public static Task<Outcome<Opportunity>> RemoveContactAsync(KazanDbContext db, Guid id, Guid contactId, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, null, async o =>
        {
            var existing = await db.OpportunityContacts.FirstOrDefaultAsync(c => c.OpportunityId == o.Id && c.ContactId == contactId, ct);
            if (existing is null)
            {
                return Outcome.NotFound("Contact link");
            }

            db.OpportunityContacts.Remove(existing);
            return null;
        }, ct);

    /// <summary>The stage moves: a stage of the deal's pipeline always; one of another active pipeline when <paramref name="anyPipeline"/>.</summary>
    private static Task<Outcome<Opportunity>> MoveToStageAsync(
        KazanDbContext db, Guid id, int version, Guid stageId, Guid actorId, DateTimeOffset now, bool anyPipeline, CancellationToken ct) =>
        UseCase.ChangeAsync(db, () => LoadAsync(db, id, ct), What, version, async o =>
        {
            if (await StageAsync(db, stageId, ct) is not { } stage)
            {
                return UnknownStage;
            }

            if (!anyPipeline || stage.PipelineId == o.PipelineId)
            {
                o.MoveTo(stage, actorId, now);
                return null;
            }

            if (await db.Pipelines.AsNoTracking().Where(p => p.Id == stage.PipelineId).Select(p => p.IsArchived).FirstOrDefaultAsync(ct))
            {
                return Outcome.Broken("That pipeline is archived: deals cannot move into it.", "opportunity.pipeline-archived");
            }

            o.MoveToPipeline(stage, actorId, now);
            return null;
        }, ct);

    /// <summary>"No such stage" is the same field error wherever a stage is named (create, move, move to another pipeline).</summary>
    private static Failure UnknownStage => Outcome.Invalid("stageId", "No such stage.", "stage.unknown");

    private static Task<Stage?> StageAsync(KazanDbContext db, Guid stageId, CancellationToken ct) =>
        db.Stages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId, ct);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>Field errors gathered over several checks, so a form shows them all at once (with their codes).</summary>
    private sealed class FieldErrors
    {
        private readonly Dictionary<string, string[]> _errors = [];
        private readonly Dictionary<string, string> _codes = [];

        public Failure? Failure => _errors.Count == 0 ? null : new Failure(OutcomeStatus.Invalid, null, _errors, null, _codes);

        public void Add(string field, string message, string code)
        {
            _errors[field] = [message];
            _codes[field] = code;
        }

        public void Add<T>(Outcome<T> outcome)
        {
            foreach (var (field, messages) in outcome.Errors ?? new Dictionary<string, string[]>())
            {
                _errors[field] = messages;
                if (outcome.Codes?.GetValueOrDefault(field) is { } code)
                {
                    _codes[field] = code;
                }
            }
        }
    }
}
