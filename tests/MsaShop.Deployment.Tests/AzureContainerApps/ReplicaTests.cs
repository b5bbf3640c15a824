using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MsaShop.Deployment.Tests.Manifests;
using MsaShop.Harness;

namespace MsaShop.Deployment.Tests.AzureContainerApps;

/// <summary>
/// The replica count does not travel in the publish manifest, so each deployment states it itself: Azure
/// Container Apps as its minimum replicas, Kubernetes as the autoscaler's floor (the Deployment itself leaves
/// the count to the autoscaler), and the shop as deployed on this machine (DeployedShop) by its default. Each must say
/// what the AppHost's model says (WithReplicas), read here from the model.
/// </summary>
public sealed class ReplicaTests
{
    [Fact]
    public async Task Every_replicated_service_runs_the_AppHosts_replica_count_on_Container_Apps_and_Kubernetes()
    {
        var replicated = await ReplicatedProjectsAsync();
        var apps = ContainerApp.All();

        Assert.Contains("catalog", replicated.Keys);
        foreach (var (name, replicas) in replicated)
        {
            Assert.Equal(replicas, apps[name].MinReplicas);
            Assert.True((int?)apps[name].Scale["maxReplicas"] >= replicas);
            foreach (var overlay in Overlay.All)
            {
                var manifests = await Overlay.RenderAsync(overlay);
                var autoscaler = manifests.OfKind("HorizontalPodAutoscaler")
                    .SingleOrDefault(hpa => (string?)hpa["spec"]!["scaleTargetRef"]!["name"] == name);
                Assert.Equal(replicas,
                    (int?)autoscaler?["spec"]!["minReplicas"] ?? (int?)manifests.Single("Deployment", name)["spec"]!["replicas"]);
            }
        }
    }

    [Fact]
    public async Task The_shop_as_deployed_on_this_machine_runs_the_AppHosts_replica_counts_by_default()
    {
        var replicated = await ReplicatedProjectsAsync();

        Assert.Equal(replicated.OrderBy(p => p.Key), DeployedShopOptions.AppHostReplicas.OrderBy(p => p.Key));
    }

    // The projects the AppHost runs more than once, with their count (the last ReplicaAnnotation wins, as in Aspire).
    private static async Task<Dictionary<string, int>> ReplicatedProjectsAsync()
    {
        await using var appHost =
            await DistributedApplicationTestingBuilder.CreateAsync<Projects.MsaShop_AppHost>(TestContext.Current.CancellationToken);
        return appHost.Resources.OfType<ProjectResource>()
            .Select(project =>
                (project.Name, Replicas: project.Annotations.OfType<ReplicaAnnotation>().Select(r => r.Replicas).DefaultIfEmpty(1).Last()))
            .Where(project => project.Replicas > 1)
            .ToDictionary(project => project.Name, project => project.Replicas);
    }
}
