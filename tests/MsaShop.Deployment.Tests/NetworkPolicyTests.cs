using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// The rendered NetworkPolicies, evaluated connection by connection (Manifests/NetworkPolicyGraph):
/// default deny, only the Gateway API proxy reaches the gateway, only the gateway and ordering reach the catalog,
/// nothing reaches payment, and each service reaches only what it uses.
/// </summary>
public sealed class NetworkPolicyTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    /// <summary>The Gateway API implementation's proxy (Envoy Gateway's data plane) that the HTTPRoute runs on.</summary>
    internal static readonly Peer GatewayProxy = Peer.Outside("envoy-gateway", "envoy-gateway-system", ("app.kubernetes.io/name", "envoy"));
    internal static readonly Peer IstioIngressGateway = Peer.Outside("istio-ingressgateway", "istio-system",
        ("istio", "ingressgateway")) with { ServiceAccount = "istio-ingressgateway-service-account" };
    internal static readonly Peer Keda = Peer.Outside("keda-operator", "keda", ("app", "keda-operator"));
    internal static readonly Peer ClusterDns = Peer.Outside("kube-dns", "kube-system", ("k8s-app", "kube-dns"));
    internal static readonly Peer Istiod = Peer.Outside("istiod", "istio-system", ("app", "istiod"));
    internal static readonly Peer OtherNamespace = Peer.Outside("stranger", "default", ("app.kubernetes.io/name", "catalog"));

    /// <summary>A pod nobody planned for, in the shop's own namespace.</summary>
    internal static Peer Intruder => Peer.Outside("intruder", "msashop", ("app.kubernetes.io/name", "intruder"));

    private static readonly Dictionary<string, Dictionary<string, string[]>> ExpectedCallers = new()
    {
        [Overlay.Dev] = new()
        {
            ["gateway"] = ["envoy-gateway"],
            ["catalog"] = ["gateway", "ordering"],
            ["catalog-canary"] = ["gateway", "ordering"],
            ["ordering"] = ["gateway"],
            ["payment"] = [],
            ["postgres"] = ["catalog", "catalog-canary", "ordering", "payment"],
            ["redis"] = ["catalog", "catalog-canary"],
            ["rabbitmq"] = ["catalog", "catalog-canary", "keda-operator", "ordering", "payment"],
            ["otel-collector"] = ["catalog", "catalog-canary", "gateway", "ordering", "payment"],
        },
        [Overlay.Production] = new()
        {
            ["gateway"] = ["envoy-gateway"],
            ["catalog"] = ["gateway", "ordering"],
            ["catalog-canary"] = ["gateway", "ordering"],
            ["ordering"] = ["gateway"],
            ["payment"] = [],
        },
        [Overlay.MeshIstio] = new()
        {
            ["gateway"] = ["istio-ingressgateway"],
            ["catalog"] = ["gateway", "ordering"],
            ["catalog-canary"] = ["gateway", "ordering"],
            ["ordering"] = ["gateway"],
            ["payment"] = [],
        },
    };

    // Ports each service may open to addresses outside the cluster (the managed backing services).
    private static readonly Dictionary<string, Dictionary<string, int[]>> ExpectedExternalEgress = new()
    {
        [Overlay.Dev] = new() { ["gateway"] = [], ["catalog"] = [], ["catalog-canary"] = [], ["ordering"] = [], ["payment"] = [] },
        [Overlay.Production] = new()
        {
            ["gateway"] = [],
            ["catalog"] = [5432, 5671, 6380],
            ["catalog-canary"] = [5432, 5671, 6380],
            ["ordering"] = [5432, 5671],
            ["payment"] = [5432, 5671],
        },
    };

    private static readonly int[] CandidatePorts = [22, 53, 80, 443, 5432, 5671, 5672, 6379, 6380, 8080, 15672];

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Each_workload_is_reachable_only_by_its_intended_callers(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var graph = new NetworkPolicyGraph(manifests);
        var workloads = manifests.Workloads.Select(w => Peer.Of(w, manifests)).ToList();
        var sources = workloads.Concat([GatewayProxy, IstioIngressGateway, Keda, OtherNamespace, Intruder]).ToList();

        var expected = ExpectedCallers[overlay].OrderBy(e => e.Key).ToList();

        Assert.Equal(expected, CallersOf(workloads, sources, graph.Allows).OrderBy(e => e.Key));
        // Each side is least privilege on its own too: a receiver admits only its callers...
        Assert.Equal(expected, CallersOf(workloads, sources, graph.IngressAdmits).OrderBy(e => e.Key));
        // ...and a sender may open connections only to the workloads it calls.
        var expectedCallees = workloads.ToDictionary(
            source => source.Name,
            source => expected.Where(e => e.Value.Contains(source.Name)).Select(e => e.Key).Order().ToArray());
        var callees = workloads.ToDictionary(
            source => source.Name,
            source => workloads.Where(d => d != source && d.Ports.Any(p => graph.EgressPermits(source, d, p.Port, p.Protocol)))
                .Select(d => d.Name).Order().ToArray());
        Assert.Equal(expectedCallees.OrderBy(e => e.Key), callees.OrderBy(e => e.Key));
    }

    private static Dictionary<string, string[]> CallersOf(List<Peer> destinations, List<Peer> sources,
        Func<Peer, Peer, int, string, bool> allows) =>
        destinations.ToDictionary(
            destination => destination.Name,
            destination => sources
                .Where(source => source != destination && destination.Ports.Any(p => allows(source, destination, p.Port, p.Protocol)))
                .Select(source => source.Name).Order().ToArray());

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Nothing_is_allowed_by_default_and_every_pod_has_a_policy_of_its_own(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var graph = new NetworkPolicyGraph(manifests);
        var workloads = manifests.Workloads.Select(w => Peer.Of(w, manifests)).ToList();

        // An unplanned pod in the namespace reaches nothing and is reached by nothing, on any port.
        Assert.All(workloads, workload => Assert.All(CandidatePorts, port =>
        {
            Assert.False(graph.Allows(Intruder, workload with { Ports = [("", port, "TCP")] }, port), $"intruder -> {workload}:{port}");
            Assert.False(graph.Allows(workload, Intruder, port), $"{workload} -> intruder:{port}");
        }));
        Assert.All(CandidatePorts, port =>
        {
            Assert.False(graph.AllowsEgressOutsideCluster(Intruder, port), $"intruder -> outside:{port}");
            Assert.False(graph.Allows(OtherNamespace, Intruder with { Ports = [("", port, "TCP")] }, port),
                $"other namespace -> intruder:{port}");
        });

        Assert.All(workloads, workload => Assert.Contains(graph.Selecting(workload, "Ingress"), policy =>
            policy["spec"]!["podSelector"]!["matchLabels"] is JsonObject { Count: > 0 }));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task Every_workload_may_ask_the_cluster_DNS(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var graph = new NetworkPolicyGraph(manifests);

        Assert.All(manifests.Workloads.Select(w => Peer.Of(w, manifests)), workload =>
        {
            Assert.True(graph.Allows(workload, ClusterDns, 53, "UDP"), $"{workload}: DNS over UDP");
            Assert.True(graph.Allows(workload, ClusterDns, 53, "TCP"), $"{workload}: DNS over TCP");
            Assert.False(graph.Allows(workload, ClusterDns, 8080), $"{workload}: more than DNS to kube-system");
        });
    }

    [Theory]
    [InlineData(Overlay.Dev)]
    [InlineData(Overlay.Production)]
    public async Task Services_leave_the_cluster_only_for_their_managed_backing_services(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var graph = new NetworkPolicyGraph(manifests);

        var egress = manifests.Services.Select(d => Peer.Of(d, manifests)).ToDictionary(
            workload => workload.Name,
            workload => CandidatePorts.Where(port => graph.AllowsEgressOutsideCluster(workload, port)).ToArray());

        Assert.Equal(ExpectedExternalEgress[overlay].OrderBy(e => e.Key), egress.OrderBy(e => e.Key));
    }

    [Theory]
    [InlineData(Overlay.Production)]
    [InlineData(Overlay.MeshIstio)]
    public async Task Production_reaches_each_managed_service_only_in_the_network_its_cluster_settings_name(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var networkOf = new Dictionary<int, string>
        {
            [5432] = RenderedManifests.ClusterSetting(Overlay.Production, "postgresNetwork"),
            [6380] = RenderedManifests.ClusterSetting(Overlay.Production, "redisNetwork"),
            [5671] = RenderedManifests.ClusterSetting(Overlay.Production, "rabbitmqNetwork"),
        };

        var rules = manifests.OfKind("NetworkPolicy").SelectMany(policy => (policy["spec"]!["egress"]?.AsArray() ?? [])
            .Where(rule => rule!["to"]?.AsArray().Any(peer => peer!["ipBlock"] is not null) == true)
            .Select(rule => (Policy: RenderedManifests.NameOf(policy), Rule: rule!))).ToList();

        Assert.NotEmpty(rules);
        Assert.All(rules, entry =>
        {
            // One managed service per rule: its port, to its own network, never the whole internet.
            var port = (int)Assert.Single(entry.Rule["ports"]!.AsArray())!["port"]!;
            var cidr = (string)Assert.Single(entry.Rule["to"]!.AsArray())!["ipBlock"]!["cidr"]!;
            Assert.True(networkOf.TryGetValue(port, out var expected), $"{entry.Policy}: egress outside the cluster on port {port}");
            Assert.Equal(expected, cidr);
        });
        Assert.Equal(3, networkOf.Values.Distinct().Count());
    }

    [Fact]
    public async Task In_the_mesh_every_sidecar_reaches_istiod()
    {
        var manifests = await Overlay.RenderAsync(Overlay.MeshIstio);
        var graph = new NetworkPolicyGraph(manifests);

        Assert.All(manifests.Workloads.Select(w => Peer.Of(w, manifests)), workload =>
            Assert.True(graph.Allows(workload, Istiod, 15012), $"{workload} -> istiod:15012"));
    }
}
