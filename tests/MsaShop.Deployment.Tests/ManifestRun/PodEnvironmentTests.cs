using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests.ManifestRun;

/// <summary>The manifest run builds each container's environment from the rendered objects alone, as the kubelet does.</summary>
public sealed class PodEnvironmentTests
{
    [Fact]
    public async Task Each_variable_comes_from_the_rendered_objects_and_references_expand_as_the_kubelet_expands_them()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var redis = manifests.Workload("redis").MainContainer;

        var environment = PodEnvironment.Of(redis, manifests, "redis-0", "10.0.0.9");
        var args = redis["args"]!.AsArray().Select(a => PodEnvironment.Expand((string)a!, environment)).ToList();

        Assert.Equal("dev-only-redis-password", environment["REDIS_PASSWORD"]);
        Assert.Contains("dev-only-redis-password", args);
        Assert.Equal("Development",
            PodEnvironment.Of(manifests.Workload("gateway").MainContainer, manifests, "gateway", "10.0.0.8")["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("$(UNDEFINED) $(REDIS_PASSWORD)", PodEnvironment.Expand("$(UNDEFINED) $$(REDIS_PASSWORD)", environment));
    }

    [Fact]
    public async Task A_variable_whose_Secret_or_key_is_not_rendered_stops_the_pod()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var container = manifests.Workload("payment").MainContainer.DeepClone().AsObject();
        container["env"]!.AsArray().Add(new JsonObject
        {
            ["name"] = "ConnectionStrings__forgotten",
            ["valueFrom"] =
                new JsonObject { ["secretKeyRef"] = new JsonObject { ["name"] = "forgotten-connection", ["key"] = "connectionString" } },
        });

        var error = Assert.Throws<InvalidOperationException>(() => PodEnvironment.Of(container, manifests, "payment", "10.0.0.7"));
        Assert.Contains("forgotten-connection", error.Message, StringComparison.Ordinal);
    }
}
