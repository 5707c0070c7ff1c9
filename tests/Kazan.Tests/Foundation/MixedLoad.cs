using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Kazan.Tests.Foundation;

/// <summary>One load client: an API token of a user, the organization's stages and its shared ("hot") deals.</summary>
public sealed record LoadClient(int Number, string Token, Guid OrganizationId, bool MovesSharedDeals, IReadOnlyList<Guid> Stages, IReadOnlyList<Guid> SharedDeals);

/// <summary>
/// Clients that each loop over a realistic mix of API calls until the time is up: lists, the board, search and reports;
/// creates of accounts, contacts, deals, quotes with lines (some with an Idempotency-Key, some of those sent twice at
/// once) and activities; stage moves with If-Match, on the client's own deals and on a few deals every manager moves.
/// Every answer is counted by status; what is not the expected answer is a failure, with its body. What was
/// acknowledged is kept for the caller to find in the database afterwards.
/// </summary>
public sealed class MixedLoad(Uri baseAddress, IReadOnlyList<LoadClient> clients, TimeSpan duration)
{
    private readonly ConcurrentQueue<Sample> _samples = new();
    private readonly ConcurrentQueue<Failure> _failures = new();

    public IReadOnlyCollection<Sample> Samples => _samples;

    public IReadOnlyCollection<Failure> Failures => _failures;

    public TimeSpan Elapsed { get; private set; }

    /// <summary>Ids answered 201, by kind (account, contact, opportunity, quote, activity).</summary>
    public ConcurrentDictionary<string, ConcurrentBag<Guid>> Created { get; } = new();

    /// <summary>The number of lines sent with each quote that was answered 201.</summary>
    public ConcurrentDictionary<Guid, int> QuoteLines { get; } = new();

    /// <summary>Each client's own deals and the stage its last acknowledged move put them in.</summary>
    public ConcurrentDictionary<Guid, Guid> OwnDealStages { get; } = new();

    /// <summary>Acknowledged moves of the shared deals: (deal, version the answer carries, stage).</summary>
    public ConcurrentQueue<(Guid Deal, int Version, Guid Stage)> SharedMoves { get; } = new();

    public sealed record Sample(string Operation, int Status, double Milliseconds);

    /// <summary>An answer that was not the expected one (status 0: none came), or a broken promise found by the client.</summary>
    public sealed record Failure(string Operation, int Status, string Text);

    public async Task RunAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var until = DateTime.UtcNow + duration;
        await Task.WhenAll(clients.Select(c => Task.Run(() => ClientAsync(c, until, ct), ct)));
        Elapsed = watch.Elapsed;
    }

    private async Task ClientAsync(LoadClient client, DateTime until, CancellationToken ct)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(90), // longer than any busy wait, so a stuck write shows as its answer
        };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", client.Token);
        var random = new Random(1000 + client.Number);
        var accounts = new List<Guid>();
        var deals = new List<(Guid Id, Guid Account)>();
        var step = 0;
        var movedShared = false;
        var quotes = 0;
        while (DateTime.UtcNow < until && !ct.IsCancellationRequested)
        {
            step++;
            if (accounts.Count == 0)
            {
                await CreateAccountAsync(http, client, step, keyed: client.Number % 5 == 1, accounts, ct); // so every run has keyed accounts
                continue;
            }

            if (deals.Count == 0)
            {
                await CreateDealAsync(http, client, step, accounts, deals, ct);
                continue;
            }

            if (client.MovesSharedDeals && !movedShared)
            {
                movedShared = true; // every run has managers racing on the shared deals
                await MoveAsync(http, client.SharedDeals[client.Number % client.SharedDeals.Count], shared: true, client, random, ct);
                continue;
            }

            var roll = random.Next(100);
            var (deal, dealAccount) = deals[random.Next(deals.Count)];
            switch (roll)
            {
                case < 12:
                    await SendAsync(http, "list opportunities", Get($"/api/v1/opportunities?limit=25{(random.Next(2) == 0 ? "&sort=Amount&desc=true" : "")}"), ct);
                    break;
                case < 20:
                    await SendAsync(http, "board", Get("/api/v1/board"), ct);
                    break;
                case < 27:
                    await SendAsync(http, "search", Get($"/api/v1/search?q={Uri.EscapeDataString(SearchWords[random.Next(SearchWords.Length)])}"), ct);
                    break;
                case < 33:
                    await SendAsync(http, "report", Get(Reports[random.Next(Reports.Length)]), ct);
                    break;
                case < 39:
                    await SendAsync(http, "list accounts", Get("/api/v1/accounts?limit=25"), ct);
                    break;
                case < 46:
                    await SendAsync(http, "get opportunity", Get($"/api/v1/opportunities/{deal}"), ct);
                    break;
                case < 53:
                    await CreateAccountAsync(http, client, step, keyed: random.Next(4) == 0, accounts, ct);
                    break;
                case < 60:
                    await CreateContactAsync(http, client, step, accounts[random.Next(accounts.Count)], ct);
                    break;
                case < 67:
                    await CreateDealAsync(http, client, step, accounts, deals, ct);
                    break;
                case < 77:
                    await MoveAsync(http, deal, shared: false, client, random, ct);
                    break;
                case < 81 when client.MovesSharedDeals:
                    await MoveAsync(http, client.SharedDeals[random.Next(client.SharedDeals.Count)], shared: true, client, random, ct);
                    break;
                case < 91:
                    await CreateQuoteAsync(http, client, step, dealAccount, deal, quotes++ == 0 && client.Number % 5 == 0, random, ct);
                    break;
                default:
                    await CreateActivityAsync(http, client, step, dealAccount, deal, random, ct);
                    break;
            }
        }
    }

    private static readonly string[] SearchWords = ["anadolu", "İSTANBUL", "makine", "kompresör", "yük", "şahin", "çelik"];

    private static readonly string[] Reports =
        ["/api/v1/reports/pipeline", "/api/v1/reports/dashboard", "/api/v1/reports/forecast", "/api/v1/activities?limit=25"];

    private static readonly string[] Cities = ["İstanbul", "Ankara", "İzmir", "Bursa"];

    private async Task CreateAccountAsync(HttpClient http, LoadClient client, int step, bool keyed, List<Guid> accounts, CancellationToken ct)
    {
        var request = Post("/api/v1/accounts", new { kind = "Company", name = $"Anadolu Makine {client.Number}-{step} A.Ş.", city = Cities[step % Cities.Length] });
        if (keyed)
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        if (await SendAsync(http, keyed ? "create account (keyed)" : "create account", request, ct, HttpStatusCode.Created) is { } body)
        {
            var id = body.GetProperty("id").GetGuid();
            accounts.Add(id);
            Acknowledge("account", id);
        }
    }

    private async Task CreateContactAsync(HttpClient http, LoadClient client, int step, Guid account, CancellationToken ct)
    {
        var body = await SendAsync(http, "create contact", Post("/api/v1/contacts",
            new { accountId = account, firstName = "Ayşe", lastName = $"Şahin {client.Number}-{step}", email = $"ayse.{client.Number}.{step}@yuk.example" }), ct, HttpStatusCode.Created);
        if (body is { } created)
        {
            Acknowledge("contact", created.GetProperty("id").GetGuid());
        }
    }

    private async Task CreateDealAsync(HttpClient http, LoadClient client, int step, List<Guid> accounts, List<(Guid, Guid)> deals, CancellationToken ct)
    {
        var account = accounts[step % accounts.Count];
        var body = await SendAsync(http, "create opportunity", Post("/api/v1/opportunities", new
        {
            title = $"Kompresör yenileme {client.Number}-{step}",
            accountId = account,
            expectedAmount = 10_000m + step,
            expectedCloseDate = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30 + step % 60),
        }), ct, HttpStatusCode.Created);
        if (body is { } created)
        {
            var id = created.GetProperty("id").GetGuid();
            deals.Add((id, account));
            OwnDealStages[id] = created.GetProperty("stage").GetProperty("id").GetGuid();
            Acknowledge("opportunity", id);
        }
    }

    /// <summary>Reads the deal, then moves it to another stage with the ETag read. A shared deal may have moved meanwhile: 412.</summary>
    private async Task MoveAsync(HttpClient http, Guid deal, bool shared, LoadClient client, Random random, CancellationToken ct)
    {
        var (current, etag) = await SendWithETagAsync(http, "get opportunity", Get($"/api/v1/opportunities/{deal}"), ct);
        if (current is not { } read || etag is null)
        {
            return;
        }

        var from = read.GetProperty("stage").GetProperty("id").GetGuid();
        var to = client.Stages.Where(s => s != from).ElementAt(random.Next(client.Stages.Count - 1));
        var request = Post($"/api/v1/opportunities/{deal}/stage", new { stageId = to });
        request.Headers.TryAddWithoutValidation("If-Match", etag);
        var operation = shared ? "move shared deal (If-Match)" : "move own deal (If-Match)";
        var (moved, _) = await SendWithETagAsync(http, operation, request, ct, shared ? [HttpStatusCode.OK, HttpStatusCode.PreconditionFailed] : [HttpStatusCode.OK]);
        if (moved is { ValueKind: JsonValueKind.Object } answer && answer.TryGetProperty("stage", out var stage))
        {
            if (shared)
            {
                SharedMoves.Enqueue((deal, answer.GetProperty("version").GetInt32(), stage.GetProperty("id").GetGuid()));
            }
            else
            {
                OwnDealStages[deal] = stage.GetProperty("id").GetGuid();
            }
        }
    }

    /// <summary>
    /// A quote with 1–5 lines. Half carry an Idempotency-Key; a third of those are sent twice at once (a client that
    /// retried too early): both answers must be the same 201.
    /// </summary>
    private async Task CreateQuoteAsync(HttpClient http, LoadClient client, int step, Guid account, Guid deal, bool sendKeyedTwice, Random random, CancellationToken ct)
    {
        var lineCount = 1 + random.Next(5);
        var lines = Enumerable.Range(1, lineCount).Select(i => new
        {
            kind = "Item",
            description = $"Vida kompresörü yedek parça {i}",
            quantity = (decimal)i,
            unit = "adet",
            unitPrice = 1_250.50m * i,
            discountPercent = i % 3 * 5m,
            vatRate = 20m,
        }).ToArray();
        var body = new { accountId = account, opportunityId = deal, currency = "TRY", lines };
        var key = sendKeyedTwice || random.Next(2) == 0 ? Guid.NewGuid().ToString() : null;
        var twice = sendKeyedTwice || (key is not null && random.Next(3) == 0);
        HttpRequestMessage Request()
        {
            var request = Post("/api/v1/quotes", body);
            if (key is not null)
            {
                request.Headers.Add("Idempotency-Key", key);
            }

            return request;
        }

        var operation = key is null ? "create quote" : twice ? "create quote (keyed, sent twice at once)" : "create quote (keyed)";
        var answers = await Task.WhenAll(Enumerable.Range(0, twice ? 2 : 1).Select(_ => SendAsync(http, operation, Request(), ct, HttpStatusCode.Created)));
        var ids = answers.Where(a => a is not null).Select(a => a!.Value.GetProperty("id").GetGuid()).Distinct().ToList();
        if (ids.Count > 1)
        {
            _failures.Enqueue(new Failure(operation, 201, $"one Idempotency-Key made {ids.Count} quotes ({string.Join(", ", ids)}) for client {client.Number} step {step}"));
        }

        foreach (var id in ids)
        {
            QuoteLines[id] = lineCount;
            Acknowledge("quote", id);
        }
    }

    private async Task CreateActivityAsync(HttpClient http, LoadClient client, int step, Guid account, Guid deal, Random random, CancellationToken ct)
    {
        var body = await SendAsync(http, "create activity", Post("/api/v1/activities", new
        {
            kind = random.Next(2) == 0 ? "Call" : "Task",
            subject = $"Yük testi araması {client.Number}-{step}",
            accountId = account,
            opportunityId = deal,
            dueAt = DateTimeOffset.UtcNow.AddDays(1 + step % 10),
        }), ct, HttpStatusCode.Created);
        if (body is { } created)
        {
            Acknowledge("activity", created.GetProperty("id").GetGuid());
        }
    }

    private void Acknowledge(string kind, Guid id) => Created.GetOrAdd(kind, _ => []).Add(id);

    private static HttpRequestMessage Get(string url) => new(HttpMethod.Get, url);

    private static HttpRequestMessage Post(string url, object body) => new(HttpMethod.Post, url) { Content = JsonContent.Create(body) };

    private async Task<JsonElement?> SendAsync(HttpClient http, string operation, HttpRequestMessage request, CancellationToken ct, params HttpStatusCode[] expected) =>
        (await SendWithETagAsync(http, operation, request, ct, expected)).Body;

    /// <summary>
    /// Sends, counts the answer and returns its JSON body (null unless the status was expected: 200 for reads). A 5xx,
    /// a 429, a database-busy answer, any unexpected status or no answer at all is a failure.
    /// </summary>
    private async Task<(JsonElement? Body, string? ETag)> SendWithETagAsync(
        HttpClient http, string operation, HttpRequestMessage request, CancellationToken ct, params HttpStatusCode[] expected)
    {
        if (expected.Length == 0)
        {
            expected = [HttpStatusCode.OK];
        }

        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            _samples.Enqueue(new Sample(operation, (int)response.StatusCode, watch.Elapsed.TotalMilliseconds));
            var busy = text.Contains("database is locked", StringComparison.OrdinalIgnoreCase) || text.Contains("database.busy", StringComparison.Ordinal);
            if (!expected.Contains(response.StatusCode) || busy)
            {
                _failures.Enqueue(new Failure(operation, (int)response.StatusCode,
                    $"{(int)response.StatusCode} {request.Method} {request.RequestUri} after {watch.ElapsedMilliseconds} ms: {Shorten(text)}"));
                return (null, null);
            }

            return response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created
                ? (JsonDocument.Parse(text).RootElement.Clone(), response.Headers.ETag?.ToString())
                : (null, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            _samples.Enqueue(new Sample(operation, 0, watch.Elapsed.TotalMilliseconds));
            _failures.Enqueue(new Failure(operation, 0, $"no answer to {request.Method} {request.RequestUri} after {watch.ElapsedMilliseconds} ms: {e.Message}"));
            return (null, null);
        }
    }

    private static string Shorten(string text) => text.Length <= 400 ? text : text[..400] + "…";

    /// <summary>Requests, answers by status, latency (p50 / p95 / max by nearest rank) and rate, per operation and in all.</summary>
    public string Report(string title)
    {
        var all = _samples.ToList();
        var text = new StringBuilder();
        var seconds = Elapsed.TotalSeconds;
        text.AppendLine(CultureInfo.InvariantCulture, $"{title}: {all.Count} requests in {seconds:N1} s = {all.Count / seconds:N0} req/s, "
            + $"{clients.Count} clients; statuses {Statuses(all)}; p50 {Percentile(all, 0.50):N0} ms, p95 {Percentile(all, 0.95):N0} ms, max {Percentile(all, 1):N0} ms");
        text.AppendLine("| operation | requests | statuses | p50 ms | p95 ms | max ms |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var group in all.GroupBy(s => s.Operation).OrderByDescending(g => g.Count()))
        {
            var samples = group.ToList();
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {group.Key} | {samples.Count} | {Statuses(samples)} | {Percentile(samples, 0.50):N0} | {Percentile(samples, 0.95):N0} | {Percentile(samples, 1):N0} |");
        }

        return text.ToString();
    }

    private static string Statuses(List<Sample> samples) =>
        string.Join(", ", samples.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))} × {g.Count()}"));

    private static double Percentile(List<Sample> samples, double p)
    {
        if (samples.Count == 0)
        {
            return 0;
        }

        var sorted = samples.Select(s => s.Milliseconds).Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
