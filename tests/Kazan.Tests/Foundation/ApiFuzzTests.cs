using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>
/// Walks every operation of the served OpenAPI document with bad input an attacker or a careless client sends: bodies
/// of the wrong shape, a bad value in each field (null, wrong type, huge, out of range, null list elements), bad path
/// ids, bad query values and forged or truncated cursors, bad If-Match and Idempotency-Key headers, invalid UTF-8 and
/// too-deep JSON. No answer may be a 5xx, and every error must be an RFC 9457 problem (issue 14). The values are drawn
/// with a fixed seed per operation, so a failure repeats; the walk sends a few thousand requests.
/// </summary>
public sealed partial class ApiFuzzTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Values put in place of one field of a valid body.</summary>
    private static readonly string[] BadValues =
    [
        "null", "\"\"", "\"x\"", "0", "-1", "1.5", "-79228162514264337593543950336", "79228162514264337593543950336", "1e400",
        "true", "[]", "{}", "[null]", "[1]", "\"not-a-guid\"", "\"00000000-0000-0000-0000-000000000000\"", "\"2026-02-30\"",
        "\"9999-12-31T23:59:59Z\"", "\"0001-01-01\"", "\"" + new string('ş', 5000) + "\"", "\"\\u0000\"", "\"<script>alert(1)</script>\"",
        "-0.000000000000000000000000001", "2147483648", "-2147483649",
    ];

    /// <summary>Whole bodies of the wrong shape.</summary>
    private static readonly string[] BadBodies =
    [
        "null", "[]", "\"x\"", "0", "{}", "[null]", "{\"a\":", "{\"a\":1,}", "{'a':1}", new string('[', 5000) + new string(']', 5000),
        "{\"x\":" + string.Concat(Enumerable.Repeat("{\"x\":", 200)) + "1" + new string('}', 201), "[" + string.Join(",", Enumerable.Repeat("null", 10_000)) + "]",
    ];

    private static readonly string[] BadPathValues =
        ["not-a-guid", "00000000-0000-0000-0000-000000000000", Guid.NewGuid().ToString(), "%FF%FE", new string('a', 300), "..%2F..%2Fetc", "1"];

    private static readonly string[] BadQueryValues =
    [
        "", "abc", "-1", "0", "99999999999999999999", "1e400", "%FF%FE", "null", "2026-02-30", "00000000-0000-0000-0000-000000000000",
        "not-a-guid", new string('x', 3000), "%00", "[]", "true", "1,2,3", "-79228162514264337593543950336",
    ];

    private static readonly string[] BadCursors = ["eyJ4IjoxfQ", "AAAA", "!!!", "e30", "bnVsbA", new string('A', 4000), "%00", "eyJpZCI6Im5vdC1hLWd1aWQifQ"];

    private static readonly string[] BadIfMatch = ["\"abc\"", "W/\"1\"", "*", "\"99999999999999999999\"", "abc", "\"-1\"", "\"\"", "\"1\", \"2\""];

    private static readonly string[] BadIdempotencyKeys = ["", " ", new string('k', 5000), "ğüşıöç", "a\tb"];

    [GeneratedRegex(@"\{(\w+)(:[^}?]*)?\??\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task No_request_built_from_the_served_document_gets_a_5xx_or_an_error_without_a_problem()
    {
        var samples = new ApiSamples(factory);
        var victim = await samples.ArrangeVictimAsync();
        var client = victim.Org.Admin.Client;
        using var document = JsonDocument.Parse(await factory.Anonymous().GetStringAsync("/openapi/v1.json", Ct));
        var schemas = document.RootElement.GetProperty("components").GetProperty("schemas");
        var patterns = samples.ApiEndpoints().ToDictionary(e => $"{e.Method} {RouteParameter().Replace(e.Pattern, "{$1}")}", e => (e.Key, e.Pattern));

        var failures = new List<string>();
        var answered = new Dictionary<string, int>();
        var sent = 0;
        var listsWithForgedCursors = 0;
        var clock = Stopwatch.StartNew();
        foreach (var path in document.RootElement.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var opKey = $"{method} {path.Name}";
                Assert.True(patterns.TryGetValue(opKey, out var endpoint), $"{opKey} is in the document but not among the mapped endpoints.");
                var random = new Random(StableSeed(opKey));
                var url = ApiSamples.ConcreteRoute(endpoint.Pattern, victim) ?? RouteParameter().Replace(path.Name, "sample");
                var sample = ApiSamples.SampleBody(endpoint.Key, victim);
                var body = sample is null ? null : JsonSerializer.SerializeToNode(sample, JsonSerializerOptions.Web) as JsonObject;
                var takesBody = operation.Value.TryGetProperty("requestBody", out var requestBody);

                var cursors = method == "GET" && url.Contains('{', StringComparison.Ordinal) is false ? await ForgedCursorsAsync(client, url) : [];
                listsWithForgedCursors += cursors.Length > 0 ? 1 : 0;
                foreach (var (label, request) in Requests(method, path.Name, url, operation.Value, takesBody ? requestBody : null, body, schemas, random, cursors))
                {
                    using (request)
                    {
                        using var response = await client.SendAsync(request, Ct);
                        sent++;
                        var status = (int)response.StatusCode;
                        if (status != 401)
                        {
                            answered[opKey] = answered.GetValueOrDefault(opKey) + 1;
                        }

                        var problem = await CheckAsync(response);
                        if (problem is not null)
                        {
                            failures.Add($"{opKey} [{label}] {request.RequestUri}: {problem}");
                        }
                    }
                }

                answered.TryAdd(opKey, 0);
            }
        }

        TestContext.Current.SendDiagnosticMessage($"API fuzz: {sent} requests over {answered.Count} operations in {clock.Elapsed.TotalSeconds:F0} s");
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(60)));
        Assert.True(sent >= 2000, $"Only {sent} requests were sent.");
        Assert.True(listsWithForgedCursors >= 5, $"Only {listsWithForgedCursors} lists had a second page to forge cursors from.");

        // The walk kept its caller: no operation answered every request with 401 (a lost session would hide 5xx's).
        var lost = answered.Where(a => a.Value == 0 && !a.Key.Contains("/public/", StringComparison.Ordinal)).Select(a => a.Key).ToList();
        Assert.True(lost.Count == 0, $"Answered only with 401 ({sent} requests): " + string.Join(", ", lost));
        using var me = await client.GetAsync("/api/v1/me", Ct);
        Assert.True(me.IsSuccessStatusCode, $"The admin lost access during the walk: {(int)me.StatusCode}");
    }

    /// <summary>Null when the answer is acceptable: below 500, and an error is a problem whose status is the answer's.</summary>
    private static async Task<string?> CheckAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync(Ct);
        if (status >= 500)
        {
            return $"{status} {Shorten(text)}";
        }

        if (status < 400)
        {
            return null;
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"{status} without a problem body ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}): {Shorten(text)}";
        }

        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("status", out var s) && s.TryGetInt32(out var n) && n == status
                ? null
                : $"{status} with a problem whose status is not {status}: {Shorten(text)}";
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: {Shorten(text)}";
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    private static int StableSeed(string text)
    {
        var hash = 20261207;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }

    /// <summary>
    /// Cursors made from a real one of this list (its first page of one row): cut short, each of its values swapped for
    /// text of the wrong kind, one value more, and turned backward. Empty when the list has no second page.
    /// </summary>
    private static async Task<string[]> ForgedCursorsAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(WithQuery(url, "limit", "1"), Ct);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "application/json")
        {
            return [];
        }

        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        if (page.RootElement.ValueKind != JsonValueKind.Object || !page.RootElement.TryGetProperty("next", out var next) || next.GetString() is not { Length: > 4 } real)
        {
            return [];
        }

        var parts = Kazan.Infrastructure.Api.Cursor.Decode(real)!;
        static string Encode(IEnumerable<string> values) => Kazan.Infrastructure.Api.Cursor.Encode([.. values]);
        var forged = new List<string> { real[..^3], real[..(real.Length / 2)], Encode(parts.Append("x")), Encode(parts[..^1]), Encode(["<", .. parts]), Encode(["<"]) };
        for (var i = 0; i < parts.Length; i++)
        {
            forged.Add(Encode(parts.Select((p, j) => j == i ? "x" : p)));
            forged.Add(Encode(parts.Select((p, j) => j == i ? "" : p)));
            forged.Add(Encode(parts.Select((p, j) => j == i ? "99999999999999999999999999999" : p)));
        }

        return [.. forged];
    }

    private static IEnumerable<(string Label, HttpRequestMessage Request)> Requests(
        string method, string template, string url, JsonElement operation, JsonElement? requestBody, JsonObject? body, JsonElement schemas, Random random,
        string[] cursors)
    {
        var validBody = body?.ToJsonString() ?? (requestBody is null ? null : "{}");
        yield return ("sample", Request(method, url, validBody));

        // Bad path values, one parameter at a time.
        foreach (Match parameter in RouteParameter().Matches(template))
        {
            foreach (var value in Pick(BadPathValues, 2, random))
            {
                var bad = ReplacePathParameter(template, url, parameter.Groups[1].Value, value);
                yield return ($"path {parameter.Groups[1].Value}={value[..Math.Min(20, value.Length)]}", Request(method, bad, validBody));
            }
        }

        // Bad query values, one parameter at a time; cursors forged and truncated.
        if (operation.TryGetProperty("parameters", out var parameters))
        {
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                var name = parameter.GetProperty("name").GetString()!;
                var values = name == "cursor" ? [.. BadCursors, .. cursors] : Pick(BadQueryValues, 3, random);
                foreach (var value in values)
                {
                    yield return ($"query {name}={value[..Math.Min(20, value.Length)]}", Request(method, WithQuery(url, name, value), validBody));
                }
            }
        }

        if (requestBody is null && method is not ("POST" or "PUT"))
        {
            yield break;
        }

        // Whole bodies of the wrong shape, invalid UTF-8, the wrong media type.
        foreach (var raw in Pick(BadBodies, 5, random))
        {
            yield return ($"body {raw[..Math.Min(20, raw.Length)]}", Request(method, url, raw));
        }

        var invalidUtf8 = new ByteArrayContent([(byte)'{', (byte)'"', (byte)'n', (byte)'a', (byte)'m', (byte)'e', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, (byte)'"', (byte)'}']);
        invalidUtf8.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        yield return ("body invalid UTF-8", new HttpRequestMessage(new HttpMethod(method), url) { Content = invalidUtf8 });
        yield return ("body as text/plain", new HttpRequestMessage(new HttpMethod(method), url) { Content = new StringContent(validBody ?? "{}", Encoding.UTF8, "text/plain") });

        // One bad value per field of a valid body, and in the fields of a list's items.
        var schema = requestBody is { } rb ? BodySchema(rb, schemas) : null;
        foreach (var (name, property) in Properties(schema, schemas))
        {
            var values = Pick(BadValues, 3, random).Append("null");
            if (IsArray(property, schemas))
            {
                values = values.Append("[null]").Append("[null,null]").Append("[[]]");
                if (Items(property, schemas) is { } items)
                {
                    foreach (var (itemName, _) in Properties(items, schemas))
                    {
                        var value = Pick(BadValues, 1, random)[0];
                        yield return ($"{name}[0].{itemName}={value[..Math.Min(20, value.Length)]}", Request(method, url, WithField(body, name, $"[{{\"{itemName}\":{value}}}]")));
                    }
                }
            }

            foreach (var value in values)
            {
                yield return ($"{name}={value[..Math.Min(20, value.Length)]}", Request(method, url, WithField(body, name, value)));
            }
        }

        // Bad concurrency and idempotency headers on a valid body.
        foreach (var ifMatch in Pick(BadIfMatch, 2, random))
        {
            var request = Request(method, url, validBody);
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
            yield return ($"If-Match {ifMatch}", request);
        }

        if (method == "POST")
        {
            foreach (var key in Pick(BadIdempotencyKeys, 2, random))
            {
                var request = Request(method, url, validBody);
                request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
                yield return ($"Idempotency-Key {key[..Math.Min(20, key.Length)]}", request);
            }
        }
    }

    private static HttpRequestMessage Request(string method, string url, string? json)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        if (method is "PUT" or "DELETE")
        {
            request.Headers.TryAddWithoutValidation("If-Match", "\"0\"");
        }

        return request;
    }

    private static string[] Pick(string[] values, int count, Random random) => random.GetItems(values, count).Distinct().ToArray();

    /// <summary>The concrete URL with one path parameter replaced: segments of the template line up with the URL's.</summary>
    private static string ReplacePathParameter(string template, string url, string name, string value)
    {
        var (path, query) = url.Split('?') is [var p, var q] ? (p, "?" + q) : (url, "");
        var segments = path.Split('/');
        var templateSegments = template.Split('/');
        for (var i = 0; i < templateSegments.Length && i < segments.Length; i++)
        {
            if (templateSegments[i] == "{" + name + "}")
            {
                segments[i] = value;
            }
        }

        return string.Join('/', segments) + query;
    }

    private static string WithQuery(string url, string name, string value)
    {
        var (path, query) = url.Split('?') is [var p, var q] ? (p, q) : (url, "");
        var pairs = query.Split('&', StringSplitOptions.RemoveEmptyEntries).Where(pair => !pair.StartsWith(name + "=", StringComparison.Ordinal)).Append($"{name}={value}");
        return path + "?" + string.Join('&', pairs);
    }

    private static string WithField(JsonObject? body, string name, string rawValue)
    {
        var copy = body?.DeepClone().AsObject() ?? [];
        copy[name] = JsonNode.Parse(rawValue);
        return copy.ToJsonString();
    }

    private static JsonElement? BodySchema(JsonElement requestBody, JsonElement schemas) =>
        requestBody.TryGetProperty("content", out var content) && content.EnumerateObject().FirstOrDefault(c => c.Name.Contains("json", StringComparison.Ordinal)) is { Value.ValueKind: JsonValueKind.Object } json
            && json.Value.TryGetProperty("schema", out var schema) ? Resolve(schema, schemas) : null;

    private static JsonElement Resolve(JsonElement schema, JsonElement schemas) =>
        schema.TryGetProperty("$ref", out var reference) && schemas.TryGetProperty(reference.GetString()!.Split('/')[^1], out var target) ? Resolve(target, schemas) : schema;

    private static List<(string Name, JsonElement Schema)> Properties(JsonElement? schema, JsonElement schemas) =>
        schema is { } s && Resolve(s, schemas).TryGetProperty("properties", out var properties)
            ? properties.EnumerateObject().Select(p => (p.Name, Resolve(p.Value, schemas))).ToList()
            : [];

    private static bool IsArray(JsonElement schema, JsonElement schemas) =>
        Resolve(schema, schemas).TryGetProperty("type", out var type) && (type.ValueKind == JsonValueKind.String
            ? type.GetString() == "array"
            : type.ValueKind == JsonValueKind.Array && type.EnumerateArray().Any(t => t.GetString() == "array"));

    private static JsonElement? Items(JsonElement schema, JsonElement schemas) =>
        Resolve(schema, schemas).TryGetProperty("items", out var items) ? Resolve(items, schemas) : null;
}
