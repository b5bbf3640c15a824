using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.Model;

namespace MsaShop.Gateway.Health;

/// <summary>
/// Passive health check: one failed connection (refused, reset, closed before answering) takes the
/// destination out of rotation for the cluster's reactivation period. YARP's built-in policy waits
/// for a failure rate over many requests; a dead replica should stop getting traffic at once.
/// </summary>
internal sealed class ConnectionFailureHealthPolicy(IDestinationHealthUpdater healthUpdater) : IPassiveHealthCheckPolicy
{
    public const string Name = "ConnectionFailure";

    string IPassiveHealthCheckPolicy.Name => Name;

    public void RequestProxied(HttpContext context, ClusterState cluster, DestinationState destination)
    {
        if (context.GetForwarderErrorFeature()?.Error != ForwarderError.Request)
        {
            return;
        }

        // YARP passes the route's cluster; after a canary reassignment the destination belongs to the canary's.
        // The lookup is resolved per call: YARP's config validator needs this policy while it builds that lookup.
        var proxy = context.GetReverseProxyFeature();
        var proxyState = context.RequestServices.GetRequiredService<IProxyStateLookup>();
        var owner = proxyState.TryGetCluster(proxy.Cluster.Config.ClusterId, out var reassigned) ? reassigned : cluster;
        var reactivation = proxy.Cluster.Config.HealthCheck?.Passive?.ReactivationPeriod ?? TimeSpan.FromSeconds(10);
        healthUpdater.SetPassive(owner, destination, DestinationHealth.Unhealthy, reactivation);
    }
}
