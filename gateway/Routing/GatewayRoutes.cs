using MsaShop.Gateway.RateLimiting;
using MsaShop.ServiceDefaults.Authorization;
using Yarp.ReverseProxy.Configuration;

namespace MsaShop.Gateway.Routing;

/// <summary>
/// The public HTTP contract: which paths reach which service and who may call them. Paths are
/// forwarded unchanged. Nothing routes to payment, so its paths end in a 404.
/// </summary>
internal static class GatewayRoutes
{
    // YARP's reserved policy names: no authorization at all, and ASP.NET Core's default policy (any authenticated user).
    private const string Anonymous = "anonymous";
    private const string AuthenticatedUser = "default";

    public static IReadOnlyList<RouteConfig> All { get; } =
    [
        new()
        {
            RouteId = "catalog-read",
            ClusterId = GatewayClusters.Catalog,
            Match = new RouteMatch { Path = "/api/catalog/{**remainder}" },
            AuthorizationPolicy = Anonymous,
            RateLimiterPolicy = PerClientRateLimitPolicy.Name,
            // Lower Order wins: for a write method both routes match and catalog-write (0) takes it.
            Order = 1,
        },
        new()
        {
            RouteId = "catalog-write",
            ClusterId = GatewayClusters.Catalog,
            Match = new RouteMatch
            {
                Path = "/api/catalog/{**remainder}",
                Methods = [HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete],
            },
            AuthorizationPolicy = AuthorizationPolicies.Admin,
            RateLimiterPolicy = PerClientRateLimitPolicy.Name,
            Order = 0,
        },
        new()
        {
            RouteId = "orders",
            ClusterId = GatewayClusters.Ordering,
            // A catch-all may be empty, so this matches /api/orders itself too.
            Match = new RouteMatch { Path = "/api/orders/{**remainder}" },
            AuthorizationPolicy = AuthenticatedUser,
            RateLimiterPolicy = PerClientRateLimitPolicy.Name,
        },
    ];
}
