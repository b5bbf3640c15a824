using MsaShop.Deployment.Tests.Images;

namespace MsaShop.Deployment.Tests.ManifestRun;

/// <summary>
/// The rendered dev overlay, run with podman (PublishedShop, PodmanCluster): what ran, as whom, and who migrated.
/// ContainerShopTests places an order through it.
/// </summary>
[Collection(PublishedShopDefinition.Name)]
public sealed class ManifestRunTests(PublishedShop published, ITestOutputHelper output)
{
    [Fact]
    public void Every_workload_runs_but_what_this_machine_cannot_have()
    {
        output.WriteLine(
            $"publish.sh took {published.PublishTime.TotalSeconds:0.0} s, the Jobs and Deployments " +
            $"{published.StartTime.TotalSeconds:0.0} s more");
        foreach (var line in published.Shop.NotRun)
        {
            output.WriteLine($"not run: {line}");
        }

        // The collector's image comes from a registry this machine cannot reach; everything else is MsaShop's or the AppHost's.
        var notRun = Assert.Single(published.Shop.NotRun);
        Assert.StartsWith("Deployment/otel-collector: its image otel/opentelemetry-collector-contrib:", notRun, StringComparison.Ordinal);
        Assert.Equal(11, published.Shop.Containers.Count(c => !c.Contains("-svc-", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Every_running_pod_is_the_user_its_securityContext_names_without_capabilities_on_a_read_only_root()
    {
        foreach (var workload in published.Manifests.Workloads.Where(w => w.Name != "otel-collector"))
        {
            var container = published.Shop.ContainerOf(workload.Name);
            var user = (int)(workload.MainContainer["securityContext"]?["runAsUser"] ?? workload.PodSpec["securityContext"]!["runAsUser"])!;

            var status = (await published.Runtime.RunAsync("exec", container, "cat", "/proc/1/status")).Split('\n');
            string Field(string name) =>
                status.Single(line => line.StartsWith(name + ":", StringComparison.Ordinal))
                .Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            Assert.Equal($"{user}", Field("Uid"));
            Assert.Equal("0000000000000000", Field("CapEff"));
            Assert.Equal("1", Field("NoNewPrivs"));
            Assert.False(await published.Runtime.SucceedsAsync("exec", container, "touch", "/msashop-write-probe"),
                $"{workload}: its root file system is writable");
        }
    }

    [Fact]
    public async Task Each_database_was_migrated_by_its_Job_and_no_service_pod_migrated()
    {
        foreach (var service in new[] { "catalog", "ordering", "payment" })
        {
            var job = await published.Runtime.RunAsync("logs", published.Shop.ContainerOf($"{service}-migrations"));
            var pod = await published.Runtime.RunAsync("logs", published.Shop.ContainerOf(service));

            Assert.Contains("Applied migration", job, StringComparison.Ordinal);
            Assert.Equal("0",
                await published.Runtime.RunAsync("inspect", "--format", "{{.State.ExitCode}}",
                published.Shop.ContainerOf($"{service}-migrations")));
            Assert.Contains("left to the release's migrations Job", pod, StringComparison.Ordinal);
            Assert.DoesNotContain("Applied migration", pod, StringComparison.Ordinal);
        }
    }
}
