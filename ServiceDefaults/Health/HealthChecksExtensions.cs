using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MsaShop.ServiceDefaults.Health;

namespace Microsoft.Extensions.Hosting;

public static class HealthChecksExtensions
{
    /// <summary>Tag of the checks that say the process runs (liveness); every check counts for readiness.</summary>
    public const string LiveTag = "live";

    public const string ReadinessPath = "/health";
    public const string LivenessPath = "/alive";

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>GET /health (readiness: every check) and GET /alive (liveness: checks tagged "live").</summary>
    public static IEndpointRouteBuilder MapDefaultHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            ResponseWriter = HealthReportJsonWriter.WriteAsync,
        }).AllowAnonymous();

        endpoints.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportJsonWriter.WriteAsync,
        }).AllowAnonymous();

        return endpoints;
    }
}
