using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MsaShop.ServiceDefaults.Health;

/// <summary>Writes a health report as JSON: the overall status and each check's status, description and data.</summary>
internal static class HealthReportJsonWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        var body = new HealthReportResponse(
            report.Status,
            report.TotalDuration.TotalMilliseconds,
            report.Entries.ToDictionary(
                entry => entry.Key,
                entry => new HealthCheckResponse(entry.Value.Status, entry.Value.Description, entry.Value.Duration.TotalMilliseconds,
                    entry.Value.Data.Count > 0 ? entry.Value.Data : null)));

        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(body, JsonOptions, "application/json", context.RequestAborted);
    }

    private sealed record HealthReportResponse(
        HealthStatus Status, double DurationMs, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

    private sealed record HealthCheckResponse(
        HealthStatus Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
}
