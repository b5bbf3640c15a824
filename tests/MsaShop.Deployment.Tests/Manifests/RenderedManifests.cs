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
