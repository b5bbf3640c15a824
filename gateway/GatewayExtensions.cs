using MsaShop.Gateway.Canary;
using MsaShop.Gateway.Errors;
using MsaShop.Gateway.Health;
using MsaShop.Gateway.OpenApi;
using MsaShop.Gateway.Routing;
using Yarp.ReverseProxy.Health;

namespace Microsoft.Extensions.Hosting;

public static class GatewayExtensions
{
    /// <summary>
    /// YARP with MsaShop's routes and clusters, destinations from service discovery, health checks that take a
    /// dead replica out of rotation, the client address from trusted proxies, per-client rate limiting and the
    /// catalog canary.
    /// </summary>
    public static TBuilder AddGatewayServices<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var health = builder.Configuration.GetSection(DestinationHealthOptions.SectionName).Get<DestinationHealthOptions>() ?? new();
        var services = builder.Services;
        services.AddReverseProxy()
            .LoadFromMemory([.. GatewayRoutes.All, .. ApiDocumentRoutes.For(builder.Environment)], GatewayClusters.Create(health))
            .AddServiceDiscoveryDestinationResolver();
        services.AddSingleton<IPassiveHealthCheckPolicy, ConnectionFailureHealthPolicy>();
        services.AddSingleton<IAvailableDestinationsPolicy, PanicModeDestinationsPolicy>();
        builder.AddClusterHealthCheck();

        services.AddOptions<CanaryOptions>().BindConfiguration(CanaryOptions.SectionName);
        services.AddSingleton<CanaryRouter>();

        builder.AddGatewayForwardedHeaders();
        builder.AddGatewayRateLimiting();
        return builder;
    }

    /// <summary>The proxy pipeline, outermost first.</summary>
    public static WebApplication MapGateway(this WebApplication app)
    {
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<ProxyErrorProblemDetailsMiddleware>();
            proxy.UseMiddleware<CanaryReleaseMiddleware>();
            proxy.UseMiddleware<ConnectionFailureRetryMiddleware>();
            proxy.UseLoadBalancing();
            proxy.UsePassiveHealthChecks();
        });
        return app;
    }
}
