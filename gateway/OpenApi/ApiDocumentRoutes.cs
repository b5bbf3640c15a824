using MsaShop.Gateway.RateLimiting;
using MsaShop.Gateway.Routing;
using Yarp.ReverseProxy.Configuration;

namespace MsaShop.Gateway.OpenApi;

/// <summary>
/// In Development, each public service's OpenAPI document through the gateway: <c>/openapi/{service}.json</c> is
/// the service's own <c>/openapi/v1.json</c>. Payment has no public API, so no document here either.
/// </summary>
internal static class ApiDocumentRoutes
{
    public static IReadOnlyList<string> Services { get; } = [GatewayClusters.Catalog, GatewayClusters.Ordering];

    public static string PathOf(string service) => $"/openapi/{service}.json";

    public static IReadOnlyList<RouteConfig> For(IHostEnvironment environment) =>
        environment.IsDevelopment() ? [.. Services.Select(Route)] : [];

    private static RouteConfig Route(string service) => new()
    {
        RouteId = $"{service}-openapi",
        ClusterId = service,
        Match = new RouteMatch { Path = PathOf(service), Methods = [HttpMethods.Get] },
        AuthorizationPolicy = "anonymous",
        RateLimiterPolicy = PerClientRateLimitPolicy.Name,
        Transforms = [new Dictionary<string, string> { ["PathSet"] = "/openapi/v1.json" }],
    };
}
