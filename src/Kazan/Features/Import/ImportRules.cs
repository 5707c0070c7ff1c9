using System.Globalization;
using Kazan.Features.Accounts;
using Kazan.Features.Contacts;
using Kazan.Features.Products;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Import;

/// <summary>What a run shares with every batch: the database, who imports, when, how rows meet records, and the users by e-mail.</summary>
public sealed record ImportContext(
    KazanDbContext Db, CurrentUser Me, DateTimeOffset Now, ImportMode Mode, IStringLocalizer L,
    IReadOnlyDictionary<string, Guid> ActiveUsersByEmail, string BaseCurrency);

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
        _ => new ProductRules(context),
    };

    /// <summary>The field rows are matched on.</summary>
    public abstract string KeyField { get; }

    /// <summary>The row's key as compared (normalized); null when the row has none.</summary>
    public abstract string? KeyOf(ImportRow row);

    /// <summary>Checks the rows and adds or changes their records on the DbContext; answers how many were created and updated.</summary>
    public abstract Task<(int Created, int Updated)> ApplyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct);

    /// <summary>
    /// Whether the row goes on, by the mode and the records found with its key: <paramref name="existing"/> is the one
    /// record found (updated), null to create one; false when the row fails (the reason is on it).
    /// </summary>
    protected bool Decide<T>(ImportRow row, string? key, List<T> found, out T? existing)
        where T : class
    {
        existing = null;
        if (found.Count > 1)
        {
            row.Fail(KeyField, Text("Import.Error.KeyAmbiguous", key), "import.key-ambiguous");
            return false;
        }

        var match = found.FirstOrDefault();
        switch (c.Mode)
        {
            case ImportMode.Create when match is not null:
                row.Fail(KeyField, Text("Import.Error.KeyExists", key), "import.key-exists");
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
            row.Fail(rule);
            if (existing is not null)
            {
                c.Db.Entry(existing).State = EntityState.Detached;
            }

            return false;
        }
    }

    protected string Text(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, L[key].Value, args);

    protected static List<T> Found<T>(ILookup<string, T> byKey, string? key) => key is null ? [] : byKey[key].ToList();
}

internal sealed class AccountRules(ImportContext c) : ImportRules(c)
{
    public override string KeyField => "taxNumber";

    public override string? KeyOf(ImportRow row) => TaxNumber.Normalize(row.Text("taxNumber"));

    public override async Task<(int Created, int Updated)> ApplyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var keys = rows.Select(KeyOf).OfType<string>().Distinct().ToList();
        var byKey = (await C.Db.Accounts.Where(a => keys.Contains(a.TaxNumber!)).ToListAsync(ct)).ToLookup(a => a.TaxNumber!);
        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            var key = KeyOf(row);
            if (!Decide(row, key, Found(byKey, key), out var existing))
            {
                continue;
            }

            var owner = Owner(row);
            var kind = Kind(row, existing, key);
            if (row.Failed)
            {
                continue;
            }

            var fields = new Fields(row, existing, kind);
            if (AccountCommands.Check(fields) is { } invalid)
            {
                row.Fail(invalid);
                continue;
            }

            if (existing is not null)
            {
                if (Try(row, existing, () =>
                {
                    fields.ApplyTo(existing);
                    if (owner is { } newOwner)
                    {
                        existing.TransferTo(newOwner);
                    }
                }))
                {
                    row.Action = "update";
                    updated++;
                }
            }
            else
            {
                Account? account = null;
                if (Try(row, null, () =>
                {
                    account = new Account(C.Me.RequiredOrganizationId, owner ?? C.Me.RequiredUserId, kind, fields.Name, C.Now);
                    fields.ApplyTo(account);
                }))
                {
                    C.Db.Accounts.Add(account!);
                    row.Action = "create";
                    created++;
                }
            }
        }

        return (created, updated);
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
    private sealed class Fields(ImportRow row, Account? a, AccountKind kind) : IAccountFields
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

        private string? Pick(string field, string? current) => row.Has(field) ? row.Text(field) : current;
    }
}

internal sealed class ContactRules(ImportContext c) : ImportRules(c)
{
    public override string KeyField => "email";

    public override string? KeyOf(ImportRow row) => row.Text("email");

    public override async Task<(int Created, int Updated)> ApplyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var keys = rows.Select(KeyOf).OfType<string>().Distinct().ToList();
        var byKey = (await C.Db.Contacts.Where(x => keys.Contains(x.Email!)).ToListAsync(ct)).ToLookup(x => x.Email!);
        var accounts = await AccountsAsync(rows, ct);
        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            var key = KeyOf(row);
            if (!Decide(row, key, Found(byKey, key), out var existing))
            {
                continue;
            }

            var owner = Owner(row);
            var account = existing is null ? Account(row, accounts) : null;
            if (row.Failed)
            {
                continue;
            }

            var fields = new Fields(row, existing);
            if (ContactCommands.Check(fields) is { } invalid)
            {
                row.Fail(invalid);
                continue;
            }

            if (existing is not null)
            {
                if (Try(row, existing, () =>
                {
                    ContactCommands.Apply(fields, existing);
                    if (owner is { } newOwner)
                    {
                        existing.TransferTo(newOwner);
                    }
                }))
                {
                    row.Action = "update";
                    updated++;
                }
            }
            else
            {
                Contact? contact = null;
                if (Try(row, null, () =>
                {
                    contact = new Contact(C.Me.RequiredOrganizationId, owner ?? account!.OwnerId, account!.Id, fields.FirstName ?? "", fields.LastName ?? "", C.Now);
                    ContactCommands.Apply(fields, contact);
                }))
                {
                    C.Db.Contacts.Add(contact!);
                    row.Action = "create";
                    created++;
                }
            }
        }

        return (created, updated);
    }

    private sealed record AccountRef(Guid Id, Guid OwnerId, string? TaxNumber, string NameKey, bool IsArchived);

    /// <summary>The accounts the batch's rows name, by tax number (digits) or by name (compared as the duplicate check does).</summary>
    private async Task<List<AccountRef>> AccountsAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var named = rows.Select(r => r.Text("account")).OfType<string>().ToList();
        var taxes = named.Select(TaxNumber.Normalize).OfType<string>().Where(n => n.All(char.IsAsciiDigit)).Distinct().ToList();
        var names = named.Select(Accounts.Account.KeyOf).Distinct().ToList();
        return await C.Db.Accounts.AsNoTracking()
            .Where(a => taxes.Contains(a.TaxNumber!) || names.Contains(a.NameKey))
            .Select(a => new AccountRef(a.Id, a.OwnerId, a.TaxNumber, a.NameKey, a.IsArchived))
            .ToListAsync(ct);
    }

    /// <summary>The account a new contact joins: one, not archived, named by its VKN/TCKN or its name.</summary>
    private AccountRef? Account(ImportRow row, List<AccountRef> accounts)
    {
        if (row.Text("account") is not { } named)
        {
            row.Fail("account", Text("Import.Error.AccountRequired"), "import.account-required");
            return null;
        }

        var tax = TaxNumber.Normalize(named)!;
        var matches = tax.All(char.IsAsciiDigit)
            ? accounts.Where(a => a.TaxNumber == tax).ToList()
            : accounts.Where(a => a.NameKey == Accounts.Account.KeyOf(named)).ToList();
        switch (matches.Count)
        {
            case 0:
                row.Fail("account", Text("Import.Error.AccountUnknown", named), "contact.account-unknown");
                return null;
            case > 1:
                row.Fail("account", Text("Import.Error.AccountAmbiguous", named), "import.account-ambiguous");
                return null;
            case 1 when matches[0].IsArchived:
                row.Fail("account", Text("Import.Error.AccountArchived", named), "contact.account-archived");
                return null;
            default:
                return matches[0];
        }
    }

    /// <summary>The row's fields; a "full name" column is split at its last word when there are no first and last name columns.</summary>
    private sealed class Fields(ImportRow row, Contact? x) : IContactFields
    {
        public string? FirstName => row.Has("firstName") ? row.Text("firstName") : Split().First ?? x?.FirstName;
        public string? LastName => row.Has("lastName") ? row.Text("lastName") : Split().Last ?? x?.LastName;
        public string? Title => Pick("title", x?.Title);
        public string? Email => Pick("email", x?.Email);
        public string? Phone => Pick("phone", x?.Phone);
        public string? Mobile => Pick("mobile", x?.Mobile);

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

internal sealed class ProductRules(ImportContext c) : ImportRules(c)
{
    public override string KeyField => "code";

    public override string? KeyOf(ImportRow row) => row.Text("code");

    public override async Task<(int Created, int Updated)> ApplyAsync(IReadOnlyList<ImportRow> rows, CancellationToken ct)
    {
        var keys = rows.Select(KeyOf).OfType<string>().Distinct().ToList();
        var byKey = (await C.Db.Products.Where(p => keys.Contains(p.Code)).ToListAsync(ct)).ToLookup(p => p.Code);
        int created = 0, updated = 0;
        foreach (var row in rows)
        {
            var key = KeyOf(row);
            if (key is null)
            {
                row.Fail("code", Text("Import.Error.KeyRequired"), "import.key-required");
                continue;
            }

            if (!Decide(row, key, Found(byKey, key), out var existing))
            {
                continue;
            }

            var price = row.Number("listPrice");
            var vat = row.Number("vatRate");
            if (existing is null && price is null && !row.Failed)
            {
                row.Fail("listPrice", Text("Import.Error.Required", L["Import.Field.Products.listPrice"].Value), "import.required");
            }

            if (row.Failed)
            {
                continue;
            }

            var fields = new Fields(row, existing, price, vat, C.BaseCurrency);
            if (ProductCommands.Check(fields) is { } invalid)
            {
                row.Fail(invalid);
                continue;
            }

            if (existing is not null)
            {
                if (Try(row, existing, () => ProductCommands.Apply(fields, existing)))
                {
                    row.Action = "update";
                    updated++;
                }
            }
            else
            {
                Product? product = null;
                if (Try(row, null, () =>
                {
                    product = new Product(C.Me.RequiredOrganizationId, fields.Code, fields.Name, fields.Unit, fields.ListPrice, fields.Currency, fields.VatRate);
                    ProductCommands.Apply(fields, product);
                }))
                {
                    C.Db.Products.Add(product!);
                    row.Action = "create";
                    created++;
                }
            }
        }

        return (created, updated);
    }

    /// <summary>The row's fields; a new product without unit, currency or VAT gets "adet", the base currency and 20 %.</summary>
    private sealed class Fields(ImportRow row, Product? p, decimal? price, decimal? vat, string baseCurrency) : IProductFields
    {
        public string Code => row.Text("code") ?? "";
        public string Name => Pick("name", p?.Name) ?? "";
        public string? Description => Pick("description", p?.Description);
        public string Unit => Pick("unit", p?.Unit) ?? "adet";
        public decimal ListPrice => price ?? p?.ListPrice ?? 0m;
        public string Currency => (Pick("currency", p?.Currency) ?? baseCurrency).ToUpperInvariant();
        public decimal VatRate => vat ?? p?.VatRate ?? 20m;

        private string? Pick(string field, string? current) => row.Has(field) ? row.Text(field) : current;
    }
}
