using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MsaShop.ServiceDefaults.Telemetry;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

public static class TelemetryExtensions
{
    // ASP.NET Core 10 writes the OpenTelemetry http.* tags on its server span only when asked to.
    private const string AspNetCoreActivityDataSwitch = "Microsoft.AspNetCore.Hosting.SuppressActivityOpenTelemetryData";

    /// <summary>
    /// Traces and metrics through one <see cref="OpenTelemetrySdk"/> (a singleton the host disposes at
    /// shutdown), logs through the OpenTelemetry ILogger provider; OTLP export only when
    /// OTEL_EXPORTER_OTLP_ENDPOINT is configured.
    /// </summary>
    public static TBuilder AddDefaultTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        AppContext.SetSwitch(AspNetCoreActivityDataSwitch, false);

        var serviceName = TelemetryConfiguration.ServiceName(builder.Configuration, builder.Environment);
        var exportOtlp = TelemetryConfiguration.IsOtlpExportEnabled(builder.Configuration);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logging =>
        {
            logging.ConfigureResource(resource => resource.AddMsaShopService(serviceName));
            if (exportOtlp)
            {
                logging.AddOtlpExporter();
            }
        });

        builder.Services.AddSingleton(services => CreateSdk(
            services.GetRequiredService<IConfiguration>(), serviceName, exportOtlp));
        builder.Services.AddHostedService<TelemetryActivation>();
        builder.Services.AddTransient<IStartupFilter, ServerSpanStartupFilter>();
        return builder;
    }

    private static OpenTelemetrySdk CreateSdk(IConfiguration configuration, string serviceName, bool exportOtlp) =>
        OpenTelemetrySdk.Create(otel =>
        {
            // The SDK reads OTEL_* settings from IConfiguration: give it the host's, not only env vars.
            otel.Services.AddSingleton(configuration);
            otel.ConfigureResource(resource => resource.AddMsaShopService(serviceName));
            otel.WithTracing(tracing => tracing.AddSource(MsaShopTelemetry.ActivitySources));
            otel.WithMetrics(metrics => metrics.AddMeter(MsaShopTelemetry.Meters));
            if (exportOtlp)
            {
                otel.UseOtlpExporter();
            }
        });

    private static ResourceBuilder AddMsaShopService(this ResourceBuilder resource, string serviceName) =>
        resource.AddService(serviceName, autoGenerateServiceInstanceId: false);
}
