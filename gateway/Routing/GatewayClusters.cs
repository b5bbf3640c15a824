using MsaShop.Gateway.Health;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace MsaShop.Gateway.Routing;

/// <summary>
/// The services behind the gateway. Each cluster is named after its service and has one destination, the
/// service's logical address (<c>http://catalog</c>): service discovery turns it into one destination per
/// address it knows (<c>catalog[http://127.0.0.1:5101/]</c>, ...) before YARP balances and health-checks them.
/// </summary>
internal static class GatewayClusters
{
    public const string Catalog = "catalog";
    public const string CatalogCanary = "catalog-canary";
    public const string Ordering = "ordering";

    public static IReadOnlyList<ClusterConfig> Create(DestinationHealthOptions health) =>
        [For(Catalog, health), For(CatalogCanary, health), For(Ordering, health)];

    private static ClusterConfig For(string service, DestinationHealthOptions health) => new()
    {
        ClusterId = service,
        LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
        HealthCheck = health.ToHealthCheckConfig(),
        Metadata = health.ToClusterMetadata(),
        // Plain http: an unconfigured name then passes through to DNS as it is (a Kubernetes Service); discovery
        // sends an unconfigured https+http:// name to https, which in-cluster services do not serve.
        Destinations = new Dictionary<string, DestinationConfig> { [service] = new() { Address = $"http://{service}" } },
    };
}
