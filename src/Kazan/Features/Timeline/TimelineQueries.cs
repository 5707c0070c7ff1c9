using System.Globalization;
using System.Text.Json;
using Kazan.Features.Activities;
using Kazan.Features.Opportunities;
using Kazan.Features.Orders;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Auditing;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Localization;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Timeline;

public enum TimelineItemKind
{
    OpportunityCreated,
    StageChanged,
    Won,
    Lost,
    Reopened,
    OwnerChanged,
    ActivityCreated,
    ActivityDone,
    RecordCreated,
    RecordChanged,
    RecordDeleted,
}

/// <summary>
/// One thing that happened to a record: when, who (display name), what kind, and a short text in the caller's language.
/// <see cref="RecordType"/>/<see cref="RecordId"/> name the record it happened to (the account itself, one of its
/// contacts or opportunities, or an activity).
/// </summary>
public sealed record TimelineItem(string Id, DateTimeOffset At, Guid? UserId, string? UserName, TimelineItemKind Kind, string Text, string RecordType, Guid RecordId);

/// <summary>Whose timeline: an account (with its contacts, opportunities and activities) or one opportunity.</summary>
public readonly record struct TimelineTarget(Guid? AccountId, Guid? OpportunityId)
{
    public static TimelineTarget Account(Guid id) => new(id, null);

    public static TimelineTarget Opportunity(Guid id) => new(null, id);
}

/// <summary>
/// The timeline of a record, newest first, merged from three sources: opportunity history (<see cref="OpportunityEvent"/>:
/// stage moves, won/lost, reopen, owner changes), activities (created, and done) and audited field changes
/// (<see cref="AuditEntry"/> of the record; for an account also of its contacts and opportunities; for both, of the deals'
/// quotes and orders and of the orders' deliveries and returns).
/// Each source is read by its own indexed query in (at, id) order and the streams are merged in memory; the keyset
/// cursor is (at, source, id) of the last item shown, so pages neither skip nor repeat. Audit entries that only carry
/// what another source already says (an opportunity's stage/status/owner fields, derived amounts, LastActivityAt) are
/// skipped; a page may then be read in several batches. Every read goes through the global filters: a rep sees the
/// history of the deals and the activities they may see.
/// </summary>
public static class TimelineQueries
{
    /// <summary>Sources in tie-break order: at the same instant, the higher one comes first (newest-first order).</summary>
    private const int AuditSource = 0, EventSource = 1, CreatedSource = 2, DoneSource = 3;

    private static readonly HashSet<string> SkippedEverywhere = new(StringComparer.Ordinal)
    {
        "Id", "OrganizationId", "CreatedAt", "AccountId",
    };

    /// <summary>Opportunity fields the timeline shows from the audit trail; the rest are told by its history events or derived.</summary>
    private static readonly HashSet<string> OpportunityFields = new(StringComparer.Ordinal)
    {
        "Title", "ExpectedAmount", "Currency", "ExchangeRate", "ExpectedCloseDate", "ProbabilityOverride", "Source", "NextStep",
        "QuotedAmount", "OrderedAmount", "DeliveredAmount",
    };

    /// <summary>Quote fields the timeline shows: its transitions, not the editing of its lines.</summary>
    private static readonly HashSet<string> QuoteFields = new(StringComparer.Ordinal) { "Status", "IsPrimary", "ExchangeRate", "DecidedOnline", "DecidedByName", "DecidedByTitle" };

    /// <summary>Order fields the timeline shows: its status (delivered, …) and its cancellation; deliveries have their own items.</summary>
    private static readonly HashSet<string> OrderFields = new(StringComparer.Ordinal) { "Status", "CancelReason" };

    /// <summary>Null when the record is not visible to the caller (404).</summary>
    public static async Task<Page<TimelineItem>?> PageAsync(
        KazanDbContext db, IStringLocalizer localizer, OrganizationTime time, TimelineTarget target, int limit, string? cursor, CancellationToken ct)
    {
        var context = await LoadContextAsync(db, target, ct);
        if (context is null)
        {
            return null;
        }

        var position = Position.Parse(cursor);
        var streams = Streams(db, context).Select(s => new Stream(s.Rank, s.Fetch, position)).ToList();
        var picked = new List<TimelineRow>();
        var batch = limit + 1;
        while (picked.Count < limit + 1)
        {
            foreach (var stream in streams)
            {
                await stream.FillAsync(batch, ct);
            }

            var next = streams.Where(s => s.Head is not null)
                .OrderByDescending(s => s.Head!.At).ThenByDescending(s => s.Rank).FirstOrDefault();
            if (next is null)
            {
                break;
            }

            var row = next.Take();
            if (row.Source != AuditSource || Changes(row) is not null)
            {
                picked.Add(row);
            }
        }

        var more = picked.Count > limit;
        if (more)
        {
            picked.RemoveAt(limit);
        }

        var items = await DescribeAsync(db, localizer, time, context, picked, ct);
        return new Page<TimelineItem>(items, more ? picked[^1].Cursor : null);
    }

    private sealed record Context(
        TimelineTarget Target, Guid AccountId, Dictionary<Guid, string> Opportunities, Dictionary<Guid, string> Contacts, string? AccountName)
    {
        /// <summary>The deals' quotes (id → display number): their transitions (sent, accepted, primary …) are on the timeline too.</summary>
        public Dictionary<Guid, string> Quotes { get; init; } = [];

        /// <summary>The deals' orders (id → number): created, status changes and cancellations.</summary>
        public Dictionary<Guid, string> Orders { get; init; } = [];

        /// <summary>Deliveries and returns of those orders (id → order id).</summary>
        public Dictionary<Guid, Guid> Deliveries { get; init; } = [];

        /// <summary>The deals' currencies (id → ISO code): their amounts on the timeline are money in it.</summary>
        public Dictionary<Guid, string> Currencies { get; init; } = [];
    }

    /// <summary>The orders of some deals and their deliveries; an account's deals have tens of orders, rarely thousands.</summary>
    private static async Task<(Dictionary<Guid, string> Orders, Dictionary<Guid, Guid> Deliveries)> OrdersOfAsync(
        KazanDbContext db, List<Guid> opportunityIds, CancellationToken ct)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => opportunityIds.Contains(o.OpportunityId))
            .Select(o => new { o.Id, o.Number }).ToDictionaryAsync(o => o.Id, o => o.Number, ct);
        var orderIds = orders.Keys.ToList();
        var deliveries = orderIds.Count == 0 ? [] : await db.Deliveries.AsNoTracking().Where(d => orderIds.Contains(d.OrderId))
            .Select(d => new { d.Id, d.OrderId }).ToDictionaryAsync(d => d.Id, d => d.OrderId, ct);
        return (orders, deliveries);
    }

    private static async Task<Dictionary<Guid, string>> QuotesOfAsync(KazanDbContext db, List<Guid> opportunityIds, CancellationToken ct) =>
        (await db.Quotes.AsNoTracking().Where(q => opportunityIds.Contains(q.OpportunityId))
            .Select(q => new { q.Id, q.Number, q.Revision }).ToListAsync(ct))
        .ToDictionary(q => q.Id, q => q.Revision == 0 ? q.Number : $"{q.Number} / R{q.Revision}");

    private static async Task<Context?> LoadContextAsync(KazanDbContext db, TimelineTarget target, CancellationToken ct)
    {
        if (target.OpportunityId is { } opportunityId)
        {
            var opportunity = await db.Opportunities.AsNoTracking().Where(o => o.Id == opportunityId)
                .Select(o => new { o.Id, o.Title, o.AccountId, Currency = o.Currency.Code }).FirstOrDefaultAsync(ct);
            if (opportunity is null)
            {
                return null;
            }

            var (orders, deliveries) = await OrdersOfAsync(db, [opportunity.Id], ct);
            return new Context(target, opportunity.AccountId, new() { [opportunity.Id] = opportunity.Title }, [], null)
            {
                Quotes = await QuotesOfAsync(db, [opportunity.Id], ct),
                Orders = orders,
                Deliveries = deliveries,
                Currencies = new() { [opportunity.Id] = opportunity.Currency },
            };
        }

        var accountId = target.AccountId!.Value;
        var account = await db.Accounts.AsNoTracking().Where(a => a.Id == accountId).Select(a => a.Name).FirstOrDefaultAsync(ct);
        if (account is null)
        {
            return null;
        }

        // An account's deals and people are few (tens, rarely thousands): their ids select their audit entries below.
        var deals = await db.Opportunities.AsNoTracking().Where(o => o.AccountId == accountId)
            .Select(o => new { o.Id, o.Title, Currency = o.Currency.Code }).ToListAsync(ct);
        var opportunities = deals.ToDictionary(o => o.Id, o => o.Title);
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.AccountId == accountId)
            .Select(c => new { c.Id, c.FirstName, c.LastName }).ToDictionaryAsync(c => c.Id, c => $"{c.FirstName} {c.LastName}".Trim(), ct);
        var (accountOrders, accountDeliveries) = await OrdersOfAsync(db, opportunities.Keys.ToList(), ct);
        return new Context(target, accountId, opportunities, contacts, account)
        {
            Quotes = await QuotesOfAsync(db, opportunities.Keys.ToList(), ct),
            Orders = accountOrders,
            Deliveries = accountDeliveries,
            Currencies = deals.ToDictionary(o => o.Id, o => o.Currency),
        };
    }

    private delegate Task<List<TimelineRow>> Fetch(Position after, int take, CancellationToken ct);

    private static IEnumerable<(int Rank, Fetch Fetch)> Streams(KazanDbContext db, Context context)
    {
        var opportunityIds = context.Opportunities.Keys.ToList();
        var auditKeys = opportunityIds.Select(id => id.ToString()).ToList();
        var contactKeys = context.Contacts.Keys.Select(id => id.ToString()).ToList();
        var accountKey = context.AccountId.ToString();
        var quoteKeys = context.Quotes.Keys.Select(id => id.ToString()).ToList();
        var orderKeys = context.Orders.Keys.Select(id => id.ToString()).ToList();
        var deliveryKeys = context.Deliveries.Keys.Select(id => id.ToString()).ToList();
        var forAccount = context.Target.AccountId is not null;

        var audit = db.AuditEntries.AsNoTracking().Where(a =>
            (a.EntityType == "Opportunity" && auditKeys.Contains(a.EntityId) && a.Action != AuditAction.Insert)
            || (forAccount && a.EntityType == "Account" && a.EntityId == accountKey)
            || (forAccount && a.EntityType == "Contact" && contactKeys.Contains(a.EntityId))
            || (a.EntityType == "Quote" && quoteKeys.Contains(a.EntityId))
            || (a.EntityType == "Order" && orderKeys.Contains(a.EntityId))
            || (a.EntityType == "Delivery" && deliveryKeys.Contains(a.EntityId) && a.Action == AuditAction.Insert));
        yield return (AuditSource, (after, take, ct) => After(db, audit.Select(a => new TimelineRow
        {
            At = a.At,
            Id = a.Id,
            UserId = a.UserId,
            EntityType = a.EntityType,
            EntityId = a.EntityId,
            Action = a.Action,
            Changes = a.Changes,
        }), after, take, ct));

        // A forecast change without a named step is already in the audit trail, field by field.
        var events = db.OpportunityEvents.AsNoTracking().Where(e => opportunityIds.Contains(e.OpportunityId) && e.Kind != OpportunityEventKind.Changed);
        yield return (EventSource, (after, take, ct) => After(db, events.Select(e => new TimelineRow
        {
            At = e.At,
            Id = e.Id,
            UserId = e.UserId,
            OpportunityId = e.OpportunityId,
            EventKind = e.Kind,
            FromStageId = e.FromStageId,
            ToStageId = e.ToStageId,
            FromOwnerId = e.FromOwnerId,
            ToOwnerId = e.ToOwnerId,
            LostReasonId = e.LostReasonId,
            Note = e.Note,
        }), after, take, ct));

        var activities = forAccount
            ? db.Activities.AsNoTracking().Where(a => a.AccountId == context.AccountId)
            : db.Activities.AsNoTracking().Where(a => a.OpportunityId == context.Target.OpportunityId);
        // A call or meeting logged after it happened (done when it was due, no later than it was written: Activity.Logged)
        // says it all in its "done" item; a "planned" item would be news of something that was never planned.
        yield return (CreatedSource, (after, take, ct) => After(db, activities
            .Where(a => a.Kind == ActivityKind.Note || !a.Done || a.DoneAt > a.CreatedAt || a.DueAt == null || a.DueAt != a.DoneAt).Select(a => new TimelineRow
            {
                At = a.CreatedAt,
                Id = a.Id,
                UserId = a.OwnerId,
                OpportunityId = a.OpportunityId,
                ActivityKind = a.Kind,
                Subject = a.Subject,
                DueAt = a.DueAt,
                ActivityNotes = a.Notes,
            }), after, take, ct));

        // A note is done when written: its "created" item says it all.
        yield return (DoneSource, (after, take, ct) => After(db, activities.Where(a => a.Done && a.DoneAt != null && a.Kind != ActivityKind.Note).Select(a => new TimelineRow
        {
            At = a.DoneAt!.Value,
            Id = a.Id,
            UserId = a.OwnerId,
            OpportunityId = a.OpportunityId,
            ActivityKind = a.Kind,
            Subject = a.Subject,
            DueAt = a.DueAt,
            Outcome = a.Outcome,
            ActivityNotes = a.Notes,
        }), after, take, ct));
    }

    private static Task<List<TimelineRow>> After(KazanDbContext db, IQueryable<TimelineRow> rows, Position after, int take, CancellationToken ct)
    {
        if (after.At is { } at)
        {
            var (id, inclusive) = (after.Id, after.Inclusive);
            rows = id is { } last
                ? rows.After(db, r => r.At, at, last, descending: true)
                : inclusive ? rows.Where(r => r.At <= at) : rows.Where(r => r.At < at);
        }

        return rows.OrderByDescending(r => r.At).ThenByDescending(r => r.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>Where a stream resumes: before (at, id); or, with no id, before or at <c>at</c> (inclusive) or strictly before.</summary>
    private readonly record struct Position(DateTimeOffset? At, int Rank, Guid? Id, bool Inclusive)
    {
        public static Position Parse(string? cursor) =>
            Cursor.Decode(cursor) is [var ticks, var rank, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t)
            && int.TryParse(rank, NumberStyles.None, CultureInfo.InvariantCulture, out var r)
            && Guid.TryParse(id, out var g)
                ? new Position(new DateTimeOffset(t, TimeSpan.Zero), r, g, false)
                : default;

        /// <summary>The global cursor seen from one source: rows at the cursor's instant come after it only from lower-ranked sources.</summary>
        public Position For(int rank) =>
            At is null ? this
            : rank == Rank ? this
            : rank < Rank ? this with { Id = null, Inclusive = true }
            : this with { Id = null, Inclusive = false };
    }

    /// <summary>One source read in batches, in (at desc, id desc) order.</summary>
    private sealed class Stream(int rank, Fetch fetch, Position start)
    {
        private readonly Queue<TimelineRow> _buffer = new();
        private Position _after = start.For(rank);
        private bool _exhausted;

        public int Rank { get; } = rank;

        public TimelineRow? Head => _buffer.TryPeek(out var row) ? row : null;

        public async Task FillAsync(int batch, CancellationToken ct)
        {
            if (_buffer.Count > 0 || _exhausted)
            {
                return;
            }

            var rows = await fetch(_after, batch, ct);
            _exhausted = rows.Count < batch;
            foreach (var row in rows)
            {
                row.Source = Rank;
                _buffer.Enqueue(row);
            }
        }

        public TimelineRow Take()
        {
            var row = _buffer.Dequeue();
            _after = new Position(row.At, Rank, row.Id, false);
            return row;
        }
    }

    /// <summary>The raw shape every source is projected to (so one paging filter serves all).</summary>
    private sealed class TimelineRow
    {
        public DateTimeOffset At { get; init; }
        public Guid Id { get; init; }
        public int Source { get; set; }
        public Guid? UserId { get; init; }
        public Guid? OpportunityId { get; init; }
        public OpportunityEventKind? EventKind { get; init; }
        public Guid? FromStageId { get; init; }
        public Guid? ToStageId { get; init; }
        public Guid? FromOwnerId { get; init; }
        public Guid? ToOwnerId { get; init; }
        public Guid? LostReasonId { get; init; }
        public string? Note { get; init; }
        public ActivityKind? ActivityKind { get; init; }
        public string? Subject { get; init; }
        public DateTimeOffset? DueAt { get; init; }
        public ActivityOutcome? Outcome { get; init; }
        public string? ActivityNotes { get; init; }
        public string? EntityType { get; init; }
        public string? EntityId { get; init; }
        public AuditAction? Action { get; init; }
        public string? Changes { get; init; }

        public string Cursor => Kazan.Infrastructure.Api.Cursor.Encode(At.UtcTicks, Source, Id);
    }

    /// <summary>The fields of an audit row worth showing, or null when none is (the row is then skipped).</summary>
    private static List<(string Field, JsonElement Old, JsonElement New)>? Changes(TimelineRow row)
    {
        if (row.Action is AuditAction.Insert or AuditAction.Delete)
        {
            return [];
        }

        using var json = JsonDocument.Parse(row.Changes ?? "{}");
        var list = new List<(string, JsonElement, JsonElement)>();
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (SkippedEverywhere.Contains(property.Name)
                || (row.EntityType == "Opportunity" && !OpportunityFields.Contains(property.Name))
                || (row.EntityType == "Quote" && !QuoteFields.Contains(property.Name))
                || (row.EntityType == "Order" && !OrderFields.Contains(property.Name))
                || property.Value.ValueKind != JsonValueKind.Array || property.Value.GetArrayLength() != 2)
            {
                continue;
            }

            list.Add((property.Name, property.Value[0].Clone(), property.Value[1].Clone()));
        }

        return list.Count == 0 ? null : list;
    }

    private static async Task<List<TimelineItem>> DescribeAsync(
        KazanDbContext db, IStringLocalizer l, OrganizationTime time, Context context, List<TimelineRow> rows, CancellationToken ct)
    {
        var culture = CultureInfo.CurrentCulture;

        // Who created / completed an activity is in its audit trail (the activity keeps only its owner).
        var activityKeys = rows.Where(r => r.Source is CreatedSource or DoneSource).Select(r => r.Id.ToString()).Distinct().ToList();
        var activityAudit = activityKeys.Count == 0 ? [] : await db.AuditEntries.AsNoTracking()
            .Where(a => a.EntityType == nameof(Activity) && activityKeys.Contains(a.EntityId))
            .OrderBy(a => a.At).Select(a => new { a.EntityId, a.At, a.UserId, a.Action, a.Changes }).ToListAsync(ct);

        Guid? Actor(TimelineRow row)
        {
            var key = row.Id.ToString();
            var entry = row.Source == CreatedSource
                ? activityAudit.FirstOrDefault(a => a.EntityId == key && a.Action == AuditAction.Insert)
                : activityAudit.LastOrDefault(a => a.EntityId == key && a.At >= row.At && a.Changes.Contains("\"Done\":[false,true]", StringComparison.Ordinal));
            return entry?.UserId ?? row.UserId;
        }

        var actors = rows.Select(r => r.Source is CreatedSource or DoneSource ? Actor(r) : r.UserId).ToList();
        var parsed = rows.Select(r => r.Source == AuditSource ? Changes(r) ?? [] : []).ToList();

        var userIds = actors.OfType<Guid>()
            .Concat(rows.SelectMany(r => new[] { r.FromOwnerId, r.ToOwnerId }).OfType<Guid>())
            .Concat(parsed.SelectMany(p => p).Where(c => c.Field == "OwnerId").SelectMany(c => new[] { c.Old, c.New })
                .Where(v => v.ValueKind == JsonValueKind.String).Select(v => Guid.TryParse(v.GetString(), out var g) ? g : Guid.Empty))
            .Distinct().ToList();
        var users = userIds.Count == 0 ? [] : await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);

        var stageIds = rows.SelectMany(r => new[] { r.FromStageId, r.ToStageId }).OfType<Guid>().Distinct().ToList();
        var stages = stageIds.Count == 0 ? [] : await db.Stages.AsNoTracking().Where(s => stageIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var reasonIds = rows.Select(r => r.LostReasonId).OfType<Guid>().Distinct().ToList();
        var reasons = reasonIds.Count == 0 ? [] : await db.LostReasons.AsNoTracking().Where(r => reasonIds.Contains(r.Id)).ToDictionaryAsync(r => r.Id, r => r.Name, ct);

        string UserName(Guid? id) => id is { } g && users.TryGetValue(g, out var n) ? n : l["Timeline.UnknownUser"];
        string StageName(Guid? id) => id is { } g && stages.TryGetValue(g, out var n) ? n : l["Timeline.UnknownStage"];

        var items = new List<TimelineItem>(rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var (kind, text, recordType, recordId) = row.Source switch
            {
                EventSource => Event(row),
                CreatedSource or DoneSource => ActivityItem(row),
                _ => Audit(row, parsed[i]),
            };
            var actor = actors[i];
            items.Add(new TimelineItem(row.Cursor, row.At, actor, actor is null ? "Kazan" : UserName(actor), kind, text, recordType, recordId));
        }

        return items;

        // On an account's timeline, say which deal an opportunity line is about.
        string OnDeal(Guid? opportunityId, string text) =>
            context.Target.AccountId is not null && opportunityId is { } o && context.Opportunities.TryGetValue(o, out var title) ? $"{title}: {text}" : text;

        (TimelineItemKind, string, string, Guid) Event(TimelineRow row)
        {
            var (kind, text) = row.EventKind switch
            {
                OpportunityEventKind.Created => (TimelineItemKind.OpportunityCreated, l["Timeline.OpportunityCreated", StageName(row.ToStageId)].Value),
                OpportunityEventKind.StageChanged => (TimelineItemKind.StageChanged,
                    l[row.Note == Opportunity.PipelineMovedNote ? "Timeline.PipelineChanged" : "Timeline.StageChanged", StageName(row.FromStageId), StageName(row.ToStageId)].Value),
                OpportunityEventKind.Won => (TimelineItemKind.Won, string.IsNullOrEmpty(row.Note) ? l["Timeline.Won"].Value : l["Timeline.WonBecause", row.Note].Value),
                OpportunityEventKind.Lost => (TimelineItemKind.Lost, l["Timeline.Lost",
                    row.LostReasonId is { } r && reasons.TryGetValue(r, out var reason) ? reason : "?"].Value + (string.IsNullOrEmpty(row.Note) ? "" : $" ({row.Note})")),
                OpportunityEventKind.Reopened => (TimelineItemKind.Reopened, l["Timeline.Reopened"].Value),
                _ => (TimelineItemKind.OwnerChanged, l["Timeline.OwnerChanged", UserName(row.FromOwnerId), UserName(row.ToOwnerId)].Value),
            };
            return (kind, OnDeal(row.OpportunityId, text), "Opportunity", row.OpportunityId!.Value);
        }

        (TimelineItemKind, string, string, Guid) ActivityItem(TimelineRow row)
        {
            var kindName = l["ActivityKind." + row.ActivityKind].Value;
            string text;
            if (row.Source == DoneSource)
            {
                text = l["Timeline.ActivityDone", kindName, row.Subject!].Value
                    + (row.Outcome is { } outcome ? " — " + EnumNames.Of(l, outcome) : "");
            }
            else if (row.ActivityKind == ActivityKind.Note)
            {
                text = l["Timeline.NoteWritten", row.Subject!].Value;
            }
            else
            {
                text = l["Timeline.ActivityCreated", kindName, row.Subject!].Value
                    + (row.DueAt is { } due ? " " + l["Timeline.Due", time.Format(due, culture)].Value : "");
            }

            // What was said, shortened (the activity itself has it whole): on the note, or once the call or meeting is done.
            if (row.ActivityNotes is { Length: > 0 } notes && (row.Source == DoneSource || row.ActivityKind == ActivityKind.Note))
            {
                text += " · " + l["Timeline.Notes", notes.Length > 160 ? string.Concat(notes.AsSpan(0, 159), "…") : notes].Value;
            }

            return (row.Source == DoneSource ? TimelineItemKind.ActivityDone : TimelineItemKind.ActivityCreated, OnDeal(row.OpportunityId, text), nameof(Activity), row.Id);
        }

        (TimelineItemKind, string, string, Guid) Audit(TimelineRow row, List<(string Field, JsonElement Old, JsonElement New)> changes)
        {
            var type = row.EntityType!;
            var id = Guid.TryParse(row.EntityId, out var g) ? g : Guid.Empty;
            if (type == "Delivery")
            {
                return (TimelineItemKind.RecordCreated, DeliveryText(row, id), type, id);
            }

            if (type == "Quote" && row.Action == AuditAction.Update && OnlineDecisionText(id, changes) is { } decisionText)
            {
                return (TimelineItemKind.RecordChanged, decisionText, type, id);
            }

            if (type == "Order" && row.Action == AuditAction.Update && OrderText(id, changes) is { } orderText)
            {
                return (TimelineItemKind.RecordChanged, orderText, type, id);
            }

            var label = l["Entity." + type].Value;
            var name = type switch
            {
                "Account" => context.AccountName,
                "Contact" => context.Contacts.GetValueOrDefault(id),
                "Opportunity" => context.Opportunities.GetValueOrDefault(id),
                "Quote" => context.Quotes.GetValueOrDefault(id),
                "Order" => context.Orders.GetValueOrDefault(id),
                _ => null,
            } ?? NameFromChanges(type, row.Changes);
            var what = string.IsNullOrEmpty(name) ? label : $"{label} {name}";
            return row.Action switch
            {
                AuditAction.Insert => (TimelineItemKind.RecordCreated, l["Timeline.Created", what].Value, type, id),
                AuditAction.Delete => (TimelineItemKind.RecordDeleted, l["Timeline.Deleted", what].Value, type, id),
                _ => (TimelineItemKind.RecordChanged, l["Timeline.Changed", what,
                    string.Join("; ", changes.Select(c => $"{FieldLabel(type, c.Field)}: {Value(type, id, c.Field, c.Old, CurrencyOf(changes, id, old: true))} → {Value(type, id, c.Field, c.New, CurrencyOf(changes, id, old: false))}"))].Value, type, id),
            };
        }

        // The customer's answer through the online quote: "TKL-2026-00001 accepted online by Ayşe Yılmaz (Satın alma müdürü)".
        string? OnlineDecisionText(Guid id, List<(string Field, JsonElement Old, JsonElement New)> changes)
        {
            if (!changes.Any(c => c.Field == "DecidedOnline" && c.New.ValueKind == JsonValueKind.True))
            {
                return null;
            }

            var number = context.Quotes.GetValueOrDefault(id) ?? "";
            string? Text(string field) => changes.FirstOrDefault(c => c.Field == field) is { Field: not null } c && c.New.ValueKind == JsonValueKind.String ? c.New.GetString() : null;
            var status = Text("Status");
            if (status == "Rejected")
            {
                return l["Timeline.QuoteRejectedOnline", number].Value;
            }

            var who = Text("DecidedByTitle") is { Length: > 0 } title ? $"{Text("DecidedByName")} ({title})" : Text("DecidedByName") ?? "";
            return l["Timeline.QuoteAcceptedOnline", number, who].Value;
        }

        // "SIP-2026-00001 teslimat kaydedildi (irsaliye İRS-42)" / "… iade kaydedildi".
        string DeliveryText(TimelineRow row, Guid id)
        {
            var number = context.Deliveries.TryGetValue(id, out var orderId) ? context.Orders.GetValueOrDefault(orderId) ?? "" : "";
            var inserted = Inserted(row.Changes);
            var isReturn = inserted.GetValueOrDefault("Kind") == nameof(DeliveryKind.Return);
            var text = l[isReturn ? "Timeline.Returned" : "Timeline.Delivered", number].Value;
            return inserted.GetValueOrDefault("NoteNumber") is { Length: > 0 } note ? $"{text} ({l["Timeline.DeliveryNote", note].Value})" : text;
        }

        // A cancellation names its reason; otherwise the status change reads "SIP-2026-00001 durumu: Açık → Kısmen teslim edildi".
        string? OrderText(Guid id, List<(string Field, JsonElement Old, JsonElement New)> changes)
        {
            var number = context.Orders.GetValueOrDefault(id) ?? "";
            var status = changes.FirstOrDefault(c => c.Field == "Status");
            var reason = changes.FirstOrDefault(c => c.Field == "CancelReason");
            if (reason.Field is not null && reason.New.ValueKind == JsonValueKind.String)
            {
                var whole = status.Field is not null && status.New.ValueKind == JsonValueKind.String
                    && status.New.GetString() == nameof(OrderStatus.Cancelled);
                return l[whole ? "Timeline.OrderCancelled" : "Timeline.OrderRemainderCancelled", number, reason.New.GetString()!].Value;
            }

            return status.Field is null ? null : l["Timeline.OrderStatus", number, StatusName(status.Old), StatusName(status.New)].Value;

            string StatusName(JsonElement value) => value.ValueKind == JsonValueKind.String ? l["OrderStatus." + value.GetString()].Value : "–";
        }

        string FieldLabel(string type, string field)
        {
            var specific = l[$"Field.{type}.{field}"];
            if (!specific.ResourceNotFound)
            {
                return specific.Value;
            }

            var common = l["Field." + field];
            return common.ResourceNotFound ? field : common.Value;
        }

        // The deal's currency for its amounts: the one the same change set (old or new side), else the deal's current one.
        string? CurrencyOf(List<(string Field, JsonElement Old, JsonElement New)> changes, Guid id, bool old)
        {
            var currency = changes.FirstOrDefault(c => c.Field == "Currency");
            var side = old ? currency.Old : currency.New;
            return currency.Field is not null && side.ValueKind == JsonValueKind.String ? side.GetString() : context.Currencies.GetValueOrDefault(id);
        }

        // A value as the user reads it: enums in their language, amounts as money in the deal's currency, rates with
        // their four decimals, percentages in the culture's form, days and instants in the user's format.
        string Value(string type, Guid id, string field, JsonElement value, string? currency)
        {
            var kind = AuditedFields.KindOf(type, field);
            var text = value.ValueKind switch
            {
                JsonValueKind.Null or JsonValueKind.Undefined => "–",
                JsonValueKind.True => l["Common.Yes"].Value,
                JsonValueKind.False => l["Common.No"].Value,
                JsonValueKind.Number when value.TryGetDecimal(out var d) => kind switch
                {
                    AuditedFieldKind.Money when currency is not null => Formats.Money(d, currency, culture),
                    AuditedFieldKind.Rate => d.ToString("#,##0.####", culture),
                    AuditedFieldKind.Percent => Formats.Percent(d, culture),
                    _ => d.ToString("#,##0.##", culture),
                },
                JsonValueKind.String when kind == AuditedFieldKind.Enum && AuditedFields.EnumOf(type, field) is { } enumType
                    => EnumNames.Of(l, enumType, value.GetString()!),
                JsonValueKind.String when field == "OwnerId" && Guid.TryParse(value.GetString(), out var owner) => UserName(owner),
                JsonValueKind.String when DateOnly.TryParseExact(value.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
                    => DateText.Format(day, culture),
                JsonValueKind.String when kind == AuditedFieldKind.Instant && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                    => time.Format(at, culture),
                JsonValueKind.String => value.GetString() ?? "",
                _ => value.GetRawText(),
            };
            return text.Length > 80 ? string.Concat(text.AsSpan(0, 79), "…") : text;
        }
    }

    /// <summary>The string values an inserted record's audit row holds (field → new value).</summary>
    private static Dictionary<string, string> Inserted(string? changes)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (changes is null)
        {
            return values;
        }

        using var json = JsonDocument.Parse(changes);
        foreach (var property in json.RootElement.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.GetArrayLength() == 2 && property.Value[1].ValueKind == JsonValueKind.String)
            {
                values[property.Name] = property.Value[1].GetString()!;
            }
        }

        return values;
    }

    /// <summary>The name a deleted (or not loaded) record had, from its audit row.</summary>
    private static string? NameFromChanges(string type, string? changes)
    {
        if (changes is null)
        {
            return null;
        }

        using var json = JsonDocument.Parse(changes);
        string? Pick(string field) => json.RootElement.TryGetProperty(field, out var v) && v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 2
            ? (v[1].ValueKind == JsonValueKind.String ? v[1].GetString() : v[0].ValueKind == JsonValueKind.String ? v[0].GetString() : null)
            : null;
        var name = type == "Contact" ? $"{Pick("FirstName")} {Pick("LastName")}".Trim() : Pick("Name") ?? Pick("Title");
        return string.IsNullOrEmpty(name) ? null : name;
    }
}
