using Kazan.Features.Organizations;
using Kazan.Features.Pipelines;
using Kazan.Features.Users;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Opportunities;

/// <summary>What a new opportunity needs; the API request and the "new opportunity" form both become one of these.</summary>
public sealed record NewOpportunity(
    string Title, Guid AccountId, Guid? PipelineId, Guid? StageId, decimal ExpectedAmount, string? Currency, decimal? ExchangeRate,
    DateOnly ExpectedCloseDate, Guid? OwnerId, string? Source, string? NextStep, int? Probability, IReadOnlyList<Guid>? ContactIds);

/// <summary>The editable details of an opportunity (stage, status, owner and probability have their own verbs).</summary>
public sealed record OpportunityDetails(
    string Title, decimal ExpectedAmount, string? Currency, decimal? ExchangeRate, DateOnly ExpectedCloseDate, string? Source, string? NextStep);

/// <summary>
/// Changes to opportunities shared by the API, the pages and the board: each loads what the entity method needs
/// (a stage, a lost reason) under the query filters and calls the method. Rule violations throw
/// <see cref="DomainRuleException"/>; input that names nothing the caller can see comes back as field errors.
/// </summary>
public static class OpportunityCommands
{
    /// <summary>The opportunity, tracked, if the caller may see it.</summary>
    public static Task<Opportunity?> LoadAsync(KazanDbContext db, Guid id, CancellationToken ct) =>
        db.Opportunities.FirstOrDefaultAsync(o => o.Id == id, ct);

    public static async Task<(Opportunity? Created, Dictionary<string, string[]> Errors)> CreateAsync(
        KazanDbContext db, CurrentUser me, DateTimeOffset now, NewOpportunity input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!await db.Accounts.AnyAsync(a => a.Id == input.AccountId && !a.IsArchived, ct))
        {
            errors[nameof(input.AccountId)] = ["No such account."];
        }

        Stage? stage = null;
        if (input.StageId is { } stageId)
        {
            stage = await db.Stages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId, ct);
            if (stage is null)
            {
                errors[nameof(input.StageId)] = ["No such stage."];
            }
            else if (input.PipelineId is { } p && stage.PipelineId != p)
            {
                errors[nameof(input.StageId)] = ["That stage belongs to another pipeline."];
            }
        }

        var pipelineId = input.PipelineId ?? stage?.PipelineId;
        var pipeline = pipelineId is { } pid
            ? await db.Pipelines.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid, ct)
            : await PipelineCommands.DefaultAsync(db, ct);
        if (pipeline is null)
        {
            errors[nameof(input.PipelineId)] = ["No such pipeline."];
        }
        else if (pipeline.IsArchived)
        {
            errors[nameof(input.PipelineId)] = ["That pipeline is archived."];
        }
        else if (stage is null && !errors.ContainsKey(nameof(input.StageId)))
        {
            stage = pipeline.Stages.Count > 0 ? pipeline.Stages[0] : null;
        }

        var ownerId = input.OwnerId ?? me.RequiredUserId;
        if (ownerId != me.RequiredUserId)
        {
            if (me.Role == UserRole.Rep)
            {
                errors[nameof(input.OwnerId)] = ["Reps create opportunities for themselves; a manager can transfer them."];
            }
            else if (!await db.Users.AnyAsync(u => u.Id == ownerId && u.IsActive, ct))
            {
                errors[nameof(input.OwnerId)] = ["No such active user."];
            }
        }

        var (currency, rate) = await CurrencyAsync(db, input.Currency, input.ExchangeRate, errors, ct);
        var contactIds = (input.ContactIds ?? []).Distinct().ToList();
        if (contactIds.Count > 0 && await db.Contacts.CountAsync(c => contactIds.Contains(c.Id), ct) != contactIds.Count)
        {
            errors[nameof(input.ContactIds)] = ["No such contact."];
        }

        if (errors.Count > 0 || stage is null)
        {
            return (null, errors);
        }

        var opportunity = new Opportunity(
            me.RequiredOrganizationId, ownerId, input.AccountId, stage, input.Title, input.ExpectedAmount, currency, rate, input.ExpectedCloseDate, me.RequiredUserId, now)
        {
            Source = Clean(input.Source),
            NextStep = Clean(input.NextStep),
        };
        if (input.Probability is { } probability)
        {
            opportunity.SetProbability(probability);
        }

        db.Opportunities.Add(opportunity);
        db.OpportunityContacts.AddRange(contactIds.Select(c => new OpportunityContact(me.RequiredOrganizationId, opportunity.Id, c)));
        return (opportunity, errors);
    }

    /// <summary>Applies the details; field errors for a currency without its rate.</summary>
    public static async Task<Dictionary<string, string[]>> UpdateDetailsAsync(KazanDbContext db, Opportunity o, OpportunityDetails input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var code = string.IsNullOrWhiteSpace(input.Currency) ? o.Currency : input.Currency.Trim().ToUpperInvariant();

        // Same currency as before and no new rate: the rate stays.
        var (currency, rate) = await CurrencyAsync(db, code, input.ExchangeRate ?? (code == o.Currency ? o.ExchangeRate : null), errors, ct);
        if (errors.Count > 0)
        {
            return errors;
        }

        o.Rename(input.Title);
        o.SetAmount(input.ExpectedAmount, currency, rate);
        o.SetExpectedCloseDate(input.ExpectedCloseDate);
        o.Source = Clean(input.Source);
        o.NextStep = Clean(input.NextStep);
        return errors;
    }

    public static async Task MoveAsync(KazanDbContext db, Opportunity o, Guid stageId, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        var stage = await db.Stages.AsNoTracking().FirstOrDefaultAsync(s => s.Id == stageId, ct)
            ?? throw new DomainRuleException("That stage does not exist.", "opportunity.unknown-stage");
        o.MoveTo(stage, actorId, now);
    }

    public static async Task MarkLostAsync(KazanDbContext db, Opportunity o, Guid? lostReasonId, string? note, Guid actorId, DateTimeOffset now, DateOnly? on, CancellationToken ct)
    {
        LostReason? reason = null;
        if (lostReasonId is { } id)
        {
            reason = await db.LostReasons.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct)
                ?? throw new DomainRuleException("Choose a lost reason from the organization's list.", "opportunity.lost-reason-required");
        }

        o.MarkLost(reason, note, actorId, now, on);
    }

    public static async Task TransferAsync(KazanDbContext db, Opportunity o, Guid newOwnerId, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Id == newOwnerId && u.IsActive, ct))
        {
            throw new DomainRuleException("The new owner must be an active user of the organization.", "opportunity.owner");
        }

        o.TransferTo(newOwnerId, actorId, now);

        // The deal's orders follow it, so the new owner sees what was ordered on it (reps see what they own).
        foreach (var order in await db.Orders.IgnoreQueryFilters([KazanDbContext.OwnerFilter]).Where(x => x.OpportunityId == o.Id).ToListAsync(ct))
        {
            order.TransferTo(newOwnerId);
        }
    }

    /// <summary>Adds a contact the caller can see; adding one twice changes nothing.</summary>
    public static async Task<bool> AddContactAsync(KazanDbContext db, Opportunity o, Guid contactId, string? role, CancellationToken ct)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId, ct))
        {
            return false;
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

        return true;
    }

    public static async Task<bool> RemoveContactAsync(KazanDbContext db, Opportunity o, Guid contactId, CancellationToken ct)
    {
        var existing = await db.OpportunityContacts.FirstOrDefaultAsync(c => c.OpportunityId == o.Id && c.ContactId == contactId, ct);
        if (existing is null)
        {
            return false;
        }

        db.OpportunityContacts.Remove(existing);
        return true;
    }

    /// <summary>
    /// The organization's base currency needs no rate (it is 1); any other currency needs the rate to the base
    /// currency, because the board and reports add amounts up in the base currency.
    /// </summary>
    private static async Task<(string Currency, decimal Rate)> CurrencyAsync(
        KazanDbContext db, string? currency, decimal? rate, Dictionary<string, string[]> errors, CancellationToken ct)
    {
        var baseCurrency = await OpportunityQueries.BaseCurrencyAsync(db, ct);
        var code = string.IsNullOrWhiteSpace(currency) ? baseCurrency : currency.Trim().ToUpperInvariant();
        if (!Currencies.IsKnown(code))
        {
            errors["Currency"] = [$"Unknown currency '{currency}'. Use an ISO 4217 code such as TRY, USD or EUR."];
            return (baseCurrency, 1m);
        }

        if (code == baseCurrency)
        {
            if (rate is { } r && r != 1m)
            {
                errors["ExchangeRate"] = [$"An amount in {baseCurrency}, the base currency, has the exchange rate 1."];
            }

            return (code, 1m);
        }

        if (rate is not > 0m)
        {
            errors["ExchangeRate"] = [$"Give the exchange rate: how many {baseCurrency} one {code} is worth."];
            return (code, 1m);
        }

        return (code, rate.Value);
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
