using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Text;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Import;

/// <summary>
/// Deals come in as new deals, unless the file has an external id column: then rows are matched on it and a deal found
/// is changed through the same verbs the API uses (<see cref="Update"/>). A new deal is opened through the
/// entity's constructor, in the pipeline and stage it names (by name; the default pipeline and its first stage when it
/// names none), then — for a won or lost row — through <see cref="Opportunity.MarkWon"/> or
/// <see cref="Opportunity.MarkLost"/>, so its history starts at the import with its creation and its outcome, and
/// reports see it like any deal. The currency and rate go through the API's <see cref="ExchangeRate.Resolve"/>. A row
/// whose title the same account already has as a deal (or that repeats one of the file) fails: importing a file twice
/// never doubles the pipeline. With an external id column, that title on that account finds the deal a new external id
/// goes to (<see cref="FindByOwnKeyAsync"/>).
/// </summary>
internal sealed class OpportunityRules(ImportContext c) : ImportRules<Opportunity>(c)
{
    private NamedAccounts _accounts = NamedAccounts.None;
    private List<Pipeline> _pipelines = [];
    private Pipeline? _default;
    private List<LostReason> _lostReasons = [];
    private IReadOnlyList<ImportRow> _rows = [];
    private ILookup<Guid, Kazan.Features.Orders.Order> _orders = Array.Empty<Kazan.Features.Orders.Order>().ToLookup(o => o.OpportunityId);
    private DateOnly _today;

    protected override string OwnKeyField => "title";

    /// <summary>The title with the account, as written: "Yıllık bakım (Ilgaz Un A.Ş.)".</summary>
    protected override string? ReadKey(ImportRow row) =>
        row.Text("title") is { } title && row.Text("account") is { } account ? $"{title} ({account})" : null;

    protected override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        _rows = rows;
        _accounts = await AccountsAsync(rows, ct);
        if (_pipelines.Count == 0)
        {
            _pipelines = await C.Db.Pipelines.AsNoTracking().Take(PipelineQueries.MaxPipelines).ToListAsync(ct);
            _default = await PipelineQueries.DefaultAsync(C.Db, ct);
            _lostReasons = await C.Db.LostReasons.AsNoTracking().ToListAsync(ct);
            var zone = await C.Db.Organizations.Select(o => o.TimeZone).FirstAsync(ct);
            _today = OrganizationTime.DayIn(OrganizationTime.Find(zone) ?? OrganizationTime.DefaultZone, C.Now);
        }
    }

    /// <summary>The deals the rows' accounts already have under the rows' titles (compared folded), by the rows' keys.</summary>
    protected override async Task<ILookup<string, Opportunity>> FindAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        var rows = _rows.Select(r => (Key: KeyOf(r), Title: TurkishText.Fold(r.Text("title")), Account: Known(r)))
            .Where(r => r.Key is not null && r.Account is not null).ToList();
        var ids = rows.Select(r => r.Account!.Id).Distinct().ToList();
        var deals = ids.Count == 0 ? [] : await C.Db.Opportunities.AsNoTracking().Where(o => ids.Contains(o.AccountId)).ToListAsync(ct);
        // One deal per key is enough to refuse the row (two of the same title are not "ambiguous" for a create).
        var byTitle = deals.GroupBy(d => (d.AccountId, Title: TurkishText.Fold(d.Title))).ToDictionary(g => g.Key, g => g.First());
        return rows.Where(r => byTitle.ContainsKey((r.Account!.Id, r.Title))).DistinctBy(r => r.Key)
            .ToLookup(r => r.Key!, r => byTitle[(r.Account!.Id, r.Title)]);
    }

    /// <summary>
    /// Matching on the external id, the deals (tracked) the rows whose id no deal has name by their title on their account
    /// (compared folded), every one of them: two of that title make the row ambiguous.
    /// </summary>
    protected override async Task<ILookup<string, Opportunity>> FindByOwnKeyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var named = rows.Select(r => (Key: ReadKey(r), Title: TurkishText.Fold(r.Text("title")), Account: Known(r)))
            .Where(r => r.Key is not null && r.Account is not null).ToList();
        var ids = named.Select(r => r.Account!.Id).Distinct().ToList();
        var deals = ids.Count == 0 ? [] : await C.Db.Opportunities.Where(o => ids.Contains(o.AccountId)).ToListAsync(ct);
        var byTitle = deals.ToLookup(d => (d.AccountId, Title: TurkishText.Fold(d.Title)));
        return named.DistinctBy(r => r.Key).SelectMany(r => byTitle[(r.Account!.Id, r.Title)].Select(d => (r.Key, Deal: d)))
            .ToLookup(x => x.Key!, x => x.Deal);
    }

    /// <summary>The orders of the deals the batch may change: they follow a deal's owner, as in the API's transfer.</summary>
    protected override async Task FoundAsync(IReadOnlyList<Opportunity> records, CancellationToken ct)
    {
        var ids = records.Select(d => d.Id).ToList();
        _orders = ids.Count == 0
            ? Array.Empty<Kazan.Features.Orders.Order>().ToLookup(o => o.OpportunityId)
            : (await C.Db.Orders.IgnoreQueryFilters([Kazan.Infrastructure.Data.KazanDbContext.OwnerFilter]).Where(o => ids.Contains(o.OpportunityId)).ToListAsync(ct))
                .ToLookup(o => o.OpportunityId);
    }

    protected override string KeyExists(string? key) => C.ByExternalId ? Text("Import.Error.KeyExists", key) : Text("Import.Error.DealExists", key);

    /// <summary>
    /// A deal found by its external id, changed as the file says, through the API's verbs: its details (a column the file
    /// does not have keeps the deal's value), its owner (its orders follow), its pipeline and stage, its probability and its
    /// outcome (a closed deal is reopened first when the file says otherwise). Each step is in the deal's history. The
    /// account never changes. Found by its title (no external id column), a deal is never changed: the row fails.
    /// </summary>
    protected override Action? Update(ImportRow row, Opportunity existing)
    {
        if (!C.ByExternalId)
        {
            row.Fail(KeyField, KeyExists(KeyOf(row)), "import.key-exists");
            return null;
        }

        var owner = Owner(row);
        if (row.Text("account") is { } named && _accounts.Named(named).All(a => a.Id != existing.AccountId))
        {
            row.Fail("account", Text("Import.Error.DealAccountFixed", named), "import.deal-account-fixed");
        }

        var title = row.Has("title") ? row.Text("title") ?? "" : existing.Title;
        var stage = row.Text("pipeline") is not null || row.Text("stage") is not null ? Stage(row, existing) : null;
        var amount = row.Number("amount") ?? existing.ExpectedAmount;
        var code = row.Text("currency")?.ToUpperInvariant() ?? existing.Currency.Code;
        var rate = row.Number("exchangeRate") ?? (code == existing.Currency.Code ? existing.Currency.Rate : null);
        var probability = row.Number("probability");
        var closeDate = row.Date("closeDate") ?? existing.ExpectedCloseDate;
        var closedOn = row.Date("closedOn");
        var status = row.Text("status") is null ? existing.Status : Status(row);
        var reason = status == OpportunityStatus.Lost && (status != existing.Status || row.Text("lostReason") is not null) ? LostReason(row) : null;

        // A lost deal that stays lost: another reason is another loss (reopened and lost again, as through the API, on its
        // date unless the row gives one); another note alone is rewritten in place (the audit trail keeps the change).
        var stillLost = status == OpportunityStatus.Lost && existing.Status == OpportunityStatus.Lost;
        var relost = stillLost && reason is not null && reason.Id != existing.LostReasonId;
        var lostNote = row.Has("lostNote") ? row.Text("lostNote") : existing.LostNote;
        var source = row.Has("source") ? row.Text("source") : existing.Source;
        if (source is { Length: > 100 })
        {
            row.Fail("source", Text("Import.Error.TooLong", 100), "import.too-long");
        }

        var moves = stage is not null && stage.Id != existing.StageId;
        if (moves && existing.Status != OpportunityStatus.Open && status != OpportunityStatus.Open)
        {
            row.Fail("stage", Text("Import.Error.DealPipelineFixed"), "import.deal-closed");
        }

        var currency = ExchangeRate.Resolve(code, rate, C.BaseCurrency, "opportunity");
        if (!Passes(row, () => currency.IsOk ? null : currency.AsFailure()))
        {
            return null;
        }

        var actor = C.Me.RequiredUserId;
        return () =>
        {
            existing.Rename(title);
            existing.SetAmount(amount, currency.Value!.Code, currency.Value.Rate);
            existing.SetExpectedCloseDate(closeDate);
            existing.Source = source;
            if (row.Has(ExternalIds.Field))
            {
                existing.SetExternalId(row.Text(ExternalIds.Field));
            }

            var transferred = owner is { } newOwner && newOwner != existing.OwnerId;
            if (transferred)
            {
                existing.TransferTo(owner!.Value, actor, C.Now);
            }

            // One instant per step, in order: history is read in the order of its instants.
            var at = C.Now;
            var lostOn = existing.ClosedOn;
            if ((status != existing.Status && existing.Status != OpportunityStatus.Open) || relost)
            {
                existing.Reopen(actor, at = at.AddMilliseconds(1));
            }

            if (moves)
            {
                if (stage!.PipelineId == existing.PipelineId)
                {
                    existing.MoveTo(stage, actor, at = at.AddMilliseconds(1));
                }
                else
                {
                    existing.MoveToPipeline(stage, actor, at = at.AddMilliseconds(1));
                }
            }

            if (probability is { } p && existing.Status == OpportunityStatus.Open)
            {
                // The stage's own probability is no override, as for a new deal.
                var whole = p is >= 0 and <= 100 ? (int)Math.Round(p, MidpointRounding.AwayFromZero) : -1;
                existing.SetProbability(whole == existing.StageProbability ? null : whole);
            }

            if (status == OpportunityStatus.Won && existing.Status != OpportunityStatus.Won)
            {
                existing.MarkWon(actor, at.AddMilliseconds(1), closedOn ?? _today);
            }
            else if (status == OpportunityStatus.Lost && existing.Status != OpportunityStatus.Lost)
            {
                existing.MarkLost(reason, relost ? lostNote : row.Text("lostNote"), actor, at.AddMilliseconds(1), closedOn ?? (relost ? lostOn : null) ?? _today);
            }
            else if (stillLost && lostNote != existing.LostNote)
            {
                existing.ReviseLostNote(lostNote);
            }

            // Last, once every verb has passed: a refusal lets the deal go unsaved, and its orders must not have moved.
            if (transferred)
            {
                foreach (var order in _orders[existing.Id])
                {
                    order.TransferTo(existing.OwnerId);
                }
            }
        };
    }

    protected override Func<Opportunity>? Create(ImportRow row)
    {
        var title = row.Text("title") ?? "";
        var owner = Owner(row);
        var account = Account(row, _accounts, "opportunity", "Import.Error.DealAccountRequired");
        var stage = Stage(row);
        var amount = Required(row, "amount", row.Number("amount"));
        var rate = row.Number("exchangeRate");
        var probability = row.Number("probability");
        var closeDate = Required(row, "closeDate", row.Date("closeDate"));
        var closedOn = row.Date("closedOn");
        var status = Status(row);
        var reason = status == OpportunityStatus.Lost ? LostReason(row) : null;
        var source = row.Text("source");
        if (source is { Length: > 100 })
        {
            row.Fail("source", Text("Import.Error.TooLong", 100), "import.too-long");
        }

        var currency = ExchangeRate.Resolve(row.Text("currency"), rate, C.BaseCurrency, "opportunity");
        if (!Passes(row, () => currency.IsOk ? null : currency.AsFailure()))
        {
            return null;
        }

        return () =>
        {
            var deal = new Opportunity(
                C.Me.RequiredOrganizationId, owner ?? account!.OwnerId, account!.Id, stage!, title, amount!.Value, currency.Value!.Code, currency.Value.Rate,
                closeDate!.Value, C.Me.RequiredUserId, C.Now)
            {
                Source = source,
            };
            deal.SetExternalId(row.Text(ExternalIds.Field));

            // The stage's own probability is no override (an exported deal comes back as it was); a closed deal's is fixed.
            if (probability is { } p && status == OpportunityStatus.Open && p != stage!.Probability)
            {
                deal.SetProbability(p is >= 0 and <= 100 ? (int)Math.Round(p, MidpointRounding.AwayFromZero) : -1);
            }

            // The outcome follows the creation a millisecond later: history is read in the order of its instants.
            var closedAt = C.Now.AddMilliseconds(1);
            if (status == OpportunityStatus.Won)
            {
                deal.MarkWon(C.Me.RequiredUserId, closedAt, closedOn ?? _today);
            }
            else if (status == OpportunityStatus.Lost)
            {
                deal.MarkLost(reason, row.Text("lostNote"), C.Me.RequiredUserId, closedAt, closedOn ?? _today);
            }

            return deal;
        };
    }

    /// <summary>The entity's refusals land in their column.</summary>
    protected override string? FieldOf(DomainRuleException rule) => rule.Code switch
    {
        "opportunity.title" => "title",
        "opportunity.amount" => "amount",
        "opportunity.probability" => "probability",
        "opportunity.exchange-rate" => "exchangeRate",
        "currency.unknown" => "currency",
        "opportunity.lost-reason-required" => "lostReason",
        _ => null,
    };

    /// <summary>
    /// The stage the row names in its pipeline (by name, compared folded), else the pipeline's first; null when the row
    /// failed. For a deal being changed (<paramref name="deal"/>), the pipeline the row does not name is the deal's, and
    /// the stage it does not name is the deal's own when the pipeline stays.
    /// </summary>
    private Stage? Stage(ImportRow row, Opportunity? deal = null)
    {
        var pipeline = deal is not null && row.Text("pipeline") is null ? _pipelines.FirstOrDefault(p => p.Id == deal.PipelineId) : Pipeline(row);
        if (pipeline is null)
        {
            return null;
        }

        if (row.Text("stage") is not { } named)
        {
            return deal is not null && pipeline.Id == deal.PipelineId ? pipeline.Stages.FirstOrDefault(s => s.Id == deal.StageId) ?? pipeline.Stages[0] : pipeline.Stages[0];
        }

        if (pipeline.Stages.FirstOrDefault(s => Same(s.Name, named)) is { } stage)
        {
            return stage;
        }

        if (_pipelines.FirstOrDefault(p => p.Stages.Any(s => Same(s.Name, named))) is { } other)
        {
            row.Fail("stage", Text("Import.Error.StageOfOtherPipeline", named, other.Name, pipeline.Name), "opportunity.stage-of-other-pipeline");
            return null;
        }

        row.Fail("stage", Text("Import.Error.StageUnknown", named, pipeline.Name), "stage.unknown");
        return null;
    }

    /// <summary>The pipeline the row names (by name, compared folded; active), else the organization's default one.</summary>
    private Pipeline? Pipeline(ImportRow row)
    {
        if (row.Text("pipeline") is not { } named)
        {
            if (_default is null)
            {
                row.Fail("pipeline", Text("Rule.pipeline.no-default"), "pipeline.no-default");
            }

            return _default;
        }

        var matches = _pipelines.Where(p => Same(p.Name, named)).OrderBy(p => p.IsArchived).ToList();
        if (matches.Count == 0)
        {
            row.Fail("pipeline", Text("Import.Error.PipelineUnknown", named), "pipeline.unknown");
            return null;
        }

        if (matches[0].IsArchived)
        {
            row.Fail("pipeline", Text("Import.Error.PipelineArchived", named), "opportunity.pipeline-archived");
            return null;
        }

        return matches[0];
    }

    /// <summary>Open when the row does not say; the Turkish and English words for open, won and lost.</summary>
    private OpportunityStatus Status(ImportRow row)
    {
        switch (TurkishText.Fold(row.Text("status")))
        {
            case "" or "open" or "acik" or "acik firsat" or "devam ediyor" or "aktif" or "active" or "in progress":
                return OpportunityStatus.Open;
            case "won" or "closed won" or "win" or "kazanildi" or "kazanilan" or "kazanilmis" or "kazandi" or "kazanma":
                return OpportunityStatus.Won;
            case "lost" or "closed lost" or "kaybedildi" or "kaybedilen" or "kaybedilmis" or "kaybetti" or "kayip":
                return OpportunityStatus.Lost;
            default:
                row.Fail("status", Text("Import.Error.Status", row.Text("status")), "import.status");
                return OpportunityStatus.Open;
        }
    }

    /// <summary>
    /// The lost reason the row names (by name, compared folded); null when it names none — then the entity's rule
    /// (a lost deal needs a reason) refuses the row, at this column.
    /// </summary>
    private LostReason? LostReason(ImportRow row)
    {
        if (row.Text("lostReason") is not { } named)
        {
            return null;
        }

        var reason = _lostReasons.Where(r => Same(r.Name, named)).OrderByDescending(r => r.IsActive).FirstOrDefault();
        if (reason is null)
        {
            row.Fail("lostReason", Text("Import.Error.LostReasonUnknown", named), "lost-reason.unknown");
        }

        return reason;
    }

    /// <summary>A value a new deal needs: an empty cell fails the row (an unreadable one has failed it already).</summary>
    private T? Required<T>(ImportRow row, string field, T? value)
        where T : struct
    {
        if (value is null && row.Text(field) is null)
        {
            row.Fail(field, Text("Import.Error.Required", L["Import.Field.Opportunities." + field].Value), "import.required");
        }

        return value;
    }

    /// <summary>The account a row names when it names exactly one (no failure: for finding the deals it would repeat).</summary>
    private AccountRef? Known(ImportRow row) =>
        row.Text("account") is { } named && _accounts.Named(named) is [var one] ? one : null;

    private static bool Same(string a, string b) => TurkishText.Fold(a) == TurkishText.Fold(b);
}
