using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>The gateway is the one door: no other Service is exposed and nothing routes to payment.</summary>
public sealed class ExposureTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task No_Service_but_the_gateways_is_exposed_outside_the_cluster(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.All(manifests.OfKind("Service").Where(s => RenderedManifests.NameOf(s) != "gateway"), service =>
        {
            Assert.Equal("ClusterIP", (string?)service["spec"]!["type"] ?? "ClusterIP");
            Assert.Null(service["spec"]!["externalIPs"]);
        });
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_public_route_leads_to_the_gateway_and_none_to_payment(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        // The Gateway API is the way in (ingress-nginx is retired upstream): no Ingress at all.
        Assert.Empty(manifests.OfKind("Ingress"));
        var routes = manifests.OfKind("HTTPRoute").ToList();
        Assert.All(routes, route => Assert.All(route["spec"]!["parentRefs"]!.AsArray(),
            parent => Assert.NotNull(manifests.Find("Gateway", (string)parent!["name"]!))));
        var ingressBackends = routes.SelectMany(route => route["spec"]!["rules"]!.AsArray()
            .SelectMany(rule => rule!["backendRefs"]!.AsArray())
            .Select(backend => (string)backend!["name"]!)).ToList();
        var meshIngressRoutes = manifests.OfKind("VirtualService")
            .Where(vs => vs["spec"]!["gateways"] is JsonArray gateways && gateways.Any(g => (string?)g != "mesh"))
            .SelectMany(vs => Destinations(vs)).ToList();
        var publicRoutes = ingressBackends.Concat(meshIngressRoutes).ToList();

        Assert.NotEmpty(publicRoutes);
        Assert.All(publicRoutes, destination => Assert.Equal("gateway", destination));
        Assert.DoesNotContain(manifests.OfKind("VirtualService").SelectMany(Destinations), destination => destination == "payment");
    }

    private static IEnumerable<string> Destinations(JsonObject virtualService) =>
        virtualService["spec"]!["http"]!.AsArray()
            .SelectMany(route => route!["route"]!.AsArray())
            .Select(route => (string)route!["destination"]!["host"]!);
}
