using System.Diagnostics;
using System.Globalization;
using Kazan.Features.Accounts;
using Kazan.Features.ApiTokens;
using Kazan.Features.Contacts;
using Kazan.Features.Opportunities;
using Kazan.Features.Orders;
using Kazan.Features.Organizations;
using Kazan.Features.Pipelines;
using Kazan.Features.Pricing;
using Kazan.Features.Products;
using Kazan.Features.Quotes;
using Kazan.Features.Search;
using Kazan.Features.Users;
using Kazan.Infrastructure.Auth;
using Kazan.Infrastructure.Data;
using Kazan.Infrastructure.Text;

namespace Kazan.Bench.Data;

/// <summary>
/// Deterministic (fixed seed), skewed sales data: one organization holds most rows, accounts get deals by a Zipf law,
/// open deals crowd the early stages, old deals are mostly closed with their full stage history, a share of deals has
/// quotes with lines and revisions, won deals have orders (from the accepted quote or direct) with deliveries. Rows are
/// computed with the application's own rules (Account.KeyOf, TurkishText, Pricing, the forecast and weighted amounts of
/// Opportunity; orders through the Order entity itself) and streamed to a <see cref="BulkWriter"/>.
/// </summary>
public sealed class Generator(Tier tier, int seed, BulkWriter writer)
{
    /// <summary>"Now" of the generated world: data is the same whatever day it is generated.</summary>
    public static readonly DateTimeOffset Anchor = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);

    private readonly Random _rng = new(seed);
    private readonly CancellationToken _ct = CancellationToken.None;

    private BulkWriter.Table _organizations = null!;
    private BulkWriter.Table _users = null!;
    private BulkWriter.Table _teams = null!;
    private BulkWriter.Table _tokens = null!;
    private BulkWriter.Table _pipelines = null!;
    private BulkWriter.Table _stages = null!;
    private BulkWriter.Table _lostReasons = null!;
    private BulkWriter.Table _products = null!;
    private BulkWriter.Table _accounts = null!;
    private BulkWriter.Table _contacts = null!;
    private BulkWriter.Table _opportunities = null!;
    private BulkWriter.Table _events = null!;
    private BulkWriter.Table _opportunityContacts = null!;
    private BulkWriter.Table _quotes = null!;
    private BulkWriter.Table _quoteLines = null!;
    private BulkWriter.Table _sequences = null!;
    private BulkWriter.Table _orders = null!;
    private BulkWriter.Table _orderLines = null!;
    private BulkWriter.Table _deliveries = null!;
    private BulkWriter.Table _deliveryLines = null!;
    private BulkWriter.Table _search = null!;

    /// <summary>Tables whose secondary indexes are rebuilt after the load.</summary>
    public static readonly string[] BigTables =
        ["Accounts", "Contacts", "Opportunities", "OpportunityEvents", "OpportunityContacts", "Quotes", "QuoteLines", "SearchEntries", "Orders",
        "OrderLines", "Deliveries", "DeliveryLines"];

    public async Task<Manifest> RunAsync()
    {
        DefineTables();
        await writer.DropSecondaryIndexesAsync(BigTables, _ct);
        var manifest = new Manifest { Tier = tier.Name, Seed = seed, Anchor = Anchor };
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < tier.Organizations; i++)
        {
            manifest.Organizations.Add(await OrganizationAsync(i));
        }

        await writer.CompleteAsync(_ct);
        manifest.LoadSeconds = watch.Elapsed.TotalSeconds;
        watch.Restart();
        await writer.RebuildIndexesAsync(_ct);
        await writer.ExecAsync(BoardTotals.RebuildSql, _ct); // what the app keeps up to date with every save
        manifest.IndexSeconds = watch.Elapsed.TotalSeconds;
        manifest.Rows = writer.TotalRows;
        return manifest;
    }

    private void DefineTables()
    {
        _organizations = writer.For<Organization>("Id", "Name", "BaseCurrency", "DefaultCulture", "RepsSeeAll", "Address", "TaxOffice", "TaxNumber",
            "Phone", "Email", "QuotePrefix", "OrderPrefix", "DocumentNumberDigits", "QuoteValidityDays", "WinOnFirstOrder", "TimeZone", "CreatedAt", "Version");
        _teams = writer.For<Team>("Id", "OrganizationId", "Name", "Version");
        _users = writer.For<User>("Id", "OrganizationId", "UserName", "NormalizedUserName", "Email", "NormalizedEmail", "EmailConfirmed",
            "SecurityStamp", "ConcurrencyStamp", "LockoutEnabled", "PhoneNumberConfirmed", "TwoFactorEnabled", "DisplayName", "Role", "TeamId", "Culture", "IsActive", "Version", "EmailNotificationCopies");
        _tokens = writer.For<ApiToken>("Id", "OrganizationId", "UserId", "Name", "Prefix", "TokenHash", "CreatedAt");
        _pipelines = writer.For<Pipeline>("Id", "OrganizationId", "Name", "IsDefault", "IsArchived", "Version");
        _stages = writer.For<Stage>("Id", "OrganizationId", "PipelineId", "Name", "Position", "Probability", "RottingDays", "ForecastCategory");
        _lostReasons = writer.For<LostReason>("Id", "OrganizationId", "Name", "Position", "IsActive", "Version");
        _products = writer.For<Product>("Id", "OrganizationId", "Code", "Name", "Unit", "ListPrice", "Currency", "VatRate", "IsActive", "SearchKey", "Version");
        _accounts = writer.For<Account>("Id", "OrganizationId", "OwnerId", "Kind", "Name", "NameKey", "TaxOffice", "TaxNumber", "Address", "City",
            "CityKey", "Country", "Phone", "Email", "IsArchived", "CreatedAt", "Version");
        _contacts = writer.For<Contact>("Id", "OrganizationId", "OwnerId", "AccountId", "FirstName", "LastName", "NameKey", "Title", "Email",
            "Phone", "IsArchived", "CreatedAt", "Version");
        _opportunities = writer.For<Opportunity>("Id", "OrganizationId", "OwnerId", "AccountId", "PipelineId", "StageId", "Title", "ExpectedAmount",
            "QuotedAmount", "OrderedAmount", "DeliveredAmount", "Currency", "ExchangeRate", "ForecastSource", "ForecastAmount", "ForecastAmountBase", "WeightedAmountBase",
            "ExpectedCloseDate", "Probability", "ProbabilityOverride", "StageProbability", "Source", "NextStep", "Status", "LostReasonId",
            "ClosedOn", "CreatedAt", "StageEnteredAt", "Version", "ForecastCategory", "StageForecastCategory");
        _events = writer.For<OpportunityEvent>("Id", "OrganizationId", "OpportunityId", "Kind", "UserId", "At", "FromStageId", "ToStageId",
            "FromStatus", "ToStatus", "LostReasonId", "Amount", "Currency", "Probability", "PipelineId", "StageId", "Status", "OwnerId",
            "ExpectedAmount", "QuotedAmount", "OrderedAmount", "DeliveredAmount", "ForecastAmountBase", "WeightedAmountBase", "ExchangeRate",
            "ExpectedCloseDate", "ForecastCategory", "ClosedOn", "Sequence", "Until");
        _opportunityContacts = writer.For<OpportunityContact>("OrganizationId", "OpportunityId", "ContactId", "Role");
        _quotes = writer.For<Quote>("Id", "OrganizationId", "OwnerId", "AccountId", "OpportunityId", "Number", "Year", "Sequence", "Revision",
            "RevisedFromId", "Status", "Currency", "ExchangeRate", "Language", "DocumentDiscountPercent", "IssueDate", "ValidUntil", "PaymentTerms",
            "IsPrimary", "GrossTotal", "DiscountTotal", "NetTotal", "VatTotal", "GrandTotal", "CreatedAt", "SentAt", "DecidedAt", "Version", "DecidedOnline");
        _quoteLines = writer.For<QuoteLine>("Id", "OrganizationId", "QuoteId", "Key", "Position", "Kind", "ProductId", "Description", "Quantity",
            "Unit", "UnitPrice", "DiscountPercent", "VatRate", "NetAmount", "VatAmount");
        _sequences = writer.For<DocumentSequence>("OrganizationId", "Kind", "Year", "Last");
        _search = writer.For<SearchEntry>("OrganizationId", "OwnerId", "EntityType", "EntityId", "Term");
        _orders = writer.For<Order>("Id", "OrganizationId", "OwnerId", "AccountId", "OpportunityId", "QuoteId", "Number", "Year", "Sequence", "OrderDate",
            "CustomerReference", "RequestedDeliveryDate", "DeliveryAddress", "Notes", "Currency", "ExchangeRate", "DocumentDiscountPercent", "Status",
            "NetTotal", "VatTotal", "GrandTotal", "DeliveredNet", "NetTotalBase", "DeliveredNetBase", "CancelReason", "CancelledAt", "CreatedAt", "Version");
        _orderLines = writer.For<OrderLine>("Id", "OrganizationId", "OrderId", "Position", "QuoteLineId", "ProductId", "Description", "Quantity", "Unit",
            "UnitPrice", "DiscountPercent", "VatRate", "DeliveredQuantity", "ReturnedQuantity", "CancelledQuantity", "NetAmount", "VatAmount",
            "DeliveredNet", "RemainingNetBase");
        _deliveries = writer.For<Delivery>("Id", "OrganizationId", "OrderId", "Kind", "Date", "NoteNumber", "Note", "CreatedById", "CreatedAt");
        _deliveryLines = writer.For<DeliveryLine>("Id", "OrganizationId", "DeliveryId", "OrderLineId", "Quantity");
    }

    private async Task<OrganizationInfo> OrganizationAsync(int index)
    {
        var created = Anchor.AddYears(-4).AddDays(index * 11);
        var orgId = NewId(created);
        var name = Names.OrganizationNames[index % Names.OrganizationNames.Length];
        var domain = Names.Ascii(name.Split(' ')[0]) + (index + 1).ToString(CultureInfo.InvariantCulture) + ".com.tr";
        await _organizations.AddAsync(_ct, orgId, name, "TRY", "tr-TR", false, "Organize Sanayi Bölgesi 3. Cadde No: 12", "Büyük Mükellefler",
            Vkn(), "+90 212 555 00 0" + index.ToString(CultureInfo.InvariantCulture), "info@" + domain, "TKL", "SIP", 5, 30, true, "Europe/Istanbul", created, 0);
        var info = new OrganizationInfo { Index = index, Id = orgId, Name = name };

        // Teams and users: the first is the admin (the benchmark's caller), a few managers, the rest reps.
        var teamIds = new List<Guid>();
        var teamCount = index == 0 ? 6 : 2;
        for (var t = 0; t < teamCount; t++)
        {
            var teamId = NewId(created);
            teamIds.Add(teamId);
            await _teams.AddAsync(_ct, teamId, orgId, Names.TeamNames[t % Names.TeamNames.Length], 0);
        }

        var userCount = Math.Max(2, tier.ShareOf(tier.Users, index));
        var users = new List<Guid>();
        for (var u = 0; u < userCount; u++)
        {
            var id = NewId(created.AddMinutes(u));
            var female = _rng.Next(2) == 0;
            var first = Pick(female ? Names.FemaleFirst : Names.MaleFirst);
            var last = Pick(Names.Surnames);
            var email = $"{Names.Ascii(first)}.{Names.Ascii(last)}{u}@{domain}";
            var role = u == 0 ? UserRole.Admin : u <= Math.Max(1, userCount / 10) ? UserRole.Manager : UserRole.Rep;
            await _users.AddAsync(_ct, id, orgId, email, email.ToUpperInvariant(), email, email.ToUpperInvariant(), true,
                Hex(16), Hex(16), true, false, false, $"{first} {last}", role, role == UserRole.Rep ? teamIds[u % teamIds.Count] : null,
                "tr-TR", true, 0, false);
            users.Add(id);
        }

        info.AdminId = users[0];
        info.Users = users.Count;
        info.Token = string.Create(CultureInfo.InvariantCulture, $"kzn_bench_{tier.Name}_{seed}_{index}_{Hex(8)}");
        await _tokens.AddAsync(_ct, NewId(created), orgId, users[0], "benchmark", info.Token[..10], SecretTokens.Hash(info.Token), created);
        var reps = users.Skip(1).ToArray();

        // Pipelines: the default has six stages in every organization (boards compare across organizations), others 5 to 8.
        var pipelineStages = index == 0 ? new[] { 6, 8, 5 } : index % 2 == 0 ? [6, 7] : [6];
        var pipelines = new List<PipelineInfo>();
        for (var p = 0; p < pipelineStages.Length; p++)
        {
            var pipelineId = NewId(created);
            await _pipelines.AddAsync(_ct, pipelineId, orgId, Names.PipelineNames[p], p == 0, false, 0);
            var stageCount = pipelineStages[p];
            var stages = new List<(Guid Id, int Probability, string Name)>();
            for (var s = 0; s < stageCount; s++)
            {
                var stageId = NewId(created);
                var probability = (int)Math.Round(10 + (80.0 * s / (stageCount - 1)));
                var stageName = Names.StageNames[(int)Math.Round(s * (Names.StageNames.Length - 1) / (double)(stageCount - 1))];
                await _stages.AddAsync(_ct, stageId, orgId, pipelineId, stageName, s, probability, s < stageCount - 1 ? 21 : 7, ForecastCategories.ForProbability(probability));
                stages.Add((stageId, probability, stageName));
            }

            pipelines.Add(new PipelineInfo(pipelineId, stages));
        }

        info.DefaultPipelineId = pipelines[0].Id;
        info.DefaultPipelineStages = pipelines[0].Stages.Count;
        var lostReasons = new List<Guid>();
        for (var r = 0; r < Names.LostReasons.Length; r++)
        {
            var id = NewId(created);
            lostReasons.Add(id);
            await _lostReasons.AddAsync(_ct, id, orgId, Names.LostReasons[r], r, true, 0);
        }

        // Products.
        var productCount = Math.Max(20, tier.ShareOf(tier.Products, index));
        var products = new List<ProductInfo>();
        for (var p = 0; p < productCount; p++)
        {
            var family = Names.ProductFamilies[p % Names.ProductFamilies.Length];
            var grade = Names.ProductGrades[(p / Names.ProductFamilies.Length) % Names.ProductGrades.Length];
            var productName = $"{family} {grade} {100 + p}";
            var code = string.Create(CultureInfo.InvariantCulture, $"URN-{p + 1:00000}");
            var unit = Pick(Names.Units);
            var price = decimal.Round((decimal)Math.Exp(5 + (_rng.NextDouble() * 6)), 2);
            var vat = _rng.Next(10) switch { 0 => 10m, 1 => 1m, _ => 20m };
            var id = NewId(created);
            products.Add(new ProductInfo(id, productName, unit, price, vat));
            await _products.AddAsync(_ct, id, orgId, code, productName, unit, price, "TRY", vat, true, TurkishText.Fold(code + " " + productName), 0);
        }

        // Accounts (Zipf-ranked: account 0 gets the most deals) and their contacts.
        var accountCount = tier.ShareOf(tier.Accounts, index);
        var accounts = new AccountInfo[accountCount];
        for (var a = 0; a < accountCount; a++)
        {
            accounts[a] = await AccountAsync(orgId, reps, created);
        }

        var contactCount = tier.ShareOf(tier.Contacts, index);
        var accountZipf = new Zipf(accountCount, 0.9);
        for (var c = 0; c < contactCount; c++)
        {
            // Every account gets a first contact; the rest go to accounts by the same Zipf law as deals.
            var account = accounts[c < accountCount ? c : accountZipf.Sample(_rng)];
            await ContactAsync(orgId, account);
        }

        info.Accounts = accountCount;
        info.Contacts = contactCount;

        // Opportunities with history and quotes.
        var opportunityCount = tier.ShareOf(tier.Opportunities, index);
        var sequences = new Dictionary<int, int>();
        var orderSequences = new Dictionary<int, int>();
        for (var o = 0; o < opportunityCount; o++)
        {
            await OpportunityAsync(info, orgId, accounts[accountZipf.Sample(_rng)], reps, pipelines, lostReasons, products, sequences, orderSequences);
        }

        info.Opportunities = opportunityCount;

        // The quotes the PDF scenario renders: drafts of 50 and 500 lines on the probe opportunity.
        if (info.Probe is { } probe)
        {
            info.Quote50Id = (await QuoteAsync(orgId, probe, products, sequences, Anchor, 0, null, QuoteStatus.Draft, isPrimary: false, lineCount: 50, keys: null)).Id;
            info.Quote500Id = (await QuoteAsync(orgId, probe, products, sequences, Anchor, 0, null, QuoteStatus.Draft, isPrimary: false, lineCount: 500, keys: null)).Id;
        }

        foreach (var (year, last) in sequences)
        {
            await _sequences.AddAsync(_ct, orgId, DocumentNumbers.Quote, year, last);
        }

        foreach (var (year, last) in orderSequences)
        {
            await _sequences.AddAsync(_ct, orgId, DocumentNumbers.Order, year, last);
        }

        info.Orders = _orderCount;
        _orderCount = 0;

        return info;
    }

    private async Task<AccountInfo> AccountAsync(Guid orgId, Guid[] reps, DateTimeOffset orgCreated)
    {
        var created = Between(orgCreated, Anchor.AddDays(-30));
        var id = NewId(created);
        var owner = reps[_rng.Next(reps.Length)];
        var city = Pick(Names.Cities);
        string name;
        string? shortName;
        AccountKind kind;
        if (_rng.Next(100) < 85)
        {
            kind = AccountKind.Company;
            var first = _rng.Next(3) == 0 ? Pick(Names.Surnames) : Pick(Names.CompanyWords);
            var second = _rng.Next(4) == 0 ? " " + Pick(Names.CompanyWords) : "";
            shortName = $"{first}{second} {Pick(Names.Sectors)}";
            name = $"{shortName} {Pick(Names.LegalForms)}";
        }
        else
        {
            kind = AccountKind.Person;
            name = $"{Pick(_rng.Next(2) == 0 ? Names.MaleFirst : Names.FemaleFirst)} {Pick(Names.Surnames)}";
            shortName = name;
        }

        var taxNumber = kind == AccountKind.Company ? Vkn() : null;
        var domain = Names.Ascii(shortName.Split(' ')[0]) + _rng.Next(1000).ToString(CultureInfo.InvariantCulture) + ".com.tr";
        var phone = Phone();
        var email = kind == AccountKind.Company ? "info@" + domain : null;
        await _accounts.AddAsync(_ct, id, orgId, owner, kind, name, Account.KeyOf(name), kind == AccountKind.Company ? city + " VD" : null, taxNumber,
            "Merkez Mah. " + Pick(Names.CompanyWords) + " Sok. No: " + _rng.Next(1, 120).ToString(CultureInfo.InvariantCulture), city, TurkishText.Fold(city),
            "TR", phone, email, false, created, 0);
        await IndexAsync(orgId, owner, nameof(Account), id, name, city, taxNumber, email, phone);
        return new AccountInfo(id, owner, shortName, domain, created);
    }

    private async Task ContactAsync(Guid orgId, AccountInfo account)
    {
        var female = _rng.Next(2) == 0;
        var first = Pick(female ? Names.FemaleFirst : Names.MaleFirst);
        var last = Pick(Names.Surnames);
        var created = Between(account.Created, Anchor.AddDays(-7));
        var id = NewId(created);
        var email = $"{Names.Ascii(first)}.{Names.Ascii(last)}@{account.Domain}";
        var phone = Phone();
        await _contacts.AddAsync(_ct, id, orgId, account.OwnerId, account.Id, first, last, TurkishText.Fold($"{last} {first}"), Pick(Names.Titles),
            email, phone, false, created, 0);
        await IndexAsync(orgId, account.OwnerId, nameof(Contact), id, first, last, email, phone);
        account.Contacts.Add(id);
    }

    private async Task OpportunityAsync(
        OrganizationInfo info, Guid orgId, AccountInfo account, Guid[] reps, List<PipelineInfo> pipelines, List<Guid> lostReasons,
        List<ProductInfo> products, Dictionary<int, int> sequences, Dictionary<int, int> orderSequences)
    {
        // Older deals are mostly closed; recent ones mostly open (created over three years, more of them recently).
        var ageDays = (int)(1095 * Math.Pow(_rng.NextDouble(), 1.6));
        var created = Anchor.AddDays(-ageDays).AddMinutes(-_rng.Next(600));
        var id = NewId(created);
        var owner = _rng.Next(100) < 80 ? account.OwnerId : reps[_rng.Next(reps.Length)];
        var pipeline = pipelines[pipelines.Count == 1 ? 0 : _rng.Next(100) switch { < 70 => 0, < 90 => 1, _ => pipelines.Count - 1 }];
        var stages = pipeline.Stages;
        var expectedClose = DateOnly.FromDateTime(created.UtcDateTime).AddDays(_rng.Next(20, 200));
        var status = OpportunityStatus.Open;
        // A quarter of the deals past their close date were never closed: the stale open deals every CRM has.
        if (expectedClose < DateOnly.FromDateTime(Anchor.UtcDateTime).AddDays(-20) && _rng.Next(100) < 75)
        {
            status = _rng.Next(100) < 35 ? OpportunityStatus.Won : OpportunityStatus.Lost;
        }

        // The furthest stage: open deals crowd the early stages; won deals went far, lost ones anywhere.
        var n = stages.Count;
        var stageIndex = status switch
        {
            OpportunityStatus.Won => n - 1 - _rng.Next(Math.Min(2, n)),
            OpportunityStatus.Lost => _rng.Next(n),
            _ => Math.Min(n - 1, (int)(n * Math.Pow(_rng.NextDouble(), 1.7))),
        };

        var (currency, rate) = _rng.Next(100) switch { < 82 => ("TRY", 1m), < 93 => ("USD", 34.5m + (_rng.Next(300) / 100m)), _ => ("EUR", 37.2m + (_rng.Next(300) / 100m)) };
        var expected = decimal.Round((decimal)Math.Exp(9.5 + (NextGaussian() * 1.2)) / (currency == "TRY" ? 1 : 30), 0) * 10m;
        var probabilityOverride = status == OpportunityStatus.Open && _rng.Next(10) == 0 ? _rng.Next(5, 95) : (int?)null;
        var stage = stages[stageIndex];
        var probability = status switch { OpportunityStatus.Won => 100, OpportunityStatus.Lost => 0, _ => probabilityOverride ?? stage.Probability };
        var title = _rng.Next(3) == 0
            ? $"{account.ShortName} {Pick(Names.ProductFamilies)}"
            : $"{account.ShortName} {Pick(Names.DealWords)}";
        var end = status == OpportunityStatus.Open ? Anchor.AddHours(-1) : Min(Anchor.AddHours(-1), new DateTimeOffset(expectedClose.ToDateTime(new TimeOnly(15, 0)), TimeSpan.Zero));
        if (end <= created)
        {
            end = created.AddHours(1);
        }

        // Quotes first: the primary quote's net total is the deal's quoted amount.
        decimal? quoted = null;
        var quotable = stageIndex >= n / 2 || status == OpportunityStatus.Won;
        var quoteRows = new List<Func<Task>>();
        var probe = new OpportunityInfo(id, account.Id, owner, currency, rate, created);
        IReadOnlyList<QuotedLine>? accepted = null;
        Guid? acceptedId = null;
        if (quotable && _rng.NextDouble() < tier.QuotedShare * 1.6)
        {
            var revisions = _rng.Next(100) switch { < 70 => 1, < 92 => 2, _ => 3 };
            var quoteDay = Between(created, end);
            Guid? previous = null;
            IReadOnlyList<Guid>? keys = null;
            for (var r = 0; r < revisions; r++)
            {
                var last = r == revisions - 1;
                var quoteStatus = !last ? QuoteStatus.Superseded
                    : status == OpportunityStatus.Won ? QuoteStatus.Accepted
                    : status == OpportunityStatus.Lost ? QuoteStatus.Rejected
                    : _rng.Next(100) < 75 ? QuoteStatus.Sent : QuoteStatus.Draft;
                var q = await QuoteAsync(orgId, probe, products, sequences, quoteDay, r, previous, quoteStatus, last, _rng.Next(3, 18), keys);
                previous = q.Id;
                keys = q.Keys;
                quoted = last ? q.Net : quoted;
                if (quoteStatus == QuoteStatus.Accepted)
                {
                    (accepted, acceptedId) = (q.Lines, q.Id);
                }

                quoteDay = Min(end, quoteDay.AddDays(_rng.Next(2, 15)));
            }
        }


        // History: created in the first stage (sometimes a later one), forward steps with the odd skip and step back,
        // then the outcome. Amounts and probabilities on the rows are the deal's at that moment.
        var steps = new List<int> { stageIndex == 0 || _rng.Next(10) > 0 ? 0 : Math.Min(1, stageIndex) };
        while (steps[^1] < stageIndex)
        {
            var at = steps[^1];
            var next = _rng.Next(20) == 0 && at > 0 ? at - 1 : Math.Min(stageIndex, at + (_rng.Next(8) == 0 ? 2 : 1));
            steps.Add(next);
        }

        var times = new DateTimeOffset[steps.Count + (status == OpportunityStatus.Open ? 0 : 1)];
        times[0] = created;
        for (var i = 1; i < times.Length; i++)
        {
            times[i] = times[i - 1] + ((end - times[i - 1]) * (1.0 / (times.Length - i + 1)) * (0.5 + _rng.NextDouble()));
        }

        // Each row carries the deal's state right after it (the open steps at the expected amount, the close at the final one).
        for (var i = 0; i < steps.Count; i++)
        {
            var s = stages[steps[i]];
            var p = probabilityOverride ?? s.Probability;
            var openQuote = status == OpportunityStatus.Open && i == steps.Count - 1 ? quoted : null; // an open deal ends as it stands
            var stepForecast = openQuote ?? expected;
            var stepBase = Pricing.Round2(stepForecast * rate);
            await _events.AddAsync(_ct, NewId(times[i]), orgId, id, i == 0 ? OpportunityEventKind.Created : OpportunityEventKind.StageChanged, owner, times[i],
                i == 0 ? null : stages[steps[i - 1]].Id, s.Id, null, i == 0 ? OpportunityStatus.Open : null, null, stepForecast, currency, p,
                pipeline.Id, s.Id, OpportunityStatus.Open, owner, expected, openQuote, null, null, stepBase, Pricing.Round2(stepBase * p / 100m), rate,
                expectedClose, ForecastCategories.ForProbability(s.Probability), null, i, i + 1 < times.Length ? times[i + 1] : null);
        }

        Guid? lostReason = null;
        DateOnly? closedOn = null;
        if (status != OpportunityStatus.Open)
        {
            lostReason = status == OpportunityStatus.Lost ? lostReasons[_rng.Next(lostReasons.Count)] : null;
            closedOn = DateOnly.FromDateTime(times[^1].UtcDateTime);
        }

        // Won deals have their orders (the first from the accepted quote when there is one); they roll up to the deal.
        decimal? ordered = null;
        decimal? delivered = null;
        if (status == OpportunityStatus.Won)
        {
            var orderCount = _rng.Next(10) == 0 ? 2 : 1;
            for (var k = 0; k < orderCount; k++)
            {
                var (net, deliveredNet, cancelled) = await OrderAsync(orgId, probe, k == 0 ? accepted : null, k == 0 ? acceptedId : null, products,
                    orderSequences, closedOn!.Value.AddDays(k * _rng.Next(5, 60)), k > 0 && _rng.Next(4) == 0);
                if (!cancelled)
                {
                    ordered = (ordered ?? 0) + net;
                    delivered = (delivered ?? 0) + deliveredNet;
                }
            }
        }

        var forecastSource = ordered is not null ? ForecastSource.Ordered : quoted is not null ? ForecastSource.Quoted : ForecastSource.Expected;
        var forecast = ordered ?? quoted ?? expected;
        var forecastBase = Pricing.Round2(forecast * rate);
        var weighted = Pricing.Round2(forecastBase * probability / 100m);
        var stageEntered = times[steps.Count - 1];
        var category = status switch
        {
            OpportunityStatus.Won => ForecastCategory.Commit,
            OpportunityStatus.Lost => ForecastCategory.Omitted,
            _ => ForecastCategories.ForProbability(stage.Probability),
        };
        if (status != OpportunityStatus.Open)
        {
            await _events.AddAsync(_ct, NewId(times[^1]), orgId, id, status == OpportunityStatus.Won ? OpportunityEventKind.Won : OpportunityEventKind.Lost,
                owner, times[^1], null, null, OpportunityStatus.Open, status, lostReason, forecast, currency, probability,
                pipeline.Id, stage.Id, status, owner, expected, quoted, ordered, delivered, forecastBase, weighted, rate,
                expectedClose, category, closedOn, steps.Count, null);
        }

        await _opportunities.AddAsync(_ct, id, orgId, owner, account.Id, pipeline.Id, stage.Id, title, expected, quoted, ordered, delivered, currency, rate, forecastSource,
            forecast, forecastBase, weighted, expectedClose, probability, probabilityOverride, stage.Probability, Pick(Names.Sources),
            status == OpportunityStatus.Open && _rng.Next(2) == 0 ? "Teklif sonrası arama" : null, status, lostReason, closedOn, created, stageEntered,
            steps.Count + (status == OpportunityStatus.Open ? 0 : 1), category, ForecastCategories.ForProbability(stage.Probability));
        await IndexAsync(orgId, owner, nameof(Opportunity), id, title);

        if (account.Contacts.Count > 0 && _rng.Next(100) < 60)
        {
            await _opportunityContacts.AddAsync(_ct, orgId, id, account.Contacts[_rng.Next(account.Contacts.Count)], _rng.Next(2) == 0 ? "Karar verici" : null);
        }

        // The probe: an open deal of the main pipeline with a contact, whose page and PDFs the scenarios read.
        if (info.Probe is null && status == OpportunityStatus.Open && pipeline.Id == pipelines[0].Id && account.Contacts.Count > 0 && quoted is null)
        {
            info.Probe = probe;
        }
    }

    private async Task<(Guid Id, decimal Net, IReadOnlyList<Guid> Keys, IReadOnlyList<QuotedLine> Lines)> QuoteAsync(
        Guid orgId, OpportunityInfo opportunity, List<ProductInfo> products, Dictionary<int, int> sequences, DateTimeOffset day, int revision,
        Guid? revisedFrom, QuoteStatus status, bool isPrimary, int lineCount, IReadOnlyList<Guid>? keys)
    {
        var id = NewId(day);
        // A revision keeps the number (year and sequence) of the quote it revises.
        var year = revision == 0 ? day.Year : _lastNumber.Year;
        var sequence = revision == 0 ? sequences.GetValueOrDefault(year) + 1 : _lastNumber.Sequence;
        sequences[year] = Math.Max(sequence, sequences.GetValueOrDefault(year));
        _lastNumber = (year, sequence);
        var lines = new List<(Guid Key, ProductInfo Product, LineTerms Priced)>();
        var count = keys?.Count ?? lineCount;
        for (var i = 0; i < count; i++)
        {
            var product = products[(int)Math.Min(products.Count - 1, products.Count * Math.Pow(_rng.NextDouble(), 2))];
            var price = Pricing.Round2(product.Price / (opportunity.Rate == 1m ? 1m : opportunity.Rate) * (0.9m + (_rng.Next(21) / 100m)));
            var discount = _rng.Next(4) switch { 0 => 5m, 1 => 10m, _ => 0m };
            lines.Add((keys?[i] ?? NewId(day), product, LineTerms.Create(i, _rng.Next(1, 40), Math.Max(0.01m, price), discount, product.Vat)));
        }

        var documentDiscount = _rng.Next(5) == 0 ? 3m : 0m;
        var totals = Pricing.Totals(lines.Select(l => l.Priced), documentDiscount);
        var issue = DateOnly.FromDateTime(day.UtcDateTime);
        var sent = status is QuoteStatus.Draft ? (DateTimeOffset?)null : day.AddHours(2);
        var decided = status is QuoteStatus.Accepted or QuoteStatus.Rejected ? day.AddDays(3) : (DateTimeOffset?)null;
        await _quotes.AddAsync(_ct, id, orgId, opportunity.OwnerId, opportunity.AccountId, opportunity.Id, DocumentNumbers.Format("TKL", year, sequence, 5), year,
            sequence, revision, revisedFrom, status, opportunity.Currency, opportunity.Rate, "tr", documentDiscount, issue, issue.AddDays(30),
            "Ödeme: faturadan sonra 30 gün.", isPrimary, totals.Gross, totals.Discount, totals.Net, totals.Vat, totals.Total, day, sent, decided, 0, false);
        var quoted = new List<QuotedLine>();
        for (var i = 0; i < lines.Count; i++)
        {
            var (key, product, priced) = lines[i];
            var amounts = totals.Lines[i];
            var lineId = NewId(day);
            quoted.Add(new QuotedLine(lineId, product, priced));
            await _quoteLines.AddAsync(_ct, lineId, orgId, id, key, i, QuoteLineKind.Item, product.Id, product.Name, priced.Quantity, product.Unit,
                priced.UnitPrice, priced.DiscountPercent, priced.VatRate, amounts.Net, amounts.Vat);
        }

        return (id, totals.Net, lines.Select(l => l.Key).ToList(), quoted);
    }

    private (int Year, int Sequence) _lastNumber;
    private int _orderCount;

    /// <summary>
    /// An order of a won deal, built and delivered through the Order entity itself (its rules compute status, totals,
    /// delivered amounts); ids are then replaced by deterministic ones. Old orders are delivered, recent ones partly or not.
    /// </summary>
    private async Task<(decimal Net, decimal Delivered, bool Cancelled)> OrderAsync(
        Guid orgId, OpportunityInfo opportunity, IReadOnlyList<QuotedLine>? fromQuote, Guid? quoteId, List<ProductInfo> products,
        Dictionary<int, int> sequences, DateOnly orderDate, bool cancel)
    {
        var anchorDay = DateOnly.FromDateTime(Anchor.UtcDateTime);
        if (orderDate > anchorDay)
        {
            orderDate = anchorDay;
        }

        var at = new DateTimeOffset(orderDate.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero).AddMinutes(_rng.Next(480));
        var year = orderDate.Year;
        var sequence = sequences.GetValueOrDefault(year) + 1;
        sequences[year] = sequence;
        var number = DocumentNumbers.Format("SIP", year, sequence, 5);
        var order = new Order(orgId, opportunity.OwnerId, opportunity.AccountId, opportunity.Id, quoteId, number, year, sequence, opportunity.Currency,
            opportunity.Rate, orderDate, at);
        order.SetDetails(_rng.Next(3) == 0 ? string.Create(CultureInfo.InvariantCulture, $"PO-{_rng.Next(10_000, 99_999)}") : null,
            orderDate.AddDays(_rng.Next(7, 60)), null, null);
        var inputs = fromQuote is not null
            ? fromQuote.Select(l => new OrderLineInput(null, l.Id, l.Product.Id, l.Product.Name, l.Priced.Quantity, l.Product.Unit, l.Priced.UnitPrice,
                l.Priced.DiscountPercent, l.Priced.VatRate)).ToList()
            : Enumerable.Range(0, _rng.Next(2, 12)).Select(_ =>
            {
                var product = products[(int)Math.Min(products.Count - 1, products.Count * Math.Pow(_rng.NextDouble(), 2))];
                var price = Pricing.Round2(product.Price / (opportunity.Rate == 1m ? 1m : opportunity.Rate));
                return new OrderLineInput(null, null, product.Id, product.Name, _rng.Next(1, 30), product.Unit, Math.Max(0.01m, price), 0m, product.Vat);
            }).ToList();
        order.SetLines(inputs);

        var deliveries = new List<Delivery>();
        var age = anchorDay.DayNumber - orderDate.DayNumber;
        if (age > 14 && !cancel)
        {
            var lines = order.Lines.ToList();
            var partial = age < 60 || _rng.Next(5) == 0;
            var first = partial || _rng.Next(3) == 0 ? lines.Take(Math.Max(1, lines.Count / 2)).ToList() : lines;
            deliveries.Add(order.Deliver(DeliveryKind.Delivery, first.ToDictionary(l => l.Id, l => l.RemainingQuantity), orderDate.AddDays(Math.Min(age, 7)),
                string.Create(CultureInfo.InvariantCulture, $"IRS-{_rng.Next(100_000, 999_999)}"), null, opportunity.OwnerId, at.AddDays(Math.Min(age, 7))));
            if (!partial && order.HasRemainder)
            {
                deliveries.Add(order.Deliver(DeliveryKind.Delivery, order.Lines.Where(l => l.RemainingQuantity > 0).ToDictionary(l => l.Id, l => l.RemainingQuantity),
                    orderDate.AddDays(Math.Min(age, 14)), null, null, opportunity.OwnerId, at.AddDays(Math.Min(age, 14))));
            }
        }

        if (cancel)
        {
            order.CancelRemainder("Müşteri siparişi iptal etti.", at.AddDays(1));
        }

        var orderId = NewId(at);
        var lineIds = order.Lines.ToDictionary(l => l.Id, _ => NewId(at));
        await _orders.AddAsync(_ct, orderId, orgId, order.OwnerId, order.AccountId, order.OpportunityId, order.QuoteId, order.Number, order.Year, order.Sequence,
            order.OrderDate, order.CustomerReference, order.RequestedDeliveryDate, order.DeliveryAddress, order.Notes, order.Currency.Code, order.Currency.Rate,
            order.DocumentDiscountPercent, order.Status, order.NetTotal, order.VatTotal, order.GrandTotal, order.DeliveredNet, order.NetTotalBase,
            order.DeliveredNetBase, order.CancelReason, order.CancelledAt, order.CreatedAt, 1 + deliveries.Count + (cancel ? 1 : 0));
        foreach (var l in order.Lines)
        {
            await _orderLines.AddAsync(_ct, lineIds[l.Id], orgId, orderId, l.Position, l.QuoteLineId, l.ProductId, l.Description, l.Quantity, l.Unit, l.UnitPrice,
                l.DiscountPercent, l.VatRate, l.DeliveredQuantity, l.ReturnedQuantity, l.CancelledQuantity, l.NetAmount, l.VatAmount, l.DeliveredNet,
                l.RemainingNetBase);
        }

        foreach (var d in deliveries)
        {
            var deliveryId = NewId(d.CreatedAt);
            await _deliveries.AddAsync(_ct, deliveryId, orgId, orderId, d.Kind, d.Date, d.NoteNumber, d.Note, d.CreatedById, d.CreatedAt);
            foreach (var dl in d.Lines)
            {
                await _deliveryLines.AddAsync(_ct, NewId(d.CreatedAt), orgId, deliveryId, lineIds[dl.OrderLineId], dl.Quantity);
            }
        }

        _orderCount++;
        return (order.NetTotal, order.DeliveredNet, order.Status == OrderStatus.Cancelled);
    }

    private async Task IndexAsync(Guid orgId, Guid ownerId, string entityType, Guid entityId, params string?[] texts)
    {
        foreach (var term in TurkishText.Words(texts))
        {
            await _search.AddAsync(_ct, orgId, ownerId, entityType, entityId, term);
        }
    }

    /// <summary>A UUIDv7-shaped id from the record's own time and the seeded generator: deterministic, and in time order like the app's.</summary>
    private Guid NewId(DateTimeOffset at)
    {
        Span<byte> b = stackalloc byte[16];
        _rng.NextBytes(b);
        var ms = at.ToUnixTimeMilliseconds();
        b[0] = (byte)(ms >> 40);
        b[1] = (byte)(ms >> 32);
        b[2] = (byte)(ms >> 24);
        b[3] = (byte)(ms >> 16);
        b[4] = (byte)(ms >> 8);
        b[5] = (byte)ms;
        b[6] = (byte)(0x70 | (b[6] & 0x0F));
        b[8] = (byte)(0x80 | (b[8] & 0x3F));
        return new Guid(b, bigEndian: true);
    }

    private string Vkn()
    {
        while (true)
        {
            var nine = _rng.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture);
            for (var d = 0; d < 10; d++)
            {
                var candidate = nine + d.ToString(CultureInfo.InvariantCulture);
                if (TaxNumber.IsValidVkn(candidate))
                {
                    return candidate;
                }
            }
        }
    }

    private string Phone() => string.Create(CultureInfo.InvariantCulture, $"0{_rng.Next(212, 554)} {_rng.Next(100, 999)} {_rng.Next(10, 99)} {_rng.Next(10, 99)}");

    private string Hex(int bytes)
    {
        var b = new byte[bytes];
        _rng.NextBytes(b);
        return Convert.ToHexString(b);
    }

    private T Pick<T>(T[] items) => items[_rng.Next(items.Length)];

    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        to <= from ? from : from + ((to - from) * _rng.NextDouble());

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private double NextGaussian() => Math.Sqrt(-2.0 * Math.Log(1.0 - _rng.NextDouble())) * Math.Cos(2.0 * Math.PI * _rng.NextDouble());

    private sealed record PipelineInfo(Guid Id, List<(Guid Id, int Probability, string Name)> Stages);

    private sealed record ProductInfo(Guid Id, string Name, string Unit, decimal Price, decimal Vat);

    private sealed record QuotedLine(Guid Id, ProductInfo Product, LineTerms Priced);

    private sealed record AccountInfo(Guid Id, Guid OwnerId, string ShortName, string Domain, DateTimeOffset Created)
    {
        public List<Guid> Contacts { get; } = [];
    }

    /// <summary>Zipf-distributed ranks 0..n-1 (rank 0 the most frequent), by binary search on the cumulative weights.</summary>
    private sealed class Zipf
    {
        private readonly double[] _cumulative;

        public Zipf(int n, double exponent)
        {
            _cumulative = new double[n];
            var sum = 0.0;
            for (var k = 0; k < n; k++)
            {
                sum += 1.0 / Math.Pow(k + 1, exponent);
                _cumulative[k] = sum;
            }
        }

        public int Sample(Random rng)
        {
            var u = rng.NextDouble() * _cumulative[^1];
            var i = Array.BinarySearch(_cumulative, u);
            return Math.Min(_cumulative.Length - 1, i >= 0 ? i : ~i);
        }
    }
}

/// <summary>An opportunity the scenarios address by id.</summary>
public sealed record OpportunityInfo(Guid Id, Guid AccountId, Guid OwnerId, string Currency, decimal Rate, DateTimeOffset Created);
