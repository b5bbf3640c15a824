using MsaShop.Gateway.Routing;
using Yarp.ReverseProxy;

namespace MsaShop.Gateway.Canary;

/// <summary>Moves a catalog request from the stable cluster to catalog-canary when the router says so.</summary>
internal sealed class CanaryReleaseMiddleware(RequestDelegate next, CanaryRouter router, IProxyStateLookup proxyState)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.GetReverseProxyFeature().Cluster.Config.ClusterId == GatewayClusters.Catalog
            && router.RoutesToCanary(context)
            && proxyState.TryGetCluster(GatewayClusters.CatalogCanary, out var canary))
        {
            context.ReassignProxyRequest(canary);
        }

        return next(context);
    }
}
