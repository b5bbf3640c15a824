using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsaShop.ServiceDefaults.Authorization;

namespace MsaShop.ServiceDefaults.Health;

/// <summary>
/// Writes a health report as JSON: the overall status and each check's status, description and data; or, for a
/// caller who may not see inside (<see cref="StatusOnly"/>), the overall status alone.
/// </summary>
internal static class HealthReportJsonWriter
{
    /// <summary>The status for anyone; the checks, with what they name (addresses, counts), for an admin only.</summary>
    public static Task StatusOnlyUnlessAdmin(HttpContext context, HealthReport report) =>
        context.User.IsInRole(AuthorizationPolicies.AdminRole) ? WriteAsync(context, report) : StatusOnly(context, report);

    private static Task StatusOnly(HttpContext context, HealthReport report)
    {
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsJsonAsync(new HealthStatusResponse(report.Status), JsonOptions, "application/json",
            context.RequestAborted);
    }

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

    private sealed record HealthStatusResponse(HealthStatus Status);

    private sealed record HealthReportResponse(
        HealthStatus Status, double DurationMs, IReadOnlyDictionary<string, HealthCheckResponse> Checks);

    private sealed record HealthCheckResponse(
        HealthStatus Status, string? Description, double DurationMs, IReadOnlyDictionary<string, object>? Data);
}
