using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using MsaShop.ServiceDefaults.Discovery;
using MsaShop.ServiceDefaults.Resilience;

namespace Microsoft.Extensions.Hosting;

public static class HttpClientDefaultsExtensions
{
    /// <summary>
    /// Every IHttpClientFactory client gets, outermost first: the standard resilience pipeline, then
    /// service discovery, so each retry resolves an instance afresh.
    /// </summary>
    public static TBuilder AddDefaultHttpClients<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddHttpClient();
        services.TryAddSingleton<IServiceEndpointResolver, ConfigurationServiceEndpointResolver>();
        services.AddOptions<HttpResilienceOptions>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpResilienceOptions>, ConfigureHttpResilienceOptions>());
        services.AddMetrics();
        services.TryAddSingleton<ResilienceTelemetry>();
        services.TryAddSingleton<HttpResiliencePipelines>();

        // Every client, like ConfigureHttpClientDefaults, but with the client's name at hand: each
        // named client keeps its own circuit breaker and may override the resilience settings.
        services.ConfigureAll<HttpClientFactoryOptions>(factory => factory.HttpMessageHandlerBuilderActions.Add(handlers =>
        {
            var pipelines = handlers.Services.GetRequiredService<HttpResiliencePipelines>();
            handlers.AdditionalHandlers.Add(new ResilienceHandler(pipelines.For(handlers.Name ?? string.Empty)));
            handlers.AdditionalHandlers.Add(new ServiceDiscoveryHandler(handlers.Services.GetRequiredService<IServiceEndpointResolver>()));
        }));
        return builder;
    }
}
