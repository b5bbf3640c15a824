namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>A pod that may send or receive traffic: one of the rendered workloads, or a pod of another namespace.</summary>
internal sealed record Peer(string Name, string Namespace, IReadOnlyDictionary<string, string> Labels, string ServiceAccount)
{
    public IReadOnlyDictionary<string, string> NamespaceLabels { get; init; } =
        new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = Namespace };

    public IReadOnlyList<(string Name, int Port, string Protocol)> Ports { get; init; } = [];

    /// <summary>The identity the mesh gives the pod (its mTLS certificate's SPIFFE principal).</summary>
    public string Principal => $"cluster.local/ns/{Namespace}/sa/{ServiceAccount}";

    public static Peer Of(Workload workload, RenderedManifests manifests) =>
        new(workload.Name, workload.Namespace, workload.PodLabels, workload.ServiceAccount)
    {
        NamespaceLabels = NamespaceLabelsOf(workload.Namespace, manifests),
        Ports = workload.ContainerPorts,
    };

    public static Peer Outside(string name, string @namespace, params (string Key, string Value)[] labels) =>
        new(name, @namespace, labels.ToDictionary(l => l.Key, l => l.Value), name);

    private static Dictionary<string, string> NamespaceLabelsOf(string @namespace, RenderedManifests manifests)
    {
        var labels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = @namespace };
        foreach (var (key, value) in RenderedManifests.LabelsOf(manifests.Find("Namespace", @namespace)?["metadata"]?["labels"]))
        {
            labels[key] = value;
        }

        return labels;
    }

    public override string ToString() => Name;
}
