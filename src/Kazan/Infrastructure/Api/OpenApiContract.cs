using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Kazan.Infrastructure.Api;

/// <summary>
/// What the served OpenAPI document promises a generated client, beyond what ASP.NET Core writes by itself:
/// <list type="bullet">
/// <item>numbers are numbers: a decimal is <c>type: number, format: decimal</c> (generators read it as a decimal, never
/// as floating point), and no number or integer is also described as a string;</item>
/// <item>every operation has a stable <c>operationId</c> (<c>Quotes_Send</c>): generated method names do not change when
/// an endpoint is added;</item>
/// <item>every error answer is described with the one <c>Problem</c> schema (RFC 9457), by status;</item>
/// <item>the headers: <c>If-Match</c> where a write checks the version, <c>ETag</c> on answers that carry a version,
/// <c>Idempotency-Key</c> on every API POST.</item>
/// </list>
/// docs/api.md explains the same to people.
/// </summary>
public static class OpenApiContract
{
    public const string ProblemSchema = "Problem";
    private const string ProblemJson = "application/problem+json";

    public static void Configure(OpenApiOptions o)
    {
        o.OpenApiVersion = OpenApiSpecVersion.OpenApi3_1;
        o.AddSchemaTransformer((schema, context, _) =>
        {
            DescribeScalars(schema, Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type);
            return Task.CompletedTask;
        });
        o.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
            document.Components.Schemas[ProblemSchema] = Problem();
            return Task.CompletedTask;
        });
        o.AddOperationTransformer((operation, context, _) =>
        {
            Describe(operation, context);
            return Task.CompletedTask;
        });
    }

    /// <summary>
    /// Enums are named strings. Query parameters and bodies are read leniently (a number sent as a string is accepted), but the contract names one
    /// type: a client writes and reads numbers as JSON numbers.
    /// </summary>
    private static void DescribeScalars(OpenApiSchema schema, Type type)
    {
        // Enums travel as their names (JsonStringEnumConverter): say "string", or a generator reads them as integers.
        if (type.IsEnum && schema.Enum is { Count: > 0 } names)
        {
            schema.Type = JsonSchemaType.String | (names.Any(n => n is null || n.GetValueKind() == System.Text.Json.JsonValueKind.Null) ? JsonSchemaType.Null : 0);
            return;
        }

        if (schema.Type is not { } kind || (kind & (JsonSchemaType.Number | JsonSchemaType.Integer)) == 0)
        {
            return;
        }

        schema.Type = kind & ~JsonSchemaType.String;
        schema.Pattern = null;
        if (type == typeof(decimal))
        {
            schema.Type = (schema.Type & JsonSchemaType.Null) | JsonSchemaType.Number;
            schema.Format = "decimal";
        }
    }

    private static void Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        var description = context.Description;
        var metadata = description.ActionDescriptor.EndpointMetadata;
        var handler = metadata.OfType<MethodInfo>().FirstOrDefault();
        var tag = metadata.OfType<ITagsMetadata>().SelectMany(t => t.Tags).FirstOrDefault();
        if (handler is not null && tag is not null && !handler.Name.Contains('<'))
        {
            operation.OperationId = $"{string.Concat(tag.Split(' ').Select(w => char.ToUpperInvariant(w[0]) + w[1..]))}_{handler.Name.Replace("Async", "", StringComparison.Ordinal)}";
        }

        var method = description.HttpMethod ?? "GET";
        var isWrite = !HttpMethods.IsGet(method);
        var anonymous = metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();
        var takesVersion = handler?.GetParameters().Any(p => p.ParameterType == typeof(IfMatch)) ?? false;
        var api = description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) ?? false;

        operation.Parameters ??= [];
        if (takesVersion)
        {
            var optional = metadata.OfType<OptionalIfMatch>().Any();
            operation.Parameters.Add(Header("If-Match", !optional, optional
                ? "The record's ETag as you read it. Optional here: when sent, a changed record answers 412."
                : "The record's ETag as you read it (its version, e.g. \"3\"). Missing: 428; the record changed since: 412."));
        }

        if (api && HttpMethods.IsPost(method) && !anonymous)
        {
            operation.Parameters.Add(Header(IdempotencyMiddleware.Header, false,
                "Any unique text up to 200 characters. A retry with the same key and request gets the first answer again "
                + "and writes nothing twice; the same key with another request is 422. Kept 24 hours, per user."));
        }

        if (operation.Parameters.Count == 0)
        {
            operation.Parameters = null;
        }

        operation.Responses ??= [];
        foreach (var (status, response) in operation.Responses)
        {
            if (status.StartsWith('2') && response is OpenApiResponse answer && CarriesVersion(description))
            {
                answer.Headers ??= new Dictionary<string, IOpenApiHeader>();
                answer.Headers["ETag"] = new OpenApiHeader
                {
                    Description = "The record's version: send it back in If-Match to change the record.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }
        }

        var document = context.Document;
        var hasInput = operation.RequestBody is not null || (operation.Parameters?.Count ?? 0) > 0;
        Error(operation, document, "400", "The request is malformed or a field is invalid (errors names each field).", hasInput);
        Error(operation, document, "401", "Not signed in, or the API token is unknown, expired or revoked.", !anonymous);
        Error(operation, document, "403", "Your role may not do this.", !anonymous);
        Error(operation, document, "404", "It does not exist or is not visible to you.", description.ParameterDescriptions.Any(p => p.Source.Id == "Path"));
        Error(operation, document, "412", "The record was changed since you read it (code version.conflict): read it again.", takesVersion);
        Error(operation, document, "428", "If-Match is missing.", takesVersion && !metadata.OfType<OptionalIfMatch>().Any());
        Error(operation, document, "409", "A request with this Idempotency-Key is still running: retry it.", api && HttpMethods.IsPost(method) && !anonymous);
        Error(operation, document, "422", "A business rule forbids it (code names the rule).", isWrite);
        Error(operation, document, "429", "Too many requests: wait for Retry-After seconds.", api);
        Error(operation, document, "default", "Any other error, also as problem details (503 database.busy comes with Retry-After).", true);

        // Success first, then the errors by status, "default" last: the order a reader expects.
        var ordered = operation.Responses.OrderBy(r => r.Key == "default" ? "999" : r.Key, StringComparer.Ordinal).ToList();
        operation.Responses.Clear();
        foreach (var (status, response) in ordered)
        {
            operation.Responses[status] = response;
        }
    }

    /// <summary>A record answered with its <c>version</c> comes with the same version as its ETag (ApiOutcomes).</summary>
    private static bool CarriesVersion(Microsoft.AspNetCore.Mvc.ApiExplorer.ApiDescription description) =>
        description.SupportedResponseTypes.Any(r => r.Type?.GetProperty("Version")?.PropertyType == typeof(int));

    private static OpenApiParameter Header(string name, bool required, string text) => new()
    {
        Name = name,
        In = ParameterLocation.Header,
        Required = required,
        Description = text,
        Schema = new OpenApiSchema { Type = JsonSchemaType.String },
    };

    private static void Error(OpenApiOperation operation, OpenApiDocument? document, string status, string text, bool applies)
    {
        // ASP.NET Core describes some 400s with its own validation schema: every error, described by it or here, is one Problem.
        if (!applies && !operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses![status] = new OpenApiResponse
        {
            Description = text,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                [ProblemJson] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An error as RFC 9457 problem details. Every error status answers with this body.",
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = Text("A URI naming the kind of problem."),
            ["title"] = Text("A short summary, the same for every problem of this kind."),
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Description = "The HTTP status." },
            ["detail"] = Text("What happened here and what to do."),
            ["instance"] = Text("The path that was asked for."),
            ["code"] = Text("A stable code for the rule or problem (version.conflict, database.busy, mail.not-configured …)."),
            ["traceId"] = Text("Quote it when you report the problem."),
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Field errors (400): the field's JSON path or name, and its messages.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            },
            ["codes"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Stable codes of the fields in errors, where known.",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
            },
        },
        Examples = [JsonNode.Parse("""{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.13","title":"The record was changed by someone else.","status":412,"detail":"Your If-Match does not match the current version. Reload it and apply your change again.","code":"version.conflict"}""")!],
    };

    private static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
}

/// <summary>Endpoint metadata: this write checks If-Match when it is sent, and does not require it.</summary>
public sealed class OptionalIfMatch
{
    public static readonly OptionalIfMatch Instance = new();
}

public static class OptionalIfMatchExtensions
{
    /// <summary>Says in the API contract that If-Match is optional on this write (the handler uses <see cref="IfMatch.Optional"/>).</summary>
    public static RouteHandlerBuilder IfMatchOptional(this RouteHandlerBuilder builder) => builder.WithMetadata(OptionalIfMatch.Instance);
}
