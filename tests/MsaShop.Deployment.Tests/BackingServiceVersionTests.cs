using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MsaShop.Deployment.Tests.AzureContainerApps;
using MsaShop.Deployment.Tests.Manifests;

namespace MsaShop.Deployment.Tests;

/// <summary>
/// One version of each server wherever MsaShop runs: the AppHost's images (F5, and Container Apps, whose Redis and
/// RabbitMQ azd deploys from the AppHost's manifest), the dev overlay's StatefulSets, Azure's PostgreSQL server.
/// MsaShop's own bookworm images (MSASHOP_CONTAINER_IMAGES=bookworm, for a machine that reaches no registry) are the
/// one exception, named for what Debian ships; docs/deployment.md says why.
/// </summary>
public sealed class BackingServiceVersionTests
{
    private static readonly string[] AzdDeploysFromTheAppHost = ["cache", "messaging"];
    private const string ManagementSuffix = "-management";

    [Fact]
    public async Task Each_server_runs_one_version_in_the_AppHost_the_Kubernetes_manifests_and_Azure()
    {
        var appHost = await AppHostImagesAsync();
        var dev = await Overlay.RenderAsync(Overlay.Dev);
        var infra = await Infrastructure.CompileAsync();

        foreach (var (resource, statefulSet) in new[] { ("postgres", "postgres"), ("cache", "redis"), ("messaging", "rabbitmq") })
        {
            var (image, tag) = appHost[resource];
            // On F5 RabbitMQ runs the same version's "-management" tag (its web UI); the server is the same.
            tag = tag.EndsWith(ManagementSuffix, StringComparison.Ordinal) ? tag[..^ManagementSuffix.Length] : tag;
            // docker.io/library/postgres and postgres are one image.
            Assert.Equal($"{image.Split('/')[^1]}:{tag}", (string?)dev.Workload(statefulSet).MainContainer["image"]);
        }

        var postgresVersion = (string)infra.ResourceOf("postgres", "Microsoft.DBforPostgreSQL/flexibleServers")["properties"]!["version"]!;
        Assert.Equal(appHost["postgres"].Tag.Split('.')[0], postgresVersion);
        // Container Apps run Redis and RabbitMQ from the image azd reads in the AppHost's manifest, never one of their own.
        var apps = ContainerApp.All();
        Assert.All(AzdDeploysFromTheAppHost, name => Assert.Equal(AzdTemplate.Image, (string?)apps[name].Container["image"]));
    }

    /// <summary>The image and tag of each container the AppHost runs, with Aspire's images (the bookworm setting off).</summary>
    private static async Task<Dictionary<string, (string Image, string Tag)>> AppHostImagesAsync()
    {
        await using var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MsaShop_AppHost>(
            ["MSASHOP_CONTAINER_IMAGES="], TestContext.Current.CancellationToken);
        return appHost.Resources.OfType<ContainerResource>().ToDictionary(
            resource => resource.Name,
            resource => resource.Annotations.OfType<ContainerImageAnnotation>().Select(a => (a.Image, a.Tag ?? "latest")).Last());
    }
}
