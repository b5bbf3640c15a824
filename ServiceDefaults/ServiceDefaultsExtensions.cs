using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every MsaShop process needs, in one call: telemetry, health, ProblemDetails errors,
/// service discovery and resilience on every HttpClient, and JWT bearer authentication.
/// </summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // ProblemDetails first: its exception handler must wrap the telemetry middleware.
        builder.AddDefaultProblemDetails();
        builder.AddDefaultTelemetry();
        builder.AddDefaultHealthChecks();
        builder.AddDefaultHttpClients();
        if (IsWebApplication(builder))
        {
            // A worker (no web server) has no endpoints to protect.
            builder.AddDefaultAuthentication();
        }
        return builder;
    }

    private static bool IsWebApplication(IHostApplicationBuilder builder) =>
        builder.Services.Any(service => service.ServiceType == typeof(IWebHostEnvironment));

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapDefaultHealthEndpoints();
        return app;
    }
}
