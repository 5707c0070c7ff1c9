using System.Net;
using System.Text.Json;
using Kazan.Tests.Infrastructure;

namespace Kazan.Tests.Foundation;

/// <summary>
/// The served OpenAPI document as a generator reads it (Infrastructure/Api/OpenApiContract.cs): decimals as decimals,
/// enums as names, stable operation ids, every error as the Problem schema, and the ETag / If-Match / Idempotency-Key
/// headers where the API honours them. GeneratedClientTests drives a generated client through it.
/// </summary>
public sealed class ApiContractTests(KazanFactory factory)
{
    private static readonly string[] VersionedWriteAnswers = ["400", "401", "403", "404", "412", "422", "428", "429"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await factory.Anonymous().GetStringAsync("/openapi/v1.json", Ct)).RootElement;

    [Fact]
    public async Task The_openapi_document_is_version_3_1_and_lists_the_api()
    {
        var doc = await DocumentAsync();
        Assert.StartsWith("3.1", doc.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        Assert.True(doc.GetProperty("paths").TryGetProperty("/api/v1/teams/{id}", out _));
        var reference = await factory.Anonymous().GetAsync("/docs/api/", Ct);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Contains("openapi/v1.json", await reference.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        // The reference page's script is served by the app itself: it works offline.
        Assert.Equal(HttpStatusCode.OK, (await factory.Anonymous().GetAsync("/docs/api/scalar.js", Ct)).StatusCode);
    }

    [Fact]
    public async Task Every_amount_in_the_openapi_document_is_a_decimal_never_a_double()
    {
        var doc = await DocumentAsync();
        var schemas = doc.GetProperty("components").GetProperty("schemas");
        string? Format(string schema, string property) =>
            schemas.GetProperty(schema).GetProperty("properties").GetProperty(property).TryGetProperty("format", out var f) ? f.GetString() : null;

        // Money across the features: what a generated client types as decimal.
        foreach (var (schema, property) in new[]
        {
            ("OpportunityResponse", "expectedAmount"), ("OrderLineResponse", "netAmount"), ("BoardColumn", "total"), ("ForecastCell", "total"),
            ("MonthTarget", "amount"), ("ReconciliationRow", "expected"), ("CreateOpportunityRequest", "expectedAmount"),
        })
        {
            Assert.Equal("decimal", Format(schema, property));
        }

        // The only floating-point figures are the velocity's days, which are not money.
        var doubles = schemas.EnumerateObject()
            .SelectMany(s => s.Value.TryGetProperty("properties", out var props) ? props.EnumerateObject().Select(p => (Schema: s.Name, Property: p)) : [])
            .Where(x => x.Property.Value.TryGetProperty("format", out var f) && f.GetString() is "double" or "float")
            .Select(x => $"{x.Schema}.{x.Property.Name}").ToList();
        Assert.All(doubles, name => Assert.Contains("Days", name, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Every_operation_has_a_stable_id_and_every_error_is_a_problem()
    {
        var doc = await DocumentAsync();
        var operations = Operations(doc).ToList();
        Assert.True(operations.Count > 150);

        var ids = operations.Select(o => o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null).ToList();
        Assert.All(operations, o => Assert.True(o.Operation.TryGetProperty("operationId", out _), $"{o.Method} {o.Path} has no operationId"));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal("Quotes_Send", Operation(doc, "post", "/api/v1/quotes/{id}/send").GetProperty("operationId").GetString());

        foreach (var (path, method, operation) in operations)
        {
            var responses = operation.GetProperty("responses");
            Assert.True(responses.TryGetProperty("default", out _), $"{method} {path} has no default (error) answer");
            foreach (var response in responses.EnumerateObject().Where(r => !r.Name.StartsWith('2') && !r.Name.StartsWith('3')))
            {
                var content = response.Value.GetProperty("content");
                Assert.Equal(["application/problem+json"], content.EnumerateObject().Select(c => c.Name));
                Assert.Equal("#/components/schemas/Problem", content.GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString());
            }
        }

        var problem = doc.GetProperty("components").GetProperty("schemas").GetProperty("Problem").GetProperty("properties");
        Assert.Equal(["type", "title", "status", "detail", "instance", "code", "traceId", "errors", "codes"], problem.EnumerateObject().Select(p => p.Name));

        // A write that checks the version answers 412 and 428; a rep's read of someone else's record answers 404.
        var update = Operation(doc, "put", "/api/v1/quotes/{id}").GetProperty("responses");
        Assert.All(VersionedWriteAnswers, status => Assert.True(update.TryGetProperty(status, out _), status));
    }

    [Fact]
    public async Task The_document_names_the_version_and_retry_headers_where_the_api_honours_them()
    {
        var doc = await DocumentAsync();
        JsonElement? Header(string method, string path, string name) =>
            Operation(doc, method, path).TryGetProperty("parameters", out var ps)
                ? ps.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(p => p!.Value.GetProperty("in").GetString() == "header" && p.Value.GetProperty("name").GetString() == name)
                : null;
        bool Required(JsonElement? parameter) => parameter!.Value.TryGetProperty("required", out var r) && r.GetBoolean();

        // If-Match: required where a write checks the version, optional where the API says so, absent on creates.
        Assert.True(Required(Header("put", "/api/v1/quotes/{id}", "If-Match")));
        Assert.True(Required(Header("post", "/api/v1/opportunities/{id}/stage", "If-Match")));
        Assert.False(Required(Header("post", "/api/v1/orders/{id}/deliveries", "If-Match")));
        Assert.False(Required(Header("post", "/api/v1/activities/{id}/done", "If-Match")));
        Assert.Null(Header("post", "/api/v1/quotes", "If-Match"));

        // Idempotency-Key on every authenticated API POST, never on the anonymous ones or on other methods.
        foreach (var (path, method, operation) in Operations(doc))
        {
            var anonymous = path.StartsWith("/api/v1/public/", StringComparison.Ordinal) || !operation.GetProperty("responses").TryGetProperty("401", out _);
            var key = Header(method, path, "Idempotency-Key");
            Assert.True((method == "post" && !anonymous) == key is not null, $"{method} {path}: Idempotency-Key {(key is null ? "missing" : "not honoured")}");
        }

        // ETag on the answers that carry a version.
        Assert.True(Operation(doc, "get", "/api/v1/quotes/{id}").GetProperty("responses").GetProperty("200").GetProperty("headers").TryGetProperty("ETag", out _));
        Assert.True(Operation(doc, "post", "/api/v1/opportunities").GetProperty("responses").GetProperty("201").GetProperty("headers").TryGetProperty("ETag", out _));
        Assert.False(Operation(doc, "get", "/api/v1/quotes").GetProperty("responses").GetProperty("200").TryGetProperty("headers", out _));
    }

    [Fact]
    public async Task Numbers_are_only_numbers_and_enums_are_named_strings()
    {
        var schemas = (await DocumentAsync()).GetProperty("components").GetProperty("schemas");
        var mixed = new List<string>();
        foreach (var schema in schemas.EnumerateObject())
        {
            if (schema.Value.TryGetProperty("enum", out _) && !Types(schema.Value).Contains("string"))
            {
                mixed.Add($"{schema.Name} (an enum without type string)");
            }

            foreach (var property in schema.Value.TryGetProperty("properties", out var ps) ? ps.EnumerateObject() : Enumerable.Empty<JsonProperty>())
            {
                var types = Types(property.Value);
                if ((types.Contains("number") || types.Contains("integer")) && (types.Contains("string") || property.Value.TryGetProperty("pattern", out _)))
                {
                    mixed.Add($"{schema.Name}.{property.Name}");
                }
            }
        }

        Assert.Empty(mixed);
        var unitPrice = schemas.GetProperty("QuoteLineRequest").GetProperty("properties").GetProperty("unitPrice");
        Assert.Equal(["null", "number"], Types(unitPrice).Order());
        Assert.Equal("decimal", unitPrice.GetProperty("format").GetString());
    }

    private static List<string> Types(JsonElement schema) => !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];

    private static JsonElement Operation(JsonElement doc, string method, string path) => doc.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static IEnumerable<(string Path, string Method, JsonElement Operation)> Operations(JsonElement doc) =>
        doc.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value)));
}
