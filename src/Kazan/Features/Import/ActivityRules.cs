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
/// deal (its rotting clock) in the same save. Activities have no key: a file imported twice adds its rows twice.
/// </summary>
internal sealed class ActivityRules(ImportContext c) : ImportRules<Activity>(c)
{
    private List<AccountRef> _accounts = [];
    private List<ContactRef> _contacts = [];
    private List<DealRef> _deals = [];
    private Dictionary<Guid, Opportunity> _tracked = [];
    private TimeZoneInfo _zone = OrganizationTime.DefaultZone;
    private bool _zoneRead;

    private sealed record ContactRef(Guid Id, Guid AccountId, string Email);

    private sealed record DealRef(Guid Id, Guid AccountId, string Title, Guid OwnerId);

    /// <summary>The field a refused row is named by (there is no matching key: every row is a new activity).</summary>
    public override string KeyField => "subject";

    protected override string? ReadKey(ImportRow row) => null;

    protected override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        _accounts = await AccountsAsync(rows, ct);
        var emails = rows.Select(r => r.Text("contact")).OfType<string>().SelectMany(e => new[] { e, e.ToLowerInvariant() }).Distinct().ToList();
        _contacts = emails.Count == 0 ? [] : await C.Db.Contacts.AsNoTracking().Where(x => emails.Contains(x.Email!))
            .Select(x => new ContactRef(x.Id, x.AccountId, x.Email!)).ToListAsync(ct);
        var accountIds = _accounts.Select(a => a.Id).ToList();
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

    protected override Task<ILookup<string, Activity>> FindAsync(IReadOnlyList<string> keys, CancellationToken ct) =>
        Task.FromResult(Array.Empty<Activity>().ToLookup(_ => ""));

    /// <summary>Never reached: without a key no row meets an existing activity (and the mapping allows only "create").</summary>
    protected override Action? Update(ImportRow row, Activity existing) => null;

    protected override Func<Activity>? Create(ImportRow row)
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

        if (row.Failed)
        {
            return null;
        }

        return () =>
        {
            var ownerId = owner ?? deal?.OwnerId ?? account!.OwnerId;
            Activity activity;
            if (logged)
            {
                activity = Activity.Logged(C.Me.RequiredOrganizationId, ownerId, kind, subject!, account!.Id, deal?.Id, at, null, row.Text("notes"), C.Now);
            }
            else
            {
                activity = new Activity(C.Me.RequiredOrganizationId, ownerId, kind, subject!, account!.Id, deal?.Id, due, C.Now);
                activity.WriteNotes(row.Text("notes"));
            }

            activity.SetContacts(contact is null ? [] : [contact.Id]);
            if (deal is not null && _tracked.TryGetValue(deal.Id, out var touched))
            {
                touched.TouchActivity(C.Now);
            }

            return activity;
        };
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
        switch (TurkishText.Fold(row.Text("kind")))
        {
            case "" or "task" or "to do" or "todo" or "gorev" or "is" or "yapilacak" or "yapilacak is":
                return ActivityKind.Task;
            case "call" or "phone" or "phone call" or "arama" or "telefon" or "telefon gorusmesi" or "tel":
                return ActivityKind.Call;
            case "meeting" or "visit" or "toplanti" or "gorusme" or "ziyaret" or "randevu" or "musteri ziyareti":
                return ActivityKind.Meeting;
            case "note" or "not":
                return ActivityKind.Note;
            default:
                row.Fail("kind", Text("Import.Error.ActivityKind", row.Text("kind")), "import.kind");
                return ActivityKind.Task;
        }
    }

    /// <summary>Not done when the row does not say: yes/no, evet/hayır, 1/0, x, done/open in Turkish or English; null when the cell is empty.</summary>
    private bool? Done(ImportRow row)
    {
        switch (TurkishText.Fold(row.Text("done")))
        {
            case "":
                return null;
            case "yes" or "y" or "true" or "1" or "x" or "done" or "completed" or "evet" or "e" or "yapildi" or "tamamlandi" or "tamam" or "bitti":
                return true;
            case "no" or "n" or "false" or "0" or "-" or "open" or "planned" or "hayir" or "h" or "yapilmadi" or "acik" or "planlandi" or "bekliyor":
                return false;
            default:
                row.Fail("done", Text("Import.Error.Done", row.Text("done")), "import.done");
                return null;
        }
    }

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
