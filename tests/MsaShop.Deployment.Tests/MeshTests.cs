using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// mesh-istio: sidecars everywhere, mutual TLS only, AuthorizationPolicies that allow by workload identity
/// exactly what the NetworkPolicies allow by address, and no mesh retries or timeouts on top of the services' own.
/// </summary>
public sealed class MeshTests
{
    [Fact]
    public async Task Every_pod_gets_a_sidecar_and_talks_mutual_TLS_only()
    {
        var manifests = await Overlay.RenderAsync(Overlay.MeshIstio);

        Assert.Equal("enabled", (string?)manifests.Single("Namespace", "msashop")["metadata"]!["labels"]!["istio-injection"]);
        var peerAuthentication = Assert.Single(manifests.OfKind("PeerAuthentication"));
        Assert.Null(peerAuthentication["spec"]!["selector"]);
        Assert.Equal("STRICT", (string?)peerAuthentication["spec"]!["mtls"]!["mode"]);
        Assert.Null(peerAuthentication["spec"]!["portLevelMtls"]);
    }

    [Fact]
    public async Task Authorization_policies_allow_by_identity_exactly_what_the_network_policies_allow()
    {
        var manifests = await Overlay.RenderAsync(Overlay.MeshIstio);
        var byAddress = new NetworkPolicyGraph(manifests);
        var byIdentity = new AuthorizationPolicyGraph(manifests);
        var workloads = manifests.Workloads.Select(w => Peer.Of(w, manifests)).ToList();
        var callers = workloads.Concat([NetworkPolicyTests.IstioIngressGateway, NetworkPolicyTests.Intruder]).ToList();

        Assert.All(workloads, destination => Assert.All(callers.Where(c => c != destination), caller =>
        {
            var port = destination.Ports[0].Port;
            Assert.True(byAddress.Allows(caller, destination, port) == byIdentity.Allows(caller, destination, port),
                $"{caller} -> {destination}: network policy {byAddress.Allows(caller, destination, port)}, authorization policy " +
                    $"{byIdentity.Allows(caller, destination, port)}");
        }));

        var catalog = workloads.Single(w => w.Name == "catalog");
        Assert.Equal(["gateway", "ordering"], callers.Where(c => byIdentity.Allows(c, catalog, 8080)).Select(c => c.Name).Order());
        var payment = workloads.Single(w => w.Name == "payment");
        Assert.DoesNotContain(callers, c => byIdentity.Allows(c, payment, 8080));
    }

    [Fact]
    public async Task The_mesh_adds_no_retry_or_timeout_to_any_route_the_services_call()
    {
        var manifests = await Overlay.RenderAsync(Overlay.MeshIstio);
        var virtualServices = manifests.OfKind("VirtualService").ToList();

        // Every HTTP Service a caller reaches has a VirtualService: without one Istio retries twice by default.
        var routed = virtualServices.SelectMany(vs => vs["spec"]!["http"]!.AsArray().SelectMany(r => r!["route"]!.AsArray()))
            .Select(route => (string)route!["destination"]!["host"]!).ToHashSet();
        Assert.Superset(new HashSet<string> { "gateway", "catalog", "catalog-canary", "ordering" }, routed);
        Assert.All(virtualServices.SelectMany(vs => vs["spec"]!["http"]!.AsArray()), route =>
        {
            Assert.Equal(0, (int?)route!["retries"]?["attempts"]);
            Assert.Null(route["timeout"]);
        });
        Assert.All(manifests.OfKind("DestinationRule"), rule => Assert.Null(rule["spec"]!["trafficPolicy"]?["outlierDetection"]));
    }
}
