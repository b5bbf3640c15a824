namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>The objects one overlay renders, with the look-ups the checks share.</summary>
internal sealed class RenderedManifests(IReadOnlyList<JsonObject> objects)
{
    public IReadOnlyList<JsonObject> Objects { get; } = objects;

    public IEnumerable<JsonObject> OfKind(string kind) => Objects.Where(o => KindOf(o) == kind);

    public JsonObject Single(string kind, string name) =>
        OfKind(kind).SingleOrDefault(o => NameOf(o) == name)
        ?? throw new InvalidOperationException($"No {kind} named '{name}' is rendered.");

    public JsonObject? Find(string kind, string name) => OfKind(kind).SingleOrDefault(o => NameOf(o) == name);

    /// <summary>Every Deployment and StatefulSet, seen through its pod template.</summary>
    public IReadOnlyList<Workload> Workloads =>
        [.. Objects.Where(o => KindOf(o) is "Deployment" or "StatefulSet").Select(o => new Workload(o))];

    /// <summary>The Deployments that run MsaShop's own services: each deployable project's, and the catalog's canary.</summary>
    public IReadOnlyList<Workload> Services =>
        [.. OfKind("Deployment").Select(o => new Workload(o))
            .Where(w => ServiceNames.Contains(w.PodLabels.GetValueOrDefault("app.kubernetes.io/name")))];

    /// <summary>Every Job (the migrations), seen through its pod template.</summary>
    public IReadOnlyList<Workload> Jobs => [.. OfKind("Job").Select(o => new Workload(o))];

    /// <summary>Everything that starts pods: the workloads and the Jobs.</summary>
    public IReadOnlyList<Workload> PodTemplates => [.. Workloads, .. Jobs];

    /// <summary>A value of the overlay's cluster-settings.yaml (local configuration: read from the file, never rendered).</summary>
    public static string ClusterSetting(string overlay, string key) =>
        (string?)YamlDocuments.Parse(File.ReadAllText(Path.Combine(Overlay.DirectoryOf(overlay), "cluster-settings.yaml")))
            .Single()["data"]?[key]
        ?? throw new InvalidOperationException($"{overlay}/cluster-settings.yaml has no {key}.");

    // Read from the projects (those with a ContainerRepository), so a new service's Deployment is checked like the others.
    private static readonly HashSet<string?> ServiceNames = [.. Pipelines.BuildGraph.Deployables().Select(d => d.Service)];

    public Workload Workload(string name) =>
        Workloads.SingleOrDefault(w => w.Name == name) ?? throw new InvalidOperationException($"No workload named '{name}' is rendered.");

    public static string KindOf(JsonObject o) => (string?)o["kind"] ?? "";

    public static string NameOf(JsonObject o) => (string?)o["metadata"]?["name"] ?? "";

    public static string NamespaceOf(JsonObject o) => (string?)o["metadata"]?["namespace"] ?? "default";

    public static IReadOnlyDictionary<string, string> LabelsOf(JsonNode? labels) =>
        labels is JsonObject map
            ? map.ToDictionary(entry => entry.Key, entry => entry.Value?.ToString() ?? "")
            : new Dictionary<string, string>();
}
