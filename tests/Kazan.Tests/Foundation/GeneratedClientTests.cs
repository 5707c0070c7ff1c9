using System.Reflection;
using System.Runtime.Loader;
using Kazan.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NSwag.CodeGeneration.CSharp;

namespace Kazan.Tests.Foundation;

/// <summary>
/// The API contract as an integrator meets it: a C# client generated with NSwag (a real generator) from the served
/// /openapi/v1.json, compiled with Roslyn together with Foundation/GeneratedClient/QuoteToDelivery.cs, drives a quote →
/// order → delivery. Amounts must come back as exact decimals, the ETag must reach the client as a header it can send
/// back, and an error must arrive as the Problem the document describes.
/// </summary>
public sealed class GeneratedClientTests(KazanFactory factory)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_client_generated_from_the_served_document_drives_quote_to_delivery_with_exact_decimals()
    {
        var org = await factory.CreateOrganizationAsync("Üretilmiş İstemci A.Ş.");
        var generated = Compile(await factory.Anonymous().GetStringAsync("/openapi/v1.json", Ct));

        // No amount is typed as floating point anywhere in the client: only the velocity's days may be.
        var floats = generated.GetTypes()
            .SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p)))
            .Where(x => (Nullable.GetUnderlyingType(x.Property.PropertyType) ?? x.Property.PropertyType) is var type && (type == typeof(double) || type == typeof(float)))
            .Select(x => $"{x.Type.Name}.{x.Property.Name}").ToList();
        Assert.All(floats, name => Assert.Contains("Days", name, StringComparison.Ordinal));
        Assert.Equal(typeof(decimal?), generated.GetType("Kazan.Generated.QuoteLineRequest")!.GetProperty("UnitPrice")!.PropertyType);
        Assert.Equal(typeof(decimal), generated.GetType("Kazan.Generated.OrderResponse")!.GetProperty("GrandTotal")!.PropertyType);

        var run = generated.GetType("Kazan.Generated.QuoteToDelivery")!.GetMethod("RunAsync")!;
        var read = await (Task<Dictionary<string, object>>)run.Invoke(null, [org.Admin.Client, Ct])!;

        // 5 × 19.40 and 3 × 0.10 (0.30000000000000004 in floating point) and an amount past a double's exact cents.
        Assert.Equal(97.00m, read["quote.line1.netAmount"]);
        Assert.Equal(19.40m, read["quote.line1.vatAmount"]);
        Assert.Equal(0.30m, read["quote.line2.netAmount"]);
        Assert.Equal(0.03m, read["quote.line2.vatAmount"]);
        Assert.Equal(1234567.89m, read["quote.line3.unitPrice"]);
        Assert.Equal(1234665.19m, read["quote.netTotal"]);
        Assert.Equal(246933.01m, read["quote.vatTotal"]);
        Assert.Equal(1481598.20m, read["quote.grandTotal"]);
        Assert.Equal("yes", read["quote.retry.sameId"]);
        Assert.Equal("Accepted", read["quote.status"]);

        Assert.Equal(412, read["stale.status"]);
        Assert.Equal("version.conflict", read["stale.code"]);

        Assert.Equal(1234665.19m, read["order.netTotal"]);
        Assert.Equal(246933.01m, read["order.vatTotal"]);
        Assert.Equal(1481598.20m, read["order.grandTotal"]);
        Assert.Equal("PartiallyDelivered", read["delivery1.status"]);
        Assert.Equal(97.12m, read["delivery1.deliveredNet"]);
        Assert.Equal(1.8m, read["delivery1.line2.remaining"]);
        Assert.Equal("Delivered", read["delivery2.status"]);
        Assert.Equal(1234665.19m, read["delivery2.deliveredNet"]);
        Assert.Equal(1234665.19m, read["order.final.deliveredNet"]);
        Assert.Equal("Delivered", read["order.final.status"]);

        // The retry with the same Idempotency-Key made no second quote.
        var quotes = await org.Admin.Client.GetStringAsync("/api/v1/quotes", Ct);
        Assert.Single(System.Text.Json.JsonDocument.Parse(quotes).RootElement.GetProperty("items").EnumerateArray());
    }

    /// <summary>Generates the client (one class per tag, System.Text.Json, responses with their headers) and compiles it with the driver.</summary>
    private static Assembly Compile(string openApiJson)
    {
        var document = NSwag.OpenApiDocument.FromJsonAsync(openApiJson).GetAwaiter().GetResult();
        var settings = new CSharpClientGeneratorSettings
        {
            ClassName = "{controller}Client",
            UseBaseUrl = false,
            WrapResponses = true,
            GenerateClientInterfaces = false,
        };
        settings.CSharpGeneratorSettings.Namespace = "Kazan.Generated";
        settings.CSharpGeneratorSettings.DateType = "System.DateOnly";
        settings.CSharpGeneratorSettings.JsonLibrary = NJsonSchema.CodeGeneration.CSharp.CSharpJsonLibrary.SystemTextJson;
        var client = new CSharpClientGenerator(document, settings).GenerateFile();

        var driver = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Foundation", "GeneratedClient", "QuoteToDelivery.cs"));
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Kazan.Generated",
            [CSharpSyntaxTree.ParseText(client), CSharpSyntaxTree.ParseText(driver)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).Select(d => d.ToString()).ToList();
        Assert.True(emitted.Success, "The generated client does not compile:\n" + string.Join('\n', errors));
        image.Position = 0;
        return new AssemblyLoadContext("generated-client", isCollectible: true).LoadFromStream(image);
    }
}
