using Kazan.Features.Activities;
using Kazan.Features.Opportunities;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Text;
using Kazan.Infrastructure.Time;
using Microsoft.EntityFrameworkCore;

namespace Kazan.Features.Import;

/// <summary>
/// Activities come in as new activities only (the mapping refuses the modes that update), each on its account (by
/// VKN/TCKN or name, as for contacts and deals), optionally with one contact of that account (by e-mail) and one of its
/// deals (by title, compared folded like the deals' key). A done row is logged as the API logs one
/// (<see cref="Activity.Logged"/>: done at its done date, else its due time, never in the future); an open one is
/// planned at its due day and time in the organization's time zone. Like the API's create, a row on a deal touches the
/// deal (its rotting clock) in the same save.
/// The key is the subject with the account and the row's moment — its done time when it is done, else its due time
/// (none for an open row without a date): a row whose account already has an activity of that subject (compared
/// folded) due at that moment (to the minute) — or, for a done row, done at it — fails, as does one repeating a row of the file; so a
/// file imported twice does not double its activities. A done row or a note without any date is logged at the
/// import's time and has no key.
/// </summary>
internal sealed class ActivityRules(ImportContext c) : ImportRules<Activity>(c)
{
    private NamedAccounts _accounts = NamedAccounts.None;
    private List<ContactRef> _contacts = [];
    private List<DealRef> _deals = [];
    private Dictionary<Guid, Opportunity> _tracked = [];
    private IReadOnlyList<ImportRow> _rows = [];
    private readonly Dictionary<ImportRow, Plan?> _plans = [];
    private TimeZoneInfo _zone = OrganizationTime.DefaultZone;
    private bool _zoneRead;

    private sealed record ContactRef(Guid Id, Guid AccountId, string Email);

    private sealed record DealRef(Guid Id, Guid AccountId, string Title, Guid OwnerId);

    /// <summary>A row read and checked: what its activity will be. <see cref="Moment"/> is what the key compares.</summary>
    private sealed record Plan(
        string Subject, ActivityKind Kind, AccountRef Account, DealRef? Deal, ContactRef? Contact, Guid? Owner, bool Logged, DateTimeOffset? Due, DateTimeOffset At)
    {
        public DateTimeOffset? Moment => Logged ? At : Due;
    }

    protected override string OwnKeyField => "subject";

    /// <summary>
    /// The subject with the account and the moment, as written: "Arama (Ilgaz Un A.Ş., 15.01.2027 14:30)"; without a
    /// date "Arama (Ilgaz Un A.Ş.)" for an open row, and no key for a done one (it is logged at the import's time).
    /// </summary>
    protected override string? ReadKey(ImportRow row)
    {
        if (row.Text("subject") is not { } subject || row.Text("account") is not { } account)
        {
            return null;
        }

        var done = DoneWord(TurkishText.Fold(row.Text("done")));
        var due = string.Join(' ', new[] { row.Text("dueDate"), row.Text("dueTime") }.OfType<string>());
        var when = done is false ? due : row.Text("doneDate") ?? due;
        if (when.Length > 0)
        {
            return $"{subject} ({account}, {when})";
        }

        var logged = done is true || KindWord(TurkishText.Fold(row.Text("kind"))) == ActivityKind.Note;
        return logged ? null : $"{subject} ({account})";
    }

    protected override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        _rows = rows;
        _plans.Clear();
        _accounts = await AccountsAsync(rows, ct);
        var emails = rows.Select(r => r.Text("contact")).OfType<string>().SelectMany(e => new[] { e, e.ToLowerInvariant() }).Distinct().ToList();
        _contacts = emails.Count == 0 ? [] : await C.Db.Contacts.AsNoTracking().Where(x => emails.Contains(x.Email!))
            .Select(x => new ContactRef(x.Id, x.AccountId, x.Email!)).ToListAsync(ct);
        var accountIds = _accounts.Found.Select(a => a.Id).ToList();
        _deals = accountIds.Count == 0 || rows.All(r => r.Text("opportunity") is null) ? [] : await C.Db.Opportunities.AsNoTracking()
            .Where(o => accountIds.Contains(o.AccountId)).Select(o => new DealRef(o.Id, o.AccountId, o.Title, o.OwnerId)).ToListAsync(ct);
        if (!_zoneRead)
        {
            var zone = await C.Db.Organizations.Select(o => o.TimeZone).FirstAsync(ct);
            _zone = OrganizationTime.Find(zone) ?? OrganizationTime.DefaultZone;
            _zoneRead = true;
        }

        // The deals the rows name, tracked: an activity on a deal touches it in the same save (as the API's create does).
        var named = rows.Where(r => r.Text("opportunity") is not null).Select(r => TurkishText.Fold(r.Text("opportunity"))).ToHashSet();
        var ids = _deals.Where(d => named.Contains(TurkishText.Fold(d.Title))).Select(d => d.Id).ToList();
        _tracked = ids.Count == 0 ? [] : await C.Db.Opportunities.Where(o => ids.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
    }

    /// <summary>
    /// The activities the rows' accounts already have under the rows' subjects (compared folded) at the rows' moments,
    /// by the rows' keys: read among the accounts' activities due or done between the batch's first and last moment
    /// (and those without a due time, when a row has none).
    /// </summary>
    protected override async Task<ILookup<string, Activity>> FindAsync(IReadOnlyList<string> keys, CancellationToken ct)
    {
        var rows = _rows.Select(r => (Key: KeyOf(r), Plan: PlanOf(r))).Where(r => r.Key is not null && r.Plan is not null).ToList();
        if (rows.Count == 0)
        {
            return Array.Empty<Activity>().ToLookup(_ => "");
        }

        var ids = rows.Select(r => r.Plan!.Account.Id).Distinct().ToList();
        var moments = rows.Select(r => r.Plan!.Moment).OfType<DateTimeOffset>().ToList();
        var undated = moments.Count < rows.Count;
        var query = C.Db.Activities.AsNoTracking().Where(a => ids.Contains(a.AccountId));
        if (moments.Count > 0)
        {
            // In UTC (PostgreSQL takes no other offset), from the first moment's minute to the end of the last one's.
            var (first, last) = (Minute(moments.Min())!.Value, Minute(moments.Max())!.Value.AddMinutes(1));
            query = undated
                ? query.Where(a => (a.DueAt >= first && a.DueAt < last) || (a.DoneAt >= first && a.DoneAt < last) || a.DueAt == null)
                : query.Where(a => (a.DueAt >= first && a.DueAt < last) || (a.DoneAt >= first && a.DoneAt < last));
        }
        else
        {
            query = query.Where(a => a.DueAt == null);
        }

        var existing = await query.ToListAsync(ct);

        // One activity per key is enough to refuse the row (two alike are not "ambiguous" for a create).
        return rows.Select(r => (r.Key, Match: existing.FirstOrDefault(a => Same(a, r.Plan!)))).Where(r => r.Match is not null)
            .DistinctBy(r => r.Key).ToLookup(r => r.Key!, r => r.Match!);
    }

    /// <summary>
    /// Whether an existing activity is the one a row describes: same account, subject (folded) and moment, to the minute
    /// (a file writes minutes: an activity logged at 14:30:25 is the row's "14:30").
    /// </summary>
    private static bool Same(Activity a, Plan plan) =>
        a.AccountId == plan.Account.Id && TurkishText.Fold(a.Subject) == TurkishText.Fold(plan.Subject)
        && (Minute(a.DueAt) == Minute(plan.Moment) || (plan.Logged && Minute(a.DoneAt) == Minute(plan.Moment)));

    private static DateTimeOffset? Minute(DateTimeOffset? at) =>
        at is { } t ? new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMinute), TimeSpan.Zero) : null;

    protected override string KeyExists(string? key) => Text("Import.Error.ActivityExists", key);

    /// <summary>An activity found by its key is never changed (the mapping allows only "create" for activities): the row fails.</summary>
    protected override Action? Update(ImportRow row, Activity existing)
    {
        row.Fail(KeyField, KeyExists(KeyOf(row)), "import.key-exists");
        return null;
    }

    protected override Func<Activity>? Create(ImportRow row)
    {
        if (PlanOf(row) is not { } plan)
        {
            return null;
        }

        return () =>
        {
            var ownerId = plan.Owner ?? plan.Deal?.OwnerId ?? plan.Account.OwnerId;
            Activity activity;
            if (plan.Logged)
            {
                activity = Activity.Logged(C.Me.RequiredOrganizationId, ownerId, plan.Kind, plan.Subject, plan.Account.Id, plan.Deal?.Id, plan.At, null, row.Text("notes"), C.Now);
            }
            else
            {
                activity = new Activity(C.Me.RequiredOrganizationId, ownerId, plan.Kind, plan.Subject, plan.Account.Id, plan.Deal?.Id, plan.Due, C.Now);
                activity.WriteNotes(row.Text("notes"));
            }

            activity.SetContacts(plan.Contact is null ? [] : [plan.Contact.Id]);
            if (plan.Deal is not null && _tracked.TryGetValue(plan.Deal.Id, out var touched))
            {
                touched.TouchActivity(C.Now);
            }

            return activity;
        };
    }

    /// <summary>The row read and checked once (for the key's lookup, then for its activity); null when it failed.</summary>
    private Plan? PlanOf(ImportRow row)
    {
        if (!_plans.TryGetValue(row, out var plan))
        {
            plan = Read(row);
            _plans[row] = plan;
        }

        return plan;
    }

    private Plan? Read(ImportRow row)
    {
        var subject = row.Text("subject");
        if (subject is null)
        {
            row.Fail("subject", Text("Import.Error.Required", L["Import.Field.Activities.subject"].Value), "import.required");
        }

        var kind = Kind(row);
        var account = Account(row, _accounts, "activity", "Import.Error.ActivityAccountRequired");
        var deal = account is null ? null : Deal(row, account);
        var contact = account is null ? null : Contact(row, account);
        var owner = Owner(row);
        var due = Due(row);
        var done = Done(row);
        var doneDay = row.Moment("doneDate");
        DateTimeOffset? doneAt = doneDay.Day is { } d ? OrganizationTime.At(_zone, d, doneDay.Time ?? TimeOnly.MinValue) : null;
        var logged = done ?? doneAt is not null;
        var at = doneAt ?? due ?? C.Now;
        if (logged && kind != ActivityKind.Note && at > C.Now.AddMinutes(5))
        {
            row.Fail(doneAt is not null ? "doneDate" : "dueDate", Text("Rule.activity.logged-in-future"), "activity.logged-in-future");
        }

        return row.Failed ? null : new Plan(subject!, kind, account!, deal, contact, owner, logged, due, at);
    }

    /// <summary>The entity's refusals land in their column.</summary>
    protected override string? FieldOf(DomainRuleException rule) => rule.Code switch
    {
        "activity.subject" => "subject",
        "activity.notes" => "notes",
        "activity.logged-in-future" => "dueDate",
        _ => null,
    };

    /// <summary>A task when the row does not say; the Turkish and English words for task, call, meeting and note.</summary>
    private ActivityKind Kind(ImportRow row)
    {
        if (KindWord(TurkishText.Fold(row.Text("kind"))) is { } kind)
        {
            return kind;
        }

        row.Fail("kind", Text("Import.Error.ActivityKind", row.Text("kind")), "import.kind");
        return ActivityKind.Task;
    }

    /// <summary>The kind a folded word names (empty: a task); null for a word that names none.</summary>
    private static ActivityKind? KindWord(string folded) => folded switch
    {
        "" or "task" or "to do" or "todo" or "gorev" or "is" or "yapilacak" or "yapilacak is" => ActivityKind.Task,
        "call" or "phone" or "phone call" or "arama" or "telefon" or "telefon gorusmesi" or "tel" => ActivityKind.Call,
        "meeting" or "visit" or "toplanti" or "gorusme" or "ziyaret" or "randevu" or "musteri ziyareti" => ActivityKind.Meeting,
        "note" or "not" => ActivityKind.Note,
        _ => null,
    };

    /// <summary>Not done when the row does not say: yes/no, evet/hayır, 1/0, x, done/open in Turkish or English; null when the cell is empty.</summary>
    private bool? Done(ImportRow row)
    {
        var folded = TurkishText.Fold(row.Text("done"));
        if (folded.Length == 0)
        {
            return null;
        }

        if (DoneWord(folded) is { } done)
        {
            return done;
        }

        row.Fail("done", Text("Import.Error.Done", row.Text("done")), "import.done");
        return null;
    }

    /// <summary>Whether a folded word says done (true) or not done (false); null for an empty cell or a word that says neither.</summary>
    private static bool? DoneWord(string folded) => folded switch
    {
        "yes" or "y" or "true" or "1" or "x" or "done" or "completed" or "evet" or "e" or "yapildi" or "tamamlandi" or "tamam" or "bitti" => true,
        "no" or "n" or "false" or "0" or "-" or "open" or "planned" or "hayir" or "h" or "yapilmadi" or "acik" or "planlandi" or "bekliyor" => false,
        _ => null,
    };

    /// <summary>The due day and time (from the date cell or the time column) in the organization's time zone; a time without a day fails the row.</summary>
    private DateTimeOffset? Due(ImportRow row)
    {
        var (day, time) = row.Moment("dueDate");
        var separate = row.Time("dueTime");
        if (day is null)
        {
            if (separate is not null && row.Text("dueDate") is null)
            {
                row.Fail("dueDate", Text("Import.Error.Required", L["Import.Field.Activities.dueDate"].Value), "import.required");
            }

            return null;
        }

        return OrganizationTime.At(_zone, day.Value, separate ?? time ?? TimeOnly.MinValue);
    }

    /// <summary>The deal the row names among its account's (by title, compared folded); null when it names none or fails.</summary>
    private DealRef? Deal(ImportRow row, AccountRef account)
    {
        if (row.Text("opportunity") is not { } named)
        {
            return null;
        }

        var title = TurkishText.Fold(named);
        var matches = _deals.Where(d => d.AccountId == account.Id && TurkishText.Fold(d.Title) == title).ToList();
        switch (matches.Count)
        {
            case 1:
                return matches[0];
            case 0:
                row.Fail("opportunity", Text("Import.Error.ActivityDealUnknown", named, row.Text("account")), "activity.opportunity-not-found");
                return null;
            default:
                row.Fail("opportunity", Text("Import.Error.ActivityDealAmbiguous", named, row.Text("account")), "activity.opportunity-ambiguous");
                return null;
        }
    }

    /// <summary>The contact the row names by e-mail (case ignored), who must be a person of the row's account.</summary>
    private ContactRef? Contact(ImportRow row, AccountRef account)
    {
        if (row.Text("contact") is not { } email)
        {
            return null;
        }

        var matches = _contacts.Where(x => string.Equals(x.Email, email, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count == 0)
        {
            row.Fail("contact", Text("Import.Error.ContactUnknown", email), "activity.contact-not-found");
            return null;
        }

        if (matches.FirstOrDefault(x => x.AccountId == account.Id) is { } ours)
        {
            return ours;
        }

        row.Fail("contact", Text("Import.Error.ContactOfOtherAccount", email, row.Text("account")), "activity.contact-of-other-account");
        return null;
    }
}
