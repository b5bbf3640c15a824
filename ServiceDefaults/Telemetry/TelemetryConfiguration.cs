using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace MsaShop.ServiceDefaults.Telemetry;

/// <summary>The OTEL_* settings ServiceDefaults itself decides on (the SDK reads the rest).</summary>
internal static class TelemetryConfiguration
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    public static bool IsOtlpExportEnabled(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

    public static string ServiceName(IConfiguration configuration, IHostEnvironment environment) =>
        configuration[ServiceNameKey] is { Length: > 0 } name ? name : environment.ApplicationName;
}
