using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// components/observability in the dev overlay: every service exports OTLP to a collector it may reach, the
/// collector has a pipeline for traces, metrics and logs, and Prometheus may scrape the metrics it exposes.
/// </summary>
public sealed class ObservabilityTests
{
    private static readonly Peer Prometheus = Peer.Outside("prometheus", "monitoring", ("app.kubernetes.io/name", "prometheus"));

    [Fact]
    public async Task Every_service_exports_its_telemetry_to_a_collector_the_network_policies_let_it_reach()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var graph = new NetworkPolicyGraph(manifests);
        var endpoint = new Uri((string)manifests.Single("ConfigMap", "msashop-runtime")["data"]!["OTEL_EXPORTER_OTLP_ENDPOINT"]!);

        // The endpoint is a Service whose port leads to the collector's OTLP port.
        var service = manifests.Single("Service", endpoint.Host);
        var port = service["spec"]!["ports"]!.AsArray().Single(p => (int?)p!["port"] == endpoint.Port)!;
        var collector = Assert.Single(manifests.Workloads, w =>
            LabelSelector.Matches(new JsonObject { ["matchLabels"] = service["spec"]!["selector"]!.DeepClone() }, w.PodLabels));
        var targetPort = port["targetPort"]!;
        var target = collector.ContainerPorts.Single(p => targetPort.GetValueKind() == System.Text.Json.JsonValueKind.String
            ? p.Name == (string?)targetPort
            : p.Port == (int)targetPort);

        Assert.NotEmpty(manifests.Services);
        Assert.All(manifests.Services, workload =>
        {
            Assert.Contains(workload.MainContainer["envFrom"]!.AsArray(), source =>
                (string?)source!["configMapRef"]?["name"] == "msashop-runtime");
            Assert.True(graph.Allows(Peer.Of(workload, manifests), Peer.Of(collector, manifests), target.Port),
                $"{workload} cannot reach the collector on {target.Port}");
        });
    }

    [Fact]
    public async Task The_collector_has_a_pipeline_for_traces_metrics_and_logs_and_Prometheus_may_scrape_it()
    {
        var manifests = await Overlay.RenderAsync(Overlay.Dev);
        var collector = manifests.Workload("otel-collector");
        var configMap = manifests.Single("ConfigMap",
            (string)collector.PodSpec["volumes"]!.AsArray().Single(v => v!["configMap"] is not null)!["configMap"]!["name"]!);
        var config = YamlDocuments.Parse((string)configMap["data"]!.AsObject().Single().Value!).Single();

        var pipelines = config["service"]!["pipelines"]!.AsObject();
        Assert.Equal(["logs", "metrics", "traces"], pipelines.Select(p => p.Key).Order());
        Assert.All(pipelines, pipeline => Assert.Contains("otlp", pipeline.Value!["receivers"]!.AsArray().Select(r => (string?)r)));

        // The scrape path: the pod says where, the Prometheus exporter listens there, the policy lets Prometheus in.
        var annotations = collector.Spec["template"]!["metadata"]!["annotations"]!;
        Assert.Equal("true", (string?)annotations["prometheus.io/scrape"]);
        var scrapePort = int.Parse((string)annotations["prometheus.io/port"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.EndsWith($":{scrapePort}", (string)config["exporters"]!["prometheus"]!["endpoint"]!, StringComparison.Ordinal);
        Assert.Contains("prometheus", pipelines["metrics"]!["exporters"]!.AsArray().Select(e => (string?)e));
        Assert.True(new NetworkPolicyGraph(manifests).Allows(Prometheus, Peer.Of(collector, manifests), scrapePort),
            "Prometheus cannot scrape the collector");
    }
}
