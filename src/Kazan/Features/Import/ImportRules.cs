using System.Globalization;
using Kazan.Features.Accounts;
using Kazan.Features.Contacts;
using Kazan.Features.Products;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Import;

/// <summary>
/// What a run shares with every batch: the database, who imports, when, how rows meet records, and the users by e-mail.
/// <paramref name="ByExternalId"/>: a column goes to the external id, so rows meet records by it instead of the target's own key.
/// </summary>
public sealed record ImportContext(
    KazanDbContext Db, CurrentUser Me, DateTimeOffset Now, ImportMode Mode, IStringLocalizer L,
    IReadOnlyDictionary<string, Guid> ActiveUsersByEmail, string BaseCurrency, bool ByExternalId = false)
{
    /// <summary>Whether a mapping matches rows on the external id: it maps a column to it.</summary>
    public static bool MatchesOnExternalId(IEnumerable<string?> mapping) => mapping.Contains(ExternalIds.Field);
}

/// <summary>
/// How the rows of one target become records. A batch is checked with the same rules the API applies — each
/// command's field checks, then the entity's own verbs — and the rows that pass are added or changed on the
/// DbContext, so saving the batch writes them with their audit entries and search words like any other change.
/// A row that fails leaves nothing tracked.
/// </summary>
public abstract class ImportRules(ImportContext c)
{
    protected ImportContext C => c;

    protected IStringLocalizer L => c.L;

    public static ImportRules For(ImportTarget target, ImportContext context) => target switch
    {
        ImportTarget.Accounts => new AccountRules(context),
        ImportTarget.Contacts => new ContactRules(context),
        ImportTarget.Opportunities => new OpportunityRules(context),
        ImportTarget.Activities => new ActivityRules(context),
        _ => new ProductRules(context),
    };

    /// <summary>The field rows are matched on: the external id when the file has it, else the target's own key.</summary>
    public string KeyField => c.ByExternalId ? ExternalIds.Field : OwnKeyField;

    /// <summary>The target's own key (VKN/TCKN, e-mail, product code, deal title, activity subject).</summary>
    protected abstract string OwnKeyField { get; }

    /// <summary>The row's key as compared (normalized); null when the row has none. Read once per row.</summary>
    public string? KeyOf(ImportRow row) => row.Key(c.ByExternalId ? ExternalIdOf : ReadKey);

    /// <summary>
    /// The form in which the in-file check compares keys (two rows with the same form repeat each other): an external id
    /// as <see cref="ExternalIds.Normalize"/> gives it — case-sensitive, as the database's unique index and the lookup
    /// compare it —, a target's own key (e-mail, VKN/TCKN, code, title) ignoring case.
    /// </summary>
    public string RepeatForm(string key) => c.ByExternalId ? key : key.ToUpperInvariant();

    /// <summary>The row's external id, normalized the one way it is stored and looked up.</summary>
    protected static string? ExternalIdOf(ImportRow row) => ExternalIds.Normalize(row.Text(ExternalIds.Field));

    /// <summary>How the target reads a row's key (see <see cref="KeyOf"/>).</summary>
    protected abstract string? ReadKey(ImportRow row);

    /// <summary>Checks the rows and adds or changes their records on the DbContext; answers how many were created and updated.</summary>
    public abstract Task<(int Created, int Updated)> ApplyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct);

    /// <summary>
    /// Whether the row goes on, by the mode and the records found with its key: <paramref name="existing"/> is the one
    /// record found (updated), null to create one; false when the row fails (the reason is on it).
    /// </summary>
    protected bool Decide<T>(ImportRow row, string? key, List<T> found, out T? existing, string? foundBy = null, string? foundKey = null)
        where T : class
    {
        existing = null;
        if (found.Count > 1)
        {
            row.Fail(foundBy ?? KeyField, Text("Import.Error.KeyAmbiguous", foundKey ?? key), "import.key-ambiguous");
            return false;
        }

        var match = found.FirstOrDefault();
        switch (c.Mode)
        {
            case ImportMode.Create when match is not null:
                row.Fail(KeyField, KeyExists(key), "import.key-exists");
                return false;
            case ImportMode.Update when key is null:
                row.Fail(KeyField, Text("Import.Error.KeyRequired"), "import.key-required");
                return false;
            case ImportMode.Update when match is null:
                row.Fail(KeyField, Text("Import.Error.KeyNotFound", key), "import.key-not-found");
                return false;
            default:
                existing = match;
                return true;
        }
    }

    /// <summary>Why a row whose key is taken fails under "create".</summary>
    protected virtual string KeyExists(string? key) => Text("Import.Error.KeyExists", key);

    /// <summary>The field an entity's refusal is about (its column gets the message); null for the row as a whole.</summary>
    protected virtual string? FieldOf(DomainRuleException rule) => null;

    /// <summary>The owner named in the row by e-mail (an active user); null when the row names none or names an unknown one (then it fails).</summary>
    protected Guid? Owner(ImportRow row)
    {
        if (row.Text("owner") is not { } email)
        {
            return null;
        }

        if (c.ActiveUsersByEmail.TryGetValue(email.ToUpperInvariant(), out var id))
        {
            return id;
        }

        row.Fail("owner", Text("Import.Error.OwnerUnknown", email), "import.owner-unknown");
        return null;
    }

    /// <summary>Runs an entity's verbs; a rule they refuse fails the row, and a record changed half-way is let go unsaved.</summary>
    protected bool Try(ImportRow row, object? existing, Action change)
    {
        try
        {
            change();
            return true;
        }
        catch (DomainRuleException rule)
        {
            row.Fail(rule, FieldOf(rule));
            if (existing is not null)
            {
                c.Db.Entry(existing).State = EntityState.Detached;
            }

            return false;
        }
    }

    protected sealed record AccountRef(Guid Id, Guid OwnerId, string? TaxNumber, string NameKey, bool IsArchived);

    /// <summary>The accounts the batch's rows name, by tax number (digits) or by name (compared as the duplicate check does).</summary>
    protected async Task<NamedAccounts> AccountsAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var named = rows.Select(r => r.Text("account")).OfType<string>().ToList();
        var taxes = named.Select(TaxNumber.Normalize).OfType<string>().Where(n => n.All(char.IsAsciiDigit)).Distinct().ToList();
        var names = named.Select(Kazan.Features.Accounts.Account.KeyOf).Distinct().ToList();
        return new NamedAccounts(await C.Db.Accounts.AsNoTracking()
            .Where(a => taxes.Contains(a.TaxNumber!) || names.Contains(a.NameKey))
            .Select(a => new AccountRef(a.Id, a.OwnerId, a.TaxNumber, a.NameKey, a.IsArchived))
            .ToListAsync(ct));
    }

    /// <summary>
    /// The accounts a batch names, by VKN/TCKN and by name key: a row's account is looked up, not searched for among
    /// all of them (a batch names ~1 000 accounts; going through them for each of its 1 000 rows was a million
    /// comparisons a batch, and on the name side a Turkish folding of the cell for each one).
    /// </summary>
    protected sealed class NamedAccounts(List<AccountRef> found)
    {
        private readonly ILookup<string, AccountRef> _byTaxNumber = found.Where(a => a.TaxNumber is not null).ToLookup(a => a.TaxNumber!, StringComparer.Ordinal);
        private readonly ILookup<string, AccountRef> _byNameKey = found.ToLookup(a => a.NameKey, StringComparer.Ordinal);

        public static NamedAccounts None { get; } = new([]);

        /// <summary>Every account found for the batch.</summary>
        public IReadOnlyList<AccountRef> Found => found;

        /// <summary>The accounts a cell names: by VKN/TCKN when it is digits (spaces ignored), else by name (compared as the duplicate check does).</summary>
        public List<AccountRef> Named(string named)
        {
            var tax = TaxNumber.Normalize(named)!;
            return tax.All(char.IsAsciiDigit) ? [.. _byTaxNumber[tax]] : [.. _byNameKey[Kazan.Features.Accounts.Account.KeyOf(named)]];
        }
    }

    /// <summary>
    /// The account a new record (a contact, a deal) joins: one, not archived, named by its VKN/TCKN or its name.
    /// <paramref name="subject"/> names the record in the codes ($"{subject}.account-unknown"); <paramref name="required"/>
    /// is the message key when the row names none.
    /// </summary>
    protected AccountRef? Account(ImportRow row, NamedAccounts accounts, string subject, string required)
    {
        if (row.Text("account") is not { } named)
        {
            row.Fail("account", Text(required), "import.account-required");
            return null;
        }

        var matches = accounts.Named(named);
        switch (matches.Count)
        {
            case 0:
                row.Fail("account", Text("Import.Error.AccountUnknown", named), $"{subject}.account-unknown");
                return null;
            case > 1:
                row.Fail("account", Text("Import.Error.AccountAmbiguous", named), "import.account-ambiguous");
                return null;
            case 1 when matches[0].IsArchived:
                row.Fail("account", Text("Import.Error.AccountArchived", named), $"{subject}.account-archived");
                return null;
            default:
                return matches[0];
        }
    }

    /// <summary>Whether the row is still good after its lookups and the command's check; a refusal fails it.</summary>
    protected static bool Passes(ImportRow row, Func<Failure?> check)
    {
        if (row.Failed)
        {
            return false;
        }

        if (check() is { } invalid)
        {
            row.Fail(invalid);
            return false;
        }

        return true;
    }

    protected string Text(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, L[key].Value, args);

    protected static List<T> Found<T>(ILookup<string, T> byKey, string? key) => key is null ? [] : byKey[key].ToList();
}

/// <summary>
/// The one shape of a batch: the records the rows' keys name are found, the lookups the rows need are made, then each
/// row is matched (<see cref="ImportRules.Decide"/>) and either changes the record found or makes a new one. A target
/// says only what differs: how records are found, what a row changes and what it makes.
/// </summary>
public abstract class ImportRules<T>(ImportContext c) : ImportRules(c)
    where T : class
{
    /// <summary>Whether a row without a key fails whatever the mode (a product has no other identity than its code).</summary>
    protected virtual bool KeyRequired => false;

    /// <summary>The records with the batch's keys, by key as <see cref="ImportRules.KeyOf"/> gives it.</summary>
    protected abstract Task<ILookup<string, T>> FindAsync(IReadOnlyList<string> keys, CancellationToken ct);

    /// <summary>Loads what the rows name besides their key (accounts, pipelines…), once per batch, before <see cref="FindAsync"/>.</summary>
    protected virtual Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The records (tracked, to be changed) whose external id is one of the batch's keys; compared as written.</summary>
    protected virtual async Task<ILookup<string, T>> FindByExternalIdAsync(IReadOnlyList<string> keys, CancellationToken ct) =>
        (await C.Db.Set<T>().Where(r => keys.Contains(EF.Property<string>(r, nameof(IHasExternalId.ExternalId)))).ToListAsync(ct))
            .ToLookup(r => ((IHasExternalId)r).ExternalId!, ExternalIds.Comparer);

    /// <summary>
    /// Matching on the external id, the records (tracked, to be changed) the <paramref name="rows"/> whose external id no
    /// record has name by the target's own key, by that key as <see cref="ImportRules.ReadKey"/> gives it: such a record
    /// takes the row's external id when it has none. By default the target's <see cref="FindAsync"/>.
    /// </summary>
    protected virtual Task<ILookup<string, T>> FindByOwnKeyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct) =>
        FindAsync(rows.Select(ReadKey).OfType<string>().Distinct().ToList(), ct);

    /// <summary>Told the records the batch's rows may change (found by external id or own key), before any row is applied.</summary>
    protected virtual Task FoundAsync(IReadOnlyList<T> records, CancellationToken ct) => Task.CompletedTask;

    /// <summary>The row's checked change to <paramref name="existing"/> (run through the entity's verbs); null when the row failed.</summary>
    protected abstract Action? Update(ImportRow row, T existing);

    /// <summary>How the row's checked new record is made (through the entity's constructor and verbs); null when the row failed.</summary>
    protected abstract Func<T>? Create(ImportRow row);

    public sealed override async Task<(int Created, int Updated)> ApplyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        await PrepareAsync(rows, ct);
        var keys = rows.Select(KeyOf).OfType<string>().Distinct().ToList();
        var byKey = C.ByExternalId ? await FindByExternalIdAsync(keys, ct) : await FindAsync(keys, ct);

        // Matching on the external id, a row whose id no record has meets a record by the target's own key (not under
        // "create", which only makes records): that record takes the id when it has none.
        var unmatched = C.ByExternalId && C.Mode != ImportMode.Create
            ? rows.Where(r => KeyOf(r) is { } k && !byKey.Contains(k) && ReadKey(r) is not null).ToList()
            : [];
        var byOwnKey = unmatched.Count > 0 ? await FindByOwnKeyAsync(unmatched, ct) : null;
        if (C.ByExternalId)
        {
            await FoundAsync([.. byKey.SelectMany(g => g).Concat(byOwnKey?.SelectMany(g => g) ?? []).Distinct()], ct);
        }

        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            var key = KeyOf(row);
            if (key is null && KeyRequired && !C.ByExternalId)
            {
                row.Fail(KeyField, Text("Import.Error.KeyRequired"), "import.key-required");
                continue;
            }

            var found = Found(byKey, key);
            var ownKey = found.Count == 0 && key is not null && byOwnKey is not null ? ReadKey(row) : null;
            if (ownKey is not null)
            {
                found = Found(byOwnKey!, ownKey);
            }

            if (!Decide(row, key, found, out var existing, ownKey is null ? null : OwnKeyField, ownKey))
            {
                continue;
            }

            // Met by its own key, a record with another external id is another record of the old system: the row fails.
            if (ownKey is not null && existing is IHasExternalId { ExternalId: { } held })
            {
                row.Fail(KeyField, Text("Import.Error.ExternalIdDiffers", ownKey, held, key), "import.external-id-differs");
                continue;
            }

            if (existing is not null)
            {
                if (Update(row, existing) is { } change && Try(row, existing, change))
                {
                    row.Action = "update";
                    updated++;
                }
            }
            else if (Create(row) is { } make)
            {
                T? record = null;
                if (Try(row, null, () => record = make()))
                {
                    C.Db.Add(record!);
                    row.Action = "create";
                    created++;
                }
            }
        }

        return (created, updated);
    }
}

internal sealed class AccountRules(ImportContext c) : ImportRules<Account>(c)
{
    protected override string OwnKeyField => "taxNumber";

    protected override string? ReadKey(ImportRow row) => TaxNumber.Normalize(row.Text("taxNumber"));

    protected override async Task<ILookup<string, Account>> FindAsync(IReadOnlyList<string> keys, CancellationToken ct) =>
        (await C.Db.Accounts.Where(a => keys.Contains(a.TaxNumber!)).ToListAsync(ct)).ToLookup(a => a.TaxNumber!);

    protected override Action? Update(ImportRow row, Account existing)
    {
        var owner = Owner(row);
        var fields = new Fields(row, existing, Kind(row, existing, KeyOf(row)));
        if (!Passes(row, () => AccountCommands.Check(fields)))
        {
            return null;
        }

        return () =>
        {
            fields.ApplyTo(existing);
            if (owner is { } newOwner)
            {
                existing.TransferTo(newOwner);
            }
        };
    }

    protected override Func<Account>? Create(ImportRow row)
    {
        var owner = Owner(row);
        var fields = new Fields(row, null, Kind(row, null, KeyOf(row)));
        if (!Passes(row, () => AccountCommands.Check(fields)))
        {
            return null;
        }

        return () =>
        {
            var account = new Account(C.Me.RequiredOrganizationId, owner ?? C.Me.RequiredUserId, fields.Kind, fields.Name, C.Now);
            fields.ApplyTo(account);
            return account;
        };
    }

    /// <summary>Company or person as the file says (Turkish or English); unsaid, a TCKN makes a person and anything else a company.</summary>
    private AccountKind Kind(ImportRow row, Account? existing, string? taxNumber)
    {
        switch (TurkishText.Fold(row.Text("kind")))
        {
            case "" when existing is not null:
                return existing.Kind;
            case "":
                return taxNumber is { Length: 11 } ? AccountKind.Person : AccountKind.Company;
            case "company" or "sirket" or "firma" or "kurum" or "kurumsal" or "tuzel" or "tuzel kisi":
                return AccountKind.Company;
            case "person" or "individual" or "sahis" or "kisi" or "bireysel" or "gercek" or "gercek kisi":
                return AccountKind.Person;
            default:
                row.Fail("kind", Text("Import.Error.Kind", row.Text("kind")), "import.kind");
                return AccountKind.Company;
        }
    }

    /// <summary>The row's fields; a column the file does not have keeps the record's value (or the default, for a new one).</summary>
    private sealed class Fields(ImportRow row, Account? a, AccountKind kind) : IAccountFields, IExternalIdField
    {
        public AccountKind Kind => kind;
        public string Name => Pick("name", a?.Name) ?? "";
        public string? TaxOffice => Pick("taxOffice", a?.TaxOffice);
        public string? TaxNumber => Pick("taxNumber", a?.TaxNumber);
        public string? Address => Pick("address", a?.Address);
        public string? City => Pick("city", a?.City);
        public string? Country => row.Has("country") ? row.Text("country") ?? "TR" : a?.Country ?? "TR";
        public string? Phone => Pick("phone", a?.Phone);
        public string? Email => Pick("email", a?.Email);
        public string? Website => Pick("website", a?.Website);
        public string? Notes => Pick("notes", a?.Notes);
        public string? ExternalId => Pick(ExternalIds.Field, a?.ExternalId);

        private string? Pick(string field, string? current) => row.Has(field) ? row.Text(field) : current;
    }
}

internal sealed class ContactRules(ImportContext c) : ImportRules<Contact>(c)
{
    private NamedAccounts _accounts = NamedAccounts.None;

    protected override string OwnKeyField => "email";

    protected override string? ReadKey(ImportRow row) => row.Text("email");

    protected override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct) =>
        _accounts = await AccountsAsync(rows, ct);

    protected override async Task<ILookup<string, Contact>> FindAsync(IReadOnlyList<string> keys, CancellationToken ct) =>
        (await ContactQueries.WithEmails(C.Db, keys).ToListAsync(ct)).ToLookup(x => x.Email!);

    protected override Action? Update(ImportRow row, Contact existing)
    {
        var owner = Owner(row);
        var fields = new Fields(row, existing);
        if (!Passes(row, () => ContactCommands.Check(fields)))
        {
            return null;
        }

        return () =>
        {
            ContactCommands.Apply(fields, existing);
            if (owner is { } newOwner)
            {
                existing.TransferTo(newOwner);
            }
        };
    }

    protected override Func<Contact>? Create(ImportRow row)
    {
        var owner = Owner(row);
        var account = Account(row, _accounts, "contact", "Import.Error.AccountRequired");
        var fields = new Fields(row, null);
        if (!Passes(row, () => ContactCommands.Check(fields)))
        {
            return null;
        }

        return () =>
        {
            var contact = new Contact(C.Me.RequiredOrganizationId, owner ?? account!.OwnerId, account!.Id, fields.FirstName ?? "", fields.LastName ?? "", C.Now);
            ContactCommands.Apply(fields, contact);
            return contact;
        };
    }

    /// <summary>The row's fields; a "full name" column is split at its last word when there are no first and last name columns.</summary>
    private sealed class Fields(ImportRow row, Contact? x) : IContactFields, IExternalIdField
    {
        public string? FirstName => row.Has("firstName") ? row.Text("firstName") : Split().First ?? x?.FirstName;
        public string? LastName => row.Has("lastName") ? row.Text("lastName") : Split().Last ?? x?.LastName;
        public string? Title => Pick("title", x?.Title);
        public string? Email => Pick("email", x?.Email);
        public string? Phone => Pick("phone", x?.Phone);
        public string? Mobile => Pick("mobile", x?.Mobile);
        public string? ExternalId => Pick(ExternalIds.Field, x?.ExternalId);

        private (string? First, string? Last) Split()
        {
            if (row.Text("fullName") is not { } full)
            {
                return (null, null);
            }

            var cut = full.LastIndexOf(' ');
            return cut < 0 ? ("", full) : (full[..cut].Trim(), full[(cut + 1)..]);
        }

        private string? Pick(string field, string? current) => row.Has(field) ? row.Text(field) : current;
    }
}

internal sealed class ProductRules(ImportContext c) : ImportRules<Product>(c)
{
    /// <summary>Matched on the external id: the products holding the batch's codes, and the line of the run that took each code first.</summary>
    private readonly Dictionary<string, Guid> _codeHolders = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _codeLines = new(StringComparer.Ordinal);

    protected override string OwnKeyField => "code";

    protected override bool KeyRequired => true;

    /// <summary>
    /// Matched on the external id, a row may give a product a code another product has, or one an earlier row took: the
    /// codes are looked up first, as the unique index would refuse them at the save.
    /// </summary>
    protected override async Task PrepareAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        if (!C.ByExternalId)
        {
            return;
        }

        var codes = rows.Select(r => r.Text("code")).OfType<string>().Distinct().ToList();
        _codeHolders.Clear();
        foreach (var held in await C.Db.Products.AsNoTracking().Where(p => codes.Contains(p.Code)).Select(p => new { p.Code, p.Id }).ToListAsync(ct))
        {
            _codeHolders[held.Code] = held.Id;
        }
    }

    /// <summary>Whether the row's code is free for <paramref name="existing"/> (null: a new product); only asked when matching on the external id.</summary>
    private bool CodeFree(ImportRow row, Product? existing)
    {
        if (!C.ByExternalId || row.Text("code") is not { } code)
        {
            return true;
        }

        if (_codeHolders.TryGetValue(code, out var holder) && holder != existing?.Id)
        {
            row.Fail("code", L["Rule.product.code-taken"].Value, "product.code-taken");
            return false;
        }

        if (_codeLines.TryGetValue(code, out var line))
        {
            row.Fail("code", Text("Import.Error.KeyRepeated", code, line), "import.key-repeated");
            return false;
        }

        _codeLines[code] = row.Line;
        return true;
    }

    protected override string? ReadKey(ImportRow row) => row.Text("code");

    protected override async Task<ILookup<string, Product>> FindAsync(IReadOnlyList<string> keys, CancellationToken ct) =>
        (await C.Db.Products.Where(p => keys.Contains(p.Code)).ToListAsync(ct)).ToLookup(p => p.Code);

    protected override Action? Update(ImportRow row, Product existing)
    {
        var fields = Read(row, existing);
        return CodeFree(row, existing) && Passes(row, () => ProductCommands.Check(fields)) ? () => ProductCommands.Apply(fields, existing) : null;
    }

    protected override Func<Product>? Create(ImportRow row)
    {
        var fields = Read(row, null);
        if (!CodeFree(row, null) || !Passes(row, () => ProductCommands.Check(fields)))
        {
            return null;
        }

        return () =>
        {
            var product = new Product(C.Me.RequiredOrganizationId, fields.Code, fields.Name, fields.Unit, fields.ListPrice, fields.Currency, fields.VatRate);
            ProductCommands.Apply(fields, product);
            return product;
        };
    }

    /// <summary>The row's numbers read once; a new product needs its price.</summary>
    private Fields Read(ImportRow row, Product? existing)
    {
        var price = row.Number("listPrice");
        var vat = row.Number("vatRate");
        if (existing is null && price is null && !row.Failed)
        {
            row.Fail("listPrice", Text("Import.Error.Required", L["Import.Field.Products.listPrice"].Value), "import.required");
        }

        return new Fields(row, existing, price, vat, C.BaseCurrency);
    }

    /// <summary>The row's fields; a new product without unit, currency or VAT gets "adet", the base currency and 20 %.</summary>
    private sealed class Fields(ImportRow row, Product? p, decimal? price, decimal? vat, string baseCurrency) : IProductFields, IExternalIdField
    {
        public string Code => Pick("code", p?.Code) ?? "";
        public string Name => Pick("name", p?.Name) ?? "";
        public string? Description => Pick("description", p?.Description);
        public string Unit => Pick("unit", p?.Unit) ?? "adet";
        public decimal ListPrice => price ?? p?.ListPrice ?? 0m;
        public string Currency => (Pick("currency", p?.Currency) ?? baseCurrency).ToUpperInvariant();
        public decimal VatRate => vat ?? p?.VatRate ?? 20m;
        public string? ExternalId => Pick(ExternalIds.Field, p?.ExternalId);

        private string? Pick(string field, string? current) => row.Has(field) ? row.Text(field) : current;
    }
}
