namespace MsaShop.Deployment.Tests.Manifests;

/// <summary>A Deployment or StatefulSet: what its pods look like.</summary>
internal sealed class Workload(JsonObject manifest)
{
    public JsonObject Manifest { get; } = manifest;

    public string Kind => RenderedManifests.KindOf(Manifest);

    public string Name => RenderedManifests.NameOf(Manifest);

    public string Namespace => RenderedManifests.NamespaceOf(Manifest);

    public JsonObject Spec => Manifest["spec"]!.AsObject();

    public JsonObject PodSpec => Spec["template"]!["spec"]!.AsObject();

    public IReadOnlyDictionary<string, string> PodLabels => RenderedManifests.LabelsOf(Spec["template"]!["metadata"]?["labels"]);

    public string ServiceAccount => (string?)PodSpec["serviceAccountName"] ?? "default";

    public IReadOnlyList<JsonObject> Containers => [.. PodSpec["containers"]!.AsArray().Select(c => c!.AsObject())];

    public JsonObject MainContainer => Containers[0];

    /// <summary>The main container's environment variables by name (their value or valueFrom node).</summary>
    public IReadOnlyDictionary<string, JsonObject> Environment =>
        (MainContainer["env"]?.AsArray() ?? []).Select(e => e!.AsObject()).ToDictionary(e => (string)e["name"]!);

    public string? EnvironmentValue(string name) => Environment.TryGetValue(name, out var variable) ? (string?)variable["value"] : null;

    public IReadOnlyList<(string Name, int Port, string Protocol)> ContainerPorts =>
    [
        .. Containers.SelectMany(c => c["ports"]?.AsArray() ?? [])
            .Select(p => ((string?)p!["name"] ?? "", (int)p["containerPort"]!, (string?)p["protocol"] ?? "TCP")),
    ];

    public override string ToString() => $"{Kind}/{Name}";
}
