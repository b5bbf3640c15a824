using Microsoft.Extensions.Primitives;
using MsaShop.Gateway.Health;
using MsaShop.ServiceDefaults.Discovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace MsaShop.Gateway.Routing;

/// <summary>
/// Builds YARP's routes and clusters: each cluster's destinations are the service's instances as
/// service discovery resolves them, so no address lives in the gateway's own configuration. Rebuilt
/// whenever configuration reloads (YARP keeps the state of destinations that did not change).
/// </summary>
internal sealed class ServiceDiscoveryProxyConfigProvider(IServiceEndpointResolver resolver, IConfiguration configuration)
    : IProxyConfigProvider
{
    public IProxyConfig GetConfig()
    {
        // The reload token is taken first, so a change that lands while building still triggers a rebuild.
        var changeToken = configuration.GetReloadToken();
        var health = configuration.GetSection(DestinationHealthOptions.SectionName).Get<DestinationHealthOptions>() ?? new();
        var clusters = GatewayClusters.All.Select(service => ClusterFor(service, health)).ToList();
        return new DiscoveredProxyConfig(GatewayRoutes.All, clusters, changeToken);
    }

    private ClusterConfig ClusterFor(string service, DestinationHealthOptions health) => new()
    {
        ClusterId = service,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        HealthCheck = health.ToHealthCheckConfig(),
        Metadata = health.ToClusterMetadata(),
        Destinations = DestinationsOf(service),
    };

    private Dictionary<string, DestinationConfig> DestinationsOf(string service)
    {
        // "https+http": the https instances when the service has any, else the http ones; one address per instance.
        var instances = resolver.ResolveAll(new Uri($"https+http://{service}"));
        return instances
            .Where(instance => instance.Scheme == instances[0].Scheme)
            .Select((instance, index) => (Id: $"{service}-{index}", Address: instance.GetLeftPart(UriPartial.Authority)))
            .ToDictionary(destination => destination.Id, destination => new DestinationConfig { Address = destination.Address });
    }

    private sealed record DiscoveredProxyConfig(
        IReadOnlyList<RouteConfig> Routes,
        IReadOnlyList<ClusterConfig> Clusters,
        IChangeToken ChangeToken) : IProxyConfig;
}
