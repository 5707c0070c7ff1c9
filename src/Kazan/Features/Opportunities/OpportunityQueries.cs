using System.Globalization;
using System.Linq.Expressions;
using Kazan.Features.Activities;
using Kazan.Features.Pipelines;
using Kazan.Features.Users;
using Kazan.Infrastructure.Api;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Opportunities;

public enum OpportunitySort
{
    CloseDate,
    Amount,
    Created,
}

/// <summary>
/// The opportunity list's filters, shared by the API (query parameters), the list page (its query string) and saved
/// filters (which store that query string). Amounts are the forecast amount in the organization's base currency.
/// </summary>
public sealed record OpportunityFilter
{
    public Guid? OwnerId { get; init; }
    public Guid? TeamId { get; init; }
    public Guid? PipelineId { get; init; }
    public Guid? StageId { get; init; }
    public OpportunityStatus? Status { get; init; }
    public DateOnly? CloseFrom { get; init; }
    public DateOnly? CloseTo { get; init; }
    public decimal? AmountMin { get; init; }
    public decimal? AmountMax { get; init; }
    public bool Overdue { get; init; }
    public bool Rotting { get; init; }
    public OpportunitySort Sort { get; init; }
    public bool Descending { get; init; }

    /// <summary>The query string of this filter (no leading '?', no cursor), as the list page links and saved filters store it.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            var text = value switch
            {
                null => null,
                bool b => b ? "true" : null,
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (!string.IsNullOrEmpty(text))
            {
                parts.Add($"{name}={Uri.EscapeDataString(text)}");
            }
        }

        Add("ownerId", OwnerId);
        Add("teamId", TeamId);
        Add("pipelineId", PipelineId);
        Add("stageId", StageId);
        Add("status", Status);
        Add("closeFrom", CloseFrom);
        Add("closeTo", CloseTo);
        Add("amountMin", AmountMin);
        Add("amountMax", AmountMax);
        Add("overdue", Overdue);
        Add("rotting", Rotting);
        Add("sort", Sort == OpportunitySort.CloseDate ? null : Sort.ToString());
        Add("desc", Descending);
        return string.Join('&', parts);
    }
}

public sealed record OpportunityListItem(
    Guid Id, string Title, Guid AccountId, string? AccountName, Guid OwnerId, string OwnerName, Guid PipelineId, Guid StageId, string StageName,
    OpportunityStatus Status, decimal ForecastAmount, string Currency, decimal ForecastAmountBase, decimal WeightedAmountBase, int Probability,
    DateOnly ExpectedCloseDate, DateTimeOffset CreatedAt, bool IsOverdue, bool IsRotting, int Version);

public sealed record NamedRef(Guid Id, string? Name);

/// <summary>What the export writes of a deal beyond the list's columns, so the file can be imported back as the same deal.</summary>
/// <summary>What the deals export writes besides the list's columns, for the deals import to bring a deal back as it was.</summary>
public sealed record OpportunityExportDetails(
    Guid Id, string? Pipeline, string? OwnerEmail, decimal ExpectedAmount, decimal ExchangeRate, string? LostReason, string? LostNote, DateOnly? ClosedOn,
    string? Source, string? ExternalId);

public sealed record NextActivity(Guid Id, ActivityKind Kind, string Subject, DateTimeOffset? DueAt);

public sealed record OpportunityContactResponse(Guid ContactId, string? Name, string? Role);

public sealed record OpportunityStageRef(Guid Id, string Name, int Position, int Probability, int? RottingDays);

public sealed record OpportunityResponse(
    Guid Id, string Title, NamedRef Account, NamedRef Owner, NamedRef Pipeline, OpportunityStageRef Stage, OpportunityStatus Status,
    decimal ExpectedAmount, decimal? QuotedAmount, decimal? OrderedAmount, decimal? DeliveredAmount, string Currency, decimal ExchangeRate,
    ForecastSource ForecastSource, decimal ForecastAmount, decimal ForecastAmountBase, decimal WeightedAmountBase, string BaseCurrency,
    int Probability, int? ProbabilityOverride, int StageProbability, ForecastCategory ForecastCategory, ForecastCategory? ForecastCategoryOverride,
    DateOnly ExpectedCloseDate, string? Source, string? NextStep,
    NamedRef? LostReason, string? LostNote, DateOnly? ClosedOn, DateTimeOffset CreatedAt, DateTimeOffset StageEnteredAt, DateTimeOffset? LastActivityAt,
    bool IsOverdue, bool IsRotting, NextActivity? NextActivity, IReadOnlyList<OpportunityContactResponse> Contacts, string? ExternalId, int Version);

public sealed record OpportunityEventResponse(
    Guid Id, OpportunityEventKind Kind, DateTimeOffset At, NamedRef User, NamedRef? FromStage, NamedRef? ToStage,
    OpportunityStatus? FromStatus, OpportunityStatus? ToStatus, NamedRef? FromOwner, NamedRef? ToOwner, NamedRef? LostReason,
    string? Note, decimal Amount, string Currency, int Probability, ForecastCategory ForecastCategory, DateOnly ExpectedCloseDate, decimal ExpectedAmount);

/// <summary>Reads of opportunities shared by the API, the pages, the board and the home page. All run under the query filters.</summary>
public static class OpportunityQueries
{
    public static Task<string> BaseCurrencyAsync(KazanDbContext db, CancellationToken ct) =>
        db.Organizations.Select(o => o.BaseCurrency).FirstAsync(ct);

    /// <summary>Applies the filters (not sorting or paging). The organization's clock decides overdue (its today) and rotting.</summary>
    public static async Task<IQueryable<Opportunity>> FilterAsync(KazanDbContext db, OpportunityFilter f, OrganizationTime time, CancellationToken ct)
    {
        var q = db.Opportunities.AsNoTracking().OwnedBy(db, f.OwnerId, f.TeamId);

        if (f.PipelineId is { } pipeline)
        {
            q = q.Where(o => o.PipelineId == pipeline);
        }

        if (f.StageId is { } stage)
        {
            q = q.Where(o => o.StageId == stage);
        }

        if (f.Status is { } status)
        {
            q = q.Where(o => o.Status == status);
        }

        if (f.CloseFrom is { } from)
        {
            q = q.Where(o => o.ExpectedCloseDate >= from);
        }

        if (f.CloseTo is { } to)
        {
            q = q.Where(o => o.ExpectedCloseDate <= to);
        }

        if (f.AmountMin is { } min)
        {
            q = q.Where(o => o.ForecastAmountBase >= min);
        }

        if (f.AmountMax is { } max)
        {
            q = q.Where(o => o.ForecastAmountBase <= max);
        }

        if (f.Overdue)
        {
            var today = time.Today;
            q = q.Where(o => o.Status == OpportunityStatus.Open && o.ExpectedCloseDate < today);
        }

        if (f.Rotting)
        {
            q = q.Where(await RottingAsync(db, time.Now, ct));
        }

        return q;
    }

    /// <summary>
    /// Open deals idle longer than their stage's rotting days. The days differ per stage, so the predicate is an OR
    /// over the organization's stages that rot (a few dozen at most), each with its own threshold computed here:
    /// plain comparisons that SQLite (ticks) and PostgreSQL translate alike.
    /// </summary>
    public static async Task<Expression<Func<Opportunity, bool>>> RottingAsync(KazanDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var stages = await db.Stages.AsNoTracking().Where(s => s.RottingDays != null).Select(s => new { s.Id, Days = s.RottingDays!.Value }).ToListAsync(ct);
        var o = Expression.Parameter(typeof(Opportunity), "o");
        Expression any = Expression.Constant(false);
        foreach (var group in stages.GroupBy(s => s.Days))
        {
            var ids = group.Select(s => s.Id).ToList();
            var threshold = now.AddDays(-group.Key);
            Expression<Func<Opportunity, bool>> rule = x =>
                ids.Contains(x.StageId) && x.StageEnteredAt < threshold && (x.LastActivityAt == null || x.LastActivityAt < threshold);
            any = Expression.OrElse(any, new Rebind(rule.Parameters[0], o).Visit(rule.Body));
        }

        Expression<Func<Opportunity, bool>> open = x => x.Status == OpportunityStatus.Open;
        return Expression.Lambda<Func<Opportunity, bool>>(Expression.AndAlso(new Rebind(open.Parameters[0], o).Visit(open.Body), any), o);
    }

    /// <summary>
    /// One page of the list, sorted with the id as tie-breaker, continuing after <paramref name="cursor"/> (or, for a
    /// backward cursor, the page before it: the same sort reversed, read from the cursor, then turned around).
    /// </summary>
    public static async Task<Page<OpportunityListItem>> ListAsync(
        KazanDbContext db, OpportunityFilter f, string? cursor, int limit, OrganizationTime time, CancellationToken ct)
    {
        var q = await FilterAsync(db, f, time, ct);
        var at = IsValidCursor(cursor, f.Sort) ? Cursor.Read(cursor) : null;
        var direction = at?.Backward == true ? f with { Descending = !f.Descending } : f;
        q = After(db, q, direction, at?.Values);
        q = direction.Sort switch
        {
            OpportunitySort.Amount => direction.Descending ? q.OrderByDescending(o => o.ForecastAmountBase).ThenByDescending(o => o.Id) : q.OrderBy(o => o.ForecastAmountBase).ThenBy(o => o.Id),
            OpportunitySort.Created => direction.Descending ? q.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id) : q.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id),
            _ => direction.Descending ? q.OrderByDescending(o => o.ExpectedCloseDate).ThenByDescending(o => o.Id) : q.OrderBy(o => o.ExpectedCloseDate).ThenBy(o => o.Id),
        };
        var rows = await Project(db, q.Take(limit + 1), time, ct);
        return Paging.ToPage(rows, limit, at, r => KeyOf(f.Sort, r));
    }

    /// <summary>How many opportunities match the filter, up to <see cref="Paging.CountCap"/> (a bounded count, never the whole table).</summary>
    public static async Task<BoundedCount> CountAsync(KazanDbContext db, OpportunityFilter f, OrganizationTime time, CancellationToken ct) =>
        await Paging.CountAsync((await FilterAsync(db, f, time, ct)).Select(o => o.Id), ct);

    /// <summary>True when <paramref name="cursor"/> is one this list returned for the same sort (either direction).</summary>
    public static bool IsValidCursor(string? cursor, OpportunitySort sort) =>
        cursor is null || (Cursor.Read(cursor) is { Values: [var s, var value, var id] } && s == sort.ToString() && Guid.TryParse(id, out _) && ParseKey(sort, value) is not null);

    private static object?[] KeyOf(OpportunitySort sort, OpportunityListItem r) => sort switch
    {
        OpportunitySort.Amount => [sort.ToString(), r.ForecastAmountBase, r.Id],
        OpportunitySort.Created => [sort.ToString(), r.CreatedAt.UtcTicks, r.Id],
        _ => [sort.ToString(), r.ExpectedCloseDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), r.Id],
    };

    private static object? ParseKey(OpportunitySort sort, string value) => sort switch
    {
        OpportunitySort.Amount => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) ? d : null,
        OpportunitySort.Created => long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t is >= 0 and <= 3_155_378_975_999_999_999
            ? new DateTimeOffset(t, TimeSpan.Zero) : null,
        _ => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null,
    };

    private static IQueryable<Opportunity> After(KazanDbContext db, IQueryable<Opportunity> q, OpportunityFilter f, string[]? cursor)
    {
        if (cursor is not [_, var value, var idText] || !Guid.TryParse(idText, out var id) || ParseKey(f.Sort, value) is not { } key)
        {
            return q;
        }

        return (f.Sort, key) switch
        {
            (OpportunitySort.Amount, decimal v) => q.After(db, o => o.ForecastAmountBase, v, id, f.Descending),
            (OpportunitySort.Created, DateTimeOffset v) => q.After(db, o => o.CreatedAt, v, id, f.Descending),
            (_, DateOnly v) => q.After(db, o => o.ExpectedCloseDate, v, id, f.Descending),
            _ => q,
        };
    }

    /// <summary>
    /// Rows for lists and board cards, keeping the order of <paramref name="ordered"/>: one query with the stage, owner and
    /// account names joined in. The account name is null when the caller may not see the account (a rep's deal on a
    /// colleague's account).
    /// </summary>
    public static async Task<List<OpportunityListItem>> Project(KazanDbContext db, IQueryable<Opportunity> ordered, OrganizationTime time, CancellationToken ct)
    {
        var rows = await ordered
            .Select(o => new Row
            {
                Id = o.Id,
                Title = o.Title,
                AccountId = o.AccountId,
                AccountName = db.Accounts.Where(a => a.Id == o.AccountId).Select(a => a.Name).FirstOrDefault(),
                OwnerId = o.OwnerId,
                OwnerName = db.Users.Where(u => u.Id == o.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                PipelineId = o.PipelineId,
                StageId = o.StageId,
                StageName = db.Stages.Where(s => s.Id == o.StageId).Select(s => s.Name).FirstOrDefault(),
                RottingDays = db.Stages.Where(s => s.Id == o.StageId).Select(s => s.RottingDays).FirstOrDefault(),
                Status = o.Status,
                ForecastAmount = o.ForecastAmount,
                Currency = o.Currency.Code,
                ForecastAmountBase = o.ForecastAmountBase,
                WeightedAmountBase = o.WeightedAmountBase,
                Probability = o.Probability,
                ExpectedCloseDate = o.ExpectedCloseDate,
                CreatedAt = o.CreatedAt,
                StageEnteredAt = o.StageEnteredAt,
                LastActivityAt = o.LastActivityAt,
                Version = o.Version,
            })
            .ToListAsync(ct);
        var (today, now) = (time.Today, time.Now);
        return rows.Select(r => new OpportunityListItem(
            r.Id, r.Title, r.AccountId, r.AccountName, r.OwnerId, r.OwnerName ?? "", r.PipelineId, r.StageId, r.StageName ?? "", r.Status,
            r.ForecastAmount, r.Currency, r.ForecastAmountBase, r.WeightedAmountBase, r.Probability, r.ExpectedCloseDate, r.CreatedAt,
            Opportunity.IsOverdueOn(r.Status, r.ExpectedCloseDate, today),
            Opportunity.IsRottingAt(r.Status, r.StageEnteredAt, r.LastActivityAt, r.RottingDays, now), r.Version)).ToList();
    }

    /// <summary>
    /// The pipeline, the owner's e-mail, the rate, the lost reason and the won/lost date of one batch of list rows,
    /// by id (the export's columns that the import needs to bring a deal back as it was).
    /// </summary>
    public static async Task<Dictionary<Guid, OpportunityExportDetails>> ExportDetailsAsync(KazanDbContext db, IReadOnlyList<OpportunityListItem> items, CancellationToken ct)
    {
        var ids = items.Select(i => i.Id).ToList();
        return await WithIds(db, ids).AsNoTracking()
            .Select(o => new OpportunityExportDetails(
                o.Id,
                db.Pipelines.Where(p => p.Id == o.PipelineId).Select(p => p.Name).FirstOrDefault(),
                db.Users.Where(u => u.Id == o.OwnerId).Select(u => u.Email).FirstOrDefault(),
                o.ExpectedAmount,
                o.Currency.Rate,
                db.LostReasons.Where(r => r.Id == o.LostReasonId).Select(r => r.Name).FirstOrDefault(),
                o.LostNote,
                o.ClosedOn,
                o.Source,
                o.ExternalId))
            .ToDictionaryAsync(d => d.Id, ct);
    }

    /// <summary>The name SQLite gives the index of the deals' primary key (a TEXT key: an automatic index).</summary>
    public static readonly string SqlitePrimaryKeyIndex = ByKey.SqlitePrimaryKeyIndex("Opportunities");

    /// <summary>The visible deals among <paramref name="ids"/>, each read by its primary key (<see cref="ByKey"/>).</summary>
    public static IQueryable<Opportunity> WithIds(KazanDbContext db, IReadOnlyCollection<Guid> ids) => db.Opportunities.WithIds(db, ids);

    /// <summary>Everything the opportunity page and GET show; null when missing or not visible to the caller.</summary>
    public static async Task<OpportunityResponse?> GetAsync(KazanDbContext db, Guid id, OrganizationTime time, CancellationToken ct)
    {
        // Two statements: the deal with its names and next activity, then its contacts. Every part is a lookup by key
        // or a probe of an index led by the deal's id. (A row-valued "first of each group" in one projection would
        // become a window over every activity of the organization, or a join on a subquery PostgreSQL hashes.)
        var found = await (
            from o in db.Opportunities.AsNoTracking().Where(x => x.Id == id)
            join s in db.Stages on o.StageId equals s.Id
            select new
            {
                Deal = o,
                Stage = new OpportunityStageRef(s.Id, s.Name, s.Position, s.Probability, s.RottingDays),
                Pipeline = db.Pipelines.Where(p => p.Id == o.PipelineId).Select(p => p.Name).FirstOrDefault(),
                Account = db.Accounts.Where(a => a.Id == o.AccountId).Select(a => a.Name).FirstOrDefault(),
                Owner = db.Users.Where(u => u.Id == o.OwnerId).Select(u => u.DisplayName).FirstOrDefault(),
                LostReason = db.LostReasons.Where(r => r.Id == o.LostReasonId).Select(r => r.Name).FirstOrDefault(),
                BaseCurrency = db.Organizations.Select(x => x.BaseCurrency).FirstOrDefault(),

                // The open activity with the earliest due date (undated ones last), among those the caller may see:
                // a probe of the (deal, done, due) index per field, which both databases answer without a scan.
                NextId = db.Activities.Where(a => a.OpportunityId == o.Id && !a.Done)
                    .OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.Id).Select(a => (Guid?)a.Id).FirstOrDefault(),
                NextKind = db.Activities.Where(a => a.OpportunityId == o.Id && !a.Done)
                    .OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.Id).Select(a => a.Kind).FirstOrDefault(),
                NextSubject = db.Activities.Where(a => a.OpportunityId == o.Id && !a.Done)
                    .OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.Id).Select(a => a.Subject).FirstOrDefault(),
                NextDueAt = db.Activities.Where(a => a.OpportunityId == o.Id && !a.Done)
                    .OrderBy(a => a.DueAt == null).ThenBy(a => a.DueAt).ThenBy(a => a.Id).Select(a => a.DueAt).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        var contacts = await db.OpportunityContacts.AsNoTracking().Where(c => c.OpportunityId == id)
            .Select(c => new OpportunityContactResponse(
                c.ContactId,
                db.Contacts.Where(x => x.Id == c.ContactId).Select(x => (x.FirstName + " " + x.LastName).Trim()).FirstOrDefault(),
                c.Role))
            .Take(200)
            .ToListAsync(ct);

        var d = found.Deal;
        return new OpportunityResponse(
            d.Id, d.Title, new NamedRef(d.AccountId, found.Account), new NamedRef(d.OwnerId, found.Owner), new NamedRef(d.PipelineId, found.Pipeline),
            found.Stage, d.Status, d.ExpectedAmount, d.QuotedAmount, d.OrderedAmount, d.DeliveredAmount, d.Currency.Code, d.Currency.Rate,
            d.ForecastSource, d.ForecastAmount, d.ForecastAmountBase, d.WeightedAmountBase, found.BaseCurrency ?? d.Currency.Code,
            d.Probability, d.ProbabilityOverride, d.StageProbability, d.ForecastCategory, d.ForecastCategoryOverride, d.ExpectedCloseDate, d.Source, d.NextStep,
            d.LostReasonId is { } lr ? new NamedRef(lr, found.LostReason) : null, d.LostNote, d.ClosedOn, d.CreatedAt, d.StageEnteredAt, d.LastActivityAt,
            d.IsOverdue(time.Today), d.IsRotting(found.Stage.RottingDays, time.Now),
            found.NextId is { } nextId ? new NextActivity(nextId, found.NextKind, found.NextSubject!, found.NextDueAt) : null, contacts, d.ExternalId, d.Version);
    }

    /// <summary>The history of a visible opportunity, oldest first, keyset paged on (At, Id).</summary>
    public static async Task<Page<OpportunityEventResponse>> HistoryAsync(KazanDbContext db, Guid opportunityId, string? cursor, int limit, CancellationToken ct)
    {
        var q = db.OpportunityEvents.AsNoTracking().Where(e => e.OpportunityId == opportunityId);
        if (Cursor.Decode(cursor) is [var ticksText, var idText] && long.TryParse(ticksText, NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && Guid.TryParse(idText, out var after))
        {
            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            q = q.After(db, e => e.At, at, after);
        }

        var rows = await q.OrderBy(e => e.At).ThenBy(e => e.Id).Take(limit + 1)
            .Select(e => new OpportunityEventResponse(
                e.Id, e.Kind, e.At,
                new NamedRef(e.UserId, db.Users.Where(u => u.Id == e.UserId).Select(u => u.DisplayName).FirstOrDefault()),
                e.FromStageId == null ? null : new NamedRef(e.FromStageId.Value, db.Stages.Where(s => s.Id == e.FromStageId).Select(s => s.Name).FirstOrDefault()),
                e.ToStageId == null ? null : new NamedRef(e.ToStageId.Value, db.Stages.Where(s => s.Id == e.ToStageId).Select(s => s.Name).FirstOrDefault()),
                e.FromStatus, e.ToStatus,
                e.FromOwnerId == null ? null : new NamedRef(e.FromOwnerId.Value, db.Users.Where(u => u.Id == e.FromOwnerId).Select(u => u.DisplayName).FirstOrDefault()),
                e.ToOwnerId == null ? null : new NamedRef(e.ToOwnerId.Value, db.Users.Where(u => u.Id == e.ToOwnerId).Select(u => u.DisplayName).FirstOrDefault()),
                e.LostReasonId == null ? null : new NamedRef(e.LostReasonId.Value, db.LostReasons.Where(r => r.Id == e.LostReasonId).Select(r => r.Name).FirstOrDefault()),
                e.Note, e.State.ForecastAmount, e.State.Currency.Code, e.State.Probability, e.State.ForecastCategory, e.State.ExpectedCloseDate, e.State.ExpectedAmount))
            .ToListAsync(ct);
        return Paging.ToPage(rows, limit, r => Cursor.Encode(r.At.UtcTicks, r.Id));
    }

    /// <summary>
    /// Funnel rule (DOMAIN.md): an opportunity has reached every stage up to the furthest one it was ever in. This is
    /// that furthest position per opportunity, by the stages' current positions in the opportunity's pipeline (history
    /// rows of removed stages or of another pipeline do not count).
    /// </summary>
    public static IQueryable<ReachedStage> Reached(KazanDbContext db) =>
        from e in db.OpportunityEvents
        join o in db.Opportunities on e.OpportunityId equals o.Id
        join s in db.Stages on e.ToStageId equals (Guid?)s.Id
        where s.PipelineId == o.PipelineId
        group s.Position by e.OpportunityId into g
        select new ReachedStage { OpportunityId = g.Key, Position = g.Max() };

    /// <summary>The furthest stage position <paramref name="opportunityId"/> ever entered, or null if it is not visible.</summary>
    public static async Task<int?> ReachedAsync(KazanDbContext db, Guid opportunityId, CancellationToken ct) =>
        await Reached(db).Where(r => r.OpportunityId == opportunityId).Select(r => (int?)r.Position).FirstOrDefaultAsync(ct);

    private sealed class Row
    {
        public Guid Id { get; init; }
        public string Title { get; init; } = "";
        public Guid AccountId { get; init; }
        public string? AccountName { get; init; }
        public Guid OwnerId { get; init; }
        public string? OwnerName { get; init; }
        public Guid PipelineId { get; init; }
        public Guid StageId { get; init; }
        public string? StageName { get; init; }
        public int? RottingDays { get; init; }
        public OpportunityStatus Status { get; init; }
        public decimal ForecastAmount { get; init; }
        public string Currency { get; init; } = "";
        public decimal ForecastAmountBase { get; init; }
        public decimal WeightedAmountBase { get; init; }
        public int Probability { get; init; }
        public DateOnly ExpectedCloseDate { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset StageEnteredAt { get; init; }
        public DateTimeOffset? LastActivityAt { get; init; }
        public int Version { get; init; }
    }

    private sealed class Rebind(ParameterExpression from, ParameterExpression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}

/// <summary>The furthest stage position an opportunity ever entered (a class with setters, so queries compose on it).</summary>
public sealed class ReachedStage
{
    public Guid OpportunityId { get; init; }
    public int Position { get; init; }
}
