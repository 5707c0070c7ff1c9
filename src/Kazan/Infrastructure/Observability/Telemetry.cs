using Kazan.Infrastructure.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kazan.Infrastructure.Observability;

public static class Telemetry
{
    /// <summary>
    /// Tracing and metrics for ASP.NET Core, exported over OTLP only when <c>Kazan:Telemetry:OtlpEndpoint</c>
    /// (or the standard OTEL_EXPORTER_OTLP_ENDPOINT) is set; off by default.
    /// </summary>
    public static IServiceCollection AddKazanTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var endpoint = configuration["Kazan:Telemetry:OtlpEndpoint"] ?? configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("kazan"))
            .WithTracing(t => t.AddAspNetCoreInstrumentation().AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)))
            .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddRuntimeInstrumentationIfAny().AddOtlpExporter(o => o.Endpoint = new Uri(endpoint)));
        return services;
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationIfAny(this MeterProviderBuilder builder) => builder.AddMeter("System.Runtime");

    public static IServiceCollection AddKazanHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        return services;
    }

    private sealed class DatabaseHealthCheck(KazanDbContext db) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("Database reachable.")
                : HealthCheckResult.Unhealthy("Database unreachable.");
    }
}
