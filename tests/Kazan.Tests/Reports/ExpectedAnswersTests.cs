using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Kazan.Features.Opportunities;
using Kazan.Features.Pipelines;
using Kazan.Features.Users;
using Kazan.Infrastructure.Commands;
using Kazan.Infrastructure.Tenancy;
using Kazan.Infrastructure.Time;
using Kazan.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kazan.Tests.Reports;

/// <summary>
/// Every report against the independent expected-answer set (ExpectedAnswers/: story.json played through the domain's
/// commands at its instants, each query's figures worked out by expected.py from docs/domain.md alone). One query per case.
/// </summary>
public sealed class ExpectedAnswersTests(ExpectedAnswersTests.Story story) : IClassFixture<ExpectedAnswersTests.Story>
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "Reports", "ExpectedAnswers");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string> Queries()
    {
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "expected.json")));
        return [.. expected.RootElement.GetProperty("queries").EnumerateArray().Select(q => q.GetProperty("name").GetString()!)];
    }

    [Theory]
    [MemberData(nameof(Queries))]
    public async Task The_report_gives_the_expected_figures(string name)
    {
        await story.PlayedAsync();
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "expected.json"), Ct));
        var query = expected.RootElement.GetProperty("queries").EnumerateArray().Single(q => q.GetProperty("name").GetString() == name);
        var url = story.Resolve(query.GetProperty("url").GetString()!);
        var response = await story.Admin.GetAsync(url, Ct);
        await response.EnsureSuccessAsync();
        using var actual = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var differences = new List<string>();
        Compare(query.GetProperty("expect"), actual.RootElement, "$", differences);
        Assert.True(differences.Count == 0, $"{name} ({url}):\n{string.Join('\n', differences)}");
    }

    [Fact]
    public async Task The_story_holds_the_named_edge_cases()
    {
        await story.PlayedAsync();
        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "story.json"), Ct));
        var steps = doc.RootElement.GetProperty("deals").EnumerateArray().Select(d => d.GetProperty("steps").EnumerateArray().ToList()).ToList();
        Assert.Equal(60, steps.Count);
        bool Has(Func<List<JsonElement>, bool> life) => steps.Any(life);
        static string Do(JsonElement s) => s.GetProperty("do").GetString()!;
        Assert.True(Has(l => l.Select(Do).SkipWhile(d => d != "won").Contains("reopen")), "a deal reopened after it was won");
        Assert.True(Has(l => l.Any(s => Do(s) == "pipeline")), "a deal moved to another pipeline");
        Assert.True(Has(l => l.Count(s => s.TryGetProperty("rate", out var r) && r.GetString() != "1") >= 3), "a foreign-currency deal whose rate changes");
        Assert.True(doc.RootElement.GetProperty("deactivations").GetArrayLength() > 0, "a user deactivated mid-period");

        // What the app holds now agrees with the story on the deactivated owner: inactive, still owning deals.
        var (scope, db) = story.Factory.DbAs(story.Org.Id, story.Org.Admin.Id);
        using (scope)
        {
            var cem = story.Users["cem"];
            Assert.False(await db.Users.Where(u => u.Id == cem).Select(u => u.IsActive).SingleAsync(Ct));
            Assert.True(await db.Opportunities.AnyAsync(o => o.OwnerId == cem && o.Status == OpportunityStatus.Open, Ct));
        }
    }

    /// <summary>
    /// Every property the expected answer names must be in the actual answer with the same value: numbers (money as
    /// strings in the file) compared as decimals, placeholders like <c>{user:ayse}</c> resolved to ids, arrays element by
    /// element (order matters: it is part of each report's rule).
    /// </summary>
    private void Compare(JsonElement expected, JsonElement actual, string path, List<string> differences)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object)
                {
                    differences.Add($"{path}: expected an object, got {actual}");
                    return;
                }

                foreach (var property in expected.EnumerateObject())
                {
                    var found = actual.EnumerateObject().Where(p => string.Equals(p.Name, property.Name, StringComparison.OrdinalIgnoreCase)).ToList();
                    if (found.Count == 0)
                    {
                        differences.Add($"{path}.{property.Name}: missing");
                        continue;
                    }

                    Compare(property.Value, found[0].Value, $"{path}.{property.Name}", differences);
                }

                return;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != expected.GetArrayLength())
                {
                    differences.Add($"{path}: expected {expected.GetArrayLength()} items, got {actual}");
                    return;
                }

                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    Compare(expected[i], actual[i], $"{path}[{i}]", differences);
                }

                return;
            case JsonValueKind.Null:
                if (actual.ValueKind != JsonValueKind.Null)
                {
                    differences.Add($"{path}: expected null, got {actual}");
                }

                return;
            case JsonValueKind.Number:
                if (actual.ValueKind != JsonValueKind.Number || actual.GetDecimal() != expected.GetDecimal())
                {
                    differences.Add($"{path}: expected {expected}, got {actual}");
                }

                return;
            default:
                var want = story.Resolve(expected.GetString()!);
                var same = actual.ValueKind == JsonValueKind.Number
                    ? decimal.TryParse(want, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) && number == actual.GetDecimal()
                    : actual.ValueKind == JsonValueKind.String && string.Equals(actual.GetString(), want, StringComparison.OrdinalIgnoreCase);
                if (!same)
                {
                    differences.Add($"{path}: expected {want}, got {actual}");
                }

                return;
        }
    }

    /// <summary>
    /// The story played once for the class on a host and database of its own (the clock moves through 18 months): its
    /// users, teams, second pipeline and deals, every step at its instant through the domain's commands, as the admin.
    /// </summary>
    public sealed class Story : IAsyncLifetime
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private bool _played;

        public ClockedKazanFactory Factory { get; } = new();
        public TestOrganization Org { get; private set; } = default!;
        public HttpClient Admin => Org.Admin.Client;
        public Dictionary<string, Guid> Users { get; } = [];
        private Dictionary<string, Guid> Teams { get; } = [];
        private Dictionary<string, Guid> Pipelines { get; } = [];
        private Dictionary<string, Guid[]> Stages { get; } = [];
        private Dictionary<string, Guid> Reasons { get; } = [];
        private Dictionary<string, Guid> Deals { get; } = [];

        public ValueTask InitializeAsync() => Factory.InitializeAsync();

        public ValueTask DisposeAsync() => Factory.DisposeAsync();

        /// <summary>A URL or value with its placeholders ({user:key}, {team:key}, {pipeline:key}) replaced by ids.</summary>
        public string Resolve(string text)
        {
            foreach (var (kind, map) in new[] { ("user", Users), ("team", Teams), ("pipeline", Pipelines) })
            {
                foreach (var (key, id) in map)
                {
                    text = text.Replace($"{{{kind}:{key}}}", id.ToString(), StringComparison.Ordinal);
                }
            }

            return text;
        }

        public async Task PlayedAsync()
        {
            await _gate.WaitAsync(Ct);
            try
            {
                if (!_played)
                {
                    await PlayAsync();
                    _played = true;
                }
            }
            finally
            {
                _gate.Release();
            }
        }

        private async Task PlayAsync()
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Folder, "story.json"), Ct));
            var story = doc.RootElement;
            Factory.Clock.Now = Instant(story.GetProperty("start"));
            Org = await Factory.CreateOrganizationAsync("Beklenen Değerler A.Ş.");
            Users["admin"] = Org.Admin.Id;
            foreach (var team in story.GetProperty("teams").EnumerateArray())
            {
                var created = await Admin.PostAsJsonAsync("/api/v1/teams", new { name = team.GetProperty("name").GetString() }, Ct);
                await created.EnsureSuccessAsync();
                Teams[team.GetProperty("key").GetString()!] = (await created.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetGuid();
            }

            foreach (var user in story.GetProperty("users").EnumerateArray().Where(u => u.GetProperty("key").GetString() != "admin"))
            {
                var team = user.GetProperty("team").GetString();
                var added = await Org.AddUserAsync(Enum.Parse<UserRole>(user.GetProperty("role").GetString()!), user.GetProperty("name").GetString(),
                    team is null ? null : Teams[team]);
                Users[user.GetProperty("key").GetString()!] = added.Id;
            }

            var account = await Factory.AccountAsync(Org, "Hesap Kitap Ltd.", at: Factory.Clock.Now);
            await PipelinesAsync(story.GetProperty("pipelines"));

            // Every step of every deal and every deactivation, in time order (a deal's own steps keep their order).
            var timeline = story.GetProperty("deals").EnumerateArray()
                .SelectMany((deal, i) => deal.GetProperty("steps").EnumerateArray().Select(step => (At: Instant(step.GetProperty("at")), Order: i, Deal: (JsonElement?)deal, Step: step)))
                .Concat(story.GetProperty("deactivations").EnumerateArray().Select(d => (At: Instant(d.GetProperty("at")), Order: -1, Deal: (JsonElement?)null, Step: d)))
                .OrderBy(x => x.At).ThenBy(x => x.Order).ToList();
            foreach (var (at, _, deal, step) in timeline)
            {
                Factory.Clock.Now = at;
                if (deal is null)
                {
                    var deactivated = await Admin.PostAsync($"/api/v1/users/{Users[step.GetProperty("user").GetString()!]}/deactivate", null, Ct);
                    await deactivated.EnsureSuccessAsync();
                }
                else
                {
                    await StepAsync(deal.Value, step, account);
                }
            }

            Factory.Clock.Now = Instant(story.GetProperty("now"));
        }

        /// <summary>The default pipeline must be the story's (names, probabilities, categories); the others are made as the story says.</summary>
        private async Task PipelinesAsync(JsonElement pipelines)
        {
            var (scope, db) = Factory.DbAs(Org.Id, Org.Admin.Id);
            using (scope)
            {
                foreach (var p in pipelines.EnumerateArray())
                {
                    var stages = p.GetProperty("stages").EnumerateArray()
                        .Select(s => (Name: s.GetProperty("name").GetString()!, Probability: s.GetProperty("probability").GetInt32(),
                            Category: Enum.Parse<ForecastCategory>(s.GetProperty("category").GetString()!))).ToList();
                    Pipeline pipeline;
                    if (p.GetProperty("default").GetBoolean())
                    {
                        pipeline = (await PipelineQueries.DefaultAsync(db, Ct))!;
                        Assert.Equal(stages, pipeline.Stages.Select(s => (s.Name, s.Probability, s.ForecastCategory)));
                    }
                    else
                    {
                        pipeline = new Pipeline(Org.Id, p.GetProperty("name").GetString()!, isDefault: false);
                        foreach (var (name, probability, category) in stages)
                        {
                            pipeline.AddStage(name, probability, forecastCategory: category);
                        }

                        db.Pipelines.Add(pipeline);
                        await db.SaveChangesAsync(Ct);
                    }

                    Pipelines[p.GetProperty("key").GetString()!] = pipeline.Id;
                    Stages[p.GetProperty("key").GetString()!] = [.. pipeline.Stages.Select(s => s.Id)];
                }

                foreach (var reason in await db.LostReasons.ToListAsync(Ct))
                {
                    Reasons[reason.Name] = reason.Id;
                }
            }
        }

        private async Task StepAsync(JsonElement deal, JsonElement step, Guid account)
        {
            var key = deal.GetProperty("key").GetString()!;
            var what = step.GetProperty("do").GetString()!;
            var (scope, db) = Factory.DbAs(Org.Id, Org.Admin.Id);
            using (scope)
            {
                var me = scope.ServiceProvider.GetRequiredService<CurrentUser>();
                var time = new OrganizationTime(Factory.Clock, me);
                var now = Factory.Clock.Now;
                var admin = Org.Admin.Id;
                if (what == "create")
                {
                    var pipeline = step.GetProperty("pipeline").GetString()!;
                    var created = await OpportunityCommands.CreateAsync(db, me, time, new NewOpportunity(
                        deal.GetProperty("title").GetString()!, account, Pipelines[pipeline], Stages[pipeline][step.GetProperty("stage").GetInt32()],
                        Money(step, "amount"), step.GetProperty("currency").GetString(), Money(step, "rate"), Day(step, "close"),
                        Users[step.GetProperty("owner").GetString()!], step.GetProperty("source").GetString(), null, null, null), Ct);
                    Assert.True(created.IsOk, $"{key} {what} at {now:O}: {created.Status} {created.Rule?.Message}");
                    Deals[key] = created.Value!.Id;
                    return;
                }

                var id = Deals[key];
                var o = await db.Opportunities.AsNoTracking().SingleAsync(x => x.Id == id, Ct);
                var stages = Stages[Pipelines.Single(p => p.Value == o.PipelineId).Key];
                Outcome<Opportunity> outcome = what switch
                {
                    "move" => await OpportunityCommands.MoveAsync(db, id, o.Version, stages[step.GetProperty("stage").GetInt32()], admin, now, Ct),
                    "pipeline" => await OpportunityCommands.MoveToPipelineAsync(db, id, o.Version,
                        Stages[step.GetProperty("pipeline").GetString()!][step.GetProperty("stage").GetInt32()], admin, now, Ct),
                    "won" => await OpportunityCommands.MarkWonAsync(db, id, o.Version, admin, time, null, Ct),
                    "lost" => await OpportunityCommands.MarkLostAsync(db, id, o.Version, Reasons[step.GetProperty("reason").GetString()!], null, admin, time, null, Ct),
                    "reopen" => await OpportunityCommands.ReopenAsync(db, id, o.Version, admin, now, null, Ct),
                    "transfer" => await OpportunityCommands.TransferAsync(db, id, o.Version, Users[step.GetProperty("owner").GetString()!], admin, now, Ct),
                    "category" => await OpportunityCommands.SetForecastCategoryAsync(db, id, o.Version,
                        step.GetProperty("category").GetString() is { } c ? Enum.Parse<ForecastCategory>(c) : null, Ct),
                    "probability" => await OpportunityCommands.SetProbabilityAsync(db, id, o.Version,
                        step.GetProperty("probability").ValueKind == JsonValueKind.Null ? null : step.GetProperty("probability").GetInt32(), Ct),
                    "edit" => await OpportunityCommands.UpdateAsync(db, id, o.Version, new OpportunityDetails(o.Title,
                        step.TryGetProperty("amount", out _) ? Money(step, "amount") : o.ExpectedAmount,
                        step.TryGetProperty("currency", out var currency) ? currency.GetString() : o.Currency.Code,
                        step.TryGetProperty("rate", out _) ? Money(step, "rate") : o.Currency.Rate,
                        step.TryGetProperty("close", out _) ? Day(step, "close") : o.ExpectedCloseDate, o.Source, o.NextStep), Ct),
                    _ => throw new InvalidOperationException($"unknown step {what}"),
                };
                Assert.True(outcome.IsOk, $"{key} {what} at {now:O}: {outcome.Status} {outcome.Rule?.Message}");
            }
        }

        private static DateTimeOffset Instant(JsonElement value) => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture);

        private static decimal Money(JsonElement step, string name) => decimal.Parse(step.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

        private static DateOnly Day(JsonElement step, string name) => DateOnly.ParseExact(step.GetProperty(name).GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }
}
