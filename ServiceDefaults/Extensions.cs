using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using MsaShop.ServiceDefaults.Health;
using MsaShop.ServiceDefaults.Resilience;
using MsaShop.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every MsaShop process needs, in one call: the Aspire service defaults (OpenTelemetry, health checks,
/// service discovery, the standard resilience handler on every HttpClient) plus MsaShop's own additions:
/// ProblemDetails errors, JWT bearer authentication, its activity sources and meters.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    /// <summary>Tag of the checks that say the process runs (liveness); every check counts for readiness.</summary>
    public const string LiveTag = "live";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Turn on resilience by default (MsaShop's two changes to the standard handler: HttpResilienceDefaults)
            http.AddStandardResilienceHandler(HttpResilienceDefaults.Configure)
                .SelectPipelineByAuthority();

            // Turn on service discovery by default
            http.AddServiceDiscovery();
        });

        // MsaShop: every error is a ProblemDetails; every web endpoint can check the shop's JWTs.
        builder.AddDefaultProblemDetails();
        if (IsWebApplication(builder))
        {
            builder.AddDefaultAuthentication();
        }

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // Aspire sets OTEL_EXPORTER_OTLP_ENDPOINT; without it nothing is exported anywhere, so nothing is recorded for export.
        var exporting = IsExporting(builder);
        if (exporting)
        {
            builder.Logging.AddOpenTelemetry(logging =>
            {
                logging.IncludeFormattedMessage = true;
                logging.IncludeScopes = true;
            });
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName(builder), autoGenerateServiceInstanceId: false));
        if (exporting)
        {
            // Measured only to be exported: without an exporter no instrument is listened to, and none costs a thing.
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(MsaShopTelemetry.Meters);
            });
        }
        telemetry.WithTracing(tracing =>
        {
            tracing.AddSource(builder.Environment.ApplicationName)
                .AddSource(MsaShopTelemetry.ActivitySources)
                // Orchestrators poll the health endpoints every few seconds: those requests are not traced.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation();
            if (!exporting)
            {
                // Spans are still created, so trace context flows through (a new span id at every hop), but none is
                // recorded: no tags, no events, for no one. An ActivityListener of its own (a test's) still records.
                tracing.SetSampler(new AlwaysOffSampler());
            }
        });

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (IsExporting(builder))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            // Add a default liveness check to ensure app is responsive
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// GET /health (readiness: every check) and GET /alive (liveness: checks tagged "live"), as JSON. Unlike the
    /// template, mapped in every environment: the gateway and Kubernetes probe them in production. A process that
    /// faces the public (<paramref name="detailForAdminOnly"/>: the gateway) tells anyone the status, and only an
    /// admin what its checks found (destination addresses and their health).
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app, bool detailForAdminOnly = false)
    {
        Func<HttpContext, HealthReport, Task> writer = detailForAdminOnly
            ? HealthReportJsonWriter.StatusOnlyUnlessAdmin
            : HealthReportJsonWriter.WriteAsync;
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = writer,
        }).AllowAnonymous();

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = writer,
        }).AllowAnonymous();

        return app;
    }

    private static bool IsExporting(IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpointPath) || path.StartsWithSegments(AlivenessEndpointPath);

    // Aspire sets OTEL_SERVICE_NAME; a process started any other way (tests, `dotnet run`) goes by its application name.
    private static string ServiceName(IHostApplicationBuilder builder) =>
        builder.Configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;

    // A worker (no web server) has no endpoints to protect.
    private static bool IsWebApplication(IHostApplicationBuilder builder) =>
        builder.Services.Any(service => service.ServiceType == typeof(IWebHostEnvironment));
}
