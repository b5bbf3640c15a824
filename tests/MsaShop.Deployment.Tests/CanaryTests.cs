using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// The two canary styles: the gateway's (a weight in a live-reloaded ConfigMap, sticky per user) and, in
/// mesh-istio, the mesh's (DestinationRule subsets and VirtualService weights, per request), never both at once.
/// </summary>
public sealed class CanaryTests
{
    public static TheoryData<string> Overlays => Overlay.Names;

    [Theory]
    [MemberData(nameof(Overlays))]
    public async Task The_gateway_reads_its_canary_weight_from_a_watched_file_mounted_from_a_ConfigMap(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);
        var mount = GatewayCanaryMount.Of(manifests);

        // A stable name: a hash-suffixed (generated) ConfigMap would change name, and restart the gateway, on every edit.
        Assert.Equal("gateway-canary", mount.ConfigMapName);
        Assert.Null(mount.SubPath);
        var weight = (int?)JsonNode.Parse(mount.FileContent)?["Gateway"]?["Canary"]?["Weight"];
        Assert.InRange(weight ?? -1, 0, 100);
        Assert.Equal("true", manifests.Workload("gateway").EnvironmentValue("DOTNET_USE_POLLING_FILE_WATCHER"));
    }

    [Theory]
    [InlineData(Overlay.Dev)]
    [InlineData(Overlay.Production)]
    public async Task Without_a_mesh_catalog_and_catalog_canary_are_separate_Services_the_gateway_chooses_between(string overlay)
    {
        var manifests = await Overlay.RenderAsync(overlay);

        Assert.Equal(["catalog"], SelectedDeployments(manifests, "catalog"));
        Assert.Equal(["catalog-canary"], SelectedDeployments(manifests, "catalog-canary"));
        Assert.Empty(manifests.OfKind("VirtualService"));
    }

    [Fact]
    public async Task In_the_mesh_the_canary_split_is_the_meshs_alone()
    {
        var manifests = await Overlay.RenderAsync(Overlay.MeshIstio);

        // The gateway's split is off, so the shares never multiply; http://catalog reaches both tracks.
        var gatewayWeight = (int?)JsonNode.Parse(GatewayCanaryMount.Of(manifests).FileContent)?["Gateway"]?["Canary"]?["Weight"];
        Assert.Equal(0, gatewayWeight);
        Assert.Equal(["catalog", "catalog-canary"], SelectedDeployments(manifests, "catalog"));

        var subsets = manifests.Single("DestinationRule", "catalog")["spec"]!["subsets"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => s!["labels"]!.DeepClone());
        var deployments = manifests.Services.ToList();
        Assert.Equal(["catalog"], DeploymentsIn(subsets["stable"]));
        Assert.Equal(["catalog-canary"], DeploymentsIn(subsets["canary"]));

        var routes = manifests.Single("VirtualService", "catalog")["spec"]!["http"]!.AsArray().Single()!["route"]!.AsArray();
        Assert.Equal(100, routes.Sum(r => (int?)r!["weight"] ?? 0));
        Assert.Equal(subsets.Keys.Order(), routes.Select(r => (string)r!["destination"]!["subset"]!).Order());
        Assert.All(routes, r => Assert.Equal("catalog", (string?)r!["destination"]!["host"]));

        string[] DeploymentsIn(JsonNode labels) =>
            [.. deployments.Where(d => LabelSelector.Matches(new JsonObject { ["matchLabels"] = labels.DeepClone() }, d.PodLabels))
                .Select(d => d.Name).Order()];
    }

    private static string[] SelectedDeployments(RenderedManifests manifests, string service)
    {
        var selector = new JsonObject { ["matchLabels"] = manifests.Single("Service", service)["spec"]!["selector"]!.DeepClone() };
        return [.. manifests.Services.Where(d => LabelSelector.Matches(selector, d.PodLabels)).Select(d => d.Name).Order()];
    }
}

/// <summary>How the gateway pod sees the canary ConfigMap: the mounted directory, the file it reads, its content.</summary>
internal sealed record GatewayCanaryMount(string ConfigMapName, string MountPath, string? SubPath, string FileName, string FileContent)
{
    public static GatewayCanaryMount Of(RenderedManifests manifests)
    {
        var gateway = manifests.Workload("gateway");
        var configFile = gateway.EnvironmentValue("GATEWAY_CONFIG_FILE")
            ?? throw new InvalidOperationException("The gateway has no GATEWAY_CONFIG_FILE.");
        var mount = gateway.MainContainer["volumeMounts"]!.AsArray()
            .Single(m => configFile.StartsWith((string)m!["mountPath"]! + "/", StringComparison.Ordinal))!;
        var volume = gateway.PodSpec["volumes"]!.AsArray().Single(v => (string?)v!["name"] == (string?)mount["name"])!;
        var configMapName = (string)volume["configMap"]!["name"]!;
        var fileName = configFile[((string)mount["mountPath"]!).Length..].TrimStart('/');
        var content = (string?)manifests.Single("ConfigMap", configMapName)["data"]?[fileName]
            ?? throw new InvalidOperationException($"ConfigMap {configMapName} has no key {fileName}.");
        return new GatewayCanaryMount(configMapName, (string)mount["mountPath"]!, (string?)mount["subPath"], fileName, content);
    }
}
